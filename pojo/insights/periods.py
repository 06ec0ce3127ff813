"""The calendar the dashboard counts in: its window, months and quarters (pure).

Months and quarters begin at local midnight in the site's zone (Europe/Helsinki
by default) and are handed to SQL as UTC instants, so both databases bucket
rows the same way without knowing about zones.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

# The windows the selector offers, in days; any whole number in WINDOW_DAYS is accepted.
PRESETS = (90, 180, 365, 730)
DEFAULT_WINDOW = 365
# The quarters the trend shows, oldest first, the current one last.
TREND_QUARTERS = 4
# Points earned longer ago than this and still unspent are dormant.
DORMANT_DAYS = 182


@dataclass(frozen=True)
class Period:
    """[start, end) as UTC instants; `first` is its first local day (a month's or quarter's)."""

    first: date
    start: datetime
    end: datetime


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)


def _next_month(day: date, months: int = 1) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months(start: datetime, end: datetime, zone: ZoneInfo) -> list[Period]:
    """The calendar months touching [start, end), each cut to the window."""
    first = start.astimezone(zone).date().replace(day=1)
    found = []
    while _local_midnight(first, zone) < end:
        following = _next_month(first)
        found.append(
            Period(
                first,
                max(start, _local_midnight(first, zone)),
                min(end, _local_midnight(following, zone)),
            )
        )
        first = following
    return found


def quarter_ends(now: datetime, zone: ZoneInfo, count: int = TREND_QUARTERS) -> list[Period]:
    """The last `count` quarters, oldest first; the current one ends `now` (so far)."""
    today = now.astimezone(zone).date()
    current = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    found = []
    for back in range(count - 1, -1, -1):
        first = _next_month(current, -3 * back)
        end = _local_midnight(_next_month(first, 3), zone)
        found.append(Period(first, _local_midnight(first, zone), min(end, now)))
    return found


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """The local midnight that begins `day`, as UTC."""
    return _local_midnight(day, zone)


def window_start(now: datetime, window_days: int) -> datetime:
    return now - timedelta(days=window_days)


def quarter_label(first: date) -> str:
    """ "2026 Q3": the same in both languages."""
    return f"{first.year} Q{(first.month - 1) // 3 + 1}"
