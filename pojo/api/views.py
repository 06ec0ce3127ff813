"""The API's own endpoints: the caller (GET /me, which features extend) and the document."""

from flask import current_app, jsonify

from pojo import bounds
from pojo.api.blueprint import api_blueprint
from pojo.api.fields import Schema, Text, Whole
from pojo.api.openapi import document
from pojo.features import installed
from pojo.ledger.service import balance_of
from pojo.people.models import Employee
from pojo.policy import EVERYONE, PUBLIC
from pojo.web import allow

bp = api_blueprint("api", __name__)


class Me(Schema):
    username = Text(64)
    name = Text(120)
    role = Text(16)
    employment_type = Text(16)
    team = Text(80, allow_none=True)
    balance = Whole(bounds.BALANCE)


def me_schema() -> type[Schema]:
    """The caller's own fields and those the installed features add (`Feature.me_fields`)."""
    return Me.from_dict({name: field.schema for name, field in installed().me_fields.items()})


@bp.route("/openapi.json")
@allow(PUBLIC)
def openapi():
    return jsonify(document(current_app))


@bp.route("/me")
@bp.api_view(EVERYONE, response=me_schema)
def me(caller: Employee):
    """The caller: who they are, their balance and their savings goal."""
    found = {
        "username": caller.username,
        "name": caller.display_name,
        "role": caller.role,
        "employment_type": caller.employment_type,
        "team": caller.team.name if caller.team else None,
        "balance": balance_of(caller.id),
    }
    found.update({name: field.provider(caller) for name, field in installed().me_fields.items()})
    return jsonify(found)
