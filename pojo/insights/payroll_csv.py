"""The payroll export as a CSV file a spreadsheet opens with one block per employer.

Each block: a line naming the employer, the column headings, one line per
fulfilled redemption, the subtotals (taxable, tax-free, lines without a value),
and an empty line. UTF-8 with a byte-order mark, so Excel reads ä and ö.

The separator follows the language: Finnish spreadsheets use the decimal comma
and so expect ";" between fields (Excel in a Finnish locale splits a CSV on its
list separator, ";"), with amounts written "12,50"; in English "," and
"12.50". Both open in LibreOffice (its import asks, or guesses). A cell that
would start with = + - @ (a formula to a spreadsheet) is prefixed with "'".
"""

import csv
import io

from flask_babel import force_locale
from flask_babel import gettext as _

from pojo.formatting import format_cents
from pojo.insights.payroll import AGENCY, COMPANY, Block, Payroll

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def dialect(language: str) -> tuple[str, str]:
    """The field separator and the decimal separator for `language`."""
    return (";", ",") if language == "fi" else (",", ".")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def employer_heading(block: Block, company: str) -> str:
    """The words naming a block's employer of record (in the current language)."""
    if block.kind == COMPANY:
        return _("Employer: %(name)s (permanent staff)", name=company or _("the company"))
    if block.kind == AGENCY:
        return _("Employer: %(name)s (agency, its temps)", name=block.name)
    return _("Temps without an agency: set their agency before paying")


def treatment_label(treatment: str | None) -> str:
    return {"taxable": _("taxable"), "tax_free": _("tax-free")}.get(treatment or "", "")


def _headings() -> list[str]:
    return [
        _("Month"),
        _("Username"),
        _("Name"),
        _("Handed over"),
        _("Reward"),
        _("Points"),
        _("Value (EUR)"),
        _("Tax treatment"),
        _("Income-type code"),
    ]


def write_csv(report: Payroll, language: str) -> str:
    """The whole export as text (with its BOM), in `language`'s words and separators."""
    separator, decimal = dialect(language)
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    with force_locale(language):
        writer.writerow(
            [
                _(
                    "Payroll export %(first)s to %(last)s",
                    first=report.months.text(report.months.first),
                    last=report.months.text(report.months.last),
                )
            ]
        )
        writer.writerow([])
        if not report.blocks:
            writer.writerow([_("No rewards were handed over in these months.")])
        for block in report.blocks:
            writer.writerow([_cell(employer_heading(block, report.company_name))])
            writer.writerow(_headings())
            for line in block.lines:
                writer.writerow(
                    [
                        report.months.text(line.month),
                        _cell(line.username),
                        _cell(line.name),
                        line.fulfilled_on.isoformat(),
                        _cell(line.reward),
                        line.points,
                        format_cents(line.value_cents, decimal),
                        treatment_label(line.tax_treatment),
                        _cell(line.income_type_code),
                    ]
                )
            blank = [""] * 5
            for label, cents in (
                (_("Subtotal, taxable"), block.total("taxable")),
                (_("Subtotal, tax-free"), block.total("tax_free")),
            ):
                writer.writerow([_cell(label), *blank, format_cents(cents, decimal)])
            if block.unvalued:
                writer.writerow([_("Lines with no value set"), *blank, block.unvalued])
            writer.writerow([])
    return out.getvalue()
