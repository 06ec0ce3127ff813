"""The audit log's diff: what an entry shows as changed, without an app or a database."""

from pojo.audit.diff import Change, changes, shown


def test_only_the_fields_that_differ_are_shown_in_the_order_given():
    before = {"name": "Alpha", "budget": 100, "active": True}
    after = {"name": "Alpha", "budget": 250, "active": False}
    assert changes(before, after) == [Change("budget", 100, 250), Change("active", True, False)]


def test_a_thing_created_shows_every_field_it_was_made_with():
    assert changes(None, {"name": "Night owls", "note": None}) == [
        Change("name", None, "Night owls")
    ]


def test_a_field_that_appears_or_goes_is_a_change():
    assert changes({"a": 1}, {"b": 2}) == [Change("a", 1, None), Change("b", None, 2)]


def test_values_read_as_words():
    assert shown(None) == "–" and shown("") == "–"
    assert shown(True) == "✓" and shown(False) == "✗"
    assert shown(["Alpha", "Beta"]) == "Alpha, Beta" and shown([]) == "–"
    assert shown(0) == "0"
