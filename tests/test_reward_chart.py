"""The reward page's price chart: a time axis, a bounded series, a small page, whatever the volume."""

import html
import json
import re
from datetime import timedelta

from sqlalchemy import insert

from pojo.database import utcnow
from pojo.extensions import db
from pojo.market import redemptions
from pojo.market.demand import prices_at
from pojo.market.display import CHART_POINTS, price_series
from pojo.market.models import PriceTick, Reward
from pojo.people.service import get_employee
from pojo.unit_of_work import unit_of_work
from tests.market_helpers import add_reward, give_points

ADAPTER = "vendor/chart-adapter-date-fns/chartjs-adapter-date-fns.bundle.min.js"
PAGE_LIMIT = 30_000  # bytes of HTML
DAYS = 90
DAY_MS = 86_400_000


def heavy_reward(app, username: str, redeemed: int = 150) -> int:
    """A reward on the market for 95 days, redeemed `redeemed` times over the last 90 by
    `username`, with a recorded tick every half hour besides (thousands of rows)."""
    now = utcnow()
    reward_id = add_reward(app, at=now - timedelta(days=DAYS + 5))
    give_points(app, username, 100_000, at=now - timedelta(days=DAYS + 4))
    with app.app_context(), unit_of_work():
        buyer = get_employee(username)
        for index in range(redeemed):
            when = now - timedelta(days=DAYS) + timedelta(days=DAYS) * (index + 0.5) / redeemed
            redemptions.redeem(buyer, reward_id, 600, at=when)  # 600, the ceiling: never refused
        # The ticks record what the engine says (ledger verify replays them).
        moments = [now - timedelta(minutes=30 * step) for step in range(DAYS * 48 - 1, 0, -1)]
        reward = db.session.get(Reward, reward_id)
        prices = [  # in chunks: one query a chunk, and SQLite bounds a query's size
            price
            for chunk in range(0, len(moments), 200)
            for price in prices_at([reward], moments[chunk : chunk + 200])[reward_id]
        ]
        rows = [
            {"reward_id": reward_id, "at": at, "price": price, "period_start": at}
            for at, price in zip(moments, prices, strict=True)
        ]
        db.session.execute(insert(PriceTick), rows)
    return reward_id


def embedded_series(page: str) -> list[list[int]]:
    match = re.search(r"<canvas data-chart=\"price\" data-points='([^']*)'", page)
    assert match, "the price chart's canvas carries its points"
    return json.loads(html.unescape(match.group(1)))


def test_heavy_history_page_stays_small_and_its_series_spans_the_time(app, client_as):
    agent = client_as("agent")
    reward_id = heavy_reward(app, agent.username)

    response = agent.get(f"/market/rewards/{reward_id}")
    assert response.status_code == 200
    assert len(response.data) < PAGE_LIMIT, f"{len(response.data)} bytes of HTML"
    page = response.get_data(as_text=True)
    series = embedded_series(page)
    assert 2 <= len(series) <= CHART_POINTS
    times = [at for at, _price in series]
    assert times == sorted(times)
    now_ms = utcnow().timestamp() * 1000
    assert times[0] < now_ms - (DAYS - 1) * DAY_MS  # from 90 days ago
    assert times[-1] > now_ms - 60_000  # to the price now
    prices = [price for _at, price in series]
    shown = f"ranged from {min(prices)} to {max(prices)} points. It is now {prices[-1]} points."
    assert shown in page  # the text alternative says what the chart draws


def test_a_few_redemptions_are_drawn_as_jumps_where_they_happened(app, client_as):
    agent = client_as("agent")
    reward_id = heavy_reward(app, agent.username, redeemed=3)
    series = embedded_series(agent.get(f"/market/rewards/{reward_id}").get_data(as_text=True))
    jumps = [(a, b) for a, b in zip(series, series[1:], strict=False) if a[0] == b[0]]
    assert len(jumps) == 3
    assert all(after > before for (_at, before), (_same, after) in jumps)
    assert [at for at, _price in series] == sorted(at for at, _price in series)


def test_reward_page_loads_the_date_adapter_between_chart_js_and_the_charts(app, client_as):
    agent = client_as("agent")
    page = agent.get(f"/market/rewards/{add_reward(app)}").get_data(as_text=True)
    scripts = re.findall(r'<script src="(/static/[0-9a-f]{12}/[^"]+)"', page)
    names = [script.split("/", 3)[3] for script in scripts]
    assert names.index("vendor/chart/chart.umd.js") < names.index(ADAPTER)
    assert names.index(ADAPTER) < names.index("js/charts.js")
    response = agent.get(scripts[names.index(ADAPTER)])
    assert response.status_code == 200 and b"chartjs-adapter-date-fns" in response.data
    assert "immutable" in response.headers["Cache-Control"]
    assert "<script>" not in page  # no inline script for the CSP to refuse
    board = agent.get("/market").get_data(as_text=True)
    assert "chart-adapter-date-fns" not in board and "chart.umd.js" not in board


def test_series_keeps_each_stretchs_low_and_high_and_both_ends():
    start = utcnow() - timedelta(days=90)
    ticks = [(start + timedelta(hours=hour), 300 + hour % 50) for hour in range(90 * 24)]
    ticks[1000] = (ticks[1000][0], 900)
    series = price_series(ticks, limit=200)
    assert len(series) <= 200
    assert series[0][0] == round(ticks[0][0].timestamp() * 1000)
    assert series[-1][0] == round(ticks[-1][0].timestamp() * 1000)
    prices = [price for _at, price in series]
    assert max(prices) == 900 and min(prices) == 300
    assert [at for at, _price in series] == sorted(at for at, _price in series)


def test_a_jumps_two_points_keep_their_order_under_the_cap():
    start = utcnow() - timedelta(days=90)
    points = [(start + timedelta(hours=hour), 400 - hour // 10) for hour in range(90 * 24)]
    jump = start + timedelta(days=45, minutes=30)
    points += [(jump, 200), (jump, 500)]  # the price before, then after
    series = price_series(points, limit=100)
    at_jump = [price for at, price in series if at == round(jump.timestamp() * 1000)]
    assert at_jump == [200, 500]


def test_a_short_series_is_embedded_as_it_is():
    start = utcnow()
    ticks = [(start + timedelta(hours=hour), 300 - hour) for hour in range(10)]
    assert price_series(ticks) == [[round(at.timestamp() * 1000), price] for at, price in ticks]
