"""HR's payroll export: the page with its preview, the CSV download, the company's name."""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from pojo.database import utcnow
from pojo.errors import DomainError, InvalidInput
from pojo.forms import form_status
from pojo.insights import payroll as service
from pojo.insights.blueprint import bp
from pojo.insights.payroll_csv import employer_heading, treatment_label, write_csv
from pojo.insights.payroll_forms import CompanyNameForm, MonthRangeForm
from pojo.insights.policy import EXPORT_PAYROLL
from pojo.people.settings import set_setting
from pojo.rows import local_date
from pojo.web import allow, flash_refusal, mark_refused

# The most lines the page previews; the CSV has them all.
PREVIEW_LINES = 300


def _report(form: MonthRangeForm) -> service.Payroll:
    """The export of the form's months; InvalidInput (naming `from` or `to`) for bad ones."""
    months = service.month_range(form.start.data, form.end.data, local_date(utcnow()))
    return service.payroll(current_user, months, current_user.language)


def _render(range_form: MonthRangeForm, company_form: CompanyNameForm | None = None, status=200):
    report = None
    try:
        report = _report(range_form)
    except InvalidInput as error:
        mark_refused()
        field = {"from": range_form.start, "to": range_form.end}[error.details["field"]]
        field.errors = [*field.errors, error.message]
        status = 400
    else:
        range_form.start.data = report.months.text(report.months.first)
        range_form.end.data = report.months.text(report.months.last)
    company_form = company_form or CompanyNameForm(
        formdata=None, data={"company_name": service.company_name()}
    )
    return render_template(
        "insights/payroll.html",
        report=report,
        range_form=range_form,
        company_form=company_form,
        preview_lines=PREVIEW_LINES,
        employer_heading=employer_heading,
        treatment_label=treatment_label,
    ), status


@bp.route("/payroll")
@allow(EXPORT_PAYROLL)
def payroll():
    return _render(MonthRangeForm(request.args))


@bp.route("/payroll.csv")
@allow(EXPORT_PAYROLL)
def payroll_csv():
    form = MonthRangeForm(request.args)
    try:
        report = _report(form)
    except InvalidInput:
        return _render(form)
    months = report.months
    filename = f"payroll-{months.text(months.first)}-{months.text(months.last)}.csv"
    return Response(
        write_csv(report, current_user.language),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/payroll/company", methods=["POST"])
@allow(EXPORT_PAYROLL)
def payroll_company():
    form = CompanyNameForm()
    if form.validate_on_submit():
        try:
            changed = set_setting(current_user, service.COMPANY_SETTING, form.company_name.data)
        except DomainError as error:
            flash_refusal(error)
        else:
            flash(_("Saved.") if changed else _("Nothing changed."), "success")
        return redirect(url_for("insights.payroll"))
    return _render(MonthRangeForm(formdata=None), form, form_status(form))
