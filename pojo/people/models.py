"""Employees, teams and who supervises which team."""

from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pojo.database import UTCDateTime, utcnow
from pojo.extensions import db
from pojo.policy import ROLES

EMPLOYMENT_TYPES = ("permanent", "temp")
# What happens to a temp's unspent points when their contract ends (HR's setting).
UNSPENT_POINTS = ("keep", "expire")
# What the contract jobs did for one contract end date, once each.
CONTRACT_EVENTS = ("reminder_14", "reminder_3", "ended")
LANGUAGES = ("fi", "en")

team_supervisors = Table(
    "team_supervisors",
    db.metadata,
    Column("team_id", ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
    Column("employee_id", ForeignKey("employees.id", ondelete="CASCADE"), primary_key=True),
)


class Team(db.Model):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    # None: the site-wide POJO_TEAM_MONTHLY_BUDGET applies.
    monthly_award_budget: Mapped[int | None] = mapped_column(Integer)
    # A covered shift swap moves the shift only once a supervisor approves it.
    swap_needs_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list["Employee"]] = relationship(
        back_populates="team", foreign_keys="Employee.team_id", order_by="Employee.display_name"
    )
    supervisors: Mapped[list["Employee"]] = relationship(
        secondary=team_supervisors,
        back_populates="supervised_teams",
        order_by="Employee.display_name",
    )

    __table_args__ = (
        CheckConstraint("monthly_award_budget IS NULL OR monthly_award_budget >= 0", name="budget"),
    )

    def __repr__(self) -> str:
        return f"<Team {self.name}>"


class Employee(UserMixin, db.Model):
    __tablename__ = "employees"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(16), default="agent")
    employment_type: Mapped[str] = mapped_column(String(16), default="permanent")
    agency_name: Mapped[str | None] = mapped_column(String(120))
    contract_end: Mapped[date | None] = mapped_column(Date)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    language: Mapped[str] = mapped_column(String(2), default="fi")
    password_hash: Mapped[str | None] = mapped_column(String(256))
    # Bumped to end every session of this employee at once (logout, deactivation).
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the first-login tour was shown (pojo.guide); None: at their next login.
    tour_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    team: Mapped[Team | None] = relationship(back_populates="members", foreign_keys=[team_id])
    supervised_teams: Mapped[list[Team]] = relationship(
        secondary=team_supervisors, back_populates="supervisors", order_by="Team.name"
    )

    __table_args__ = (
        # Exactly the roles of the access policy (pojo.policy.ROLES).
        CheckConstraint(f"role IN {ROLES}", name="role"),
        CheckConstraint("employment_type IN ('permanent', 'temp')", name="employment_type"),
        CheckConstraint("language IN ('fi', 'en')", name="language"),
    )

    def get_id(self) -> str:
        # The session version in the id makes old session cookies stop working.
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_temp(self) -> bool:
        return self.employment_type == "temp"

    def supervises(self, employee: "Employee") -> bool:
        """True when this employee supervises the team the other belongs to."""
        return employee.team_id is not None and any(
            team.id == employee.team_id for team in self.supervised_teams
        )

    def __repr__(self) -> str:
        return f"<Employee {self.username} {self.role}>"


class Setting(db.Model):
    """One site-wide setting HR chooses (e.g. `unspent_points`), kept as text."""

    __tablename__ = "settings"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(255))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))

    def __repr__(self) -> str:
        return f"<Setting {self.name}={self.value}>"


class ContractEvent(db.Model):
    """A reminder sent, or the end handled, for one temp's contract end date.

    Unique per employee, end date and kind: a job that runs twice finds the
    row and does nothing; an extended contract has a new end date, so its
    reminders come again.
    """

    __tablename__ = "contract_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    contract_end: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    # For "ended": what the setting did with the points (keep or expire) and how many.
    outcome: Mapped[str | None] = mapped_column(String(16))
    points: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("employee_id", "contract_end", "kind"),
        CheckConstraint(f"kind IN {CONTRACT_EVENTS}", name="kind"),
    )

    def __repr__(self) -> str:
        return f"<ContractEvent {self.employee_id} {self.contract_end} {self.kind}>"
