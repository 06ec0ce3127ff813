"""What every HTML form shares: a field that must be sent, the form of a button that posts,
and a service's refusal shown where it belongs."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import StopValidation

from pojo.errors import DomainError


class Present:
    """The field was sent, even if empty.

    A browser sends every text field, select and date of a form; a POST
    without one was not made by our page, and reading the missing field as
    empty would quietly clear what it holds. Put it first in the validators.
    """

    field_flags: dict = {}

    def __call__(self, form, field) -> None:
        if not field.raw_data:
            raise StopValidation(_l("This field was missing from the form. Reload the page."))


class ConfirmForm(FlaskForm):
    """No fields, only the CSRF token: for a button that posts (revoke, fulfil, clear a goal).

    What the button acts on is in the URL.
    """


def show_refusal(form, error: DomainError) -> None:
    """Put the service's refusal next to the field it names (`field=`), else above the form."""
    field = getattr(form, error.details.get("field") or "", None)
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def form_status(form) -> int:
    """422 for a submitted form shown again with its errors, 200 for a first showing.

    The status matters: the commit point keeps nothing of a response >= 400.
    """
    return 422 if form.is_submitted() else 200
