"""The wallet (own balance and history), other employees' ledgers, reversals."""

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as pgettext
from flask_login import current_user

from pojo.errors import DomainError
from pojo.extensions import db
from pojo.ledger import references, service
from pojo.ledger.forms import ReversalForm
from pojo.ledger.models import LedgerEntry
from pojo.ledger.policy import REVERSE_ENTRIES
from pojo.pagination import requested_page
from pojo.people.policy import VIEW_LEDGER, VIEW_PEOPLE
from pojo.people.service import ledger_owner
from pojo.policy import EVERYONE
from pojo.web import allow, flash_refusal, sections

bp = Blueprint("ledger", __name__)


# What each kind of entry is called (the tag on each line of a history).
KIND_LABELS = {
    "award": pgettext("ledger entry", "Award"),
    "outcome": _l("Customer outcome"),
    # A shift swap's taker: the "Covered a colleague's shift" points, from no budget.
    "cover": _l("Covered a shift"),
    "expiry": _l("Expired at contract end"),
    "redemption": _l("Redemption"),
    "refund": _l("Refund"),
    "reversal": _l("Reversal"),
}


def _render_ledger(employee, template: str):
    pages = service.history_page(employee.id, requested_page())
    entries = pages.items
    return render_template(
        template,
        employee=employee,
        balance=service.balance_of(employee.id),
        entries=entries,
        pages=pages,
        reversed_ids=service.reversed_entry_ids([e.id for e in entries]),
        # Translated once per page, not once per line.
        kind_labels={kind: str(label) for kind, label in KIND_LABELS.items()},
        labels=references.describe(entries, g.language),
        reversal_form=ReversalForm(),
        sections=sections("wallet", employee=employee),
    )


@bp.route("/wallet")
@allow(EVERYONE)
def wallet():
    return _render_ledger(current_user, "ledger/wallet.html")


@bp.route("/people/<username>/ledger")
@allow(VIEW_PEOPLE, object_rule=VIEW_LEDGER)
def employee_ledger(username: str):
    return _render_ledger(ledger_owner(current_user, username), "ledger/employee.html")


@bp.route("/ledger/entries/<int:entry_id>/reverse", methods=["POST"])
@allow(REVERSE_ENTRIES)
def reverse(entry_id: int):
    form = ReversalForm()
    entry = db.session.get(LedgerEntry, entry_id)
    if entry is None:
        abort(404)
    target = url_for("ledger.employee_ledger", username=entry.employee.username)
    if not form.validate_on_submit():
        flash(_("Give a reason for the reversal."), "error")
        return redirect(target)
    try:
        service.reverse_entry(entry_id, actor=current_user, reason=form.reason.data)
    except DomainError as error:
        flash_refusal(error)
        return redirect(target)
    flash(_("Entry reversed with a compensating entry."), "success")
    return redirect(target)
