"""The audit log's filters, from the query string (a GET form: no CSRF token)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import Optional, ValidationError

from pojo.audit.actions import ACTIONS, SUBJECT_KINDS
from pojo.search import FilterDateField


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    actor = SelectField(_l("Who"), validators=[Optional()])
    action = SelectField(_l("Action"), validators=[Optional()])
    subject_kind = SelectField(_l("What"), validators=[Optional()])
    since = FilterDateField(_l("From"), validators=[Optional()])
    until = FilterDateField(_l("To"), validators=[Optional()])

    def __init__(self, *args, actors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.actor.choices = [("", _l("Anyone"))] + [
            (str(person.id), person.display_name) for person in actors
        ]
        self.action.choices = [("", _l("Any action"))] + list(ACTIONS.items())
        self.subject_kind.choices = [("", _l("Anything"))] + list(SUBJECT_KINDS.items())

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date is before the start date."))
