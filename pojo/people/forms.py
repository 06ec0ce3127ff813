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

from pojo import bounds
from pojo.bounds import WholeNumberField

ROLE_CHOICES = [
    ("agent", _l("Agent")),
    ("supervisor", _l("Supervisor")),
    ("hr", _l("HR")),
    ("admin", _l("Admin")),
]


class EmployeeForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(),
            Length(max=64),
            Regexp(
                r"^[A-Za-z0-9._\-]+$", message=_l("Letters, digits, dots, dashes and underscores.")
            ),
        ],
    )
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("Email"), validators=[Optional(), Length(max=254)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    team = StringField(
        _l("Team"),
        validators=[DataRequired(), Length(max=80)],
        description=_l("A new name creates the team."),
    )
    employment_type = SelectField(
        _l("Employment"),
        choices=[("permanent", _l("Permanent")), ("temp", _l("Temp from an agency"))],
    )
    agency_name = StringField(_l("Agency"), validators=[Optional(), Length(max=120)])
    contract_end = DateField(_l("Contract ends"), validators=[Optional()])
    language = SelectField(_l("Language"), choices=[("fi", "Suomi"), ("en", "English")])
    active = BooleanField(_l("Active"), default=True)
    password = PasswordField(
        _l("Password"),
        validators=[Optional(), Length(min=8, max=200)],
        description=_l("Leave empty to keep the current password."),
    )


class TeamBudgetForm(FlaskForm):
    budget = WholeNumberField(
        _l("Monthly award budget"),
        bounds.BUDGET,
        required=False,
        description=_l("Empty: the site default."),
    )
