"""A year of contact-centre life, simulated day by day through the real services.

Every event (an outcome, a supervisor's award, a visit to the exchange, HR
fulfilling a redemption, the price tick) gets a time of day; events run in
time order, backdated with `at=`, so ledger ids follow time as in a live
system. Balances, stock and demand are mirrored in memory so that deciding
what to do costs no queries; the services still enforce every rule.
"""

import heapq
import itertools
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pojo.awards import service as awards
from pojo.demo import notes, personas
from pojo.demo.catalogue import Listed
from pojo.demo.outcomes import Measured, import_day
from pojo.demo.people import TEAM_BUDGET, Staff
from pojo.demo.personas import Wallet
from pojo.market import goals, redemptions, ticks

# Per working day at an ordinary pace: how often each good outcome happens to an agent.
OUTCOMES_PER_DAY = {"nps": 0.14, "fcr": 0.06, "promise_kept": 0.05}
# Survey answers come mostly from happy customers; under 9 earns nothing.
NPS_SCORES = (10, 10, 10, 10, 10, 10, 9, 9, 9, 8, 7, 5)
MANUAL_AWARDS_PER_DAY = 0.065
# Saturdays and Sundays are quieter, July is the Finnish summer holiday.
DAY_PACE = (1.0, 1.0, 1.0, 1.0, 1.0, 0.4, 0.25)
JULY_PACE = 0.5
CANCELLED_SHARE = 0.05
# Redemptions this recent are mostly still waiting for HR.
RECENT = timedelta(days=10)
HOURLY_TICKS = timedelta(hours=48)
# One supervisor favours one person: half of the last team's awards go to its first agent, so
# the dashboard's fairness section has a supervisor and a member that stand out.
FAVOURED_SHARE = 0.5


@dataclass
class Tally:
    outcomes: int = 0
    awards: int = 0
    redemptions: Counter = field(default_factory=Counter)  # by persona
    ticks: int = 0


@dataclass
class Simulation:
    staff: Staff
    catalogue: list[Listed]
    rng: random.Random
    zone: ZoneInfo
    start: datetime
    end: datetime
    criterion_points: dict[str, int]
    wallets: dict[int, Wallet] = field(default_factory=dict)
    tally: Tally = field(default_factory=Tally)
    budget_used: Counter = field(default_factory=Counter)  # (team id, month) -> points
    queue: list = field(default_factory=list)
    # Outcomes measured today, waiting for the evening import.
    measured: list[Measured] = field(default_factory=list)
    outcome_ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    # Its own draws, so the favouritism leaves the main sequence of the history as it was.
    favour: random.Random = field(default_factory=lambda: random.Random(7))
    _order: itertools.count = field(default_factory=itertools.count)

    def at(self, when: datetime, action: Callable[[datetime], None]) -> None:
        """Schedule an action; actions past the end of the history are dropped."""
        if when <= self.end:
            heapq.heappush(self.queue, (when, next(self._order), action))

    def prices(self, when: datetime) -> dict[int, int]:
        return {item.id: item.price(when) for item in self.catalogue}


def run(sim: Simulation) -> Tally:
    """Simulate from `sim.start` to `sim.end`, one day at a time, in time order."""
    for agent in sim.staff.agents:
        sim.wallets[agent.id] = Wallet(agent)
        if agent.persona == "saver":
            sim.at(agent.hired + timedelta(hours=9), lambda t, a=agent: _pin_goal(sim, a, t))
    day = sim.start.astimezone(sim.zone).date()
    while True:
        midnight = datetime.combine(day, time(0), sim.zone)
        if midnight > sim.end:
            break
        _plan_day(sim, midnight)
        next_midnight = datetime.combine(day + timedelta(days=1), time(0), sim.zone)
        while sim.queue and sim.queue[0][0] < next_midnight:
            when, _order, action = heapq.heappop(sim.queue)
            action(when)
        day += timedelta(days=1)
    return sim.tally


def _moment(sim: Simulation, midnight: datetime, first_hour: int, last_hour: int) -> datetime:
    local = midnight + timedelta(minutes=sim.rng.randint(first_hour * 60, last_hour * 60 - 1))
    return local.astimezone(UTC)


def _plan_day(sim: Simulation, midnight: datetime) -> None:
    rng = sim.rng
    pace = DAY_PACE[midnight.weekday()] * (JULY_PACE if midnight.month == 7 else 1.0)
    weekday = midnight.weekday() < 5
    for agent in sim.staff.agents:
        if agent.hired > midnight + timedelta(days=1):
            continue
        wallet = sim.wallets[agent.id]
        for kind, rate in OUTCOMES_PER_DAY.items():
            if rng.random() < rate * pace * agent.performance:
                score = rng.choice(NPS_SCORES) if kind == "nps" else None
                when = _moment(sim, midnight, 8, 20)
                if when > sim.end:
                    continue
                sim.measured.append(
                    Measured(
                        f"{kind}-{when:%Y%m%d}-{next(sim.outcome_ids):05d}",
                        agent.username,
                        kind,
                        score,
                        when,
                    )
                )
        if weekday and rng.random() < MANUAL_AWARDS_PER_DAY * pace * agent.performance:
            when = _moment(sim, midnight, 9, 17)
            sim.at(when, lambda t, w=wallet: _award(sim, w, t))
        if rng.random() < personas.VISITS_PER_DAY[agent.persona] * max(pace, 0.5):
            sim.at(_moment(sim, midnight, 7, 22), lambda t, w=wallet: _visit(sim, w, t))
    # The contact-centre system posts the day's outcomes in the evening; the last day's
    # are posted at the end so that today's wallets show them too.
    nightly = min((midnight + timedelta(hours=21)).astimezone(UTC), sim.end)
    sim.at(nightly, lambda t: _import_outcomes(sim, t))
    noon = (midnight + timedelta(hours=12)).astimezone(UTC)
    sim.at(noon, lambda t: _tick(sim, t))
    # The last two days also get the hourly ticks the scheduler would have recorded.
    for hour in range(24):
        when = (midnight + timedelta(hours=hour)).astimezone(UTC)
        if hour != 12 and sim.end - when < HOURLY_TICKS:
            sim.at(when, lambda t: _tick(sim, t))


def _import_outcomes(sim: Simulation, when: datetime) -> None:
    measured = [item for item in sim.measured if item.occurred_at <= when]
    sim.measured = [item for item in sim.measured if item.occurred_at > when]
    if not measured:
        return
    earned = import_day(sim.staff.hr, measured, when)
    sim.tally.outcomes += len(measured)
    for wallet in sim.wallets.values():
        wallet.balance += earned.get(wallet.agent.username, 0)


def _award(sim: Simulation, wallet: Wallet, when: datetime) -> None:
    agent = wallet.agent
    code = notes.pick_criterion(sim.rng)
    points = sim.criterion_points[code]
    month = when.astimezone(sim.zone).strftime("%Y-%m")
    budget_key = (agent.team_id, month)
    if sim.budget_used[budget_key] + points > TEAM_BUDGET:
        return  # the supervisor has spent this month's budget; the agent waits for next month
    supervisor = sim.staff.supervisors[agent.team_id]
    note = notes.note_for(sim.rng, code, agent.language)
    favoured = _favoured(sim, agent.team_id)
    if favoured is not None and favoured.hired <= when and sim.favour.random() < FAVOURED_SHARE:
        wallet = sim.wallets[favoured.id]
        agent = favoured
    made = awards.award(supervisor, agent.username, code, note, at=when)
    sim.budget_used[budget_key] += made.points
    sim.tally.awards += 1
    wallet.balance += made.points


def _favoured(sim: Simulation, team_id: int):
    """The last team's first agent, whom its supervisor favours; None in the other teams."""
    last = max(sim.staff.supervisors)
    if team_id != last:
        return None
    return next(a for a in sim.staff.agents if a.team_id == last)


def _visit(sim: Simulation, wallet: Wallet, when: datetime) -> None:
    prices = sim.prices(when)
    item = personas.choose(sim.rng, wallet, sim.catalogue, prices, when, sim.zone)
    if item is None:
        return
    price = prices[item.id]
    redemption = redemptions.redeem(wallet.agent.employee, item.id, price, at=when)
    wallet.balance -= redemption.price_paid
    item.redeemed(redemption.created_at)
    if item.stock_left is not None:
        item.stock_left -= 1
    personas.redeemed(wallet, item, when, sim.zone)
    sim.tally.redemptions[wallet.persona] += 1
    _plan_decision(sim, wallet, redemption.id, when)
    if wallet.persona == "saver" and item is wallet.goal:
        sim.at(
            when + timedelta(days=sim.rng.randint(1, 5)), lambda t: _pin_goal(sim, wallet.agent, t)
        )


def _plan_decision(sim: Simulation, wallet: Wallet, redemption_id: int, when: datetime) -> None:
    """HR hands most rewards over within a week; a few are cancelled; recent ones wait."""
    rng = sim.rng
    if sim.end - when < RECENT and rng.random() < 0.8:
        return
    if rng.random() < CANCELLED_SHARE:
        reason = notes.cancel_reason(rng, wallet.agent.language)
        decide = lambda t: _cancel(sim, wallet, redemption_id, reason, t)  # noqa: E731
        delay = timedelta(hours=rng.randint(20, 72))
    else:
        decide = lambda t: _fulfil(sim, redemption_id, t)  # noqa: E731
        delay = timedelta(hours=rng.randint(18, 150))
    sim.at(when + delay, decide)


def _fulfil(sim: Simulation, redemption_id: int, when: datetime) -> None:
    redemptions.fulfil(sim.staff.hr, redemption_id, at=when)


def _cancel(sim: Simulation, wallet: Wallet, redemption_id: int, reason: str, when) -> None:
    redemption = redemptions.cancel(sim.staff.hr, redemption_id, reason, at=when)
    wallet.balance += redemption.price_paid
    for item in sim.catalogue:
        if item.id == redemption.reward_id and item.stock_left is not None:
            item.stock_left += 1


def _pin_goal(sim: Simulation, agent, when: datetime) -> None:
    wallet = sim.wallets[agent.id]
    goal = personas.choose_goal(sim.rng, sim.catalogue)
    wallet.goal = goal
    goals.set_goal(agent.employee, goal.id, at=when)


def _tick(sim: Simulation, when: datetime) -> None:
    sim.tally.ticks += ticks.record_ticks(when)
