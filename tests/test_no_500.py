"""No page answers 500: every GET route, for every role, with ordinary and odd arguments."""

import re

import pytest

# A crawl of every route for every role: left out of the fast tier (pytest -m "not slow").
pytestmark = pytest.mark.slow

VALUES = {
    "int": ["1", "999999999999999999999", "0"],
    "text": ["x", "%00", "a" * 300, "';--", "%ff%fe"],
}
QUERIES = ["", "?page=-1&before=abc&limit=1e9&category=%ff&next=//evil.example"]
ARGUMENT = re.compile(r"<(?:(\w+):)?(\w+)>")


def _urls(app):
    """Each GET page with every argument filled with each value of its kind."""
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.rule.startswith("/api/"):
            continue
        kinds = {"int" if conv == "int" else "text" for conv, _name in ARGUMENT.findall(rule.rule)}
        if not kinds:
            yield rule.rule
        for kind in kinds:
            for value in VALUES[kind]:
                yield ARGUMENT.sub(
                    lambda m, v=value, k=kind: (
                        v if ("int" if m.group(1) == "int" else "text") == k else "1"
                    ),
                    rule.rule,
                )


@pytest.mark.parametrize("role", ["anonymous", "agent", "supervisor", "hr", "admin"])
def test_no_get_route_answers_500(app, client_as, role):
    client = app.test_client() if role == "anonymous" else client_as(role, team="Alpha")
    failures = []
    for url in sorted(set(_urls(app))):
        for query in QUERIES:
            status = client.get(url + query).status_code
            if status >= 500:
                failures.append((url + query, status))
    assert failures == []


JUNK_FORMS = [
    {},
    {
        "reward": "999999999999999999999",
        "max_price": "-1",
        "request_id": "x" * 500,
        "employee": "%00",
        "criterion": "",
        "note": "n" * 10_000,
        "reason": "",
        "budget": "1e99",
        "page": "x",
        "confirm": "y",
        "language": "xx",
        "next": "//evil.example",
    },
]


@pytest.mark.parametrize("role", ["anonymous", "agent", "supervisor", "hr", "admin"])
def test_no_post_route_answers_500_to_junk(app, client_as, role):
    client = app.test_client() if role == "anonymous" else client_as(role, team="Alpha")
    failures = []
    for url in sorted(set(_post_urls(app))):
        for form in JUNK_FORMS:
            status = client.post(url, data=form).status_code
            if status >= 500:
                failures.append((url, status))
    assert failures == []


def _post_urls(app):
    for rule in app.url_map.iter_rules():
        if (
            "POST" in rule.methods
            and not rule.rule.startswith("/api/")
            and rule.endpoint != "auth.logout"
        ):
            yield ARGUMENT.sub(lambda m: "1" if m.group(1) == "int" else "x", rule.rule)
