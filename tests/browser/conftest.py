"""The browser tests' fixtures: one server per module, one Chromium for the session and a
fresh tab per test (tests/browser/support.py has the helpers that drive it).

Runs only where Playwright and Debian's Chromium are installed (skipped elsewhere):
`apt-get install chromium` and `pip install playwright`, no `playwright install`.
The browser part runs on SQLite only: the pages are the same on both databases and the
suite's other tests cover PostgreSQL; a second server per module would double its CI time.
"""

import os
import shutil
import threading

import pytest
from aiosmtpd.controller import Controller
from werkzeug.serving import make_server

from pojo import create_app
from pojo.extensions import db
from pojo.ledger.verify import run_checks
from pojo.people import service as people
from tests.browser.support import ARTIFACTS, POINTER_COUNTER, Driver, Site, Variant
from tests.smtp_server import Mailbox, free_port, mail_config

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# CI installs both (.ci/run) and sets POJO_REQUIRE_BROWSER, so there a missing browser fails.
if os.environ.get("POJO_REQUIRE_BROWSER"):
    from playwright import sync_api
else:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian's chromium is not installed", allow_module_level=True)

LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def site(databases):
    """One server per module on the suite's SQLite database, emptied before and after; its
    e-mail goes to a real SMTP server of the module's own."""
    mailbox = Mailbox()
    mailbox.port = free_port()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    smtp.start()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": databases["sqlite"].url,
            "TESTING": True,
            "SECRET_KEY": "browser-test-secret",
            "DEFAULT_LANGUAGE": "en",
            **mail_config(mailbox),
        }
    )
    # One round of hashing: the journeys log in a dozen times and scrypt's cost is not under test.
    password_method, people.PASSWORD_METHOD = people.PASSWORD_METHOD, "pbkdf2:sha256:1"
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    served = Site(app, f"http://127.0.0.1:{server.server_port}", databases["sqlite"], mailbox)
    served.reset()
    yield served
    server.shutdown()
    thread.join()
    smtp.stop()
    people.PASSWORD_METHOD = password_method
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
        broken = [result for result in run_checks() if result.violations]
        assert not broken, f"ledger invariants broken after the browser tests: {broken}"
        database = databases["sqlite"]
        database.reset()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def fresh_artifacts():
    """The folder holds the last run's pictures only: a renamed step leaves no stale one behind."""
    for stale in (ARTIFACTS / "journeys").glob("*"):
        stale.unlink()


@pytest.fixture(scope="module")
def browser(fresh_artifacts):
    """One Chromium per module; each test opens its own context (cookies, size). Closed with
    the module, since Playwright's sync API refuses a second instance while one is running
    (the older browser tests outside this folder start their own)."""
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield launched
        launched.close()


def pytest_terminal_summary(terminalreporter):
    """Say where the screenshots and axe reports are, for whoever reviews the run."""
    if ARTIFACTS.exists() and any(ARTIFACTS.iterdir()):
        terminalreporter.write_line(f"browser screenshots and axe reports: {ARTIFACTS}")


@pytest.fixture
def open_tab(browser, site):
    """open_tab(variant, journey) -> a Driver on a fresh context; closed after the test."""
    contexts = []

    def factory(variant: Variant, journey: str) -> Driver:
        context = browser.new_context(
            viewport={"width": variant.width, "height": variant.height},
            locale=variant.locale,
            accept_downloads=True,
        )
        if variant.keyboard:
            # Counts every pointer press the tab receives (kept across pages in sessionStorage).
            context.add_init_script(POINTER_COUNTER)
        contexts.append(context)
        return Driver(site, context.new_page(), variant, journey)

    yield factory
    for context in contexts:
        context.close()
