"""The demo's roster: every agent's shifts from four weeks back to six weeks ahead.

Each agent works one kind of shift a week (evening, then day, then morning:
in that order at least 11 hours of rest lie between the weeks), with two days
off in a row. The Christmas period has its own hours and labels, and the demo
logins among the agents work a Christmas Eve evening, so the shift-swap reward
has a shift to swap. Written in one bulk insert, deterministic by seed.
"""

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert

from pojo.extensions import db
from pojo.shifts.models import Shift

WEEKS_BACK, WEEKS_AHEAD = 4, 6
# One week's kind of shift, in rotation order: (start, end) in local hours.
KINDS = ((time(14), time(22)), (time(9), time(17)), (time(7), time(15)))
CHRISTMAS_EVE_EVENING = ((time(14), time(20)), "Christmas Eve evening")
CHRISTMAS_EVE_MORNING = ((time(8), time(14)), "Christmas Eve morning")
# Days the centre keeps short hours (about a third of the agents work them) or stays closed.
SHORT_DAYS = {
    (12, 25): ((time(9), time(15)), "Christmas Day"),
    (12, 26): ((time(9), time(15)), "Boxing Day"),
    (12, 31): ((time(10), time(16)), "New Year's Eve"),
}
CLOSED = {(1, 1), (1, 6)}
# Demo logins that always work Christmas Eve evening.
CHRISTMAS_EVE_WORKERS = {"aleksi.salminen", "johanna.miettinen"}


def _hours(day: date, kind: int, index: int, username: str, holiday_crew: bool):
    """(start, end, label) of this agent's shift on `day`, or None for a day off."""
    off = index % 7
    works = day.weekday() not in (off, (off + 1) % 7)
    if (day.month, day.day) == (12, 24):
        if username in CHRISTMAS_EVE_WORKERS:
            return CHRISTMAS_EVE_EVENING
        if not works:
            return None
        return CHRISTMAS_EVE_MORNING if kind == 2 else CHRISTMAS_EVE_EVENING
    if (day.month, day.day) in CLOSED:
        return None
    if (day.month, day.day) in SHORT_DAYS:
        return SHORT_DAYS[(day.month, day.day)] if holiday_crew else None
    return (KINDS[kind], "") if works else None


def plan_roster(agents, zone, today: date, seed: int) -> int:
    """Insert the roster of `agents` (demo.people.Agent) around `today`; returns the shifts made."""
    rng = random.Random(f"roster-{seed}")
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=WEEKS_BACK)
    days = [first + timedelta(days=n) for n in range(7 * (WEEKS_BACK + WEEKS_AHEAD))]
    rows = []
    for index, agent in enumerate(agents):
        offset = rng.randrange(len(KINDS))
        holiday_crew = rng.random() < 1 / 3
        # A temp is rostered only until their contract ends.
        contract_end = agent.employee.contract_end
        for day in days:
            if contract_end is not None and day > contract_end:
                break
            week = (day - first).days // 7
            kind = (offset + week) % len(KINDS)
            planned = _hours(day, kind, index, agent.username, holiday_crew)
            if planned is None:
                continue
            (start, end), label = planned
            rows.append(
                {
                    "employee_id": agent.id,
                    "team_id": agent.team_id,
                    "starts_at": datetime.combine(day, start, zone),
                    "ends_at": datetime.combine(day, end, zone),
                    "label": label,
                    "created_at": datetime.combine(first, time(6), zone),
                }
            )
    if rows:
        db.session.execute(insert(Shift), rows)
    return len(rows)


# aleksi.salminen keeps his Christmas Eve shift, to try the swap himself.
KEEPS_HIS_SHIFT = "aleksi.salminen"
SWAPS_ON_THE_BOARD = 2


def put_up_swaps(agents, now) -> int:
    """Put a few Christmas Eve shifts on the swap board when the demo opens: those of the
    best-off agents who work one, through a real redemption of the shift-swap reward."""
    from sqlalchemy import select

    from pojo.errors import DomainError
    from pojo.extensions import db
    from pojo.ledger.service import balance_of
    from pojo.market.demand import price_now
    from pojo.market.models import Reward
    from pojo.market.redemptions import redeem
    from pojo.shifts.models import Shift

    reward = db.session.scalar(select(Reward).where(Reward.kind == "shift_swap", Reward.active))
    if reward is None:
        return 0
    labels = (CHRISTMAS_EVE_EVENING[1], CHRISTMAS_EVE_MORNING[1])
    candidates = []
    for agent in agents:
        # A dormant agent redeems nothing this half-year, a swap neither.
        if agent.username == KEEPS_HIS_SHIFT or agent.persona == "dormant":
            continue
        shift = db.session.scalar(
            select(Shift).where(
                Shift.employee_id == agent.employee.id,
                Shift.label.in_(labels),
                Shift.starts_at > now,
            )
        )
        if shift is not None:
            candidates.append((balance_of(agent.employee.id), agent.username, agent, shift))
    made = 0
    for balance, _name, agent, shift in sorted(candidates, key=lambda c: (-c[0], c[1])):
        price = price_now(reward, now)
        if made == SWAPS_ON_THE_BOARD or balance < price:
            break
        try:
            redeem(agent.employee, reward.id, price, details={"shift": shift.id})
        except DomainError:
            continue  # inside the swap deadline (a demo made on 23 December): no swap
        made += 1
    return made
