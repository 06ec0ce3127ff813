"""The payroll page's forms: the months of the export and the company's name."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length

from pojo.forms import Present


class MonthRangeForm(FlaskForm):
    """The payroll export's months, from the query string (a GET form: no CSRF token).

    The text is checked by `pojo.insights.payroll.month_range`, which words the errors.
    """

    class Meta:
        csrf = False

    start = StringField(_l("From month"), name="from")
    end = StringField(_l("To month"), name="to")


class CompanyNameForm(FlaskForm):
    company_name = StringField(
        _l("The company's name"),
        validators=[Present(), Length(max=120)],
        description=_l("The employer of record of permanent staff, as payroll knows it."),
    )
