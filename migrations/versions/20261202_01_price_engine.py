"""The new price engine: fading demand, a step per redemption, the recorded price states, and an index for the newest redemptions

Each reward gets the step (default 8 %) and half-life (default 14 days)
settings and the engine's state, anchored at the upgrade as an "upgraded"
state with the demand at which the new rule gives the price the old one
gives now: no price jumps at the upgrade, prices follow the new rule from
that moment, and the ticks recorded before it keep the prices that were. A
reward the old rule had left below the new resting level (it rested at the
floor) keeps its price as a cap: it rises from there only with redemptions,
at most a step each, and never jumps up by itself.

Revision ID: 20261202_01_price_engine
Revises: 20261201_03_sessions_throttle
"""
import math
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "20261202_01_price_engine"
down_revision = "20261201_03_sessions_throttle"
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # ADD COLUMN in place: a batch copy of rewards would trip the foreign keys of its
        # redemptions. The two checks are the service's on SQLite (as for every engine).
        for column in _new_columns(sa.text("'2000-01-01 00:00:00'")):
            op.add_column('rewards', column)
    else:
        with op.batch_alter_table('rewards', schema=None) as batch_op:
            for column in _new_columns(None):
                batch_op.add_column(column)
            batch_op.create_check_constraint('max_step', 'max_step_pct BETWEEN 1 AND 25')
            batch_op.create_check_constraint('half_life', 'half_life_days BETWEEN 3 AND 60')
    op.create_table('price_states',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reward_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cause', sa.String(length=16), nullable=False),
    sa.Column('redemption_id', sa.Integer(), nullable=True),
    sa.Column('base_price', sa.Integer(), nullable=False),
    sa.Column('floor_price', sa.Integer(), nullable=False),
    sa.Column('ceiling_price', sa.Integer(), nullable=False),
    sa.Column('expected_per_30d', sa.Integer(), nullable=False),
    sa.Column('max_step_pct', sa.Integer(), nullable=False),
    sa.Column('half_life_days', sa.Integer(), nullable=False),
    sa.Column('demand', sa.Float(), nullable=False),
    sa.Column('price_cap', sa.Integer(), nullable=True),
    sa.Column('price_before', sa.Integer(), nullable=True),
    sa.Column('price_after', sa.Integer(), nullable=False),
    sa.CheckConstraint("cause IN ('opened', 'redeemed', 'settings', 'upgraded')", name=op.f('ck_price_states_cause')),
    sa.ForeignKeyConstraint(['redemption_id'], ['redemptions.id'], name=op.f('fk_price_states_redemption_id_redemptions')),
    sa.ForeignKeyConstraint(['reward_id'], ['rewards.id'], name=op.f('fk_price_states_reward_id_rewards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_price_states')),
    sa.UniqueConstraint('redemption_id', name=op.f('uq_price_states_redemption_id'))
    )
    with op.batch_alter_table('price_states', schema=None) as batch_op:
        batch_op.create_index('ix_price_states_reward_id_at', ['reward_id', 'at', 'id'], unique=False)
    op.create_index('ix_redemptions_created_at', 'redemptions', ['created_at'], unique=False)
    _anchor_existing_rewards()
    if bind.dialect.name != "sqlite":
        with op.batch_alter_table('rewards', schema=None) as batch_op:
            batch_op.alter_column('demand_at', existing_type=sa.DateTime(timezone=True), nullable=False)


def _new_columns(demand_at_default):
    return [
        sa.Column('max_step_pct', sa.Integer(), nullable=False, server_default='8'),
        sa.Column('half_life_days', sa.Integer(), nullable=False, server_default='14'),
        sa.Column('demand', sa.Float(), nullable=False, server_default='0'),
        sa.Column('demand_at', sa.DateTime(timezone=True), nullable=demand_at_default is None,
                  server_default=demand_at_default),
        sa.Column('price_cap', sa.Integer(), nullable=True),
    ]


def _old_price(base, floor, ceiling, expected, recent):
    """The price of the engine this replaces: `recent` redemptions in the last 30 days."""
    recent = min(recent, 2 * expected)
    if recent <= expected:
        value = floor * (base / floor) ** (recent / expected)
    else:
        value = base * (ceiling / base) ** ((recent - expected) / expected)
    return min(max(math.floor(value + 0.5 + 1e-9), floor), ceiling)


def _demand_for(base, floor, ceiling, expected, price):
    """The new engine's demand at which a reward costs `price`, and its price there (8 %, 14 days).

    Written out here rather than imported, so this migration never changes with the code:
    E = rate / k, w = min(1, 0.25 / rate), price = base * 1.08 ** (w * (D - E)).
    """
    rate, k, step = expected / 30, math.log(2) / 14, 0.08
    e, w = rate / k, min(1.0, 0.25 / rate)
    top = e + math.log(ceiling / base) / math.log1p(step) / w
    bottom = max(0.0, e - math.log(base / floor) / math.log1p(step) / w)
    demand = min(max(e + math.log(price / base) / math.log1p(step) / w, bottom), top)
    value = base * (1 + step) ** (w * (demand - e))
    return demand, min(max(math.floor(min(max(value, floor), ceiling) + 0.5 + 1e-9), floor), ceiling)


def _anchor_existing_rewards():
    """Each reward keeps the price it has now: the new engine starts from the demand that gives it."""
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    now = datetime.now(UTC)
    stored = now.replace(tzinfo=None) if sqlite else now
    since = stored - timedelta(days=30)
    rewards = bind.execute(sa.text(
        "SELECT id, base_price, floor_price, ceiling_price, expected_per_30d FROM rewards"
    )).all()
    for reward_id, base, floor, ceiling, expected in rewards:
        recent = bind.execute(sa.text(
            "SELECT COUNT(*) FROM redemptions WHERE reward_id = :id AND created_at > :since"
        ), {"id": reward_id, "since": since}).scalar_one()
        old = _old_price(base, floor, ceiling, expected, recent)
        demand, price = _demand_for(base, floor, ceiling, expected, old)
        # Below the new resting level (the old rule rested at the floor), the old price is kept
        # as a cap, as a redemption's cap: it rises only with redemptions, a step at a time.
        cap = old if price > old else None
        price = min(price, old)
        bind.execute(sa.text(
            "UPDATE rewards SET demand = :demand, demand_at = :at, price_cap = :cap WHERE id = :id"
        ), {"demand": demand, "at": stored, "cap": cap, "id": reward_id})
        bind.execute(sa.text(
            "INSERT INTO price_states (reward_id, at, cause, base_price, floor_price, ceiling_price,"
            " expected_per_30d, max_step_pct, half_life_days, demand, price_cap, price_before,"
            " price_after) VALUES (:id, :at, 'upgraded', :base, :floor, :ceiling, :expected,"
            " 8, 14, :demand, :cap, :price, :price)"
        ), {"id": reward_id, "at": stored, "base": base, "floor": floor, "ceiling": ceiling,
            "expected": expected, "demand": demand, "cap": cap, "price": price})


def downgrade():
    op.drop_index('ix_redemptions_created_at', table_name='redemptions')
    with op.batch_alter_table('price_states', schema=None) as batch_op:
        batch_op.drop_index('ix_price_states_reward_id_at')
    op.drop_table('price_states')
    columns = ('price_cap', 'demand_at', 'demand', 'half_life_days', 'max_step_pct')
    if op.get_bind().dialect.name == "sqlite":
        # In place, as the upgrade added them (SQLite 3.35+ drops a column without a copy).
        for column in columns:
            op.drop_column('rewards', column)
        return
    with op.batch_alter_table('rewards', schema=None) as batch_op:
        batch_op.drop_constraint('half_life', type_='check')
        batch_op.drop_constraint('max_step', type_='check')
        for column in columns:
            batch_op.drop_column(column)
