"""The audit log's filters, from the query string (a GET form: no CSRF token)."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import Optional, ValidationError

from pojo.audit.actions import ACTIONS, SUBJECT_KINDS

# The dates a filter may name: nothing Pojo recorded lies outside them.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2999, 12, 31)
DATE_MESSAGE = _l("A date such as 2026-12-24, from 2000 on.")


class LogDateField(DateField):
    """A day of the filter: anything but a real date from FIRST_DAY to LAST_DAY is an error."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(DATE_MESSAGE) from error
        if self.data is not None and not FIRST_DAY <= self.data <= LAST_DAY:
            self.data = None
            raise ValueError(DATE_MESSAGE)


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    actor = SelectField(_l("Who"), validators=[Optional()])
    action = SelectField(_l("Action"), validators=[Optional()])
    subject_kind = SelectField(_l("What"), validators=[Optional()])
    since = LogDateField(_l("From"), validators=[Optional()])
    until = LogDateField(_l("To"), validators=[Optional()])

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
