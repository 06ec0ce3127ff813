"""The new price engine: fading demand, a step per redemption, and the recorded price states

Each reward gets the step (default 8 %) and half-life (default 14 days)
settings and the engine's state. Its redemptions so far are replayed
through the new engine from its creation, and the demand they leave is
anchored at the upgrade as an "upgraded" state: prices follow the new rule
from that moment, and the ticks recorded before it keep the prices that were.

Revision ID: 20261202_01_price_engine
Revises: 20261201_03_sessions_throttle
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "20261202_01_price_engine"
down_revision = "20261201_03_sessions_throttle"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rewards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('max_step_pct', sa.Integer(), nullable=False, server_default='8'))
        batch_op.add_column(sa.Column('half_life_days', sa.Integer(), nullable=False, server_default='14'))
        batch_op.add_column(sa.Column('demand', sa.Float(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('demand_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('price_cap', sa.Integer(), nullable=True))
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
    _anchor_existing_rewards()
    with op.batch_alter_table('rewards', schema=None) as batch_op:
        batch_op.alter_column('demand_at', existing_type=sa.DateTime(timezone=True), nullable=False)


def _anchor_existing_rewards():
    # The engine is pure (no Flask, no database), so the migration may use it as it is today.
    from pojo.market import pricing

    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    now = datetime.now(UTC)

    def aware(value):
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def stored(value):
        return value.replace(tzinfo=None) if sqlite else value

    rewards = bind.execute(sa.text(
        "SELECT id, base_price, floor_price, ceiling_price, expected_per_30d, created_at FROM rewards"
    )).all()
    for reward_id, base, floor, ceiling, expected, created_at in rewards:
        settings = pricing.PriceSettings(base=base, floor=floor, ceiling=ceiling, expected_per_30d=expected)
        state = pricing.opening(settings, min(aware(created_at), now))
        times = bind.execute(sa.text(
            "SELECT created_at FROM redemptions WHERE reward_id = :id ORDER BY created_at, id"
        ), {"id": reward_id}).scalars()
        for moment in times:
            state = pricing.redeemed(settings, state, min(aware(moment), now))
        demand = pricing.demand_at(settings, state, now)
        anchored = pricing.DemandState(demand, now, None)
        price = pricing.price(settings, anchored, now)
        bind.execute(sa.text(
            "UPDATE rewards SET demand = :demand, demand_at = :at, price_cap = NULL WHERE id = :id"
        ), {"demand": demand, "at": stored(now), "id": reward_id})
        bind.execute(sa.text(
            "INSERT INTO price_states (reward_id, at, cause, base_price, floor_price, ceiling_price,"
            " expected_per_30d, max_step_pct, half_life_days, demand, price_cap, price_before,"
            " price_after) VALUES (:id, :at, 'upgraded', :base, :floor, :ceiling, :expected,"
            " :step, :half_life, :demand, NULL, NULL, :price)"
        ), {"id": reward_id, "at": stored(now), "base": base, "floor": floor, "ceiling": ceiling,
            "expected": expected, "step": settings.step_pct, "half_life": settings.half_life_days,
            "demand": demand, "price": price})


def downgrade():
    with op.batch_alter_table('price_states', schema=None) as batch_op:
        batch_op.drop_index('ix_price_states_reward_id_at')
    op.drop_table('price_states')
    with op.batch_alter_table('rewards', schema=None) as batch_op:
        batch_op.drop_constraint('half_life', type_='check')
        batch_op.drop_constraint('max_step', type_='check')
        batch_op.drop_column('price_cap')
        batch_op.drop_column('demand_at')
        batch_op.drop_column('demand')
        batch_op.drop_column('half_life_days')
        batch_op.drop_column('max_step_pct')
