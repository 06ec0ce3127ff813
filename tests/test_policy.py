"""The one access policy as the app registers it: its table in the docs, every route's rule."""

from pathlib import Path

from pojo import policy
from pojo.policy import EVERYONE, PUBLIC

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- policy table: begin -->", "<!-- policy table: end -->"


def test_the_table_in_the_docs_is_the_registry(app):
    docs = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    shown = docs.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    expected = policy.markdown_table()
    assert shown == expected, (
        "docs/architecture.md's policy table differs from pojo.policy; paste this between "
        f"the markers:\n{expected}"
    )


def test_every_capability_is_defined_in_a_policy_module_and_described(app):
    rows = policy.table()
    assert rows, "no capability registered"
    names = [row.name for row in rows]
    assert len(names) == len(set(names))
    for row in rows:
        assert row.module == "pojo.policy" or row.module.endswith(".policy"), row
        assert row.roles and set(row.roles) <= set(policy.ROLES), row
        assert row.description and "\n" not in row.description, row


def test_every_route_declares_public_everyone_or_a_registered_capability(app):
    registered = {id(found) for found in map(policy.get, (row.name for row in policy.table()))}
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        declared = app.view_functions[rule.endpoint].access_rule
        assert declared in (PUBLIC, EVERYONE) or id(declared) in registered, rule.rule
