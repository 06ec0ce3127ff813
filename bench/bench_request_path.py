"""The path every logged-in request shares, measured with wrk against gunicorn on PostgreSQL.

Five figures, requests per second with wrk (32 connections) against gunicorn with 4
workers, all served by one setup (`bench/bench_app.py`), in alternating rounds
(5 rounds of 5 s each; the median round counts):

  (a) a bare Flask route,
  (b) a minimal logged-in page: Flask-Login loads the user from the database, a one-line
      template,
  (c) the market board `/market`,
  (d) the wallet `/wallet`,
  (e) `GET /api/v1/rewards` with a bearer token,

and the ratios c/b, d/b, e/c and b/a, each with its goal. The data: 2,000 employees,
200 rewards and 10,000 ledger entries in schema `bench_request_path` of
POJO_BENCH_DATABASE_URL (recreated; other schemas are left alone); `bench_market.py`
shows that the board and wallet cost the same at 1,000,000 entries. Ends with
`flask --app pojo ledger verify` on that data.

    POJO_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_perf \
        .venv/bin/python bench/bench_request_path.py [--rounds 5] [--seconds 5]
"""

import argparse
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_market import PASSWORD, fill, schema_url, verify_ledger  # noqa: E402
from bench.serving import Gunicorn, alternating, check_page, ensure_wrk, login_cookie  # noqa: E402
from pojo import create_app  # noqa: E402
from pojo.api.tokens import create_token  # noqa: E402
from pojo.extensions import db  # noqa: E402
from pojo.unit_of_work import unit_of_work  # noqa: E402

ENTRIES = 10_000
# (label, numerator, denominator, goal): the ratios the issue asks for.
RATIOS = (
    ("board / minimal page", "c", "b", 0.7),
    ("wallet / minimal page", "d", "b", 0.4),
    ("API rewards / board", "e", "c", 1.0),
    ("minimal page / bare route", "b", "a", 0.25),
)
LABELS = {
    "a": "bare Flask route",
    "b": "minimal logged-in page",
    "c": "market board /market",
    "d": "wallet /wallet",
    "e": "GET /api/v1/rewards",
}


def bearer_token(url: str) -> str:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        with unit_of_work():
            _token, plain = create_token("bench.agent", "bench")
        db.engine.dispose()
    return plain


def measure(url: str, rounds: int, seconds: float) -> dict[str, float]:
    token = bearer_token(url)
    server = Gunicorn("bench.bench_app:application()", url, probe="/bare/")
    try:
        cookie = {"Cookie": login_cookie(server.base, "bench.agent", PASSWORD)}
        bearer = {"Authorization": f"Bearer {token}"}
        targets = {
            "a": (server.base + "/bare/", {}),
            "b": (server.base + "/bench/minimal", cookie),
            "c": (server.base + "/market", cookie),
            "d": (server.base + "/wallet", cookie),
            "e": (server.base + "/api/v1/rewards", bearer),
        }
        for key, (target, headers) in targets.items():
            check_page(target, headers, "data-board" if key == "c" else None)
        alternating(targets, 1, 1)  # warm-up: every worker draws its caches once
        figures = alternating(targets, rounds, seconds)
        for target, headers in targets.values():
            check_page(target, headers)  # still logged in: nothing was a redirect
    finally:
        server.stop()
    return {key: statistics.median(found) for key, found in figures.items()}


def report(rates: dict[str, float], rounds: int, seconds: float) -> None:
    print(
        f"Requests per second, gunicorn 4 workers, wrk 32 connections, "
        f"median of {rounds} rounds x {seconds:g} s:"
    )
    for key, label in LABELS.items():
        print(f"  ({key}) {label:26} {rates[key]:8.0f} req/s")
    for label, top, bottom, goal in RATIOS:
        ratio = rates[top] / rates[bottom]
        verdict = "met" if ratio >= goal else "NOT met"
        print(f"RATIO {top}/{bottom} {label:26} {ratio:5.2f}  (goal >= {goal}: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep the data of the last run")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    base = os.environ.get("POJO_BENCH_DATABASE_URL")
    if not base:
        print(
            "bench_request_path skipped: set POJO_BENCH_DATABASE_URL to a scratch PostgreSQL database."
        )
        return
    ensure_wrk()
    url = schema_url(base, "bench_request_path")
    if not args.reuse:
        fill(url, 2_000, 200, ENTRIES)
    rates = measure(url, args.rounds, args.seconds)
    report(rates, args.rounds, args.seconds)
    if not verify_ledger(url):
        sys.exit("The bench's data fails `ledger verify`.")


if __name__ == "__main__":
    main()
