"""What the browser tests share besides their fixtures: the site a module's server runs, the
variants a journey runs in, and a driver that uses a tab by mouse or by keyboard alone."""

from dataclasses import dataclass
from pathlib import Path

from flask_babel import force_locale
from flask_babel import gettext as babel_gettext

from pojo.mail.sender import send_due
from pojo.people import service as people
from pojo.unit_of_work import unit_of_work
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
# The caches the app keeps in its process, keyed by data that a reset can bring back.
PROCESS_CACHES = ("pojo.market.board", "pojo.insights.cache")


class Site:
    """The app one module's server runs, with a way back to an empty database."""

    def __init__(self, app, url: str, database, mailbox=None):
        self.app = app
        self.url = url
        self.database = database
        self.mailbox = mailbox  # the test SMTP server the app sends its e-mail to

    def reset(self) -> None:
        """Empty the database (the migrations' seed rows stay) and forget the caches."""
        with self.app.app_context():
            self.database.reset()
        if self.mailbox is not None:
            self.mailbox.messages.clear()
        for name in PROCESS_CACHES:
            self.app.extensions.pop(name, None)

    def person(self, username, *, role="agent", team="Alpha", language="en", **extra) -> str:
        """A committed employee whose password is the tests' PASSWORD.

        `tour_seen=False` makes a truly new person, who gets the tour at their first login.
        """
        temp = extra.pop("temp", False)
        tour_seen = extra.pop("tour_seen", True)
        with self.app.app_context(), unit_of_work():
            employee = people.create_employee(
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
            employee.tour_seen_at = employee.created_at if tour_seen else None
        return username

    def send_mail(self) -> None:
        """What the `send_mail` job does every minute: send the e-mails due now."""
        with self.app.app_context():
            send_due()

    def say(self, language: str, message: str, **values) -> str:
        """`message` as the app words it in `language` (how a test finds Finnish text)."""
        with self.app.test_request_context(), force_locale(language):
            return babel_gettext(message, **values)


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
