from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import PasswordField
from wtforms.validators import DataRequired, Length

from pojo.history.passwords import MAX_PASSWORD_LENGTH


class UsersUploadForm(FlaskForm):
    file = FileField(
        _l("Employees (CSV)"),
        validators=[FileRequired(message=_l("Choose a CSV file."))],
        description=_l(
            "Columns: username, name, email, role, team, employment_type, agency, contract_end. UTF-8, at most 2 MB."
        ),
    )


class HistoryUploadForm(FlaskForm):
    file = FileField(
        _l("Points history (CSV)"),
        validators=[FileRequired(message=_l("Choose a CSV file."))],
        description=_l(
            "Columns: employee, at, kind, points, reward, note. UTF-8, at most 10 MB; larger files with the flask history import command."
        ),
    )


class ApplyForm(FlaskForm):
    pass


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("The same again"),
        validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)],
        render_kw={"autocomplete": "new-password"},
    )
