"""What stands out from its group: "far" from the median, with the figures that show it (pure).

A value is far from its group's median when it is more than `HIGH` (2) times
the median or under `LOW` (½) of it. A median of zero marks nothing (there
is no scale to compare with), and neither does a group of fewer than
`LEAST_GROUP` (3) values: with two, each is "far" from the other.
"""

from dataclasses import dataclass
from statistics import median

HIGH = 2.0
LOW = 0.5
LEAST_GROUP = 3


@dataclass(frozen=True)
class Flag:
    """Why a value is marked for a look: it is `ratio` times its group's `median`."""

    value: float
    median: float
    ratio: float

    @property
    def high(self) -> bool:
        return self.ratio > 1


def group_median(values) -> float | None:
    values = list(values)
    return float(median(values)) if len(values) >= LEAST_GROUP else None


def far_from(value: float, middle: float | None) -> Flag | None:
    """A Flag when `value` is over HIGH × or under LOW × the median `middle`, else None."""
    if middle is None or middle <= 0:
        return None
    ratio = value / middle
    if ratio > HIGH or ratio < LOW:
        return Flag(float(value), float(middle), round(ratio, 2))
    return None


def mark(values: dict) -> dict:
    """Each key's Flag (or None) against the median of all the values."""
    middle = group_median(values.values())
    return {key: far_from(value, middle) for key, value in values.items()}
