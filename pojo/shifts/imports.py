"""A roster from a workforce-management CSV export: read, plan, preview, apply.

Columns `employee, starts_at, ends_at, label`, times in ISO 8601 with a UTC
offset. A row is keyed by (employee, starts_at): a shift already there with
the same end and label is unchanged, one with another end or label is
changed, anything else is new, so importing the same file twice changes
nothing. Any rejected row (with its line) refuses the whole file: a roster
applied in part is worse than none. The file's shape is read with the
outcomes import's helpers (`decode`, the dialect, `CsvFileError`).
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from pojo.audit import service as audit
from pojo.database import utcnow
from pojo.errors import DomainError, InvalidInput, RejectedRows
from pojo.extensions import db
from pojo.outcomes.csvfile import CsvFileError, decode, read_table
from pojo.outcomes.service import Rejection
from pojo.people.models import Employee
from pojo.people.policy import OVERSEE_ALL_TEAMS
from pojo.policy import can
from pojo.shifts import rules
from pojo.shifts.models import LABEL_MAX_LENGTH, Shift
from pojo.shifts.policy import PLAN_SHIFTS
from pojo.shifts.service import overlap_message, shifts_near, time_message
from pojo.signals import shift_changing

COLUMNS = ("employee", "starts_at", "ends_at", "label")
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000


@dataclass(frozen=True)
class ShiftRow:
    line: int
    employee: str
    starts_at: datetime
    ends_at: datetime
    label: str


@dataclass
class Plan:
    new: list[tuple[ShiftRow, Employee]] = field(default_factory=list)
    changed: list[tuple[ShiftRow, Shift]] = field(default_factory=list)
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.new) + len(self.changed) + self.unchanged + len(self.rejected)


def _time(name: str, text: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(text)
    except (ValueError, OverflowError):
        parsed = None
    # Years far off are typos, and near the ends of the calendar UTC cannot hold them.
    if parsed is not None and not 2000 <= parsed.year <= 2100:
        raise ValueError(
            _("%(field)s %(value)s is not in the years 2000–2100.", field=name, value=text[:40])
        )
    if parsed is None or parsed.tzinfo is None:
        raise ValueError(
            _(
                "%(field)s %(value)s is not an ISO 8601 time with an offset, e.g. 2026-12-24T16:00:00+02:00.",
                field=name,
                value=text[:40],
            )
        )
    return parsed


def _row(line: int, fields: dict[str, str]) -> ShiftRow:
    for name in ("employee", "starts_at", "ends_at"):
        if not fields[name]:
            raise ValueError(_("%(field)s is empty.", field=name))
    if len(fields["employee"]) > 64:
        raise ValueError(_("employee is longer than 64 characters."))
    if len(fields["label"]) > LABEL_MAX_LENGTH:
        raise ValueError(_("The label is longer than %(n)s characters.", n=LABEL_MAX_LENGTH))
    return ShiftRow(
        line=line,
        employee=fields["employee"],
        starts_at=_time("starts_at", fields["starts_at"]),
        ends_at=_time("ends_at", fields["ends_at"]),
        label=fields["label"],
    )


def read(data: bytes) -> tuple[list[ShiftRow], list[Rejection]]:
    """The file's rows and the rows that cannot be read; InvalidInput for an unusable file."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(_("The file is larger than %(mb)s MB; split it.", mb=2), field="file")
    try:
        text = decode(data)
    except CsvFileError as error:
        raise InvalidInput(error.message, field="file") from None
    try:
        return read_table(text, COLUMNS, _row, MAX_ROWS)
    except CsvFileError as error:
        raise InvalidInput(error.message, field="file") from None


def plan(actor: Employee | None, rows: list[ShiftRow]) -> Plan:
    """Sort rows into new, changed, unchanged and rejected; writes nothing.

    `actor` None is the operator at the command line, who plans every team.
    """
    result = Plan()
    names = {row.employee for row in rows}
    people = {
        e.username: e
        for e in db.session.scalars(select(Employee).where(Employee.username.in_(names)))
    }
    known = [people[row.employee].id for row in rows if row.employee in people]
    existing: list[Shift] = []
    if rows:
        earliest = min(row.starts_at for row in rows) - rules.LONGEST
        latest = max(row.ends_at for row in rows) + rules.LONGEST
        existing = shifts_near(set(known), earliest, latest)
    by_key = {(s.employee_id, s.starts_at): s for s in existing}
    now = utcnow()
    accepted: dict[int, list[tuple[rules.Span, int]]] = {}
    for row in sorted(rows, key=lambda r: r.line):
        employee = people.get(row.employee)
        if employee is None:
            result.rejected.append(
                Rejection(
                    row.line, "unknown_employee", _("No employee %(name)s.", name=row.employee[:64])
                )
            )
            continue
        if not employee.active or employee.team is None:
            result.rejected.append(
                Rejection(
                    row.line,
                    "inactive_employee",
                    _("%(name)s is inactive or has no team.", name=employee.username),
                )
            )
            continue
        if actor is not None and not can(actor, PLAN_SHIFTS, employee.team):
            result.rejected.append(
                Rejection(
                    row.line,
                    "not_in_team",
                    _("%(name)s is not in a team you plan.", name=employee.username),
                )
            )
            continue
        span = rules.Span(row.starts_at, row.ends_at)
        found = by_key.get((employee.id, row.starts_at))
        if found is not None and found.ends_at == row.ends_at and found.label == row.label:
            result.unchanged += 1
            accepted.setdefault(employee.id, []).append((span, row.line))
            continue
        problem = rules.time_problem(span, now)
        if problem:
            result.rejected.append(Rejection(row.line, problem, time_message(problem)))
            continue
        in_file = rules.overlapping(span, [s for s, _line in accepted.get(employee.id, [])])
        if in_file is not None:
            line = next(n for s, n in accepted[employee.id] if s is in_file)
            result.rejected.append(
                Rejection(
                    row.line,
                    "overlap",
                    _("It overlaps the shift on line %(line)s of the same person.", line=line),
                )
            )
            continue
        others = [s for s in existing if s.employee_id == employee.id and s is not found]
        clash = rules.overlapping(span, others)
        if clash is not None:
            result.rejected.append(Rejection(row.line, "overlap", overlap_message(clash)))
            continue
        if found is not None:
            refusal = _change_refused(found)
            if refusal is not None:
                result.rejected.append(Rejection(row.line, refusal.code, refusal.message))
                continue
        accepted.setdefault(employee.id, []).append((span, row.line))
        if found is not None:
            result.changed.append((row, found))
        else:
            result.new.append((row, employee))
    result.rejected.sort()
    return result


def _change_refused(shift: Shift) -> DomainError | None:
    """Why this shift may not change (a swap's hold on it, `pojo.signals.shift_changing`)."""
    try:
        shift_changing.send(current_app._get_current_object(), shift=shift, change="edit")
    except DomainError as refusal:
        return refusal
    return None


def preview(actor: Employee | None, data: bytes) -> Plan:
    """What importing the file would do, with every rejected row and its line."""
    rows, rejected = read(data)
    result = plan(actor, rows)
    result.rejected = sorted(rejected + result.rejected)
    return result


def apply(actor: Employee | None, data: bytes) -> Plan:
    """Import the file; RejectedRows (nothing changed) when any row is rejected.

    The people it names are locked first (in id order, so two imports cannot deadlock),
    as `service.create_shift` locks its one, so no overlap slips in between plan and write.
    """
    rows, rejected = read(data)
    names = sorted({row.employee for row in rows})
    db.session.scalars(
        select(Employee.id)
        .where(Employee.username.in_(names))
        .order_by(Employee.id)
        .with_for_update(key_share=True)  # as pojo.rows.lock_row: not against foreign keys
    ).all()
    result = plan(actor, rows)
    result.rejected = sorted(rejected + result.rejected)
    if result.rejected:
        raise RejectedRows(
            ngettext(
                "%(num)s row is rejected; nothing was imported. Fix the file and try again.",
                "%(num)s rows are rejected; nothing was imported. Fix the file and try again.",
                len(result.rejected),
            )
        )
    for row, employee in result.new:
        db.session.add(
            Shift(
                employee_id=employee.id,
                team_id=employee.team_id,
                starts_at=row.starts_at,
                ends_at=row.ends_at,
                label=row.label,
            )
        )
    for row, shift in result.changed:
        shift.ends_at, shift.label = row.ends_at, row.label
    db.session.flush()
    _audit(actor, result)
    return result


def _audit(actor: Employee | None, result: Plan) -> None:
    """HR's and admin's roster imports (and the command line's) go into the audit log."""
    if actor is not None and not can(actor, OVERSEE_ALL_TEAMS):
        return
    label = _(
        "%(new)s new and %(changed)s changed shifts",
        new=len(result.new),
        changed=len(result.changed),
    )
    people = {employee.username for _row, employee in result.new}
    people |= {shift.employee.username for _row, shift in result.changed}
    audit.record(
        actor,
        "shifts.imported",
        audit.Subject("import", None, label),
        None,
        {"new": len(result.new), "changed": len(result.changed), "employees": sorted(people)},
    )
