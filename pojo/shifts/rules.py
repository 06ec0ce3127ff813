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


def rest_before_and_after(span: Span, others: Iterable[Span]) -> tuple[Span, timedelta] | None:
    """The neighbouring shift closest to `span` that does not overlap it, with the rest
    between them (the gap from one's end to the other's start); None without neighbours."""
    gaps = []
    for other in others:
        if overlaps(span, other):
            continue
        gap = (
            span.starts_at - other.ends_at
            if other.ends_at <= span.starts_at
            else (other.starts_at - span.ends_at)
        )
        gaps.append((gap, other))
    if not gaps:
        return None
    gap, other = min(gaps, key=lambda pair: pair[0])
    return other, gap


def take_problem(
    span: Span, own: Iterable[Span], minimum_rest: timedelta, within_contract: bool
) -> tuple[str, Span | None]:
    """Why a colleague may not take the shift `span`, given their own shifts `own`:
    `contract_ended` (`within_contract` False: it ends after their contract does),
    `overlap` (with the shift it overlaps), `rest_period` (less than `minimum_rest`
    between it and a neighbour, that neighbour); ("", None) when they may."""
    if not within_contract:
        return "contract_ended", None
    own = list(own)
    clash = overlapping(span, own)
    if clash is not None:
        return "overlap", clash
    closest = rest_before_and_after(span, own)
    if closest is not None and closest[1] < minimum_rest:
        return "rest_period", closest[0]
    return "", None
