"""The reward page's price chart: a time axis, a bounded series, a small page, whatever the volume."""

import html
import json
import re
from datetime import timedelta

from sqlalchemy import insert, update

from pojo.database import utcnow
from pojo.extensions import db
from pojo.market.display import CHART_POINTS, price_series
from pojo.market.models import PriceTick, Reward
from pojo.unit_of_work import unit_of_work
from tests.market_helpers import add_reward, give_points

ADAPTER = "vendor/chart-adapter-date-fns/chartjs-adapter-date-fns.bundle.min.js"
PAGE_LIMIT = 30_000  # bytes of HTML
HISTORY_DAYS = 90
SPIKE = 599  # one tick, half-way through, that no thinning may lose


def add_heavy_history(app, reward_id: int, every_minutes: int = 30) -> int:
    """90 days of ticks every `every_minutes` (thousands), inserted directly; returns how many."""
    now = utcnow()
    start = now - timedelta(days=HISTORY_DAYS) + timedelta(minutes=every_minutes)
    count = HISTORY_DAYS * 24 * 60 // every_minutes - 1
    rows = []
    for index in range(count):
        at = start + timedelta(minutes=every_minutes * index)
        price = SPIKE if index == count // 2 else 250 + (index % 97)
        rows.append({"reward_id": reward_id, "at": at, "price": price, "period_start": at})
    with app.app_context(), unit_of_work():
        db.session.execute(
            update(Reward)
            .where(Reward.id == reward_id)
            .values(created_at=now - timedelta(days=HISTORY_DAYS + 5))
        )
        db.session.execute(insert(PriceTick), rows)
    return count


def embedded_series(page: str) -> list[list[int]]:
    match = re.search(r"<canvas data-chart=\"price\" data-points='([^']*)'", page)
    assert match, "the price chart's canvas carries its points"
    return json.loads(html.unescape(match.group(1)))


def test_heavy_history_page_stays_small_and_its_series_spans_the_time(app, client_as):
    agent = client_as("agent")
    give_points(app, agent.username, 5000)
    reward_id = add_reward(app, name_en="Massage")
    ticks = add_heavy_history(app, reward_id)
    assert ticks > 4000
    for request_id in ("a", "b", "c"):
        agent.post(
            "/market/redeem",
            data={"reward": reward_id, "max_price": 600, "request_id": request_id},
        )

    response = agent.get(f"/market/rewards/{reward_id}")
    assert response.status_code == 200
    assert len(response.data) < PAGE_LIMIT, f"{len(response.data)} bytes of HTML"
    series = embedded_series(response.get_data(as_text=True))
    assert 2 <= len(series) <= CHART_POINTS
    times = [at for at, _price in series]
    assert times == sorted(times) and len(set(times)) == len(times)
    now_ms = utcnow().timestamp() * 1000
    day_ms = 86_400_000
    assert times[0] < now_ms - (HISTORY_DAYS - 1) * day_ms  # from 90 days ago
    assert times[-1] > now_ms - 60_000  # to the price now
    assert SPIKE in [price for _at, price in series]
    # The text alternative reads the whole history, the redemptions' prices too.
    low = min(price for _at, price in series)
    assert f"ranged from {low} to {SPIKE} points" in response.get_data(as_text=True)


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


def test_a_short_series_is_embedded_as_it_is():
    start = utcnow()
    ticks = [(start + timedelta(hours=hour), 300 - hour) for hour in range(10)]
    assert price_series(ticks) == [[round(at.timestamp() * 1000), price] for at, price in ticks]
