"""History imports: preview a file of past awards and redemptions, and apply it whole or not at all.

A file is applied at most once: its SHA-256 is kept on the applied import
(unique), so the same file again changes nothing and says so. Each row
becomes a backdated ledger entry with the reference "history:<import id>"
(kind "imported" for an award, "redemption" for a redemption, which also
gets its imported `Redemption` row); the balances are set by aggregate. No
notification is sent for history.
"""

import gc
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from pojo.audit import service as audit
from pojo.database import utcnow
from pojo.errors import Conflict, InvalidInput
from pojo.extensions import db
from pojo.history import csvrows
from pojo.history.models import HistoryImport
from pojo.history.plan import HistoryPlan, plan_history
from pojo.insights.policy import IMPORT_HISTORY
from pojo.ledger.bulk import Entry, post_history
from pojo.market import imported
from pojo.outcomes import csvfile
from pojo.outcomes.service import Rejection
from pojo.people.models import Employee
from pojo.policy import require
from pojo.rows import site_zone

# What the upload page takes; the command takes files up to CLI_MAX_BYTES.
PAGE_MAX_BYTES = csvfile.MAX_BYTES
PAGE_MAX_ROWS = csvfile.MAX_ROWS
CLI_MAX_BYTES = 512 * 1024 * 1024
CLI_MAX_ROWS = 5_000_000
IMPORTED_KIND = "imported"

# (stage, done, total): "write" (ledger entries), "redemptions", "demand" (the market's price
# record), each after a chunk of rows.
Progress = Callable[[str, int, int], None]


@dataclass
class HistoryPreview:
    rows: int
    plan: HistoryPlan
    rejected: list[Rejection]  # in line order
    # The earlier import of this very file, when there is one: applying changes nothing.
    already: HistoryImport | None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(data: bytes, max_bytes: int = PAGE_MAX_BYTES) -> str:
    try:
        return csvfile.decode(data, max_bytes)
    except csvfile.CsvFileError as error:
        raise InvalidInput(error.message, field="file") from None


def applied_import(digest: str) -> HistoryImport | None:
    return db.session.scalar(select(HistoryImport).where(HistoryImport.applied_sha256 == digest))


def preview_text(
    actor: Employee | None, text: str, digest: str, *, max_rows: int = PAGE_MAX_ROWS
) -> HistoryPreview:
    """What importing this decoded file as `actor` (None: the operator) would do; nothing written."""
    already = applied_import(digest)
    try:
        rows, rejected = csvrows.read(text, site_zone(), utcnow(), max_rows)
    except csvfile.CsvFileError as error:
        raise InvalidInput(error.message, field="file") from None
    plan = plan_history(rows, actor) if already is None else HistoryPlan()
    return HistoryPreview(
        rows=len(rows) + len(rejected),
        plan=plan,
        rejected=sorted(rejected + plan.rejected),
        already=already,
    )


def apply_preview(
    actor: Employee | None,
    preview: HistoryPreview,
    found: HistoryImport,
    progress: Progress | None = None,
) -> HistoryImport:
    """Write a clean preview's rows as the import `found` (flushed, not yet applied)."""
    if actor is not None:
        require(actor, IMPORT_HISTORY)
    csvrows.refuse_rejected(preview.rejected)
    plan = preview.plan
    now = utcnow()
    # The unique `applied_sha256` decides between two imports of one file at once: the later
    # waits for the first to commit, then is refused here, before anything is written.
    try:
        with db.session.begin_nested():
            found.applied_at = now
            found.applied_sha256 = found.sha256
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("This file was already applied.")) from None
    found.rows = len(plan.rows)
    found.awards, found.redemptions = plan.awards, plan.redemptions
    found.points_awarded, found.points_redeemed = plan.points_awarded, plan.points_redeemed
    db.session.flush()
    rewards = dict(plan.rewards)
    paid: dict[str, int] = {}  # the most paid for each new reward, in one pass
    if plan.new_rewards:
        for row, _e in plan.rows:
            if row.kind == "redemption" and (key := row.reward.lower()) in plan.new_rewards:
                paid[key] = max(paid.get(key, 0), row.points)
    for key, name in plan.new_rewards.items():
        rewards[key] = imported.archived_reward(name, paid[key], now).id
    reference = found.reference
    total = len(plan.rows)
    say = progress or _silent
    say("write", 0, total)
    entries: list[Entry] = []
    bought: list[tuple] = []  # each redemption: (row index, employee id, reward id, points, at)
    add, buy = entries.append, bought.append
    for index, (row, employee_id) in enumerate(plan.rows):
        if row.kind == "award":
            add(Entry(employee_id, row.points, IMPORTED_KIND, row.at, row.note or None, reference))
        else:
            add(
                Entry(
                    employee_id,
                    -row.points,
                    "redemption",
                    row.at,
                    row.note or row.reward,
                    reference,
                )
            )
            buy((index, employee_id, rewards[row.reward.lower()], row.points, row.at))
    ids = post_history(
        entries,
        actor_id=actor.id if actor else None,
        written=lambda done: say("write", done, total),
    )
    del entries
    redemptions = [
        (employee_id, reward_id, points, at, ids[index])
        for index, employee_id, reward_id, points, at in bought
    ]
    moments: dict[int, list] = {}
    for _i, _e, reward_id, _p, at in bought:
        moments.setdefault(reward_id, []).append(at)
    count = len(redemptions)
    say("redemptions", 0, count)
    imported.add_redemptions(redemptions, written=lambda done: say("redemptions", done, count))
    say("demand", count, count)
    imported.fold_in(moments, now)
    db.session.expire_all()
    found = db.session.get(HistoryImport, found.id)
    audit.record(
        actor,
        "history.imported",
        audit.Subject("import", found.id, f"{found.filename} (#{found.id})"),
        None,
        {
            **audit.snapshot(found, HISTORY_FIGURES),
            "new_rewards": sorted(plan.new_rewards.values()),
        },
    )
    return found


HISTORY_FIGURES = ("rows", "awards", "redemptions", "points_awarded", "points_redeemed")


def _silent(stage: str, done: int, total: int) -> None:
    """No progress shown."""


def import_file(
    actor: Employee | None,
    data: bytes,
    filename: str,
    *,
    progress: Progress | None = None,
) -> tuple[HistoryPreview, HistoryImport | None]:
    """The command's import: (preview, the applied import; None when the file was already in or
    rows are rejected, and then nothing is written)."""
    if actor is not None:
        require(actor, IMPORT_HISTORY)
    text = decode(data, CLI_MAX_BYTES)
    digest = sha256(data)
    # A million small tuples: the cyclic collector would rescan them over and over.
    collecting = gc.isenabled()
    gc.disable()
    try:
        preview = preview_text(actor, text, digest, max_rows=CLI_MAX_ROWS)
        if preview.already is not None or preview.rejected:
            return preview, None
        found = new_import(actor, "history", filename, digest, content=None)
        return preview, apply_preview(actor, preview, found, progress)
    finally:
        if collecting:
            gc.enable()


def new_import(
    actor: Employee | None, kind: str, filename: str, digest: str, content: str | None
) -> HistoryImport:
    found = HistoryImport(
        kind=kind,
        filename=(filename or f"{kind}.csv")[:255],
        sha256=digest,
        content=content,
        uploaded_by_id=actor.id if actor else None,
    )
    db.session.add(found)
    db.session.flush()
    return found


def already_message(found: HistoryImport) -> str:
    return _(
        "This file was already imported on %(date)s (import %(id)s): nothing changed.",
        date=found.applied_at.date().isoformat(),
        id=found.id,
    )
