"""Accessibility in a real browser: axe-core (vendored in tests/vendor/axe-core) on every main
page, in English and Finnish, as the role that uses it; one h1 per page, text contrast of at
least 4.5:1, tables that scroll reachable by keyboard, and thumb-sized targets on a phone."""

import json
from contextlib import contextmanager

import pytest
from sqlalchemy import update

from pojo.extensions import db
from pojo.people.models import Employee
from pojo.unit_of_work import unit_of_work
from tests.browser import world
from tests.browser.support import ARTIFACTS, ROOT, Variant
from tests.conftest import PASSWORD

# A real browser: left out of the fast tier (pytest -m "not slow").
pytestmark = pytest.mark.slow

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA, the level the issue asks for; best-practice rules are reported but not held.
AXE_RUN = """() => axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    resultTypes: ["violations", "passes"],
}).then(result => ({
    violations: result.violations.map(rule => ({
        id: rule.id, impact: rule.impact, help: rule.help,
        nodes: rule.nodes.slice(0, 3).map(node => node.target.join(" ") + ": " + node.failureSummary),
    })),
    passes: result.passes.map(rule => rule.id),
    h1: document.querySelectorAll("h1").length,
    // Table scrollers a keyboard cannot reach, or that a screen reader cannot name.
    unreachable: [...document.querySelectorAll(".table-wrap")].filter(wrap => !(
        wrap.tabIndex === 0 && wrap.getAttribute("role") === "region"
        && (wrap.getAttribute("aria-label") || (wrap.getAttribute("aria-labelledby") || "")
            .split(" ").map(id => (document.getElementById(id) || {}).textContent || "").join(""))
            .trim()
    )).map(wrap => wrap.querySelector("th") ? wrap.querySelector("th").textContent : wrap.className),
    scrollers: document.querySelectorAll(".table-wrap").length,
    // Charts a screen reader meets without words: neither hidden beside a table nor named.
    unnamedCharts: [...document.querySelectorAll("canvas, svg")].filter(chart =>
        !chart.closest("[aria-hidden=true]")
        && !(chart.getAttribute("role") === "img" && (chart.getAttribute("aria-label") || "").trim())
    ).map(chart => chart.outerHTML.slice(0, 80)),
    charts: document.querySelectorAll("canvas, svg").length,
}))"""
SERIOUS = {"serious", "critical"}

# Every main page, opened as the role it is for ({reward} and {upload} from the world).
PAGES = {
    None: ["/login", "/no-such-page"],
    world.AGENT: [
        "/market",
        "/market/rewards/{reward}",
        "/wallet",
        "/market/redemptions",
        "/shifts",
        "/swaps",
        "/notifications",
        "/settings",
        "/criteria",
        "/people",  # not for agents: the refusal page
    ],
    world.SUPERVISOR: [
        "/shifts/schedule",
        "/awards/new",
        "/awards",
        "/outcomes",
        "/outcomes/import",
        "/outcomes/import/{upload}",
    ],
    world.HR: [
        "/market/admin/redemptions",
        "/market/admin/rewards",
        "/people",
        "/insights",
        "/insights/payroll?from=2026-01&to=2026-12",
        "/audit",
        "/import",
        "/outcomes/import/{upload}",
    ],
}


@pytest.fixture(scope="module")
def office(site):
    return world.build(site)


def _speak(site, language: str) -> None:
    with site.app.app_context(), unit_of_work():
        db.session.execute(update(Employee).values(language=language))


@contextmanager
def logged_in(browser, site, username: str | None, width: int, language: str):
    """A page of a fresh context, logged in as `username` (a visitor for None)."""
    context = browser.new_context(
        viewport={"width": width, "height": 800 if width > 360 else 740},
        locale={"en": "en-GB", "fi": "fi-FI"}[language],
        # axe is injected as a script of its own; the pages' CSP allows only theirs.
        bypass_csp=True,
    )
    page = context.new_page()
    if username:
        page.goto(site.url + "/login")
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.press("#password", "Enter")
    yield page
    context.close()


def audit(page) -> dict:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN)


def serious(result: dict) -> list[dict]:
    return [rule for rule in result["violations"] if rule["impact"] in SERIOUS]


@pytest.fixture(scope="module", params=["en", "fi"])
def audits(request, site, office, browser) -> dict:
    """Every main page's axe result in one language: {path: {violations, passes, h1}}."""
    language = request.param
    _speak(site, language)
    found = {}
    for username, paths in PAGES.items():
        with logged_in(browser, site, username, 1280, language) as page:
            for path in paths:
                url = path.format(**office)
                page.goto(site.url + url)
                found[f"{username or 'visitor'} {url}"] = audit(page)
    # The full report beside the screenshots, for a reviewer (test-artifacts/ is not committed).
    report = ARTIFACTS / f"accessibility-{language}.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps(found, indent=1, ensure_ascii=False))
    return found


def test_no_main_page_has_a_serious_or_critical_violation(audits):
    problems = {page: serious(result) for page, result in audits.items()}
    problems = {page: rules for page, rules in problems.items() if rules}
    assert problems == {}


def test_every_page_has_exactly_one_h1(audits):
    counts = {page: result["h1"] for page, result in audits.items()}
    assert {page: count for page, count in counts.items() if count != 1} == {}


def test_text_contrast_is_at_least_4_5_to_1_on_every_page(audits):
    # color-contrast checks WCAG AA: 4.5:1 for text, 3:1 for large text.
    failing = {
        page: [rule["nodes"] for rule in result["violations"] if rule["id"] == "color-contrast"]
        for page, result in audits.items()
    }
    assert {page: nodes for page, nodes in failing.items() if nodes} == {}
    # The rule ran and found text on each page: a page it skipped would pass on nothing.
    assert all("color-contrast" in result["passes"] for result in audits.values())


def test_every_chart_has_a_text_alternative(audits):
    assert {page: r["unnamedCharts"] for page, r in audits.items() if r["unnamedCharts"]} == {}
    # The reward page's price chart, the dashboard's bars and the bell's icon were looked at.
    assert sum(result["charts"] for result in audits.values()) > 10


def test_every_table_scroller_is_reachable_by_keyboard_and_named(audits):
    assert {page: r["unreachable"] for page, r in audits.items() if r["unreachable"]} == {}
    # The pages above hold tables: the check saw some.
    assert sum(result["scrollers"] for result in audits.values()) > 10


# Thumb-sized targets: buttons, fields and button links at least this tall on a phone.
THUMB = 44
SMALL_TARGETS = """(thumb) => [...document.querySelectorAll(
    "button, .button, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, "
    + "textarea, summary, .bell, .nav-toggle, .chip, .pager-pages a, .ticker-name a, .feed-item, "
    + ".pending-list a, .shift-item a"
)].filter(element => element.offsetParent !== null).map(element => {
    const box = element.getBoundingClientRect();
    return {target: (element.textContent || element.name || element.className).trim().slice(0, 40),
            height: Math.round(box.height), width: Math.round(box.width)};
}).filter(found => found.height < thumb || found.width < thumb)"""
THUMB_PAGES = {
    world.AGENT: ["/market", "/wallet", "/swaps"],
    world.SUPERVISOR: ["/awards/new"],
    world.HR: ["/insights"],
}


def test_the_thumb_pages_have_targets_big_enough_for_a_thumb_at_360_px(site, office, browser):
    _speak(site, "fi")  # the longer words: the likelier to squeeze a target
    small, problems = {}, {}
    for username, paths in THUMB_PAGES.items():
        with logged_in(browser, site, username, 360, "fi") as page:
            for path in paths:
                page.goto(site.url + path)
                found = page.evaluate(SMALL_TARGETS, THUMB)
                if found:
                    small[path] = found
                # At 360 px the tables scroll: axe checks their scrollers take the focus.
                if serious(result := audit(page)):
                    problems[path] = serious(result)
    assert small == {}, json.dumps(small, indent=1)
    assert problems == {}


def test_a_wide_table_scrolls_with_the_arrow_keys_at_360_px(site, office, open_tab):
    tab = open_tab(Variant("keyboard-phone", 360, 740, keyboard=True), "table-scroll")
    tab.login(world.HR)
    tab.open("/insights")
    wide = tab.page.evaluate(
        """() => [...document.querySelectorAll(".table-wrap")].findIndex(
            wrap => wrap.scrollWidth > wrap.clientWidth + 20)"""
    )
    assert wide >= 0, "at 360 px the dashboard has a table wider than the screen"
    scroller = f".table-wrap >> nth={wide}"
    tab.focus(scroller)
    for _ in range(8):
        tab.page.keyboard.press("ArrowRight")
    assert tab.page.locator(scroller).evaluate("wrap => wrap.scrollLeft") > 0
    tab.shot("focused-scroller")
