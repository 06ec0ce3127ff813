"""Is rewarding fair? Awards per supervisor and per team member, temps against permanent
staff, each giver's concentration, outcome points per team and who recorded them.

The sums are SQL aggregates (one row per giver and recipient, or per team and
kind); the comparisons with the group's median are `pojo.insights.outliers`.
Awards count in the window by their ledger entry's date (backdated history
too), and an award that was reversed does not count.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import aliased

from pojo.awards.models import Award
from pojo.extensions import db
from pojo.insights.outliers import Flag, far_from, group_median, mark
from pojo.ledger.models import LedgerEntry
from pojo.outcomes.models import Outcome, OutcomeImport
from pojo.people.models import Employee, Team, team_supervisors


@dataclass(frozen=True)
class Person:
    id: int
    username: str
    display_name: str


@dataclass(frozen=True)
class Giver:
    person: Person
    awards: int
    points: int
    recipients: int
    top: Person | None  # the one they gave most to
    concentration: float  # the share of their points to `top`
    points_flag: Flag | None
    concentration_flag: Flag | None


@dataclass(frozen=True)
class Member:
    person: Person
    team: str
    temp: bool
    awards: int
    points: int
    flag: Flag | None


@dataclass(frozen=True)
class TeamShare:
    team: str
    temps: int
    permanent: int
    temp_points: int
    permanent_points: int
    outcome_points: int
    # Temps' points per person against permanent staff's, when both are there.
    temp_flag: Flag | None
    outcome_flag: Flag | None  # outcome points per member against the teams' median

    @property
    def temp_share(self) -> float | None:
        total = self.temp_points + self.permanent_points
        return self.temp_points / total if total else None


@dataclass(frozen=True)
class Recording:
    """Outcomes of one team recorded the same way: by whom, through whose import and approval."""

    team: str
    recorded_by: Person | None
    uploaded_by: Person | None
    approved_by: Person | None
    outcomes: int
    points: int


@dataclass(frozen=True)
class Fairness:
    givers: tuple[Giver, ...]
    members: tuple[Member, ...]
    teams: tuple[TeamShare, ...]
    recordings: tuple[Recording, ...]


def _counted_awards(start: datetime, end: datetime):
    reversal = aliased(LedgerEntry)
    return and_(
        LedgerEntry.id == Award.entry_id,
        LedgerEntry.at >= start,
        LedgerEntry.at < end,
        ~exists().where(reversal.reverses_id == Award.entry_id),
    )


def _people(ids) -> dict[int, Person]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    rows = db.session.execute(
        select(Employee.id, Employee.username, Employee.display_name).where(Employee.id.in_(ids))
    )
    return {row.id: Person(row.id, row.username, row.display_name) for row in rows}


def _givers(start, end) -> list[Giver]:
    rows = db.session.execute(
        select(
            Award.awarded_by_id,
            Award.employee_id,
            func.count(Award.id),
            func.sum(Award.points),
        )
        .join(LedgerEntry, _counted_awards(start, end))
        .where(Award.source == "manual", Award.awarded_by_id.is_not(None))
        .group_by(Award.awarded_by_id, Award.employee_id)
    ).all()
    given: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for giver, recipient, count, points in rows:
        given[giver].append((recipient, int(count), int(points)))
    people = _people({r[0] for r in rows} | {r[1] for r in rows})
    totals = {giver: sum(p for _r, _c, p in made) for giver, made in given.items()}
    shares = {}
    tops = {}
    for giver, made in given.items():
        recipient, _count, points = max(made, key=lambda m: (m[2], -m[0]))
        tops[giver] = people.get(recipient)
        shares[giver] = points / totals[giver] if totals[giver] else 0.0
    points_flags, share_flags = mark(totals), mark(shares)
    found = [
        Giver(
            person=people[giver],
            awards=sum(c for _r, c, _p in made),
            points=totals[giver],
            recipients=len(made),
            top=tops[giver],
            concentration=round(shares[giver], 3),
            points_flag=points_flags[giver],
            concentration_flag=share_flags[giver],
        )
        for giver, made in given.items()
    ]
    return sorted(found, key=lambda g: (-g.points, g.person.display_name))


def _members(start, end) -> list[Member]:
    awarded = (
        select(
            Award.employee_id,
            func.count(Award.id).label("n"),
            func.sum(Award.points).label("points"),
        )
        .join(LedgerEntry, _counted_awards(start, end))
        .group_by(Award.employee_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Employee.id,
            Employee.username,
            Employee.display_name,
            Employee.employment_type,
            Team.name,
            func.coalesce(awarded.c.n, 0),
            func.coalesce(awarded.c.points, 0),
        )
        .select_from(Employee)
        .join(Team, Team.id == Employee.team_id)
        .outerjoin(awarded, awarded.c.employee_id == Employee.id)
        # Who supervises their own team gives its awards: they are not compared as a member.
        .where(
            Employee.active,
            ~exists().where(
                team_supervisors.c.team_id == Employee.team_id,
                team_supervisors.c.employee_id == Employee.id,
            ),
        )
        .order_by(Team.name, Employee.display_name)
    ).all()
    by_team: dict[str, dict[int, int]] = defaultdict(dict)
    for row in rows:
        by_team[row[4]][row[0]] = int(row[6])
    flags = {}
    for points in by_team.values():
        flags |= mark(points)
    return [
        Member(Person(r[0], r[1], r[2]), r[4], r[3] == "temp", int(r[5]), int(r[6]), flags[r[0]])
        for r in rows
    ]


def _outcome_points(start, end) -> dict[str, int]:
    rows = db.session.execute(
        select(Team.name, func.sum(Award.points))
        .select_from(Award)
        .join(LedgerEntry, _counted_awards(start, end))
        .join(Team, Team.id == Award.team_id)
        .where(Award.source == "outcome")
        .group_by(Team.name)
    )
    return {name: int(points) for name, points in rows}


def _teams(members: list[Member], outcome_points: dict[str, int]) -> list[TeamShare]:
    grouped: dict[str, list[Member]] = defaultdict(list)
    for member in members:
        grouped[member.team].append(member)
    per_member = {
        team: outcome_points.get(team, 0) / len(people) for team, people in grouped.items()
    }
    outcome_flags = mark(per_member) if group_median(per_member.values()) else {}
    found = []
    for team, people in grouped.items():
        temps = [m for m in people if m.temp]
        permanent = [m for m in people if not m.temp]
        temp_points = sum(m.points for m in temps)
        permanent_points = sum(m.points for m in permanent)
        temp_flag = None
        if temps and permanent and permanent_points:
            temp_flag = far_from(temp_points / len(temps), permanent_points / len(permanent))
        found.append(
            TeamShare(
                team,
                len(temps),
                len(permanent),
                temp_points,
                permanent_points,
                outcome_points.get(team, 0),
                temp_flag,
                outcome_flags.get(team),
            )  # fmt: skip
        )
    return found


def _recordings(start, end) -> list[Recording]:
    importer = aliased(OutcomeImport)
    rows = db.session.execute(
        select(
            Team.name,
            Outcome.recorded_by_id,
            importer.uploaded_by_id,
            importer.decided_by_id,
            func.count(Outcome.id),
            func.coalesce(func.sum(Award.points), 0),
        )
        .select_from(Outcome)
        .join(Employee, Employee.id == Outcome.employee_id)
        .join(Team, Team.id == Employee.team_id)
        .outerjoin(importer, importer.id == Outcome.import_id)
        .outerjoin(Award, Award.id == Outcome.award_id)
        .where(Outcome.recorded_at >= start, Outcome.recorded_at < end)
        .group_by(
            Team.name, Outcome.recorded_by_id, importer.uploaded_by_id, importer.decided_by_id
        )
        .order_by(Team.name)
    ).all()
    people = _people({i for row in rows for i in row[1:4]})
    return [
        Recording(
            row[0],
            people.get(row[1]),
            people.get(row[2]),
            people.get(row[3]),
            int(row[4]),
            int(row[5]),
        )  # fmt: skip
        for row in rows
    ]


def fairness(start: datetime, end: datetime) -> Fairness:
    """Who gave and got how much in [start, end), and what stands out from its group."""
    members = _members(start, end)
    return Fairness(
        givers=tuple(_givers(start, end)),
        members=tuple(members),
        teams=tuple(_teams(members, _outcome_points(start, end))),
        recordings=tuple(_recordings(start, end)),
    )
