"""The price chart drawn in a real browser: a time axis labelled as each language writes dates."""

import re

import pytest

from tests.conftest import PASSWORD
from tests.test_layout_browser import browser, served  # noqa: F401 (fixtures)
from tests.test_reward_chart import heavy_reward

pytestmark = pytest.mark.slow

AXIS = """() => {
    const chart = Chart.getChart(document.querySelector('canvas[data-chart="price"]'));
    return [chart.scales.x.type, chart.scales.x.ticks.map((tick) => tick.label)];
}"""
# Finnish 24.12., English 24 Dec: the day first in both, never the US 12/24.
DAY_LABEL = {"fi": r"\d{1,2}\.\d{1,2}\.", "en": r"\d{1,2} [A-Z][a-z]{2,3}"}


@pytest.mark.parametrize("language", ["fi", "en"])
@pytest.mark.parametrize("width", [360, 1280])
def test_price_chart_has_a_readable_time_axis(app, served, browser, make_employee, language, width):  # noqa: F811
    agent = make_employee(language=language)
    reward_id = heavy_reward(app, agent, redeemed=20)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(served + "/login")
    page.fill("#username", agent)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.press("#password", "Enter")
    page.goto(f"{served}/market/rewards/{reward_id}")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('canvas'))")
    kind, labels = page.evaluate(AXIS)
    context.close()
    assert errors == []
    assert kind == "time"
    assert 3 <= len(labels) <= (4 if width < 480 else 8), labels
    assert all(re.fullmatch(DAY_LABEL[language], label) for label in labels), labels
