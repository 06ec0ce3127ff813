"""Rewards on the exchange, their redemptions, price history and savings goals."""

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    literal_column,
    update,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from pojo.bounds import INCOME_TYPE_CODE_LENGTH
from pojo.database import UTCDateTime, utcnow
from pojo.extensions import db
from pojo.ledger.models import LedgerEntry
from pojo.people.models import Employee
from pojo.rows import Bilingual

CATEGORIES = ("experience", "item", "wellbeing", "time_off")
REWARD_KINDS = ("standard", "shift_swap")
LIMIT_PERIODS = ("month", "quarter", "year")
# How payroll treats a reward: in Finland a reward for work performance is taxable pay, some
# perks (an extra day off) are not. HR marks each; the export lists it per employer of record.
TAX_TREATMENTS = ("taxable", "tax_free")
# The settings the price follows (`pojo.market.pricing.PriceSettings`), by column.
PRICE_SETTINGS = {
    "base": "base_price",
    "floor": "floor_price",
    "ceiling": "ceiling_price",
    "expected_per_30d": "expected_per_30d",
    "step_pct": "max_step_pct",
    "half_life_days": "half_life_days",
}
# A reward's settings as HR gives them: the catalogue's fields and the editor's, defined once.
REWARD_SETTINGS = (
    "name_en",
    "name_fi",
    "description_en",
    "description_fi",
    "category",
    "kind",
    "base_price",
    "floor_price",
    "ceiling_price",
    "stock",
    "per_person_limit",
    "limit_period",
    "expected_per_30d",
    "max_step_pct",
    "half_life_days",
    "active",
    "image",
    "image_type",
    "tax_treatment",
    "income_type_code",
    "value_cents",
)


class Reward(Bilingual, db.Model):
    """A perk on the exchange. Its price follows demand between floor and ceiling."""

    __tablename__ = "rewards"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_fi: Mapped[str] = mapped_column(String(120))
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_fi: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(16), default="item")
    kind: Mapped[str] = mapped_column(String(16), default="standard")
    image: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    image_type: Mapped[str | None] = mapped_column(String(32))
    base_price: Mapped[int] = mapped_column(Integer)
    floor_price: Mapped[int] = mapped_column(Integer)
    ceiling_price: Mapped[int] = mapped_column(Integer)
    # None: unlimited.
    stock: Mapped[int | None] = mapped_column(Integer)
    per_person_limit: Mapped[int | None] = mapped_column(Integer)
    limit_period: Mapped[str | None] = mapped_column(String(8))
    # Redemptions per 30 days at which the price rests at base.
    expected_per_30d: Mapped[int] = mapped_column(Integer, default=4)
    # The most one redemption raises the price, in percent.
    max_step_pct: Mapped[int] = mapped_column(Integer, default=8)
    # Demand halves in this many days without redemptions.
    half_life_days: Mapped[int] = mapped_column(Integer, default=14)
    # The price engine's state (`pojo.market.pricing.DemandState`) after the last PriceState.
    demand: Mapped[float] = mapped_column(Float, default=0.0)
    demand_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    price_cap: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # For payroll: taxable or tax-free, the payroll system's income-type code, the value in
    # euro cents (None: not set). A fulfilled redemption keeps a copy (see Redemption).
    tax_treatment: Mapped[str] = mapped_column(
        String(16), default="taxable", server_default="taxable"
    )
    income_type_code: Mapped[str | None] = mapped_column(String(INCOME_TYPE_CODE_LENGTH))
    value_cents: Mapped[int | None] = mapped_column(Integer)
    # Goes up with every change to the reward or to one of its redemptions, in the same
    # transaction: the board's cache compares the sum over all rewards (pojo.market.board).
    # A counter, not a timestamp or a max id: commits out of order still always raise the sum.
    revision: Mapped[int] = mapped_column(
        Integer, default=1, onupdate=literal_column("revision + 1")
    )

    __table_args__ = (
        CheckConstraint(
            "0 < floor_price AND floor_price <= base_price AND base_price <= ceiling_price",
            name="price_band",
        ),
        CheckConstraint("stock IS NULL OR stock >= 0", name="stock_not_negative"),
        CheckConstraint("expected_per_30d >= 1", name="expected_demand"),
        CheckConstraint("max_step_pct BETWEEN 1 AND 25", name="max_step"),
        CheckConstraint("half_life_days BETWEEN 3 AND 60", name="half_life"),
        CheckConstraint(
            "category IN ('experience', 'item', 'wellbeing', 'time_off')", name="category"
        ),
        CheckConstraint("kind IN ('standard', 'shift_swap')", name="kind"),
        CheckConstraint("per_person_limit IS NULL OR per_person_limit >= 1", name="person_limit"),
        CheckConstraint("tax_treatment IN ('taxable', 'tax_free')", name="tax_treatment"),
        CheckConstraint("value_cents IS NULL OR value_cents >= 0", name="value_cents"),
    )

    def __repr__(self) -> str:
        return f"<Reward {self.id} {self.name_en}>"


class Redemption(db.Model):
    """An employee's purchase of a reward: pending until fulfilled or cancelled."""

    __tablename__ = "redemptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    reward_id: Mapped[int] = mapped_column(ForeignKey("rewards.id"))
    price_paid: Mapped[int] = mapped_column(Integer)
    max_price: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    decision_note: Mapped[str | None] = mapped_column(String(500))
    entry_id: Mapped[int] = mapped_column(ForeignKey("ledger_entries.id"), unique=True)
    refund_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("ledger_entries.id"), unique=True
    )
    # Set by the redeem form; a double-submitted form makes one redemption.
    request_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The reward's payroll settings as they were when it was fulfilled, so a later edit of the
    # reward does not rewrite what payroll was told. None until fulfilled (and for a value not set).
    tax_treatment: Mapped[str | None] = mapped_column(String(16))
    income_type_code: Mapped[str | None] = mapped_column(String(INCOME_TYPE_CODE_LENGTH))
    value_cents: Mapped[int | None] = mapped_column(Integer)
    # Brought in by a history import (pojo.history): past demand, not a purchase to pay out now.
    imported: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    decided_by: Mapped[Employee | None] = relationship(foreign_keys=[decided_by_id])
    reward: Mapped[Reward] = relationship()
    entry: Mapped[LedgerEntry] = relationship(foreign_keys=[entry_id])
    refund_entry: Mapped[LedgerEntry | None] = relationship(foreign_keys=[refund_entry_id])

    __table_args__ = (
        CheckConstraint("price_paid > 0 AND price_paid <= max_price", name="price_paid"),
        CheckConstraint("status IN ('pending', 'fulfilled', 'cancelled')", name="status"),
        Index("ix_redemptions_reward_id_created_at", "reward_id", "created_at"),
        Index("ix_redemptions_employee_id_created_at", "employee_id", "created_at"),
        Index("ix_redemptions_status", "status"),
        # The board's feed: the newest redemptions on the whole exchange.
        Index("ix_redemptions_created_at", "created_at"),
    )

    def __repr__(self) -> str:
        return f"<Redemption {self.id} reward={self.reward_id} {self.status}>"


@event.listens_for(Redemption, "after_insert")
@event.listens_for(Redemption, "after_update")
def _redemption_changed(_mapper, connection, redemption: Redemption) -> None:
    """A redemption moves its reward's price (or stock): bump the reward's revision.

    The reward row is already locked by whoever redeems or decides (reward first).
    """
    rewards = Reward.__table__
    connection.execute(
        update(rewards)
        .where(rewards.c.id == redemption.reward_id)
        .values(revision=rewards.c.revision + 1)
    )


class PriceTick(db.Model):
    """A recorded price. Scheduled ticks are unique per reward and period."""

    __tablename__ = "price_ticks"

    id: Mapped[int] = mapped_column(primary_key=True)
    reward_id: Mapped[int] = mapped_column(ForeignKey("rewards.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    price: Mapped[int] = mapped_column(Integer)
    # Start of the scheduled interval; None for ticks recorded by a redemption.
    period_start: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("reward_id", "period_start", name="uq_price_ticks_reward_period"),
        Index("ix_price_ticks_reward_id_at", "reward_id", "at"),
    )


class PriceState(db.Model):
    """The price engine's state after one event of a reward: opened, redeemed, settings changed.

    Each row holds the settings in force from then on and the demand state
    right after the event, so the price at any later moment up to the next
    row is `pojo.market.pricing.price` of this row alone. The rows are the
    reward's recorded price history: never updated, and each equals the
    replay of the one before (`pojo.market.invariants`).
    """

    __tablename__ = "price_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    reward_id: Mapped[int] = mapped_column(ForeignKey("rewards.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    # opened, redeemed, settings; "upgraded" anchors a reward that predates the engine;
    # "imported" anchors the demand a history import folded in (pojo.market.imported).
    cause: Mapped[str] = mapped_column(String(16))
    redemption_id: Mapped[int | None] = mapped_column(ForeignKey("redemptions.id"), unique=True)
    base_price: Mapped[int] = mapped_column(Integer)
    floor_price: Mapped[int] = mapped_column(Integer)
    ceiling_price: Mapped[int] = mapped_column(Integer)
    expected_per_30d: Mapped[int] = mapped_column(Integer)
    max_step_pct: Mapped[int] = mapped_column(Integer)
    half_life_days: Mapped[int] = mapped_column(Integer)
    demand: Mapped[float] = mapped_column(Float)
    price_cap: Mapped[int | None] = mapped_column(Integer)
    # The price just before the event (None at the opening) and right after it.
    price_before: Mapped[int | None] = mapped_column(Integer)
    price_after: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint(
            "cause IN ('opened', 'redeemed', 'settings', 'upgraded', 'imported')", name="cause"
        ),
        Index("ix_price_states_reward_id_at", "reward_id", "at", "id"),
    )


class SavingsGoal(db.Model):
    """The one reward an employee saves toward."""

    __tablename__ = "savings_goals"

    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), primary_key=True)
    reward_id: Mapped[int] = mapped_column(ForeignKey("rewards.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Price at the last notice (or when pinned): a 10 % drop from it notifies.
    reference_price: Mapped[int] = mapped_column(Integer)
    affordable_notified: Mapped[bool] = mapped_column(Boolean, default=False)

    reward: Mapped[Reward] = relationship()
