from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from pojo.bounds import Bound, WholeNumberField
from pojo.outcomes.imports import REASON_MAX_LENGTH
from pojo.outcomes.rules import SCORE_MAX, SCORE_MIN
from pojo.search import DateRangeMixin, ListFilterForm


class UploadForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        validators=[FileRequired(message=_l("Choose a CSV file."))],
        description=_l(
            "Columns: external_id, employee, kind, score, occurred_at (ISO 8601). UTF-8, at most 10 MB."
        ),
    )


class ApplyForm(FlaskForm):
    skip_invalid = BooleanField(_l("Apply the valid rows and leave the rejected rows out"))


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (shown to the uploader)"),
        validators=[Optional(), Length(max=REASON_MAX_LENGTH)],
        render_kw={"maxlength": REASON_MAX_LENGTH, "rows": 2},
    )


def _score_field(label):
    return WholeNumberField(
        label,
        Bound(SCORE_MIN, SCORE_MAX),
        required=False,
        description=_l("Leave empty for no limit."),
    )


class RuleForm(FlaskForm):
    kind = StringField(
        _l("Outcome kind"),
        validators=[
            DataRequired(),
            Length(max=32),
            Regexp(r"^[a-z][a-z0-9_]*$", message=_l("Lower-case letters, digits and _.")),
        ],
        description=_l("For example nps, fcr, promise_kept or quality_review."),
    )
    min_score = _score_field(_l("Lowest score"))
    max_score = _score_field(_l("Highest score"))
    criterion = SelectField(_l("Earns the criterion"), validators=[DataRequired()])
    active = BooleanField(_l("In use"), default=True)


class OutcomeFilterForm(DateRangeMixin, ListFilterForm):
    """The outcomes page's search and filters, from the query string (a GET form: no CSRF)."""

    team = SelectField(_l("Team"), validators=[Optional()])
    kind = SelectField(_l("Outcome"), validators=[Optional()])
    status = SelectField(
        _l("Import status"),
        choices=[
            ("", _l("Any status")),
            ("pending", _l("Waiting for approval")),
            ("applied", _l("Applied")),
            ("rejected", _l("Rejected")),
        ],
        validators=[Optional()],
    )
