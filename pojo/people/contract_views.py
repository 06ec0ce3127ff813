"""HR's contracts page: temps' contracts ending soon, extensions, the unspent-points setting."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from pojo.errors import DomainError
from pojo.forms import form_status
from pojo.people import contracts
from pojo.people.forms import ExtendContractForm, UnspentPointsForm
from pojo.people.policy import MANAGE_CONTRACTS
from pojo.people.settings import get_setting, set_setting
from pojo.people.views import bp
from pojo.web import allow, flash_refusal, mark_refused


def _render(setting_form=None, failed=None, status=200):
    """The page; `failed` is (username, form) of an extension that was refused."""
    rows = contracts.contracts_ending(current_user)
    forms = {}
    for row in rows:
        username = row.employee.username
        if failed and failed[0] == username:
            forms[username] = failed[1]
        else:
            # An ended contract's date is past, outside the bounds: HR picks the new one.
            end = None if row.ended else row.employee.contract_end
            forms[username] = ExtendContractForm(
                formdata=None, prefix=username, data={"contract_end": end}
            )
    setting_form = setting_form or UnspentPointsForm(
        formdata=None, data={"unspent_points": get_setting("unspent_points")}
    )
    page = render_template(
        "people/contracts.html", rows=rows, forms=forms, setting_form=setting_form
    )
    return page, status


@bp.route("/people/contracts")
@allow(MANAGE_CONTRACTS)
def contracts_page():
    return _render()


@bp.route("/people/contracts/<username>/extend", methods=["POST"])
@allow(MANAGE_CONTRACTS)
def extend_contract(username: str):
    form = ExtendContractForm(prefix=username)
    if form.validate_on_submit():
        try:
            changed = contracts.extend_contract(current_user, username, form.contract_end.data)
        except DomainError as error:
            mark_refused()
            form.contract_end.errors.append(error.message)
        else:
            flash(_("Contract extended.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("people.contracts_page"))
    return _render(failed=(username, form), status=form_status(form))


@bp.route("/people/contracts/settings", methods=["POST"])
@allow(MANAGE_CONTRACTS)
def contract_settings():
    form = UnspentPointsForm()
    if form.validate_on_submit():
        try:
            changed = set_setting(current_user, "unspent_points", form.unspent_points.data)
        except DomainError as error:
            flash_refusal(error)
        else:
            flash(_("Saved.") if changed else _("Nothing changed."), "success")
        return redirect(url_for("people.contracts_page"))
    return _render(setting_form=form, status=form_status(form))
