"""The browser tests' shared ground: one server per module, one Chromium for the session, a
logged-in page per test, and helpers that drive a page by mouse or by keyboard alone.

Runs only where Playwright and Debian's Chromium are installed (skipped elsewhere):
`apt-get install chromium` and `pip install playwright`, no `playwright install`.
The browser part runs on SQLite only: the pages are the same on both databases and the
suite's other tests cover PostgreSQL; a second server per module would double its CI time.
"""

import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask_babel import force_locale
from flask_babel import gettext as babel_gettext
from werkzeug.serving import make_server

from pojo import create_app
from pojo.extensions import db
from pojo.ledger.verify import run_checks
from pojo.people import service as people
from pojo.unit_of_work import unit_of_work
from tests.conftest import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# CI installs both (.ci/run) and sets POJO_REQUIRE_BROWSER, so there a missing browser fails.
if os.environ.get("POJO_REQUIRE_BROWSER"):
    from playwright import sync_api
else:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian's chromium is not installed", allow_module_level=True)

LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
# The caches the app keeps in its process, keyed by data that a reset can bring back.
PROCESS_CACHES = ("pojo.market.board", "pojo.insights.cache")


class Site:
    """The app one module's server runs, with a way back to an empty database."""

    def __init__(self, app, url: str, database):
        self.app = app
        self.url = url
        self.database = database

    def reset(self) -> None:
        """Empty the database (the migrations' seed rows stay) and forget the caches."""
        with self.app.app_context():
            self.database.reset()
        for name in PROCESS_CACHES:
            self.app.extensions.pop(name, None)

    def person(self, username, *, role="agent", team="Alpha", language="en", **extra) -> str:
        """A committed employee whose password is the tests' PASSWORD."""
        temp = extra.pop("temp", False)
        with self.app.app_context(), unit_of_work():
            people.create_employee(
                username,
                role=role,
                team_name=team,
                password=PASSWORD,
                display_name=extra.pop("display_name", username.replace(".", " ").title()),
                employment_type="temp" if temp else "permanent",
                agency_name=extra.pop("agency", "Staffpoint") if temp else None,
                language=language,
                **extra,
            )
        return username

    def say(self, language: str, message: str, **values) -> str:
        """`message` as the app words it in `language` (how a test finds Finnish text)."""
        with self.app.test_request_context(), force_locale(language):
            return babel_gettext(message, **values)


@pytest.fixture(scope="module")
def site(databases):
    """One server per module on the suite's SQLite database, emptied before and after."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": databases["sqlite"].url,
            "TESTING": True,
            "SECRET_KEY": "browser-test-secret",
            "DEFAULT_LANGUAGE": "en",
        }
    )
    # One round of hashing: the journeys log in a dozen times and scrypt's cost is not under test.
    password_method, people.PASSWORD_METHOD = people.PASSWORD_METHOD, "pbkdf2:sha256:1"
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    served = Site(app, f"http://127.0.0.1:{server.server_port}", databases["sqlite"])
    served.reset()
    yield served
    server.shutdown()
    thread.join()
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
def browser():
    """One Chromium for every browser test; each test opens its own context (cookies, size)."""
    # The folder holds the last run's pictures only: a renamed step leaves no stale one behind.
    for stale in (ARTIFACTS / "journeys").glob("*"):
        stale.unlink()
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield launched
        launched.close()


def pytest_terminal_summary(terminalreporter):
    """Say where the screenshots and axe reports are, for whoever reviews the run."""
    if ARTIFACTS.exists() and any(ARTIFACTS.iterdir()):
        terminalreporter.write_line(f"browser screenshots and axe reports: {ARTIFACTS}")


@dataclass(frozen=True)
class Variant:
    """How a journey is run: the screen, the language and whether the mouse is used."""

    name: str
    width: int
    height: int
    language: str = "en"
    keyboard: bool = False

    @property
    def locale(self) -> str:
        return {"en": "en-GB", "fi": "fi-FI"}[self.language]


DESKTOP = Variant("desktop", 1280, 800)
PHONE = Variant("phone", 360, 740)
VARIANTS = [
    DESKTOP,
    PHONE,
    # As the original users work: Finnish on a phone.
    Variant("finnish", 360, 740, language="fi"),
    Variant("keyboard", 1280, 800, keyboard=True),
]


POINTER_COUNTER = """document.addEventListener("pointerdown", () => {
    sessionStorage.setItem("pointer", String(Number(sessionStorage.getItem("pointer") || 0) + 1));
}, true);"""


# How many Tab presses from the focused element to `target`, by the document's tab order of
# visible elements without a positive tabindex (the app uses none); 0 when not sure.
TABS_AHEAD = """target => {
    const tabbable = [...document.querySelectorAll(
        'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, '
        + 'textarea, summary, [tabindex="0"]'
    )].filter(element => element.getClientRects().length && getComputedStyle(element).visibility !== "hidden");
    const from = tabbable.indexOf(document.activeElement);
    const to = tabbable.indexOf(target);
    return to > from ? to - from : 0;
}"""


class Driver:
    """A browser tab used as a person would: by mouse (touch) or with the keyboard alone.

    With `keyboard`, every link, button and field is reached with Tab and used with Enter,
    Space or typing; no click is sent. A file is still chosen with set_input_files: the
    operating system's file dialog is outside the page.
    """

    TAB_LIMIT = 250

    def __init__(self, site: Site, page, variant: Variant, journey: str):
        self.site = site
        self.page = page
        self.variant = variant
        self.journey = journey
        self.steps = 0

    def say(self, message: str, **values) -> str:
        return self.site.say(self.variant.language, message, **values)

    def open(self, path: str) -> None:
        self.page.goto(self.site.url + path)

    def login(self, username: str) -> None:
        self.open("/login")
        self.type_into("#username", username)
        self.type_into("#password", PASSWORD)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def logout(self) -> None:
        self.page.context.clear_cookies()

    def focus(self, selector: str):
        """Tab to the element (keyboard) and return its locator.

        The focus moves only by Tab presses: as many as the page's tab order says lie
        between here and the target, then one at a time should the estimate fall short.
        """
        target = self.page.locator(selector).first
        target.wait_for(state="visible")
        ahead = target.evaluate(TABS_AHEAD)
        for _ in range(ahead):
            self.page.keyboard.press("Tab")
        for _ in range(self.TAB_LIMIT):
            if target.evaluate("element => element === document.activeElement"):
                return target
            self.page.keyboard.press("Tab")
        raise AssertionError(f"{selector} cannot be reached with Tab")

    def use(self, selector: str, key: str = "Enter") -> None:
        """Follow a link or press a button: a click, or Tab to it and `key`."""
        target = self.page.locator(selector).first
        if not self.variant.keyboard:
            target.click()
            return
        self.focus(selector)
        self.page.keyboard.press(key)

    def nav(self, href: str) -> None:
        """Follow a link of the header menu, opening the menu first on a phone."""
        selector = f'#main-nav a[href="{href}"]'
        toggle = self.page.locator("[data-nav-toggle]")
        if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
            self.use("[data-nav-toggle]", "Space")
        link = self.page.locator(selector).first
        if not link.is_visible():
            # It sits in the "Manage" group.
            self.use("#main-nav details[data-nav-group] > summary", "Enter")
        with self.page.expect_navigation():
            self.use(selector)

    def type_into(self, selector: str, text: str) -> None:
        if self.variant.keyboard:
            self.focus(selector)
            self.page.keyboard.press("Control+A")
            self.page.keyboard.type(text)
        else:
            self.page.fill(selector, text)

    def choose(self, selector: str, value: str) -> None:
        """Pick an option of a select by its value (arrow keys on the keyboard)."""
        if not self.variant.keyboard:
            self.page.select_option(selector, value)
            return
        self.focus(selector)
        values = self.page.locator(selector).evaluate("s => [...s.options].map(o => o.value)")
        current = self.page.locator(selector).input_value()
        steps = values.index(value) - values.index(current)
        for _ in range(abs(steps)):
            self.page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
        assert self.page.locator(selector).input_value() == value

    def submit(self, selector: str) -> None:
        """Press a button that leaves the page, and wait for the next one."""
        with self.page.expect_navigation():
            self.use(selector, "Space")

    def shot(self, step: str) -> Path:
        """Save the page as test-artifacts/journeys/<journey>-<variant>-<n>-<step>.png."""
        self.steps += 1
        path = (
            ARTIFACTS
            / "journeys"
            / (f"{self.journey}-{self.variant.name}-{self.steps:02d}-{step}.png")
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def pointer_presses(self) -> int:
        """How often a mouse or finger pressed this tab (counted in keyboard runs only)."""
        return int(self.page.evaluate("Number(sessionStorage.getItem('pointer') || 0)"))

    def text(self, selector: str = "main") -> str:
        return self.page.locator(selector).first.inner_text()


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
