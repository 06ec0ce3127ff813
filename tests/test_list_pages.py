"""Every list that grows is paged, and every main page runs as many queries for 3N rows as for N.

Each row a grower adds brings its own related rows (a new employee, team, reward, criterion,
giver), so a page that loads them one by one runs more statements the more rows there are.
"""

import itertools
import re

import pytest

from pojo.awards.models import Criterion
from pojo.awards.service import award
from pojo.database import utcnow
from pojo.extensions import db
from pojo.market import redemptions
from pojo.notifications.service import link_to, notify
from pojo.outcomes.recording import record_outcomes
from pojo.outcomes.service import OutcomeInput, save_rule
from pojo.pagination import PER_PAGE
from pojo.people.service import create_employee, create_team, get_employee
from pojo.unit_of_work import unit_of_work
from tests.market_helpers import add_reward, give_points
from tests.query_count import statements_for

_numbers = itertools.count()


def row_name(prefix: str = "Row") -> str:
    """A name no other row has; the page tests count those of rows: "Row 00017"."""
    return f"{prefix} {next(_numbers):05d}"


def new_person(role: str = "agent", display_name: str | None = None):
    """A new employee in a team of their own (inside a unit of work)."""
    name = display_name or row_name()
    username = f"{role}-{next(_numbers)}"
    return create_employee(
        username,
        role=role,
        team_name=f"Team {next(_numbers)}",
        password=None,
        display_name=name,
        language="en",
    )


def new_criterion(points: int = 10) -> Criterion:
    name = row_name("Criterion")
    criterion = Criterion(
        code=name.lower().replace(" ", "_"), tier="good", points=points, name_en=name, name_fi=name
    )
    db.session.add(criterion)
    db.session.flush()
    return criterion


def award_from_a_new_giver(username: str, note: str = "Well done") -> None:
    """An award to `username` by a new HR person, for a new criterion."""
    award(new_person("hr", row_name("Giver")), username, new_criterion().code, note)


def redeem_new_reward(app, username: str) -> None:
    reward_id = add_reward(app, name_en=row_name(), base_price=20, floor_price=13, ceiling_price=40)
    with app.app_context(), unit_of_work():
        redemptions.redeem(get_employee(username), reward_id, 20)


class Lists:
    """What each main page lists, and how to add rows to it."""

    def __init__(self, app, client_as):
        self.app = app
        self.client_as = client_as

    def board(self):
        return self.client_as("agent"), "/market", self._rewards

    def _rewards(self, count):
        for _ in range(count):
            add_reward(self.app, name_en=row_name())

    def wallet(self):
        agent = self.client_as("agent")
        give_points(self.app, agent.username, 10_000)

        def grow(count):
            for _ in range(count):
                with self.app.app_context(), unit_of_work():
                    award_from_a_new_giver(agent.username)
                redeem_new_reward(self.app, agent.username)

        return agent, "/wallet", grow

    def reward(self):
        reward_id = add_reward(self.app)

        def grow(count):
            for _ in range(count):
                with self.app.app_context(), unit_of_work():
                    buyer = new_person().username
                give_points(self.app, buyer, 1_000)
                with self.app.app_context(), unit_of_work():
                    redemptions.redeem(get_employee(buyer), reward_id, 1_000)

        return self.client_as("agent"), f"/market/rewards/{reward_id}", grow

    def my_redemptions(self):
        agent = self.client_as("agent")
        give_points(self.app, agent.username, 10_000)

        def grow(count):
            for _ in range(count):
                redeem_new_reward(self.app, agent.username)

        return agent, "/market/redemptions", grow

    def queue(self):
        def grow(count):
            for _ in range(count):
                with self.app.app_context(), unit_of_work():
                    buyer = new_person(display_name=row_name("Buyer")).username
                give_points(self.app, buyer, 100)
                redeem_new_reward(self.app, buyer)

        return self.client_as("hr", team="Office"), "/market/admin/redemptions", grow

    def awards(self):
        def grow(count):
            for _ in range(count):
                with self.app.app_context(), unit_of_work():
                    award_from_a_new_giver(new_person(display_name="Awarded").username, row_name())

        return self.client_as("hr", team="Office"), "/awards", grow

    def outcomes(self):
        recorder = self.client_as("hr", team="Office")

        def grow(count):
            with self.app.app_context(), unit_of_work():
                people = [new_person() for _ in range(count)]
                batch = [
                    OutcomeInput(n, f"x-{person.username}", person.username, "nps", 10, utcnow())
                    for n, person in enumerate(people)
                ]
                record_outcomes(get_employee(recorder.username), batch, "api")

        return recorder, "/outcomes", grow

    def people(self):
        def grow(count):
            with self.app.app_context(), unit_of_work():
                for _ in range(count):
                    new_person()

        # Named to sort after the rows: the page test counts 25 of them on page 1.
        return self.client_as("hr", team="Office", display_name="Zoe HR"), "/people", grow

    def teams(self):
        return self.client_as("hr", team="Office"), "/teams", self.people()[2]

    def notifications(self):
        agent = self.client_as("agent")

        def grow(count):
            with self.app.app_context(), unit_of_work():
                employee_id = get_employee(agent.username).id
                for _ in range(count):
                    name = row_name()
                    link = link_to("ledger.wallet")
                    notify(
                        employee_id, "redemption_fulfilled", link, reward_en=name, reward_fi=name
                    )

        return agent, "/notifications", grow

    def criteria(self):
        hr = self.client_as("hr", team="Office")

        def grow(count):
            with self.app.app_context(), unit_of_work():
                actor = get_employee(hr.username)
                for _ in range(count):
                    code = new_criterion().code
                    save_rule(
                        actor,
                        None,
                        kind="fcr",
                        min_score=None,
                        max_score=None,
                        criterion_code=code,
                        active=True,
                    )

        return hr, "/criteria", grow

    def audit(self):
        def grow(count):
            with self.app.app_context(), unit_of_work():
                for _ in range(count):
                    create_team(new_person("hr", "Auditor"), row_name())

        return self.client_as("hr", team="Office"), "/audit", grow


MAIN_PAGES = [
    "board",
    "wallet",
    "reward",
    "my_redemptions",
    "queue",
    "awards",
    "outcomes",
    "people",
    "teams",
    "notifications",
    "criteria",
    "audit",
]


@pytest.mark.parametrize("page", MAIN_PAGES)
def test_main_page_runs_as_many_queries_for_3n_rows_as_for_n(app, client_as, page):
    client, path, grow = getattr(Lists(app, client_as), page)()
    grow(3)
    few = statements_for(app, client, path)
    grow(6)
    assert statements_for(app, client, path) == few


PAGED_LISTS = [
    "my_redemptions",
    "queue",
    "awards",
    "outcomes",
    "people",
    "notifications",
    "audit",
]


def rows_on(client, path: str) -> int:
    response = client.get(path)
    assert response.status_code == 200
    # A filter's choices (a reward, a team) are no rows of the list.
    listed = re.sub(r"<select.*?</select>", "", response.get_data(as_text=True), flags=re.S)
    return len(set(re.findall(r"Row \d{5}", listed)))


@pytest.mark.parametrize("page", PAGED_LISTS)
def test_long_list_is_paged_with_links_and_any_page_number_is_safe(app, client_as, page):
    client, path, grow = getattr(Lists(app, client_as), page)()
    grow(PER_PAGE + 2)
    first = client.get(path).get_data(as_text=True)
    assert rows_on(client, path) == PER_PAGE
    second = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert rows_on(client, second) == 2
    assert rows_on(client, f"{path}?page=1") == PER_PAGE
    for past_the_end in ("3", "2147483647", "2147483648", str(2**63), str(10**20)):
        assert rows_on(client, f"{path}?page={past_the_end}") == 2
    for garbage in ("", "0", "-1", "abc", "1e3", "x" * 10_000):
        assert rows_on(client, f"{path}?page={garbage}") == PER_PAGE
    assert client.get(f"{path}?page=%00").status_code == 400  # NUL is refused everywhere
