"""Pages fit the screen, measured in a real browser: no sideways scrolling, no column cut off.

Runs only where Playwright and Debian's Chromium are installed (skipped elsewhere):
`apt-get install chromium` and `pip install playwright`, no `playwright install`.
"""

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from pojo.awards.service import award
from pojo.ledger.service import reverse_entry
from pojo.people.service import get_employee
from pojo.unit_of_work import unit_of_work
from tests.conftest import PASSWORD

# A real browser: left out of the fast tier (pytest -m "not slow").
pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# CI installs both (.ci/run) and sets POJO_REQUIRE_BROWSER, so there a missing browser fails.
if os.environ.get("POJO_REQUIRE_BROWSER"):
    from playwright import sync_api
else:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian's chromium is not installed", allow_module_level=True)

LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LONG_NOTES = (
    "https://intranet.example.com/tickets/" + "x" * 400,  # one unbreakable word
    ("Covered the phones and helped every new starter " * 10)[:500],
)
# Cells that reach past the right edge of their table's scroller: a column the reader cannot see.
CELLS_CUT_OFF = """() => [...document.querySelectorAll('.table-wrap')].flatMap(wrap => {
    const edge = wrap.getBoundingClientRect().right + 1;
    return [...wrap.querySelectorAll('td, th')].filter(cell => cell.getBoundingClientRect().right > edge)
        .map(cell => cell.textContent.trim().slice(0, 40));
})"""


@pytest.fixture
def served(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield launched
        launched.close()


def measure(browser, base: str, username: str, paths: list[str], width: int) -> dict:
    context = browser.new_context(viewport={"width": width, "height": 740}, locale="en-GB")
    page = context.new_page()
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.press("#password", "Enter")
    found = {}
    for path in paths:
        page.goto(base + path)
        scroll_width, inner_width = page.evaluate(
            "[document.documentElement.scrollWidth, innerWidth]"
        )
        found[path] = (scroll_width - inner_width, page.evaluate(CELLS_CUT_OFF))
    context.close()
    return found


@pytest.mark.parametrize("width", [360, 1280])
def test_long_notes_and_hr_columns_fit_the_screen(app, served, browser, make_employee, width):
    hr = make_employee(role="hr", team="Office")
    agent = make_employee(team="Alpha")
    for note in LONG_NOTES:
        with app.app_context(), unit_of_work():
            made = award(get_employee(hr), agent, "helped_colleague", note)
            # The audit log shows the reversal's note and reason as its before and after.
            reverse_entry(made.entry_id, actor=get_employee(hr), reason=note)
    pages = {
        hr: ["/awards", f"/people/{agent}/ledger", "/criteria", "/audit"],
        agent: ["/wallet", "/criteria"],
    }
    for username, paths in pages.items():
        for path, (sideways, cut_off) in measure(browser, served, username, paths, width).items():
            assert sideways <= 0, f"{path} at {width} px scrolls sideways by {sideways} px"
            assert cut_off == [], f"{path} at {width} px cuts off {cut_off[:3]}"
