from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from pojo import bounds
from pojo.bounds import WholeNumberField
from pojo.search import DateRangeMixin, ListFilterForm


class AwardForm(FlaskForm):
    """Whom, for what, and why. Whether the actor may award that person is the
    service's rule, so its refusal (not in your team, yourself, inactive) is
    shown at the field rather than a bare "not a valid choice"."""

    employee = SelectField(
        _l("Employee"),
        validators=[DataRequired(message=_l("Choose whom to award.")), Length(max=64)],
        validate_choice=False,
    )
    criterion = SelectField(
        _l("Criterion"),
        validators=[DataRequired(message=_l("Choose a criterion.")), Length(max=40)],
        validate_choice=False,
    )
    # No Length() here: maxlength would cut a pasted note without a word. The page
    # shows the limit and a counter; the service refuses a longer note and says so.
    note = TextAreaField(
        _l("Note"),
        validators=[DataRequired(message=_l("Write a short note on what was good."))],
        description=_l("What did they do well? The employee sees this with the points."),
    )
    request_id = HiddenField(validators=[DataRequired(), Length(max=64)])


class CriterionForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Length(max=40),
            Regexp(r"^[a-z0-9_\-]+$", message=_l("Lower-case letters, digits, - and _.")),
        ],
    )
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=120)])
    name_fi = StringField(_l("Name in Finnish"), validators=[DataRequired(), Length(max=120)])
    description_en = TextAreaField(_l("Description in English"), validators=[Length(max=2000)])
    description_fi = TextAreaField(_l("Description in Finnish"), validators=[Length(max=2000)])
    tier = SelectField(_l("Tier"), choices=[("good", _l("Good")), ("excellent", _l("Excellent"))])
    points = WholeNumberField(_l("Points"), bounds.CRITERION_POINTS)
    active = BooleanField(_l("In use (untick to retire)"), default=True)


class TeamBudgetForm(FlaskForm):
    budget = WholeNumberField(
        _l("Monthly award budget"),
        bounds.BUDGET,
        required=False,
        description=_l("Empty: the site default."),
    )


class AwardFilterForm(DateRangeMixin, ListFilterForm):
    """The awards list's search and filters, from the query string (a GET form: no CSRF)."""

    team = SelectField(_l("Team"), validators=[Optional()])
    criterion = SelectField(_l("Criterion"), validators=[Optional()])
    giver = SelectField(_l("Awarded by"), validators=[Optional()])
