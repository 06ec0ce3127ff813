"""The access policy's mechanism, and that nothing outside the policy modules bypasses it.

The capabilities made here are not registered (the registry is the application's own),
except in `test_a_capability_names_known_roles_and_one_module`, which restores it.
"""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from pojo import policy
from pojo.errors import Forbidden, NotFound
from pojo.market import policy as market_policy
from pojo.policy import ANY, EVERYONE, PUBLIC, Capability, can, capability, require

ROOT = Path(__file__).resolve().parent.parent.parent
# Role names compared with a literal: `role == "hr"`, `role in ("hr", "admin")`,
# `Employee.role.in_(("hr", ...))`, and tuples of role names written out.
ROLE_NAME = r"""["'](?:agent|supervisor|hr|admin)["']"""
ROLE_LITERAL = re.compile(
    rf"""\brole\s*(?:==|!=)\s*{ROLE_NAME}"""
    rf"""|{ROLE_NAME}\s*(?:==|!=)\s*\S*\brole\b"""
    rf"""|\brole\s+(?:not\s+)?in\s*[(\[{{]\s*{ROLE_NAME}"""
    rf"""|\brole\.in_\(\s*[(\[]\s*{ROLE_NAME}"""
    rf"""|[(\[]\s*{ROLE_NAME}\s*,\s*{ROLE_NAME}"""
)


def _actor(role, id=1, teams=()):
    return SimpleNamespace(
        role=role,
        id=id,
        is_authenticated=True,
        supervised_teams=list(teams),
        supervises=lambda employee: employee.team_id in teams,
    )


def _policy_modules() -> set[Path]:
    found = {ROOT / "pojo" / "policy.py", *(ROOT / "pojo").glob("*/policy.py")}
    assert len(found) > 5, "the feature policy modules are not where this test looks"
    return found


def test_no_role_is_compared_with_a_literal_outside_the_policy_modules():
    # The demo describes and builds its made-up staff by role; it decides no access.
    exempt = _policy_modules() | set((ROOT / "pojo" / "demo").glob("*.py"))
    sources = [
        *(p for p in (ROOT / "pojo").rglob("*.py") if p not in exempt),
        *(ROOT / "templates").rglob("*.html"),
    ]
    assert len(sources) > 100
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sources
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ROLE_LITERAL.search(line)
    ]
    assert found == []


def test_the_role_pattern_sees_the_ways_a_role_was_compared():
    for line in [
        'if actor.role not in ("hr", "admin"):',
        "{% if current_user.role in ('hr', 'admin') %}",
        'if actor.role == "supervisor":',
        '"admin" == actor.role',
        "Employee.role.in_(('hr', 'admin'))",
        'STAFF = ("supervisor", "hr", "admin")',
    ]:
        assert ROLE_LITERAL.search(line), line
    for line in ['"role": caller.role', "if role not in ROLES:", 'field="role"']:
        assert not ROLE_LITERAL.search(line), line


def test_only_policy_modules_ask_who_supervises_whom():
    sources = [p for p in (ROOT / "pojo").rglob("*.py") if p not in _policy_modules()]
    found = [
        str(path.relative_to(ROOT))
        for path in sources
        if ".supervises(" in path.read_text(encoding="utf-8")
    ]
    assert found == []


# The mechanism, on capabilities made for these tests only (not registered: the table
# above lists the application's own).
def _only_their_own(actor, thing):
    """their own"""
    return thing.owner_id == actor.id


MAKE_TEA = Capability("make_tea", ("supervisor", "hr"), "Make tea", refusal="No tea for you.")
READ_DIARY = Capability(
    "read_diary", ("agent",), "Read a diary", check=_only_their_own, refusal="No.", hides=True
)


@pytest.fixture
def registry():
    """The registry, restored after the test."""
    kept = dict(policy._REGISTRY)
    yield policy._REGISTRY
    policy._REGISTRY.clear()
    policy._REGISTRY.update(kept)


def test_a_role_holds_a_capability_or_not():
    assert can(_actor("supervisor"), MAKE_TEA)
    # Templates name capabilities; the name finds the one the market registered.
    assert policy.get("manage_catalogue") is market_policy.MANAGE_CATALOGUE
    assert can(_actor("hr"), "manage_catalogue")
    assert not can(_actor("supervisor"), "manage_catalogue")
    with pytest.raises(KeyError):
        can(_actor("hr"), "manage_catalog")
    assert not can(_actor("agent"), MAKE_TEA)
    assert not can(None, MAKE_TEA)
    assert not can(SimpleNamespace(is_authenticated=False), MAKE_TEA)


def test_the_object_rule_decides_for_the_object():
    diary = SimpleNamespace(owner_id=1)
    assert can(_actor("agent", id=1), READ_DIARY, diary)
    assert not can(_actor("agent", id=2), READ_DIARY, diary)
    assert can(_actor("agent", id=2), READ_DIARY, ANY)  # the role holds it
    assert not can(_actor("hr", id=1), READ_DIARY, diary)  # the role comes first
    assert READ_DIARY.object_rule == "their own"


def test_require_refuses_as_forbidden_or_as_not_found():
    with pytest.raises(Forbidden, match="No tea for you.") as refused:
        require(_actor("agent"), MAKE_TEA, field="tea")
    assert refused.value.details == {"field": "tea"}
    with pytest.raises(Forbidden, match="Not now."):
        require(_actor("agent"), MAKE_TEA, message="Not now.")
    with pytest.raises(NotFound):
        require(_actor("agent", id=2), READ_DIARY, SimpleNamespace(owner_id=1))
    require(_actor("hr"), MAKE_TEA)


def test_a_route_rule_is_public_everyone_or_a_capability():
    for rule in (PUBLIC, EVERYONE, MAKE_TEA):
        policy.check_rule(rule)
    for rule in ("hr", ("hr", "admin"), None):
        with pytest.raises(TypeError):
            policy.check_rule(rule)
    assert policy.permits(None, PUBLIC)
    assert not policy.permits(None, EVERYONE)
    assert policy.permits(_actor("agent"), EVERYONE)
    assert not policy.permits(_actor("agent"), MAKE_TEA)


def test_a_capability_names_known_roles_and_one_module(registry):
    with pytest.raises(ValueError):
        capability("make_tea", ("hr", "boss"), "Nothing")
    with pytest.raises(ValueError):
        capability("make_tea", (), "Nothing")
    with pytest.raises(ValueError):
        capability("manage_catalogue", ("hr",), "Taken by the market")
    made = capability("make_tea", ("hr", "agent"), "Make tea")
    assert policy.get("make_tea") is made and made.roles == ("agent", "hr")
    assert made.module == __name__
