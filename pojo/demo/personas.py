"""How each kind of agent spends points: the choices behind the demo's redemptions.

- impulse redeemers ("himopalkitsijat") have a few favourite cheap or medium
  rewards and redeem one the moment their balance covers it;
- goal savers ("tavoitesäästäjät") pin an expensive goal and redeem nothing
  else until they have saved its base price, so they carry a large balance
  (after five months of waiting, another big reward in reach will do);
- balanced agents treat themselves every month or two, keeping a cushion;
- dormant agents start like balanced ones, then stop redeeming for good;
- new hires redeem one cheap reward once they have settled in.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from pojo.demo.catalogue import Listed
from pojo.demo.people import Agent

# Rewards an impulse redeemer or a new hire reaches for; savers aim above this.
CHEAP_PRICE = 180
# Balanced agents treat themselves to anything from this up.
TREAT_PRICE = 150
MEDIUM_PRICE = 450
FAVOURITES = 4
GOAL_PRICE = 900
SETTLE_PRICE = 600
SETTLING_IN = timedelta(days=21)
SAVER_PATIENCE = timedelta(days=150)
# How often (per day) agents open the exchange, by persona.
VISITS_PER_DAY = {"impulse": 0.8, "saver": 0.5, "balanced": 0.35, "dormant": 0.3, "new": 0.5}


@dataclass
class Wallet:
    """An agent's points and plans as the simulation sees them."""

    agent: Agent
    balance: int = 0
    # The rewards an impulse redeemer or a new hire reaches for.
    favourites: list[Listed] = field(default_factory=list)
    # The saver's pinned goal.
    goal: Listed | None = None
    last_redeemed: datetime | None = None
    next_treat: datetime | None = None
    # (reward id, period key) -> redemptions, for per-person limits.
    used_limits: dict[tuple[int, tuple], int] = field(default_factory=dict)

    @property
    def persona(self) -> str:
        return self.agent.persona


def period_key(period: str | None, at: datetime, zone: ZoneInfo) -> tuple:
    local = at.astimezone(zone)
    if period == "month":
        return (local.year, local.month)
    if period == "quarter":
        return (local.year, (local.month - 1) // 3)
    return (local.year,)


def allowed(wallet: Wallet, item: Listed, at: datetime, zone: ZoneInfo) -> bool:
    """In stock, in season and within the person's limit."""
    spec = item.spec
    # A swap needs one of the person's coming shifts; the roster starts four weeks back, so the
    # year's history has none (the demo puts live swaps on the board: `roster.put_up_swaps`).
    if spec.kind == "shift_swap":
        return False
    if item.stock_left == 0 or not item.wanted_in(at.astimezone(zone).month):
        return False
    if spec.per_person_limit is None:
        return True
    key = (item.id, period_key(spec.limit_period, at, zone))
    return wallet.used_limits.get(key, 0) < spec.per_person_limit


def choose_goal(rng: random.Random, catalogue: list[Listed]) -> Listed:
    """An expensive reward to save toward, preferably one still in stock."""
    goals = [item for item in catalogue if item.spec.base_price >= GOAL_PRICE]
    return rng.choice([item for item in goals if item.stock_left != 0] or goals)


def _pick(rng: random.Random, items: list[Listed]) -> Listed | None:
    if not items:
        return None
    # Seasonal rewards are what everyone talks about in their season.
    weights = [4 if item.spec.season else 1 for item in items]
    return rng.choices(items, weights=weights)[0]


def choose(
    rng: random.Random,
    wallet: Wallet,
    catalogue: list[Listed],
    prices: dict[int, int],
    at: datetime,
    zone: ZoneInfo,
) -> Listed | None:
    """What this agent redeems on this visit to the exchange, if anything."""
    agent = wallet.agent
    persona = wallet.persona
    if persona == "dormant" and at >= agent.stops_redeeming:
        return None
    if persona == "new" and (at - agent.hired < SETTLING_IN or wallet.last_redeemed):
        return None
    open_items = [item for item in catalogue if allowed(wallet, item, at, zone)]
    affordable = [item for item in open_items if prices[item.id] <= wallet.balance]
    if persona in ("impulse", "new"):
        if not wallet.favourites:
            liked = [
                item for item in catalogue if CHEAP_PRICE <= item.spec.base_price <= MEDIUM_PRICE
            ]
            wallet.favourites = rng.sample(liked, FAVOURITES)
        return _pick(rng, [item for item in affordable if item in wallet.favourites])
    if persona == "saver":
        goal = wallet.goal
        # Savers save up the goal's full base price before they buy, whatever the day's price.
        if goal in affordable and wallet.balance >= goal.spec.base_price:
            return goal
        # Months without a treat wear anyone down: then any big reward in reach will do.
        waited = at - (wallet.last_redeemed or agent.hired)
        if waited > SAVER_PATIENCE:
            return _pick(rng, [i for i in affordable if i.spec.base_price >= SETTLE_PRICE])
        return None
    # Balanced, and dormant before they drift off: a treat every month or two, with a cushion.
    if wallet.next_treat is not None and at < wallet.next_treat:
        return None
    treats = [
        item
        for item in open_items
        if TREAT_PRICE <= item.spec.base_price <= 1200 and prices[item.id] <= wallet.balance * 0.8
    ]
    treat = _pick(rng, treats)
    wait = rng.randint(30, 55) if treat is not None else rng.randint(5, 10)
    wallet.next_treat = at + timedelta(days=wait)
    return treat


def redeemed(wallet: Wallet, item: Listed, at: datetime, zone: ZoneInfo) -> None:
    """Note a redemption against the person's limits and plans."""
    key = (item.id, period_key(item.spec.limit_period, at, zone))
    wallet.used_limits[key] = wallet.used_limits.get(key, 0) + 1
    wallet.last_redeemed = at
