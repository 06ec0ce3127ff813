"""The load-and-faults bench's data: a fresh PostgreSQL schema, the seed, and the checks after.

The seed goes through Pojo's own services (people, tokens, the catalogue, awards,
redemptions), so it is data the app could have made. The checks read the database
directly, with nothing of the app's but its table names.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

TEAMS = ("Alpha", "Beta")
AGENTS_PER_TEAM = 12
START_POINTS = 2000
SWAPS_PER_TEAM = 10
COFFEE = {"name_en": "Coffee", "name_fi": "Kahvi", "category": "item", "base_price": 60}
CONCERT = {  # the one-unit reward: a second sale would be an oversell
    "name_en": "Concert tickets",
    "name_fi": "Konserttiliput",
    "category": "experience",
    "base_price": 150,
    "stock": 1,
}
SWAP = {
    "name_en": "Swap away a shift",
    "name_fi": "Vaihda vuoro pois",
    "category": "time_off",
    "kind": "shift_swap",
    "base_price": 100,
}


def engine_for(url: str):
    return create_engine(url, poolclass=NullPool)


def reset_schema(url: str) -> None:
    """An empty public schema: the bench owns this database."""
    with engine_for(url).begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


@dataclass
class Seed:
    """Who the clients are and what they act on (usernames, tokens and row ids)."""

    hr: str = ""
    supervisors: list[str] = field(default_factory=list)
    agents: dict[str, list[str]] = field(default_factory=dict)  # team -> usernames
    tokens: dict[str, str] = field(default_factory=dict)  # username -> bearer token
    rewards: dict[str, int] = field(default_factory=dict)  # coffee, concert -> id
    concert_stock: int = 1
    swaps: list[int] = field(default_factory=list)
    before: dict[str, int] = field(default_factory=dict)  # table -> max id after seeding


def make_app(url: str):
    from pojo import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SCHEDULER_IN_PROCESS": False})


def upgrade(app) -> None:
    """`flask db upgrade`, in this process (one app start less)."""
    from flask_migrate import upgrade as db_upgrade

    with app.app_context():
        db_upgrade()


def ledger_verify(app) -> tuple[int, str]:
    """`flask ledger verify`'s exit code and output."""
    from pojo.extensions import db

    done = app.test_cli_runner().invoke(args=["ledger", "verify"])
    with app.app_context():
        db.engine.dispose()
    return done.exit_code, done.output


def seed(app) -> Seed:
    """Employees with tokens and points, a coffee, a one-unit concert and open swaps."""
    from pojo.api import tokens
    from pojo.awards.models import Criterion
    from pojo.awards.service import award
    from pojo.extensions import db
    from pojo.market import catalogue, redemptions
    from pojo.people.models import Employee, Team
    from pojo.people.service import create_employee
    from pojo.shifts.models import Shift
    from pojo.unit_of_work import unit_of_work

    made = Seed(hr="load.hr")
    start = (datetime.now(UTC) + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    with app.app_context():
        with unit_of_work():
            hr = create_employee(made.hr, role="hr", team_name="Office", password=None)
            db.session.add(
                Criterion(code="load_start", tier="good", points=START_POINTS,
                          name_en="Starting points", name_fi="Aloituspisteet")
            )  # fmt: skip
            for team in TEAMS:
                boss = create_employee(f"load.{team.lower()}.boss", role="supervisor",
                                       team_name=team, password=None)  # fmt: skip
                made.supervisors.append(boss.username)
                made.agents[team] = [
                    create_employee(f"load.{team.lower()}.{n:02d}", role="agent",
                                    team_name=team, password=None).username
                    for n in range(AGENTS_PER_TEAM)
                ]  # fmt: skip
            # A supervisor's awards stop at a budget: Beta's is small, so some are refused.
            db.session.query(Team).filter_by(name="Beta").one().monthly_award_budget = 400
            db.session.flush()
            for username in [made.hr, *made.supervisors, *sum(made.agents.values(), [])]:
                made.tokens[username] = tokens.create_token(username, "load")[1]
            for username in sum(made.agents.values(), []):
                award(hr, username, "load_start", "starting points")
            made.rewards["coffee"] = catalogue.create_reward(None, **COFFEE).id
            made.rewards["concert"] = catalogue.create_reward(None, **CONCERT).id
            swap_reward = catalogue.create_reward(None, **SWAP).id
        for team in TEAMS:
            for n, username in enumerate(made.agents[team][:SWAPS_PER_TEAM]):
                with unit_of_work():
                    owner = db.session.query(Employee).filter_by(username=username).one()
                    begins = start + timedelta(days=2 * n)
                    shift = Shift(employee_id=owner.id, team_id=owner.team_id, starts_at=begins,
                                  ends_at=begins + timedelta(hours=8), label="Evening")  # fmt: skip
                    db.session.add(shift)
                    db.session.flush()
                    redemptions.redeem(owner, swap_reward, 10**6, details={"shift": shift.id})
        with unit_of_work():
            swap_ids = db.session.execute(text("SELECT id FROM swaps ORDER BY id")).scalars()
            made.swaps = list(swap_ids)
        with unit_of_work():
            for table in ("ledger_entries", "redemptions", "awards", "outcomes"):
                made.before[table] = db.session.scalar(
                    text(f"SELECT coalesce(max(id), 0) FROM {table}")
                )
        db.engine.dispose()
    return made


@dataclass
class Call:
    """One client request, from its first attempt to its final answer."""

    kind: str  # award, outcome, redemption, take
    caller: str
    key: str
    body: dict
    path: str
    attempts: list[str] = field(default_factory=list)  # each attempt's status or error
    status: int | None = None  # the final answer's
    answer: dict | None = None
    seconds: float = 0.0


def check(url: str, made: Seed, calls: list[Call]) -> tuple[list[str], int]:
    """What went wrong (empty when nothing did) and how many ledger entries were checked."""
    problems: list[str] = []
    engine = engine_for(url)
    with engine.connect() as db:

        def rows(sql: str, **params):
            return db.execute(text(sql), params).all()

        ids = {row.username: row.id for row in rows("SELECT id, username FROM employees")}
        new_entries = rows(
            "SELECT id, employee_id, points, kind, reference FROM ledger_entries WHERE id > :b",
            b=made.before["ledger_entries"],
        )
        by_reference = Counter(entry.reference for entry in new_entries)
        entries = {entry.reference: entry for entry in new_entries}
        expected: set[str] = set()
        keys = {
            (row.employee_id, row.key)
            for row in rows("SELECT employee_id, key FROM idempotency_records")
        }

        def entry_is(reference: str, employee: str, points: int | None, call: Call) -> None:
            expected.add(reference)
            entry = entries.get(reference)
            if by_reference[reference] != 1:
                problems.append(
                    f"{call.kind} {call.key}: {by_reference[reference]} entries {reference}"
                )
            elif (
                entry.employee_id != ids[employee] or points is not None and entry.points != points
            ):
                problems.append(f"{call.kind} {call.key}: entry {reference} is {entry}")

        for call in calls:
            answered = call.status is not None and 200 <= call.status < 300
            if answered != ((ids[call.caller], call.key) in keys):
                problems.append(f"{call.kind} {call.key} ({call.status}): idempotency record wrong")
            if call.kind == "award":
                found = rows("SELECT id FROM awards WHERE note = :n", n=call.body["note"])
                if answered:
                    entry_is(
                        f"award:{call.answer['id']}",
                        call.body["employee"],
                        call.answer["points"],
                        call,
                    )
                if len(found) != (1 if answered else 0):
                    problems.append(f"award {call.key} ({call.status}): {len(found)} awards")
            elif call.kind == "outcome":
                external = call.body["outcomes"][0]["external_id"]
                found = rows("SELECT award_id FROM outcomes WHERE external_id = :e", e=external)
                if len(found) != (1 if answered else 0):
                    problems.append(f"outcome {call.key} ({call.status}): {len(found)} outcomes")
                elif answered and call.answer["awards"]:
                    points = call.answer["awards"][0]["points"]
                    entry_is(
                        f"award:{found[0].award_id}",
                        call.body["outcomes"][0]["employee"],
                        points,
                        call,
                    )
            elif call.kind == "redemption" and answered:
                entry_is(
                    f"redemption:{call.answer['id']}", call.caller, -call.answer["price_paid"], call
                )
            elif call.kind == "take" and answered and call.answer["status"] == "covered":
                entry_is(f"swap:{call.answer['id']}", call.caller, None, call)
        for reference in set(by_reference) - expected:
            problems.append(f"entry {reference} belongs to no 2xx answer")

        sold = {
            row.id
            for row in rows("SELECT id FROM redemptions WHERE id > :b AND reward_id <> ALL(:swap)",
                            b=made.before["redemptions"], swap=_swap_rewards(rows))
        }  # fmt: skip
        answered = {c.answer["id"] for c in calls if c.kind == "redemption" and _ok(c)}
        if sold != answered:
            problems.append(f"redemptions without a 2xx: {sorted(sold - answered)}; "
                            f"2xx without a redemption: {sorted(answered - sold)}")  # fmt: skip
        concerts = rows(
            "SELECT count(*) AS n FROM redemptions WHERE reward_id = :r AND status <> 'cancelled'",
            r=made.rewards["concert"],
        )[0].n
        stock = rows("SELECT stock FROM rewards WHERE id = :r", r=made.rewards["concert"])[0].stock
        if concerts > made.concert_stock or stock != made.concert_stock - concerts:
            problems.append(
                f"concert oversold: {concerts} sold of {made.concert_stock}, stock {stock}"
            )
        takes = {(c.answer["id"], ids[c.caller]) for c in calls if c.kind == "take" and _ok(c)}
        taken = set(rows("SELECT id, taken_by_id FROM swaps WHERE taken_by_id IS NOT NULL"))
        if {tuple(t) for t in taken} != takes:
            problems.append(f"swaps taken without a 2xx or 2xx without a take: {taken ^ takes}")
    engine.dispose()
    return problems, len(new_entries)


def _ok(call: Call) -> bool:
    return call.status is not None and 200 <= call.status < 300


def _swap_rewards(rows) -> list[int]:
    return [row.id for row in rows("SELECT id FROM rewards WHERE kind = 'shift_swap'")] or [0]
