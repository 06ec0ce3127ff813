"""No integer anyone sends is larger than its column: every entry point bounds it, none 500s.

The integer parameters are found from the app itself: <int:...> URL parts in
the URL map, every page's query-string integers (pojo.bounds.QUERY_INTEGERS),
every integer field of every form, and every integer in the OpenAPI document.
A new one is covered without touching this file.
"""

import json
import re

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import DecimalField, FloatField, IntegerField, SelectField
from wtforms.fields.core import UnboundField

from pojo.api.openapi import document
from pojo.bounds import INT32, QUERY_INTEGERS
from tests.market_helpers import add_reward, give_points
from tests.test_api import token_for

BAD = ["2147483648", str(2**63), str(10**20), "-1", "1e3"]
URL_ARGUMENT = re.compile(r"<(?:(\w+):)?(\w+)>")


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _form_fields(kinds=(IntegerField, DecimalField, FloatField)):
    """(form class, field name, unbound field) of every numeric field of every form in the app."""
    for form in _subclasses(FlaskForm):
        if not form.__module__.startswith("pojo."):
            continue
        for name in dir(form):
            unbound = getattr(form, name, None)
            if isinstance(unbound, UnboundField) and issubclass(unbound.field_class, kinds):
                yield form, name, unbound


def _form_field_names(app) -> tuple[set[str], set[str]]:
    """Names of integer form fields, and of the other (text) fields, across the app."""
    integers = {name for _form, name, _unbound in _form_fields()}
    texts = set()
    for form in _subclasses(FlaskForm):
        for name in dir(form):
            unbound = getattr(form, name, None)
            if isinstance(unbound, UnboundField) and not issubclass(
                unbound.field_class, (IntegerField, SelectField)
            ):
                texts.add(name)
    return integers, texts - integers - {"csrf_token", "next"}


def test_the_app_has_integer_fields_to_check(app):
    names = {name for _form, name, _unbound in _form_fields()}
    assert {"reward", "max_price", "budget", "points", "base_price", "min_score"} <= names


def test_every_numeric_form_field_is_a_bounded_whole_number(app):
    from pojo.bounds import WholeNumberField

    loose = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form, name, unbound in _form_fields()
        if unbound.field_class is not WholeNumberField
    ]
    assert loose == []


def _validated(form_class, name, unbound, value):
    single = type("Single", (FlaskForm,), {name: unbound})
    form = single(formdata=MultiDict({name: value}), meta={"csrf": False})
    form.validate()
    return form[name]


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", "A whole number from 1 to 1,000,000."),
        ("fi", "Kokonaisluku väliltä 1–1\xa0000\xa0000."),
    ],
)
@pytest.mark.parametrize("value", ["0", "3.5", "1e3", "", "-1", str(10**20)])
def test_a_bad_number_is_told_what_is_accepted_in_the_users_language(
    app, language, expected, value
):
    from pojo.market.forms import RewardForm

    with app.test_request_context(headers={"Cookie": f"lang={language}"}):
        field = _validated(RewardForm, "base_price", RewardForm.base_price, value)
        assert field.errors == [expected]


@pytest.mark.parametrize("value", ["0", "3.5", "1e3", "", "-1", *BAD])
def test_every_integer_form_field_refuses_what_its_column_cannot_hold(app, value):
    with app.test_request_context():
        for form, name, unbound in _form_fields():
            field = _validated(form, name, unbound, value)
            bound = getattr(field, "bound", None)
            accepted = (
                bound is not None
                and re.fullmatch(r"-?[0-9]+", value)
                and bound.minimum <= int(value) <= bound.maximum
            ) or (value == "" and not getattr(field, "required", True))
            if accepted:
                assert field.errors == [], (form.__name__, name, value)
                continue
            assert field.data is None or not INT32.minimum <= field.data <= INT32.maximum
            assert len(field.errors) == 1, (form.__name__, name, value, field.errors)
            assert field.errors[0].startswith("A whole number from "), (form.__name__, name)


@pytest.fixture
def populated(app, make_employee):
    agent = make_employee("aino", team="Alpha")
    admin = make_employee("ada", role="admin", team="Office")
    give_points(app, agent, 500)
    add_reward(app)
    return agent, admin


# A crawl of every route and field: left out of the fast tier (pytest -m "not slow").
@pytest.mark.slow
@pytest.mark.parametrize("role", ["agent", "hr"])
def test_no_integer_in_a_url_query_or_form_answers_5xx(app, populated, client_as, role):
    client = client_as(role, team="Alpha")
    integers, texts = _form_field_names(app)
    failures = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.rule.startswith("/api/"):
            continue
        for value in BAD:
            path = URL_ARGUMENT.sub(
                lambda m, v=value: v if m.group(1) == "int" else "aino", rule.rule
            )
            if "GET" in rule.methods:
                for name in QUERY_INTEGERS:
                    url = f"{path}?{name}={value}"
                    if (status := client.get(url).status_code) >= 500:
                        failures.append((url, status))
            if "POST" in rule.methods and rule.endpoint != "auth.logout":
                form = {name: value for name in integers} | {name: "x" for name in texts}
                if (status := client.post(path, data=form).status_code) >= 500:
                    failures.append(("POST", path, value, status))
    assert failures == []


@pytest.mark.parametrize(
    "url",
    [
        "/wallet?before=2147483648",
        "/wallet?before=100000000000000000000",
        "/people/aino/ledger?before=2147483648",
        "/people/aino/ledger?before=9223372036854775808",
    ],
)
def test_a_ledger_page_past_every_id_is_the_first_page(populated, client_as, url):
    client = client_as("hr", team="Office")
    if url.startswith("/wallet"):
        client = client_as("agent", team="Alpha")
    response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "field, value",
    [("max_price", 2**31), ("max_price", 10**20), ("reward", 2**31), ("reward", 10**20)],
)
def test_redeeming_with_a_huge_number_is_refused_not_crashed(
    app, populated, client_as, login, field, value
):
    client = app.test_client()
    login(client, "aino")
    form = {"reward": 1, "max_price": 500, "request_id": "r-huge"} | {field: str(value)}
    response = client.post("/market/redeem", data=form)
    assert response.status_code == 400
    assert "Nothing was charged" in response.get_data(as_text=True)


def _integer_schemas(node, where="$"):
    """Every integer schema in a part of the OpenAPI document, with where it is."""
    if isinstance(node, dict):
        if node.get("type") == "integer":
            yield where, node
        for key, child in node.items():
            yield from _integer_schemas(child, f"{where}.{key}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _integer_schemas(child, f"{where}[{index}]")


def test_every_integer_in_the_openapi_document_states_its_bounds(app):
    with app.app_context():
        found = list(_integer_schemas(document(app)))
    assert found
    unbounded = [
        where
        for where, schema in found
        if not INT32.minimum <= schema.get("minimum", -(2**63)) <= schema.get("maximum", 2**63)
        or schema.get("maximum", 2**63) > INT32.maximum
    ]
    assert unbounded == []


def _example(schema):
    """A small valid value of a request schema (enough to reach the field being probed)."""
    kind = schema.get("type")
    if kind == "object":
        return {name: _example(sub) for name, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [_example(schema["items"])]
    if kind == "integer":
        return schema["minimum"]
    if schema.get("format") == "date-time":
        return "2026-11-30T10:00:00Z"
    return "aino"


def _integer_paths(schema, path=()):
    """Paths (keys and list indexes) to every integer inside an example of `schema`."""
    kind = schema.get("type")
    if kind == "integer":
        yield path
    elif kind == "object":
        for name, sub in schema.get("properties", {}).items():
            yield from _integer_paths(sub, (*path, name))
    elif kind == "array":
        yield from _integer_paths(schema["items"], (*path, 0))


def _set(body, path, value):
    for step in path[:-1]:
        body = body[step]
    body[path[-1]] = value


def test_no_integer_sent_to_the_api_answers_5xx(app, populated):
    token = token_for(app, "ada")
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    with app.app_context():
        paths = document(app)["paths"]
    failures = []
    for path, item in paths.items():
        for method, operation in item.items():
            parameters = operation.get("parameters", [])
            for value in BAD:
                url = path
                for parameter in parameters:
                    if parameter["in"] == "path":
                        is_int = parameter["schema"]["type"] == "integer"
                        url = url.replace(
                            "{" + parameter["name"] + "}", value if is_int else "aino"
                        )
                queries = [
                    p["name"]
                    for p in parameters
                    if p["in"] == "query" and p["schema"]["type"] == "integer"
                ]
                for name in queries:
                    response = client.open(f"{url}?{name}={value}", method=method)
                    if response.status_code != 400:
                        failures.append((method, url, name, value, response.status_code))
                body_schema = (
                    operation.get("requestBody", {})
                    .get("content", {})
                    .get("application/json", {})
                    .get("schema")
                )
                if body_schema is None:
                    if client.open(url, method=method).status_code >= 500:
                        failures.append((method, url, value))
                    continue
                for where in _integer_paths(body_schema):
                    body = _example(body_schema)
                    _set(body, where, "__VALUE__")
                    raw = json.dumps(body).replace('"__VALUE__"', value)
                    response = client.open(
                        url, method=method, data=raw, content_type="application/json"
                    )
                    if response.status_code != 400:
                        failures.append((method, url, where, value, response.status_code))
    assert failures == []
