"""The journeys people make, in a real browser: each at 1280 px, at 360 x 740, in Finnish on a
phone, and with the keyboard alone. Every step leaves a screenshot in test-artifacts/journeys/.

The steps read the page as a person would (the price on the button, the flash, the bell) and
check the outcome in the database only where a person could not see it.
"""

import csv
import io
from datetime import datetime, timedelta

import pytest

from pojo.extensions import db
from pojo.ledger.service import balance_of
from pojo.market import catalogue, redemptions
from pojo.people.service import find_employee
from pojo.rows import site_zone
from pojo.shifts.models import Shift
from pojo.unit_of_work import unit_of_work
from tests.browser.support import ARTIFACTS, VARIANTS
from tests.browser.world import outcome_file
from tests.market_helpers import add_reward, give_points
from tests.test_swaps import SWAP

# A real browser: left out of the fast tier (pytest -m "not slow").
pytestmark = pytest.mark.slow


def points_in(text: str) -> int:
    """The number in "1 250 pojoa" or "Redeem · 1,250 points", whatever the locale's separator."""
    return int("".join(character for character in text if character.isdigit()))


def balance(site, username: str) -> int:
    with site.app.app_context():
        return balance_of(find_employee(username).id)


# -- the agent: board, goal, redeem at the shown price, refused when it moved --------------


def agent_redeems(site, tab):
    agent = site.person("agent.aino", language=tab.variant.language, display_name="Aino")
    rival = site.person("agent.rival", display_name="Rival")
    give_points(site.app, agent, 1000)
    give_points(site.app, rival, 1000)
    massage = add_reward(site.app)

    tab.login(agent)
    assert tab.page.url.endswith("/market"), "an agent starts on the board"
    card = f'li.ticker[data-reward="{massage}"]'
    shown = points_in(tab.text(f"{card} [data-field=price]"))
    assert {"en": "Massage", "fi": "Hieronta"}[tab.variant.language] in tab.text(card)
    tab.shot("board")

    with tab.page.expect_navigation():
        tab.use(f"{card} .ticker-name a")
    tab.submit(".goal-form button")
    assert tab.say("Goal pinned. Your wallet shows how close you are.") in tab.text(".flashes")
    assert tab.page.locator("#goal-title").is_visible()
    tab.shot("goal-pinned")

    tab.nav("/market")
    tab.use(f"{card} button[data-confirm]", "Space")  # the first tap shows what it will cost
    assert points_in(tab.text(f"{card} button[data-confirm]")) == shown
    tab.shot("confirm")
    tab.submit(f"{card} button[data-confirm]")
    assert str(shown) in tab.text(".flashes").replace("\u202f", "").replace(",", "")
    assert balance(site, agent) == 1000 - shown
    tab.shot("redeemed")

    tab.nav("/market")
    before = balance(site, agent)
    now_shown = points_in(tab.text(f"{card} [data-field=price]"))
    assert now_shown > shown, "a redemption raises the price"
    # The price moves while the page is open, before its 30-second refresh could show it.
    tab.page.route("**/market/board.json*", lambda route: route.abort())
    with site.app.app_context(), unit_of_work():
        redemptions.redeem(find_employee(rival), massage, 10_000)
    tab.use(f"{card} button[data-confirm]", "Space")
    tab.submit(f"{card} button[data-confirm]")
    assert tab.text("h1") == tab.say("The price moved")
    offered = points_in(tab.text("main form button"))
    assert offered > now_shown
    assert balance(site, agent) == before, "a refusal charges nothing"
    tab.shot("price-moved")
    tab.submit("main form button")  # one tap: the new price is on the button
    assert balance(site, agent) == before - offered
    tab.shot("redeemed-at-new-price")


# -- a supervisor awards a team member; the agent sees it in the bell ----------------------


def award_reaches_the_bell(site, tab):
    supervisor = site.person("sup.sanna", role="supervisor", language=tab.variant.language)
    agent = site.person(
        "agent.aino",
        language=tab.variant.language,
        display_name="Aino",
        email="aino@pojo.test",
    )

    tab.login(supervisor)
    tab.nav("/awards/new")
    tab.choose("#employee", agent)
    tab.choose("#criterion", "customer_praise")
    tab.type_into("#note", "Thanked by name in the chat")
    tab.shot("award-form")
    tab.submit(".award-form button[type=submit]")
    assert tab.page.locator(".flash-success").count() == 1
    assert balance(site, agent) == 60
    tab.shot("awarded")
    # The award also reaches the agent's mailbox, in the agent's language, once sent.
    site.send_mail()
    [mail] = site.mailbox.to("aino@pojo.test")
    subject = site.say(tab.variant.language, "you were awarded points")
    assert mail["Subject"] == site.say(tab.variant.language, "Pojo: %(subject)s", subject=subject)
    assert "Thanked by name in the chat" in mail.get_content()

    tab.logout()
    tab.login(agent)
    assert tab.text(".bell [data-unread]") == "1"
    tab.shot("bell")
    with tab.page.expect_navigation():
        tab.use(".bell")
    assert "Thanked by name in the chat" in tab.text(".notifications")
    tab.shot("notifications")


# -- a Christmas Eve shift swapped away and taken by a colleague ---------------------------


def christmas_eve_swap(site, tab):
    requester = site.person("agent.aino", language=tab.variant.language, display_name="Aino")
    colleague = site.person("agent.bertta", language=tab.variant.language, display_name="Bertta")
    give_points(site.app, requester, 1000)
    swap_reward = add_reward(site.app, **SWAP)
    with site.app.app_context(), unit_of_work():
        employee = find_employee(requester)
        eve = datetime(2026, 12, 24, 14, tzinfo=site_zone())
        if eve < datetime.now(site_zone()) + timedelta(days=3):
            eve = eve.replace(year=eve.year + 1)  # a run late in December takes next year's
        shift = Shift(
            employee_id=employee.id,
            team_id=employee.team_id,
            starts_at=eve,
            ends_at=eve + timedelta(hours=8),
            label="Christmas Eve",
        )
        db.session.add(shift)
        db.session.flush()
        shift_id = shift.id

    tab.login(requester)
    with tab.page.expect_navigation():
        tab.use(f'li.ticker[data-reward="{swap_reward}"] button')
    tab.choose("#shift", str(shift_id))
    tab.shot("choose-shift")
    tab.use(".redeem-form button[data-confirm]", "Space")
    tab.submit(".redeem-form button[data-confirm]")
    assert tab.page.url.endswith("/shifts")
    assert tab.say("On the board") in tab.text()
    tab.shot("on-the-board")

    tab.logout()
    tab.login(colleague)
    tab.nav("/swaps")
    item = ".swap-item"
    assert "Christmas Eve" in tab.text(item)
    tab.shot("swap-board")
    tab.use(f"{item} button[data-confirm]", "Space")
    tab.submit(f"{item} button[data-confirm]")
    assert tab.page.locator(".flash-success").count() == 1
    with site.app.app_context():
        assert db.session.get(Shift, shift_id).employee.username == colleague
    tab.shot("taken")


# -- a supervisor's outcome file, approved by HR -------------------------------------------


def outcomes_approved(site, tab, tmp_path):
    supervisor = site.person("sup.sanna", role="supervisor", language=tab.variant.language)
    hr = site.person("hr.helena", role="hr", team="Office", language=tab.variant.language)
    agent = site.person("agent.aino")
    data = outcome_file(("c1", agent, "nps", 10), ("c2", agent, "fcr", 1))
    path = tmp_path / "week-49.csv"
    path.write_bytes(data)

    tab.login(supervisor)
    tab.nav("/outcomes")
    with tab.page.expect_navigation():
        tab.use('main a[href="/outcomes/import"]')
    tab.page.set_input_files("input[type=file]", str(path))
    tab.shot("upload")
    tab.submit("main form button[type=submit]")
    tab.shot("preview")
    tab.submit('main form[action$="/apply"] button[type=submit]')
    assert balance(site, agent) == 0, "nothing is awarded before HR approves"
    tab.shot("submitted")

    tab.logout()
    tab.login(hr)
    with tab.page.expect_navigation():
        tab.use(".bell")
    with tab.page.expect_navigation():
        tab.use(".notifications a")
    tab.shot("waiting")
    tab.submit('main form[action$="/apply"] button[type=submit]')
    assert balance(site, agent) > 0
    tab.shot("approved")


# -- HR: the dashboard, and the payroll file with a block per employer ---------------------


def payroll_export(site, tab):
    hr = site.person("hr.helena", role="hr", team="Office", language=tab.variant.language)
    site.person("agent.pia", display_name="Pia Permanent")
    site.person("temp.tom", temp=True, agency="Staffpoint", display_name="Tom Temp")
    with site.app.app_context(), unit_of_work():
        cinema = catalogue.create_reward(
            None,
            name_en="Cinema tickets",
            name_fi="Elokuvaliput",
            category="experience",
            base_price=200,
            floor_price=100,
            ceiling_price=400,
            expected_per_30d=4,
            value_cents=2500,
        ).id
    for username in ("agent.pia", "temp.tom"):
        give_points(site.app, username, 1000)
        with site.app.app_context(), unit_of_work():
            made = redemptions.redeem(find_employee(username), cinema, 10_000)
            redemptions.fulfil(find_employee(hr), made.id)

    tab.login(hr)
    tab.nav("/insights")
    assert tab.page.locator("h1").count() == 1
    tab.shot("dashboard")
    tab.nav("/insights/payroll")
    with site.app.app_context():
        month = datetime.now(site_zone()).strftime("%Y-%m")
    tab.type_into("input[name=from]", month)
    tab.type_into("input[name=to]", month)
    tab.submit("form.filters button[type=submit]")
    tab.shot("payroll")
    with tab.page.expect_download() as download:
        tab.use("a[download]")
    saved = ARTIFACTS / "journeys" / f"payroll-{tab.variant.name}.csv"
    download.value.save_as(saved)
    text = saved.read_text(encoding="utf-8-sig")
    delimiter = ";" if tab.variant.language == "fi" else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    blocks, current = {}, None
    for row in rows:
        if len(row) == 1:  # a heading: the file's, then each employer's
            current = blocks.setdefault(row[0], [])
        elif current is not None and len(row) > 6 and row[0] == month:
            current.append(row[1])
    employers = [heading for heading, people in blocks.items() if people]
    assert len(employers) == 2, blocks
    assert ["agent.pia"] in blocks.values() and ["temp.tom"] in blocks.values()
    assert any("Staffpoint" in heading for heading in employers)


# -- a new person's first login: the tour, skipped half way --------------------------------


def first_login_tour(site, tab):
    newcomer = site.person("agent.nea", language=tab.variant.language, tour_seen=False)
    tab.login(newcomer)
    assert "/tour/1" in tab.page.url, "a new person's first login opens the tour"
    assert tab.say("How you earn pojot") in tab.text()
    tab.shot("tour-earn")
    with tab.page.expect_navigation():
        tab.use(".tour-nav a[rel=next]")
    assert tab.say("How prices move") in tab.text()
    tab.shot("tour-prices")
    with tab.page.expect_navigation():
        tab.use(".tour-nav .tour-skip")
    assert tab.page.url.endswith("/market"), "skipping goes on to the board"
    tab.shot("board-after-tour")
    tab.logout()
    tab.login(newcomer)
    assert tab.page.url.endswith("/market"), "the tour is shown once"


JOURNEYS = {
    "first-login-tour": first_login_tour,
    "agent-redeems": agent_redeems,
    "award-bell": award_reaches_the_bell,
    "christmas-swap": christmas_eve_swap,
    "outcomes-approval": outcomes_approved,
    "payroll": payroll_export,
}


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda variant: variant.name)
@pytest.mark.parametrize("journey", list(JOURNEYS))
def test_journey(site, open_tab, journey, variant, tmp_path):
    site.reset()
    tab = open_tab(variant, journey)
    run = JOURNEYS[journey]
    if journey == "outcomes-approval":
        run(site, tab, tmp_path)
    else:
        run(site, tab)
    assert tab.steps >= 2
    if variant.keyboard:
        assert tab.pointer_presses() == 0, "the keyboard run pressed with a pointer"
