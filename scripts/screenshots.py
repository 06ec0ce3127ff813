"""Write the README's screenshots from the demo data: docs/screenshots/{board,wallet,swap-board,
hr-dashboard}.png at 1280 px and *-phone.png at 360 px, drawn by Debian's Chromium.

    python scripts/screenshots.py [--out docs/screenshots] [--language en|fi]

It builds the demo (`flask demo`) in a temporary SQLite database, serves it on a free local
port and logs in as the demo's people: a goal saver for the board and the wallet, a colleague of
someone with a Christmas Eve shift on the swap board, and HR for the dashboard. Nothing is
fetched from the network. The demo's seed is fixed and its history ends today, so the pictures
change with the pages and, a little, with the hour (the feed's "2 hours ago").
"""

import argparse
import sys
import tempfile
import threading
from pathlib import Path

from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from sqlalchemy import func, select, update
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pojo import create_app  # noqa: E402 (the checkout's pojo, wherever this runs from)
from pojo.extensions import db  # noqa: E402
from pojo.ledger.models import Balance  # noqa: E402
from pojo.market.models import SavingsGoal  # noqa: E402
from pojo.people.models import Employee  # noqa: E402
from pojo.swaps.models import Swap  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DEMO_PASSWORD = "pojo-demo"
SIZES = {"": (1280, 860), "-phone": (360, 740)}


def _saver() -> str:
    """The goal saver with the most points: a wallet with a goal bar half filled or more."""
    return db.session.scalar(
        select(Employee.username)
        .join(SavingsGoal, SavingsGoal.employee_id == Employee.id)
        .join(Balance, Balance.employee_id == Employee.id)
        .where(Employee.role == "agent", Employee.active)
        .order_by(Balance.points.desc())
        .limit(1)
    )


def _swap_taker() -> str:
    """An agent of the team with the most open swaps, who asked for none of them."""
    team_id, _count = db.session.execute(
        select(Swap.team_id, func.count())
        .where(Swap.status == "open")
        .group_by(Swap.team_id)
        .order_by(func.count().desc())
        .limit(1)
    ).one()
    asking = select(Swap.requested_by_id).where(Swap.status == "open")
    return db.session.scalar(
        select(Employee.username)
        .where(Employee.team_id == team_id, Employee.role == "agent", Employee.active)
        .where(Employee.id.not_in(asking))
        .order_by(Employee.username)
        .limit(1)
    )


def build_demo(url: str, language: str):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "screenshots"})
    with app.app_context():
        upgrade()
        result = app.test_cli_runner().invoke(args=["demo"])
        if result.exit_code != 0:
            raise SystemExit(f"the demo failed: {result.output}")
        # Everyone reads the pages in the README's language, whatever the demo chose.
        db.session.execute(update(Employee).values(language=language))
        db.session.commit()
        people = {"saver": _saver(), "taker": _swap_taker(), "hr": "hr"}
    return app, people


def shoot(base: str, out: Path, people: dict, language: str) -> list[Path]:
    shots = {
        "board": (people["saver"], "/market"),
        "wallet": (people["saver"], "/wallet"),
        "swap-board": (people["taker"], "/swaps"),
        "hr-dashboard": (people["hr"], "/insights"),
    }
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        for suffix, (width, height) in SIZES.items():
            for name, (username, path) in shots.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height},
                    locale={"en": "en-GB", "fi": "fi-FI"}[language],
                    device_scale_factor=1,
                )
                page = context.new_page()
                page.goto(base + "/login")
                page.fill("#username", username)
                page.fill("#password", DEMO_PASSWORD)
                with page.expect_navigation():
                    page.press("#password", "Enter")
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                target = out / f"{name}{suffix}.png"
                # The first screens' worth: what a reader of the README takes in at a glance.
                page.screenshot(path=str(target), full_page=False)
                written.append(target)
                context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--language", choices=["en", "fi"], default="en")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        app, people = build_demo(f"sqlite:///{folder}/demo.sqlite3", args.language)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            written = shoot(
                f"http://127.0.0.1:{server.server_port}", args.out, people, args.language
            )
        finally:
            server.shutdown()
            thread.join()
            with app.app_context():
                db.engine.dispose()
    for path in written:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
