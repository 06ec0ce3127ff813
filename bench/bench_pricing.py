"""The price engine on the demo year: how much one redemption moves a price, how fast it falls.

1. Builds the demo (`flask --app pojo demo`: a year of a contact centre simulated through
   the real services, default price settings, the fixed seed) into a fresh SQLite file.
2. Reads each reward's recorded price states (`PriceState`: opening, redemptions, settings
   changes), replays them through the pure engine (`pojo.market.pricing.replay`), checks
   that the replay reproduces every recorded price, and prints from the replayed curves:
   - the median and largest price move per redemption, percent (goal: at most the step,
     8 % by default, by construction);
   - the largest one-day fall, percent, over every reward and every 24 hours without a
     redemption or settings change in them, the curve sampled hourly (goal: at most the
     step; the engine aims at half a step plus whole-point rounding);
   - on 50 random moments of the year, the share of rewards (active, open for a week)
     whose price differs from the price 7 days earlier (goal: at least 80 % on average),
     and the rewards that most often stood still;
   - redemptions per agent per year of employment (the system Pojo replaces saw about 6).
3. `flask --app pojo ledger verify` on the database it filled (exit status 1 when it fails).

Exit status 1 when a goal is missed.

    .venv/bin/python bench/bench_pricing.py
    .venv/bin/python bench/bench_pricing.py --keep   # leave the SQLite file for a look
"""

import argparse
import bisect
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from bench.bench_market import verify_ledger  # noqa: E402
from pojo import create_app  # noqa: E402
from pojo.demo.build import build  # noqa: E402
from pojo.demo.cli import DEFAULT_SEED  # noqa: E402
from pojo.extensions import db  # noqa: E402
from pojo.market import pricing  # noqa: E402
from pojo.market.demand import settings_of  # noqa: E402
from pojo.market.models import PriceState, Redemption, Reward  # noqa: E402
from pojo.people.models import Employee  # noqa: E402
from pojo.unit_of_work import unit_of_work  # noqa: E402

MONTHS = 12
SAMPLED_DAYS = 50
WEEK = timedelta(days=7)
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
YEAR_DAYS = 365.25
GOAL_MOVED_SHARE = 80.0


@dataclass(frozen=True)
class History:
    """One reward's recorded events, replayed."""

    name: str
    active: bool
    steps: list[pricing.Step]
    recorded: list[tuple[int | None, int]]  # (price before, price after) per recorded state

    @property
    def opened(self) -> datetime:
        return self.steps[0].state.at

    def event_times(self) -> list[datetime]:
        return [step.state.at for step in self.steps]

    def price_at(self, moment: datetime) -> int:
        return pricing.prices_along(self.steps, [moment])[0]


# -- the demo's database -----------------------------------------------------------


def fill(url: str) -> float:
    """Build the demo year into the empty database at `url`; the seconds it took."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    began = time.perf_counter()
    with app.app_context():
        upgrade()
        with unit_of_work():
            build(DEFAULT_SEED, MONTHS)
        db.session.remove()
        db.engine.dispose()
    return time.perf_counter() - began


def _event(row: PriceState) -> pricing.Event:
    if row.cause in ("opened", "upgraded"):
        return pricing.Opened(row.at, settings_of(row))
    if row.cause == "redeemed":
        return pricing.Redeemed(row.at)
    return pricing.SettingsChanged(row.at, settings_of(row))


def read(url: str) -> tuple[list[History], dict]:
    """Every reward's replayed history, and the redemption counts the last figure needs."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        histories = []
        for reward in db.session.scalars(select(Reward).order_by(Reward.id)):
            rows = list(
                db.session.scalars(
                    select(PriceState)
                    .where(PriceState.reward_id == reward.id)
                    .order_by(PriceState.at, PriceState.id)
                )
            )
            if rows[0].cause == "upgraded":
                sys.exit(f"{reward.name_en}: predates the engine, not a demo of it")
            histories.append(
                History(
                    reward.name_en,
                    reward.active,
                    pricing.replay(_event(row) for row in rows),
                    [(row.price_before, row.price_after) for row in rows],
                )
            )
        settings = Counter(
            (row.max_step_pct, row.half_life_days) for row in db.session.scalars(select(PriceState))
        )
        agents = list(db.session.scalars(select(Employee).where(Employee.role == "agent")))
        counts = {
            "redemptions": db.session.scalar(select(func.count(Redemption.id))),
            "cancelled": db.session.scalar(
                select(func.count(Redemption.id)).where(Redemption.status == "cancelled")
            ),
            "redeemers": db.session.scalar(
                select(func.count(func.distinct(Redemption.employee_id)))
            ),
            "agents": len(agents),
            "hired": [agent.created_at for agent in agents],
            "settings": settings,
        }
        db.session.remove()
        db.engine.dispose()
    return histories, counts


# -- the figures, from the replayed curves ---------------------------------------------


def replay_mismatches(histories: list[History]) -> int:
    """Recorded prices the replay from settings and event times alone does not reproduce."""
    return sum(
        (step.price_before, step.price_after) != recorded
        for history in histories
        for step, recorded in zip(history.steps, history.recorded, strict=True)
    )


def redemption_moves(histories: list[History]) -> list[tuple[float, str, int, int]]:
    """(percent, reward, price before, price after) for every redemption."""
    return [
        ((step.price_after - step.price_before) * 100 / step.price_before, h.name, step.price_before, step.price_after)
        for h in histories
        for step in h.steps
        if isinstance(step.event, pricing.Redeemed)
    ]  # fmt: skip


def largest_daily_fall(
    histories: list[History], end: datetime
) -> tuple[float, str, datetime, int, int]:
    """The largest fall over 24 hours free of events: (percent, reward, from, price then, a day later)."""
    worst = (0.0, "", end, 0, 0)
    for history in histories:
        times = history.event_times()
        hours = int((end - history.opened) / HOUR)
        grid = [history.opened + HOUR * index for index in range(hours + 1)]
        prices = pricing.prices_along(history.steps, grid)
        for index in range(len(grid) - 24):
            start, stop = grid[index], grid[index + 24]
            if bisect.bisect_right(times, stop) != bisect.bisect_right(times, start):
                continue  # an event in (start, stop]: not a fall with time alone
            fall = (prices[index] - prices[index + 24]) * 100 / prices[index]
            if fall > worst[0]:
                worst = (fall, history.name, start, prices[index], prices[index + 24])
    return worst


def moved_in_a_week(
    histories: list[History], begin: datetime, end: datetime, seed: int
) -> tuple[list[float], Counter, dict[str, list[tuple[bool, float]]]]:
    """On `SAMPLED_DAYS` random moments: the percent of rewards whose price moved in 7 days.

    Also, by reward, the moments it was on the board, and for each moment it stood still
    whether it stood at its resting level and how many days had passed since its last event.
    """
    rng = random.Random(seed)
    span = (end - begin - WEEK).total_seconds()
    moments = sorted(
        begin + WEEK + timedelta(seconds=rng.uniform(0, span)) for _ in range(SAMPLED_DAYS)
    )
    shares, shown, still = [], Counter(), {}
    for moment in moments:
        board = [h for h in histories if h.active and h.opened <= moment - WEEK]
        moved = 0
        for history in board:
            shown[history.name] += 1
            now = history.price_at(moment)
            if now != history.price_at(moment - WEEK):
                moved += 1
                continue
            times = history.event_times()
            last = times[bisect.bisect_right(times, moment) - 1]
            resting = now == pricing.resting_price(history.steps[-1].settings)
            still.setdefault(history.name, []).append((resting, (moment - last) / DAY))
        shares.append(moved * 100 / len(board))
    return shares, shown, still


def redeemed_count(history: History) -> int:
    return sum(isinstance(step.event, pricing.Redeemed) for step in history.steps)


def agent_years(hired: list[datetime], begin: datetime, end: datetime) -> float:
    return (
        sum(max(0.0, (end - max(at, begin)).total_seconds()) for at in hired) / 86_400 / YEAR_DAYS
    )


# -- the run -------------------------------------------------------------------------------


def check(label: str, figure: str, goal: str, met: bool) -> bool:
    print(f"RESULT {label}: {figure}  (goal {goal}){'' if met else '  MISSED'}")
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file it filled")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    workdir = Path(tempfile.mkdtemp(prefix="pojo-bench-pricing-"))
    url = f"sqlite:///{workdir / 'demo.sqlite3'}"
    print(f"Building the demo year (seed {DEFAULT_SEED}, {MONTHS} months) into {url}")
    print(f"  built in {fill(url):.1f} s")
    end = datetime.now().astimezone()
    histories, counts = read(url)
    begin = min(h.opened for h in histories)
    step_pct = pricing.DEFAULT_STEP_PCT
    print(
        f"  {len(histories)} rewards, {counts['redemptions']} redemptions "
        f"({counts['cancelled']} cancelled later), settings (step %, half-life days) in force: "
        f"{dict(counts['settings'])}"
    )
    met = []

    mismatches = replay_mismatches(histories)
    met.append(
        check(
            "recorded prices the replay does not reproduce", str(mismatches), "0", mismatches == 0
        )
    )

    moves = redemption_moves(histories)
    median = statistics.median(m[0] for m in moves)
    top = max(moves)
    met.append(
        check(
            "price move per redemption, median",
            f"{median:.1f} %",
            f"<= {step_pct} %",
            median <= step_pct,
        )
    )
    met.append(
        check(
            "price move per redemption, largest",
            f"{top[0]:.1f} % ({top[1]}: {top[2]} -> {top[3]})",
            f"<= {step_pct} %",
            top[0] <= step_pct,
        )
    )
    print(
        f"  redemptions that left the price where it was: {sum(m[0] == 0 for m in moves)} of {len(moves)}"
    )

    fall = largest_daily_fall(histories, end)
    met.append(
        check(
            "largest one-day fall",
            f"{fall[0]:.1f} % ({fall[1]}: {fall[3]} -> {fall[4]} from {fall[2]:%Y-%m-%d %H:%M})",
            f"<= {step_pct} %, the step; the engine aims at half of it plus rounding",
            fall[0] <= step_pct,
        )
    )

    shares, shown, still = moved_in_a_week(histories, begin, end, DEFAULT_SEED)
    mean = statistics.fmean(shares)
    met.append(
        check(
            f"rewards whose price moved in the last 7 days, mean of {SAMPLED_DAYS} random days",
            f"{mean:.0f} % (median {statistics.median(shares):.0f} %, lowest {min(shares):.0f} %)",
            f">= {GOAL_MOVED_SHARE:.0f} %",
            mean >= GOAL_MOVED_SHARE,
        )
    )
    by_name = {h.name: h for h in histories}
    for name, found in sorted(still.items(), key=lambda item: -len(item[1])):
        history = by_name[name]
        expected = history.steps[-1].settings.expected_per_30d * (end - history.opened) / (30 * DAY)
        print(
            f"  still for a week on {len(found)} of {shown[name]} days: {name}; at its resting level"
            f" on {sum(resting for resting, _ in found)} of them, median"
            f" {statistics.median(days for _, days in found):.0f} days after its last event;"
            f" redeemed {redeemed_count(history)} times in the year, {expected:.0f} expected"
        )

    years = agent_years(counts["hired"], begin, end)
    print(
        f"RESULT redemptions per agent per year: {counts['redemptions'] / years:.1f}"
        f"  ({counts['redemptions']} by {counts['redeemers']} of {counts['agents']} agents,"
        f" {years:.1f} agent-years; the system Pojo replaces saw about 6)"
    )

    verified = verify_ledger(url)
    if args.keep:
        print(f"  kept {workdir / 'demo.sqlite3'}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    if not verified:
        sys.exit("The demo's data fails `ledger verify`.")
    if not all(met):
        sys.exit(f"{len(met) - sum(met)} of {len(met)} goals missed.")


if __name__ == "__main__":
    main()
