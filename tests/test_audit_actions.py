"""Every HR and admin action writes one audit entry, with the state before and after.

`CASES` performs each action through its service, as its page does. The route check
below fails when an HR- or admin-only route that changes something is added without
saying which audit action it writes (or why it writes none).
"""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from pojo.api import tokens
from pojo.audit.diff import changes
from pojo.audit.models import AuditEntry
from pojo.awards import budgets
from pojo.awards.service import award, save_criterion
from pojo.extensions import db
from pojo.history import service as history
from pojo.history import users
from pojo.ledger.service import reverse_entry
from pojo.market import catalogue, redemptions
from pojo.outcomes import imports as outcome_imports
from pojo.outcomes.service import save_rule
from pojo.people import contracts
from pojo.people import service as people
from pojo.people.settings import set_setting
from pojo.policy import Capability
from pojo.shifts import imports as shift_imports
from pojo.unit_of_work import unit_of_work
from tests.market_helpers import MASSAGE, add_reward, give_points

Act = Callable[[object], object]  # act(hr): the action, as the HR person `hr`
CASES: dict[str, Callable] = {}


def case(action: str):
    def register(setup):
        CASES[action] = setup
        return setup

    return register


def _in_app(app, work):
    with app.app_context(), unit_of_work():
        return work()


def _team_id(app, name="Alpha") -> int:
    return _in_app(app, lambda: people.get_or_create_team(name).id)


@case("entry.reversed")
def _reversal(app, make_employee, hr_name) -> Act:
    agent = make_employee()
    entry_id = _in_app(
        app, lambda: award(people.get_employee(hr_name), agent, "fcr", "good").entry_id
    )
    return lambda hr: reverse_entry(entry_id, actor=hr, reason="wrong person")


@case("employee.created")
def _admit(app, make_employee, hr_name) -> Act:
    team_id = _team_id(app)
    return lambda hr: people.admit_employee(
        hr,
        "new.person",
        password="correct horse 1",
        team_id=team_id,
        role="agent",
        display_name="New Person",
        language="fi",
    )


def _edit(app, make_employee, inactive=False, **change) -> Act:
    agent = make_employee(display_name="Old Name", active=not inactive)
    team_id = _team_id(app)

    def act(hr):
        employee = people.get_employee(agent)
        fields = {
            "display_name": employee.display_name,
            "email": employee.email,
            "team_id": team_id,
            "employment_type": employee.employment_type,
            "agency_name": employee.agency_name,
            "contract_end": employee.contract_end,
            "language": employee.language,
        }
        return people.update_employee(hr, agent, **{**fields, **change})

    return act


CASES["employee.edited"] = lambda app, make_employee, hr: _edit(
    app, make_employee, display_name="New Name"
)
CASES["employee.role_changed"] = lambda app, make_employee, hr: _edit(
    app, make_employee, role="supervisor"
)
CASES["employee.deactivated"] = lambda app, make_employee, hr: _edit(
    app, make_employee, active=False
)
CASES["employee.reactivated"] = lambda app, make_employee, hr: _edit(
    app, make_employee, inactive=True, active=True
)


@case("team.created")
def _team(app, make_employee, hr_name) -> Act:
    return lambda hr: people.create_team(hr, "Night owls")


@case("team.swap_approval_set")
def _swap_approval(app, make_employee, hr_name) -> Act:
    from pojo.swaps.service import set_team_approval

    team_id = _team_id(app)
    needed = _in_app(app, lambda: db.session.get(people.Team, team_id).swap_needs_approval)
    return lambda hr: set_team_approval(hr, team_id, not needed)


@case("users.imported")
def _users(app, make_employee, hr_name) -> Act:
    text = (
        "username,name,email,role,team,employment_type,agency,contract_end\n"
        "aino.aalto,Aino Aalto,aino@example.com,agent,Alpha,permanent,,\n"
    )
    return lambda hr: users.apply_preview(hr, users.preview_text(hr, text))


@case("history.imported")
def _history(app, make_employee, hr_name) -> Act:
    agent = make_employee()
    when = (datetime.now(UTC) - timedelta(days=20)).replace(microsecond=0).isoformat()
    data = f"employee,at,kind,points,reward,note\n{agent},{when},award,50,,old system\n".encode()
    return lambda hr: history.import_file(hr, data, "history.csv")


@case("reward.created")
def _reward(app, make_employee, hr_name) -> Act:
    return lambda hr: catalogue.create_reward(hr, **MASSAGE)


@case("reward.edited")
def _reward_edit(app, make_employee, hr_name) -> Act:
    reward_id = add_reward(app)
    return lambda hr: catalogue.update_reward(hr, reward_id, base_price=320)


@case("reward.archived")
def _reward_archive(app, make_employee, hr_name) -> Act:
    reward_id = add_reward(app)
    return lambda hr: catalogue.update_reward(hr, reward_id, active=False)


CRITERION = {
    "code": "kind_words",
    "name_en": "Kind words",
    "name_fi": "Ystävällisyys",
    "tier": "good",
    "points": 5,
}


@case("criterion.created")
def _criterion(app, make_employee, hr_name) -> Act:
    return lambda hr: save_criterion(hr, None, **CRITERION)


@case("criterion.edited")
def _criterion_edit(app, make_employee, hr_name) -> Act:
    criterion_id = _in_app(
        app, lambda: save_criterion(people.get_employee(hr_name), None, **CRITERION).id
    )

    def act(hr):
        from pojo.awards.models import Criterion

        return save_criterion(
            hr, db.session.get(Criterion, criterion_id), **{**CRITERION, "points": 8}
        )

    return act


def _rule(hr, rule=None, max_score=6):
    return save_rule(
        hr, rule, kind="csat", min_score=5, max_score=max_score, criterion_code="fcr", active=True
    )


@case("rule.created")
def _rule_new(app, make_employee, hr_name) -> Act:
    return _rule


@case("rule.edited")
def _rule_edit(app, make_employee, hr_name) -> Act:
    rule_id = _in_app(app, lambda: _rule(people.get_employee(hr_name)).id)

    def act(hr):
        from pojo.outcomes.models import OutcomeRule

        return _rule(hr, db.session.get(OutcomeRule, rule_id), max_score=7)

    return act


@case("budget.set")
def _budget(app, make_employee, hr_name) -> Act:
    team_id = _team_id(app)
    return lambda hr: budgets.set_team_budget(hr, team_id, 1234)


def _submitted_upload(app, make_employee) -> int:
    boss = make_employee(role="supervisor", team="Alpha")
    agent = make_employee(team="Alpha")
    day = (datetime.now(UTC) - timedelta(days=3)).date().isoformat()
    data = f"external_id,employee,kind,score,occurred_at\nx-1,{agent},nps,10,{day}\n".encode()

    def submit():
        supervisor = people.get_employee(boss)
        made = outcome_imports.upload(supervisor, "outcomes.csv", data)
        outcome_imports.confirm_upload(supervisor, made.id, skip_invalid=False)
        return made.id

    return _in_app(app, submit)


@case("outcomes.applied")
def _outcomes_apply(app, make_employee, hr_name) -> Act:
    upload_id = _submitted_upload(app, make_employee)
    return lambda hr: outcome_imports.confirm_upload(hr, upload_id, skip_invalid=False)


@case("outcomes.rejected")
def _outcomes_reject(app, make_employee, hr_name) -> Act:
    upload_id = _submitted_upload(app, make_employee)
    return lambda hr: outcome_imports.reject_upload(hr, upload_id, "wrong month")


@case("contract.extended")
def _extend(app, make_employee, hr_name) -> Act:
    temp = make_employee(temp=True, contract_end=date.today() + timedelta(days=10))
    return lambda hr: contracts.extend_contract(hr, temp, date.today() + timedelta(days=40))


@case("contract.ended")
def _end(app, make_employee, hr_name) -> Act:
    make_employee(temp=True, contract_end=date.today() - timedelta(days=3))
    return lambda hr: contracts.end_contracts(datetime.now(UTC))


@case("setting.changed")
def _setting(app, make_employee, hr_name) -> Act:
    return lambda hr: set_setting(hr, "unspent_points", "expire")


@case("token.created")
def _new_token(app, make_employee, hr_name) -> Act:
    agent = make_employee()
    return lambda hr: tokens.create_token(agent, "integration")


@case("token.revoked")
def _token(app, make_employee, hr_name) -> Act:
    token_id = _in_app(app, lambda: tokens.create_token(hr_name, "payroll sync")[0].id)
    return lambda hr: tokens.revoke(tokens.get_token(token_id), hr)


@case("shifts.imported")
def _shifts(app, make_employee, hr_name) -> Act:
    agent = make_employee()
    start = (datetime.now(UTC) + timedelta(days=7)).replace(
        hour=8, minute=0, second=0, microsecond=0
    )
    end = start + timedelta(hours=8)
    data = f"employee,starts_at,ends_at,label\n{agent},{start.isoformat()},{end.isoformat()},\n"
    return lambda hr: shift_imports.apply(hr, data.encode())


def _pending_redemption(app, make_employee) -> int:
    agent = make_employee()
    reward_id = add_reward(app)
    give_points(app, agent, 1000)
    return _in_app(app, lambda: redemptions.redeem(people.get_employee(agent), reward_id, 1000).id)


@case("redemption.fulfilled")
def _fulfil(app, make_employee, hr_name) -> Act:
    redemption_id = _pending_redemption(app, make_employee)
    return lambda hr: redemptions.fulfil(hr, redemption_id)


@case("redemption.cancelled")
def _cancel(app, make_employee, hr_name) -> Act:
    redemption_id = _pending_redemption(app, make_employee)
    return lambda hr: redemptions.cancel(hr, redemption_id, "out of stock")


def _count(app, action: str | None = None) -> int:
    query = select(func.count()).select_from(AuditEntry)
    if action:
        query = query.where(AuditEntry.action == action)
    with app.app_context():
        return db.session.scalar(query)


@pytest.mark.parametrize("action", sorted(CASES))
def test_each_action_writes_one_entry_with_what_changed(app, make_employee, action):
    hr_name = make_employee(role="admin", team="Office")
    act = CASES[action](app, make_employee, hr_name)
    already = _count(app, action)
    _in_app(app, lambda: act(people.get_employee(hr_name)))
    assert _count(app, action) == already + 1
    with app.app_context():
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id.desc())
        ).first()
        # The nightly job's and the command line's, not a person's.
        system = action in ("contract.ended", "token.created")
        assert entry.actor_id == (None if system else people.get_employee(hr_name).id)
        assert entry.subject_label
        assert entry.after is not None
        assert changes(entry.before, entry.after), "an entry shows what changed"


def test_every_action_code_is_exercised():
    from pojo.audit.actions import ACTIONS

    assert set(CASES) == set(ACTIONS)


# Each HR- or admin-only route that changes something, and the actions it writes.
AUDITED = {
    "people.new_employee": {"employee.created"},
    "people.edit_employee": {
        "employee.edited",
        "employee.role_changed",
        "employee.deactivated",
        "employee.reactivated",
    },
    "people.new_team": {"team.created"},
    "people.extend_contract": {"contract.extended"},
    "people.contract_settings": {"setting.changed"},
    "ledger.reverse": {"entry.reversed"},
    "awards.edit_criterion": {"criterion.created", "criterion.edited"},
    "awards.set_budget": {"budget.set"},
    "outcomes.reject": {"outcomes.rejected"},
    "outcomes.edit_rule": {"rule.created", "rule.edited"},
    "api_tokens.revoke": {"token.revoked"},
    "market.edit_reward": {"reward.created", "reward.edited", "reward.archived"},
    "market.fulfil": {"redemption.fulfilled"},
    "market.cancel": {"redemption.cancelled"},
    "swaps.rules": {"setting.changed"},
    "insights.payroll_company": {"setting.changed"},
    "insights.save_thresholds": {"setting.changed"},
    "insights.rate": {"setting.changed"},
    "history.apply": {"users.imported", "history.imported"},
}
# HR- or admin-only routes that write no entry, and why.
UNAUDITED = {
    # Keeps a file for its preview; nothing in the data changes until it is applied.
    "history.upload": "staging",
    # An integration's feed, idempotent by external id; each outcome keeps its source.
    "outcomes_api.post_outcomes": "integration feed",
}
CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def test_every_hr_or_admin_only_route_that_changes_something_is_audited(app):
    found = set()
    for rule in app.url_map.iter_rules():
        access = getattr(app.view_functions[rule.endpoint], "access_rule", None)
        only_hr = isinstance(access, Capability) and set(access.roles) <= {"hr", "admin"}
        if only_hr and rule.methods & CHANGING:
            found.add(rule.endpoint)
    assert found == set(AUDITED) | set(UNAUDITED)
    assert set().union(*AUDITED.values()) <= set(CASES)
