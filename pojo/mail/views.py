"""Choosing which notices come by e-mail: a panel on the settings page and its own page."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from pojo.forms import form_status
from pojo.mail import outbox, preferences
from pojo.mail.categories import CATEGORIES
from pojo.mail.forms import choice_form
from pojo.policy import EVERYONE
from pojo.web import allow

bp = Blueprint("mail", __name__)


def _context(form) -> dict:
    return {
        "form": form,
        "categories": CATEGORIES,
        "has_address": bool(current_user.email),
        "mail_on": outbox.enabled(),
    }


def settings_panel(**_context_of_page):
    """The settings page's panel: the choice, posted to `mail.choose`."""
    return "mail/_choice.html", _context(choice_form(preferences.chosen(current_user.id)))


@bp.route("/settings/email", methods=["GET", "POST"])
@allow(EVERYONE)
def choose():
    # A POST's boxes are the choice; only a first showing reads the current one.
    shown = None if request.method == "POST" else preferences.chosen(current_user.id)
    form = choice_form(shown)
    if form.validate_on_submit():
        if preferences.choose(current_user, form.chosen()):
            flash(_("Your e-mail choice is saved."), "success")
        else:
            flash(_("Nothing changed: your e-mail choice was already so."), "info")
        return redirect(url_for("auth.settings"))
    form.shown.data = "1"  # shown again to be sent again: a good marker, whatever came
    return render_template("mail/choose.html", **_context(form)), form_status(form)
