"""The settings form: which categories of notice come by e-mail."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField
from wtforms.validators import AnyOf

from pojo.forms import Present
from pojo.mail.categories import CATEGORIES


class MailChoiceForm(FlaskForm):
    """One checkbox a category; `shown` marks a POST of this form (all boxes may be unticked)."""

    shown = HiddenField(default="1", validators=[Present(), AnyOf(["1"])])

    def chosen(self) -> set[str]:
        return {category.name for category in CATEGORIES if self[category.name].data}


for _category in CATEGORIES:
    setattr(MailChoiceForm, _category.name, BooleanField(_category.label))


def choice_form(current: dict[str, bool] | None = None, **kwargs) -> MailChoiceForm:
    """The form, pre-filled with the current choice when shown (a POST reads the request)."""
    return MailChoiceForm(prefix="mail", data=current, **kwargs)
