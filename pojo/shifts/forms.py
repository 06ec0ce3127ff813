from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateTimeLocalField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from pojo.shifts.imports import MAX_BYTES
from pojo.shifts.models import LABEL_MAX_LENGTH

TIME_FORMAT = "%Y-%m-%dT%H:%M"


class ShiftForm(FlaskForm):
    employee = SelectField(
        _l("Employee"), coerce=int, validators=[InputRequired(message=_l("Choose an employee."))]
    )
    starts_at = DateTimeLocalField(
        _l("Starts"),
        format=TIME_FORMAT,
        validators=[DataRequired(message=_l("A date and time, e.g. 2026-12-24 16:00."))],
    )
    ends_at = DateTimeLocalField(
        _l("Ends"),
        format=TIME_FORMAT,
        validators=[DataRequired(message=_l("A date and time, e.g. 2026-12-24 22:00."))],
    )
    label = StringField(
        _l("Label"),
        validators=[Length(max=LABEL_MAX_LENGTH)],
        render_kw={"maxlength": LABEL_MAX_LENGTH},
        description=_l("For example Christmas Eve evening."),
    )


class EditShiftForm(ShiftForm):
    employee = None


class UploadForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        validators=[FileRequired(message=_l("Choose a CSV file."))],
        description=_l(
            "Columns: employee, starts_at, ends_at, label (ISO 8601 with offset). UTF-8, at most 2 MB."
        ),
    )


class ApplyForm(FlaskForm):
    content = HiddenField(validators=[DataRequired(), Length(max=MAX_BYTES)])
