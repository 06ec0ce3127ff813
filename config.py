"""Pojo settings, read from the environment.

Every setting is listed here with its meaning and default. Names without
a prefix follow common conventions (DATABASE_URL, SECRET_KEY); Pojo's
own settings start with POJO_.

DATABASE_URL
    SQLAlchemy URL. Default: SQLite file ``instance/pojo.sqlite3``.
    PostgreSQL: ``postgresql+psycopg://user:password@host/dbname``.
SECRET_KEY
    Signs sessions and CSRF tokens. If unset, a random key is generated
    once and kept in ``instance/secret_key`` (never a constant in code).
POJO_TEAM_MONTHLY_BUDGET
    Points a team's supervisors may award per calendar month when the
    team has no budget of its own. Default 2000.
POJO_LOGIN_MAX_FAILURES
    Failed logins allowed for one account from one address (the pair) per
    window before that pair is refused: someone guessing locks only
    themselves out, and the owner still logs in from elsewhere. Default 5.
POJO_LOGIN_ACCOUNT_MAX_FAILURES
    Failed logins allowed for one account from all addresses together per
    window: stops guessing spread over many addresses. Default 20.
POJO_LOGIN_ADDRESS_MAX_FAILURES
    Failed logins allowed from one address over all accounts per window:
    stops one address trying password after password on many accounts. A
    contact centre puts hundreds of agents behind one office address, so
    this is high; raise it for a bigger office, 0 turns it off. Default 100.
POJO_LOGIN_WINDOW_MINUTES
    Length of a throttling window in minutes. Windows are fixed (aligned to
    the clock), so a refused login may try again when the window ends, at
    most this long. A successful login does not count. Default 15.
POJO_DEFAULT_LANGUAGE
    ``fi`` or ``en``: language for visitors with no preference. Default ``fi``.
POJO_NOTE_MAX_LENGTH
    Longest award note accepted, in characters. Default 500.
POJO_PRICE_TICK_MINUTES
    Interval of the scheduled price-history tick. Default 60.
POJO_SCHEDULER
    ``1`` runs the scheduler inside this process (the development server
    does so by default); production runs ``flask --app pojo scheduler``
    as its own process instead, so gunicorn workers never run jobs.
POJO_SCHEDULER_RETRY_SECONDS
    How often a waiting ``flask --app pojo scheduler`` tries the leader lock,
    and how often the leader checks it still holds it: when the leader
    ends, another takes over within this many seconds. Default 10.
POJO_MAX_CONTENT_LENGTH
    Largest request body accepted, in bytes. Default 12 MiB.
POJO_SECURE_COOKIES
    ``1`` when served over HTTPS: every cookie is marked Secure and each
    response carries Strict-Transport-Security (a year). Default off.
POJO_PROXY_HOPS
    How many reverse proxies (nginx, a load balancer) stand in front of
    gunicorn and set X-Forwarded-For and X-Forwarded-Proto. Pojo then takes
    the client's address (the login throttle counts by it) and the scheme
    from those headers, trusting only that many hops. 0 (the default) trusts
    no such header: set it only when every request passes the proxies, since
    a client reaching gunicorn directly could forge them.
POJO_OUTCOME_MAX_AGE_DAYS
    Oldest outcome accepted (CSV, command line, API), in days before it is
    recorded; older rows are rejected with reason ``too_old``. Default 90.
POJO_TIMEZONE
    Time zone for calendar months and dates shown. Default Europe/Helsinki.
POJO_EURO_PER_POINT
    Value of one point in euros for reports. Default 0.10.
POJO_HISTORY_BACKGROUND_ROWS
    A history upload with more rows than this is applied in the background,
    the page showing its progress; smaller ones apply within the request.
    Default 5000.
POJO_NOTIFICATION_RETENTION_DAYS
    A read notification older than this many days is deleted by the nightly
    `prune_read_notifications` job (unread ones are kept). Default 180.
POJO_BASE_URL
    Pojo's address as people open it, e.g. ``https://pojo.example.com``:
    e-mails link to pages under it. Default: built from SERVER_NAME (and
    PREFERRED_URL_SCHEME) when that is set, else e-mails carry no link.
MAIL_SERVER
    The SMTP server that sends Pojo's e-mail notices. Unset (the default):
    no e-mail is queued or sent, and nothing fails for it.
MAIL_PORT
    Its port. Default 25 (587 is usual with MAIL_USE_TLS, 465 with MAIL_USE_SSL).
MAIL_USERNAME, MAIL_PASSWORD
    Login for the SMTP server, if it asks for one. Default none.
MAIL_USE_TLS
    ``1``: STARTTLS after connecting (port 587). Default off.
MAIL_USE_SSL
    ``1``: TLS from the start (port 465). Default off; not with MAIL_USE_TLS.
MAIL_DEFAULT_SENDER
    The From of every e-mail, e.g. ``Pojo <pojo@example.com>``.
    Default ``pojo@localhost``: set it, many servers refuse that one.
MAIL_TIMEOUT
    Seconds to wait for the SMTP server before the attempt counts as failed
    (and is tried again later). Default 30.
POJO_MAIL_MAX_ATTEMPTS
    How many times an e-mail is tried before it is marked failed. Default 6.
POJO_MAIL_RETRY_SECONDS
    The wait before the first retry; it doubles after each failure
    (1, 2, 4, 8, 16 minutes by default). Default 60.
POJO_MAIL_RETENTION_DAYS
    The outbox keeps an e-mail sent (or failed) this many days, then the
    nightly `prune_mail_outbox` job deletes it. Default 30.
"""

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _int(name: str, default: int, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    number = int(value) if value not in (None, "") else default
    if minimum is not None and number < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {number}")
    return number


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return value.lower() in {"1", "true", "yes", "on"}


def _secret_key(instance_path: Path) -> str:
    """Return SECRET_KEY, generating and keeping one in instance/ if unset."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def load(instance_path: Path) -> dict:
    """Build the Flask config mapping from the environment."""
    default_db = f"sqlite:///{instance_path / 'pojo.sqlite3'}"
    if _flag("MAIL_USE_TLS") and _flag("MAIL_USE_SSL"):
        # Said at start-up, not as a failed e-mail a minute later.
        raise ValueError("MAIL_USE_TLS and MAIL_USE_SSL exclude each other: set one")
    return {
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL") or default_db,
        "SECRET_KEY": _secret_key(instance_path),
        "TEAM_MONTHLY_BUDGET": _int("POJO_TEAM_MONTHLY_BUDGET", 2000),
        "LOGIN_MAX_FAILURES": _int("POJO_LOGIN_MAX_FAILURES", 5, minimum=1),
        "LOGIN_ACCOUNT_MAX_FAILURES": _int("POJO_LOGIN_ACCOUNT_MAX_FAILURES", 20, minimum=1),
        "LOGIN_ADDRESS_MAX_FAILURES": _int("POJO_LOGIN_ADDRESS_MAX_FAILURES", 100, minimum=0),
        "LOGIN_WINDOW_MINUTES": _int("POJO_LOGIN_WINDOW_MINUTES", 15, minimum=1),
        "DEFAULT_LANGUAGE": os.environ.get("POJO_DEFAULT_LANGUAGE", "fi"),
        "NOTE_MAX_LENGTH": _int("POJO_NOTE_MAX_LENGTH", 500),
        "OUTCOME_MAX_AGE_DAYS": _int("POJO_OUTCOME_MAX_AGE_DAYS", 90),
        "PRICE_TICK_MINUTES": _int("POJO_PRICE_TICK_MINUTES", 60),
        "SCHEDULER_IN_PROCESS": _flag("POJO_SCHEDULER"),
        "SCHEDULER_RETRY_SECONDS": _int("POJO_SCHEDULER_RETRY_SECONDS", 10, minimum=1),
        "MAX_CONTENT_LENGTH": _int("POJO_MAX_CONTENT_LENGTH", 12 * 1024 * 1024),
        "PROXY_HOPS": _int("POJO_PROXY_HOPS", 0, minimum=0),
        "SESSION_COOKIE_SECURE": _flag("POJO_SECURE_COOKIES"),
        "REMEMBER_COOKIE_SECURE": _flag("POJO_SECURE_COOKIES"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "TIMEZONE": os.environ.get("POJO_TIMEZONE", "Europe/Helsinki"),
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("POJO_TIMEZONE", "Europe/Helsinki"),
        "EURO_PER_POINT": float(os.environ.get("POJO_EURO_PER_POINT", "0.10")),
        "HISTORY_BACKGROUND_ROWS": _int("POJO_HISTORY_BACKGROUND_ROWS", 5000, minimum=0),
        "NOTIFICATION_RETENTION_DAYS": _int("POJO_NOTIFICATION_RETENTION_DAYS", 180, minimum=1),
        "BASE_URL": os.environ.get("POJO_BASE_URL", "").rstrip("/"),
        # Flask-Mailman reads the MAIL_ settings; Pojo sends only when MAIL_SERVER is set.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": _int("MAIL_PORT", 25, minimum=1),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _flag("MAIL_USE_SSL"),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER") or "pojo@localhost",
        "MAIL_TIMEOUT": _int("MAIL_TIMEOUT", 30, minimum=1),
        # Always SMTP: Flask-Mailman would keep a testing app's mail in memory instead.
        "MAIL_BACKEND": "smtp",
        "MAIL_MAX_ATTEMPTS": _int("POJO_MAIL_MAX_ATTEMPTS", 6, minimum=1),
        "MAIL_RETRY_SECONDS": _int("POJO_MAIL_RETRY_SECONDS", 60, minimum=1),
        "MAIL_RETENTION_DAYS": _int("POJO_MAIL_RETENTION_DAYS", 30, minimum=1),
        # No pre-ping: it costs every request a round trip. A pooled connection is
        # replaced after half an hour instead (before servers and firewalls drop idle
        # ones), and a GET that finds its connection dead is served again on a fresh one
        # (errors._RetryOnFreshConnection); anything else answers 503 with Retry-After.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_recycle": 1800},
        "WTF_CSRF_TIME_LIMIT": None,
    }
