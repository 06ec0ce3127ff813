"""The insights dashboard (HR's start page), its CSV exports and the liability's rate."""

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from pojo.errors import DomainError
from pojo.forms import form_status
from pojo.insights import periods, tables
from pojo.insights.blueprint import bp
from pojo.insights.dashboard import EURO_SETTING, REFERENCE_PER_YEAR, dashboard, window_days_from
from pojo.insights.forms import EuroRateForm
from pojo.insights.policy import VIEW_INSIGHTS, VIEW_TEAM_INSIGHTS
from pojo.insights.segments import CODES
from pojo.pagination import paginate_list, requested_page
from pojo.people.settings import set_setting
from pojo.web import allow, flash_refusal


def _window() -> tuple[int, str | None]:
    """The window asked for, or the default with the reason the asked one was refused."""
    try:
        return window_days_from(request.args.get("window_days")), None
    except DomainError as error:
        return periods.DEFAULT_WINDOW, error.message


def _render(rate_form=None, status=200):
    window_days, window_error = _window()
    segment = request.args.get("segment", "")
    segment_error = None
    if segment and segment not in CODES:
        segment, segment_error = "", _("Choose one of the segments.")
    view = dashboard(current_user, window_days)
    individuals = [r for r in view.individuals if not segment or r.segment.code == segment]
    rate_form = rate_form or EuroRateForm(
        formdata=None, data={"euro_cents_per_100_points": view.euro_cents_per_100}
    )
    page = render_template(
        "insights/dashboard.html",
        view=view,
        codes=CODES,
        presets=periods.PRESETS,
        window_error=window_error,
        segment=segment,
        segment_error=segment_error,
        individuals=paginate_list(individuals, requested_page()),
        rate_form=rate_form,
        reference=REFERENCE_PER_YEAR,
        exports=tables.exportable(view),
        table_title=tables.table_title,
        payroll="insights.payroll" in current_app.view_functions,
    )
    return page, (400 if window_error or segment_error else status)


@bp.route("", endpoint="dashboard")
@allow(VIEW_TEAM_INSIGHTS)
def dashboard_page():
    return _render()


@bp.route("/rate", methods=["POST"])
@allow(VIEW_INSIGHTS)
def rate():
    form = EuroRateForm()
    if form.validate_on_submit():
        try:
            changed = set_setting(current_user, EURO_SETTING, form.euro_cents_per_100_points.data)
        except DomainError as error:
            flash_refusal(error)
        else:
            flash(_("Saved.") if changed else _("Nothing changed."), "success")
        return redirect(url_for("insights.dashboard", window_days=request.args.get("window_days")))
    return _render(rate_form=form, status=form_status(form))


@bp.route("/export/<name>.csv")
@allow(VIEW_TEAM_INSIGHTS)
def export(name: str):
    if name not in tables.WRITERS:
        abort(404)  # before the dashboard is worked out for nothing
    try:
        window_days = window_days_from(request.args.get("window_days"))
    except DomainError as error:
        return Response(error.message + "\n", status=400, mimetype="text/plain")
    view = dashboard(current_user, window_days)
    if name not in tables.exportable(view):
        abort(403)
    pseudonymise = request.args.get("pseudonymise") in ("1", "on", "true")
    body = tables.to_csv(view, name, pseudonymise)
    filename = f"pojo-{name}-{window_days}d{'-pseudonymised' if pseudonymise else ''}.csv"
    return Response(
        "\ufeff" + body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
