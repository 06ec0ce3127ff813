from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp

from pojo.forms import Present
from pojo.search import FilterDateField, ListFilterForm

ROLE_CHOICES = [
    ("agent", _l("Agent")),
    ("supervisor", _l("Supervisor")),
    ("hr", _l("HR")),
    ("admin", _l("Admin")),
]


def role_name(role: str) -> str:
    """A role in the user's language (templates: people/_role.html)."""
    return str(dict(ROLE_CHOICES)[role])


def _team_id(value) -> int | None:
    """A team select's value: a team id, or None for the empty choice."""
    if value in (None, ""):
        return None
    return int(value)


class EmployeeForm(FlaskForm):
    """One employee's details. The view sets the team and role choices, and
    leaves out the fields the actor may not change (username when editing;
    password, role and active on accounts only an admin manages)."""

    username = StringField(
        _l("Username"),
        validators=[
            Present(),
            DataRequired(),
            Length(max=64),
            Regexp(
                r"^[A-Za-z0-9._\-]+$", message=_l("Letters, digits, dots, dashes and underscores.")
            ),
        ],
    )
    display_name = StringField(_l("Name"), validators=[Present(), DataRequired(), Length(max=120)])
    email = EmailField(_l("Email"), validators=[Present(), Optional(), Length(max=254)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, validators=[Present()])
    team = SelectField(
        _l("Team"),
        coerce=_team_id,
        validators=[Present(), DataRequired(message=_l("Choose a team."))],
        description=_l("A new team is added on the Teams and budgets page."),
    )
    employment_type = SelectField(
        _l("Employment"),
        choices=[("permanent", _l("Permanent")), ("temp", _l("Temp from an agency"))],
        validators=[Present()],
    )
    agency_name = StringField(_l("Agency"), validators=[Present(), Optional(), Length(max=120)])
    contract_end = DateField(_l("Contract ends"), validators=[Present(), Optional()])
    language = SelectField(
        _l("Language"), choices=[("fi", "Suomi"), ("en", "English")], validators=[Present()]
    )
    active = BooleanField(_l("Active"), default=True)
    password = PasswordField(
        _l("Password"),
        validators=[Optional(), Length(min=8, max=200)],
        description=_l("Leave empty to keep the current password."),
    )


class TeamForm(FlaskForm):
    name = StringField(
        _l("New team"),
        validators=[Present(), DataRequired(message=_l("Give the team a name.")), Length(max=80)],
    )


class ExtendContractForm(FlaskForm):
    """A temp's new contract end (the contracts page, one form per temp)."""

    contract_end = DateField(
        _l("New end date"), validators=[Present(), DataRequired(message=_l("Give a date."))]
    )


class UnspentPointsForm(FlaskForm):
    """HR's choice of what a temp's unspent points do when the contract ends."""

    unspent_points = SelectField(
        _l("Unspent points at the end of a contract"),
        choices=[
            ("keep", _l("Keep them frozen for a re-hire")),
            ("expire", _l("Expire them with a ledger entry")),
        ],
        validators=[Present()],
    )


class PeopleFilterForm(ListFilterForm):
    """The people list's search and filters, from the query string (a GET form: no CSRF token)."""

    team = SelectField(_l("Team"), validators=[Optional()])
    role = SelectField(
        _l("Role"), choices=[("", _l("Any role")), *ROLE_CHOICES], validators=[Optional()]
    )
    active = SelectField(
        _l("Status"),
        choices=[("", _l("Active and inactive")), ("yes", _l("Active")), ("no", _l("Inactive"))],
        validators=[Optional()],
    )
    employment = SelectField(
        _l("Employment"),
        choices=[("", _l("Everyone")), ("temp", _l("Temps")), ("permanent", _l("Permanent"))],
        validators=[Optional()],
    )
    agency = SelectField(_l("Agency"), validators=[Optional()])
    ends_by = FilterDateField(_l("Contract ends by"), validators=[Optional()])
