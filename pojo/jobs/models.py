"""Runs of scheduled jobs: one row per job and period makes every job idempotent."""

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pojo.database import UTCDateTime, utcnow
from pojo.extensions import db


class JobRun(db.Model):
    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    summary: Mapped[str] = mapped_column(String(500), default="")

    __table_args__ = (UniqueConstraint("job", "period", name="uq_job_runs_job_period"),)
