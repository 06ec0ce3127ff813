"""A small working office for the browser tests: people in two teams, rewards, points, a
redemption waiting, an award, a swap on the board and an outcome file waiting for HR."""

from datetime import UTC, datetime, timedelta

from pojo.awards.service import award
from pojo.market import goals, redemptions
from pojo.outcomes import imports
from pojo.people.service import find_employee
from pojo.unit_of_work import unit_of_work
from tests.market_helpers import add_reward, give_points
from tests.test_shifts import add_shift
from tests.test_swaps import SWAP

HR = "hr.helena"
SUPERVISOR = "sup.sanna"
AGENT = "agent.aino"
COLLEAGUE = "agent.bertta"
TEMP = "temp.teemu"
OUTCOMES_CSV = "external_id,employee,kind,score,occurred_at\n"


def outcome_file(*rows: tuple[str, str, str, int]) -> bytes:
    """An outcomes CSV of (external id, username, kind, score) rows, dated yesterday."""
    day = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    lines = [f"{ref},{who},{kind},{score},{day}T10:00:00Z\n" for ref, who, kind, score in rows]
    return (OUTCOMES_CSV + "".join(lines)).encode()


def build(site) -> dict:
    """Everyone and everything the main pages show; returns the ids the tests open."""
    site.person(HR, role="hr", team="Office", display_name="Helena Hr")
    site.person(SUPERVISOR, role="supervisor", team="Alpha", display_name="Sanna Supervisor")
    site.person(AGENT, display_name="Aino Agent")
    site.person(COLLEAGUE, display_name="Bertta Agent")
    site.person(TEMP, temp=True, team="Beta", display_name="Teemu Temp")
    app = site.app
    massage = add_reward(app)
    cinema = add_reward(
        app,
        name_en="Cinema tickets",
        name_fi="Elokuvaliput",
        category="experience",
        value_cents=2500,
    )
    swap = add_reward(app, **SWAP)
    # Points from HR count against the team's monthly budget (2,000): room is left for awards.
    for username, points in ((AGENT, 700), (COLLEAGUE, 700), (TEMP, 1500)):
        give_points(app, username, points)
    shift = add_shift(app, AGENT, 24, 8, label="Evening")
    add_shift(app, COLLEAGUE, 48, 8, label="Morning")
    with app.app_context(), unit_of_work():
        hr, supervisor = find_employee(HR), find_employee(SUPERVISOR)
        award(supervisor, AGENT, "customer_praise", "Thanked by name in the chat")
        # A goal puts its bar and its Change and Clear buttons on the wallet.
        goals.set_goal(find_employee(AGENT), massage)
        handed = redemptions.redeem(find_employee(TEMP), cinema, 10_000)
        redemptions.fulfil(hr, handed.id)
        redemptions.redeem(find_employee(COLLEAGUE), massage, 10_000)
        redemptions.redeem(find_employee(AGENT), swap, 10_000, details={"shift": shift})
        upload = imports.upload(supervisor, "week.csv", outcome_file(("w1", AGENT, "nps", 10)))
        imports.confirm_upload(supervisor, upload.id, skip_invalid=False)
        return {"reward": massage, "upload": upload.id}
