"""HR's page for the segment thresholds (`/insights/thresholds`)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from pojo.errors import DomainError
from pojo.forms import form_status, show_refusal
from pojo.insights.blueprint import bp
from pojo.insights.forms import ThresholdsForm
from pojo.insights.policy import VIEW_INSIGHTS
from pojo.insights.thresholds import KNOBS, set_thresholds, threshold_values
from pojo.web import allow, mark_refused


def _render(form, status=200):
    return render_template("insights/thresholds.html", form=form, knobs=KNOBS), status


@bp.route("/thresholds")
@allow(VIEW_INSIGHTS)
def thresholds():
    return _render(ThresholdsForm(formdata=None, data=threshold_values()))


@bp.route("/thresholds", methods=["POST"])
@allow(VIEW_INSIGHTS)
def save_thresholds():
    form = ThresholdsForm()
    if form.validate_on_submit():
        values = {knob.setting: getattr(form, knob.setting).data for knob in KNOBS}
        try:
            changed = set_thresholds(current_user, values)
        except DomainError as error:
            mark_refused()
            show_refusal(form, error)
        else:
            flash(_("Thresholds saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("insights.thresholds"))
    return _render(form, form_status(form))
