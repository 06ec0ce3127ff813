"""What makes a shift plannable, as plain values: no Flask, no database.

The swap rules (overlap, rest period) reuse `overlapping`; each check answers
with the refusal's code so a caller can word it in the user's language.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

LONGEST = timedelta(hours=24)
# A roster plans this far ahead at most: a shift years away is a typo in the year.
FARTHEST = timedelta(days=400)


@dataclass(frozen=True)
class Span:
    starts_at: datetime
    ends_at: datetime


def time_problem(span: Span, now: datetime) -> str | None:
    """Why these times cannot be a new shift: `ends_first`, `too_long`, `in_past`,
    `too_far` (over FARTHEST ahead), or None."""
    if span.ends_at <= span.starts_at:
        return "ends_first"
    if span.ends_at - span.starts_at > LONGEST:
        return "too_long"
    if span.starts_at < now:
        return "in_past"
    if span.starts_at > now + FARTHEST:
        return "too_far"
    return None


def overlaps(one: Span, other: Span) -> bool:
    """True when the two share any moment (a shift ending as the next starts does not)."""
    return one.starts_at < other.ends_at and other.starts_at < one.ends_at


def overlapping(span: Span, others: Iterable[Span]) -> Span | None:
    """The first of `others` that overlaps `span`, or None."""
    return next((other for other in others if overlaps(span, other)), None)
