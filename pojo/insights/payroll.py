"""The payroll export: fulfilled redemptions per employer of record, employee and month.

A redemption belongs to the month it was handed over (fulfilled), in the
site's time zone, with the value, tax treatment and income-type code copied
onto it at that moment (`pojo.market.redemptions`), so a later edit of the
reward changes no month already paid. Its employer of record is the company
for permanent staff and the agency for a temp (the agency employs and pays
them); a temp without an agency gets a block of their own, for HR to sort out.
The employment is the employee's current one: Pojo keeps no history of it.
Redemptions imported from an older system (`Redemption.imported`) were paid by
that system and are left out.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from flask_babel import gettext as _
from sqlalchemy import false, select

from pojo import bounds
from pojo.errors import InvalidInput
from pojo.extensions import db
from pojo.insights.policy import EXPORT_PAYROLL
from pojo.market.models import Redemption, Reward
from pojo.people.models import Employee
from pojo.people.settings import Spec, define_setting, get_setting
from pojo.policy import require
from pojo.rows import in_language, local_date, site_zone

COMPANY_SETTING = "payroll_company_name"
define_setting(COMPANY_SETTING, Spec("", EXPORT_PAYROLL, length=120))

MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
YEARS = (2000, 2100)
# The employer kinds, in the order their blocks come.
COMPANY, AGENCY, NO_AGENCY = "company", "agency", "no_agency"


@dataclass(frozen=True)
class Months:
    """A range of whole calendar months, `first` to `last` (each the 1st of its month)."""

    first: date
    last: date

    @property
    def count(self) -> int:
        return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1

    def bounds(self) -> tuple[datetime, datetime]:
        """The range's start and its end (exclusive) as UTC moments, by the site's calendar."""
        zone = site_zone()
        end = _next_month(self.last)
        return tuple(  # type: ignore[return-value]
            datetime(day.year, day.month, 1, tzinfo=zone).astimezone(UTC)
            for day in (self.first, end)
        )

    def text(self, day: date) -> str:
        return f"{day.year:04d}-{day.month:02d}"


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def last_month(today: date) -> Months:
    """The default range: the calendar month before `today`'s."""
    first = date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)
    return Months(first, first)


def parse_month(text: str | None) -> date | None:
    """ "2026-11" as the 1st of that month; None for anything else (or beyond the years held)."""
    match = MONTH.fullmatch((text or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (YEARS[0] <= year <= YEARS[1] and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def month_range(start: str | None, end: str | None, today: date) -> Months:
    """The months HR asked for ("YYYY-MM" each; both absent: last month), or InvalidInput."""
    if not start and not end:
        return last_month(today)
    first, last = parse_month(start), parse_month(end or start)
    if first is None:
        raise InvalidInput(_("Give the first month as YYYY-MM, e.g. 2026-11."), field="from")
    if last is None:
        raise InvalidInput(_("Give the last month as YYYY-MM, e.g. 2026-11."), field="to")
    if last < first:
        raise InvalidInput(_("The last month comes before the first."), field="to")
    months = Months(first, last)
    if months.count > bounds.PAYROLL_MONTHS:
        raise InvalidInput(
            _("One export covers at most %(count)s months.", count=bounds.PAYROLL_MONTHS),
            field="to",
        )
    return months


@dataclass(frozen=True)
class Line:
    """One fulfilled redemption as payroll reads it."""

    username: str
    name: str
    month: date
    fulfilled_on: date
    reward: str
    points: int
    value_cents: int | None
    tax_treatment: str | None
    income_type_code: str | None


@dataclass
class Block:
    """The lines of one employer of record, with its totals."""

    kind: str  # COMPANY, AGENCY or NO_AGENCY
    name: str
    lines: list[Line] = field(default_factory=list)

    def total(self, treatment: str) -> int:
        return sum(line.value_cents or 0 for line in self.lines if line.tax_treatment == treatment)

    @property
    def unvalued(self) -> int:
        return sum(1 for line in self.lines if line.value_cents is None)

    @property
    def employees(self) -> int:
        return len({line.username for line in self.lines})


@dataclass(frozen=True)
class Payroll:
    months: Months
    company_name: str
    blocks: list[Block]

    @property
    def lines(self) -> int:
        return sum(len(block.lines) for block in self.blocks)

    @property
    def unvalued(self) -> int:
        return sum(block.unvalued for block in self.blocks)


def company_name() -> str:
    """The company's name as HR set it (empty: not set yet)."""
    return str(get_setting(COMPANY_SETTING))


def _employer(employment_type: str, agency: str | None) -> tuple[str, str]:
    if employment_type != "temp":
        return COMPANY, ""
    agency = (agency or "").strip()
    return (AGENCY, agency) if agency else (NO_AGENCY, "")


def _query(months: Months):
    start, end = months.bounds()
    query = (
        select(
            Employee.username,
            Employee.display_name,
            Employee.employment_type,
            Employee.agency_name,
            Redemption.decided_at,
            Redemption.price_paid,
            Redemption.value_cents,
            Redemption.tax_treatment,
            Redemption.income_type_code,
            Reward.name_en,
            Reward.name_fi,
        )
        .join(Employee, Employee.id == Redemption.employee_id)
        .join(Reward, Reward.id == Redemption.reward_id)
        .where(
            Redemption.status == "fulfilled",
            Redemption.decided_at >= start,
            Redemption.decided_at < end,
            # Imported history was paid out by the older system.
            Redemption.imported.is_(false()),
        )
        .order_by(Employee.display_name, Employee.username, Redemption.decided_at, Redemption.id)
    )
    return query


def payroll(actor: Employee | None, months: Months, language: str) -> Payroll:
    """The fulfilled redemptions of `months`, one block per employer of record (HR, admin;
    None: the command line). The company's block first, then each agency's by name, then
    temps without an agency."""
    if actor is not None:
        require(actor, EXPORT_PAYROLL)
    blocks: dict[tuple[str, str], Block] = {}
    for row in db.session.execute(_query(months)):
        kind, name = _employer(row.employment_type, row.agency_name)
        block = blocks.setdefault((kind, name.casefold()), Block(kind, name))
        fulfilled_on = local_date(row.decided_at)
        block.lines.append(
            Line(
                username=row.username,
                name=row.display_name,
                month=fulfilled_on.replace(day=1),
                fulfilled_on=fulfilled_on,
                reward=in_language(language, row.name_en, row.name_fi),
                points=row.price_paid,
                value_cents=row.value_cents,
                tax_treatment=row.tax_treatment,
                income_type_code=row.income_type_code,
            )
        )
    order = {COMPANY: 0, AGENCY: 1, NO_AGENCY: 2}
    ordered = sorted(blocks.items(), key=lambda item: (order[item[0][0]], item[0][1]))
    return Payroll(months, company_name(), [block for _key, block in ordered])
