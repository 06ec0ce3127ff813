"""The dashboard's trend: each participant's segment code as of each past quarter's end.

The trend counts codes only, so the `segment_features` job stores them (`pojo.insights.stored`,
kind `trend`) beside the economy and fairness, as of the day's start and under its stamp:
entries are never updated or deleted, so while the count of entries dated up to the day's
start and the cancellations among them stand, so do every earlier quarter's. A code also
depends on HR's thresholds and the active catalogue's prices (filled in where nothing was paid
in a window), so the payload keeps the ones it was classified with, and a page reads it only
while they are the current ones; else it classifies the stored figures (`pojo.insights.service`)
as before. Either way the codes are the same.
"""

from datetime import datetime

from pojo.insights import measures, snapshots
from pojo.insights.measures import Catalogue
from pojo.insights.payload import encode
from pojo.insights.segments import Features, Thresholds, classify


def codes_of(
    found: dict[int, Features], window_days: int, thresholds: Thresholds, prices: Catalogue
) -> tuple[dict[int, str], str]:
    """(the code by employee id of everyone in `found`, the code of someone without figures)."""
    blank = classify(measures.priced(measures.no_history(window_days), prices), thresholds)
    codes = {
        employee_id: classify(measures.priced(features, prices), thresholds).code
        for employee_id, features in found.items()
    }
    return codes, blank.code


def work_out(
    window_days: int, ends: list[datetime], thresholds: Thresholds, prices: Catalogue
) -> dict:
    """The payload the job stores: the codes as of each of `ends` (from the segments' stored
    snapshot when its stamp is the data's, else measured), and what they were classified with.
    A code's people are listed under it, so 5,000 people are a few short lists."""
    quarters = []
    for end in ends:
        found = snapshots.stored(window_days, end, snapshots.stamp(end))
        if found is None:
            found = measures.measure_open(window_days, end)
        codes, blank = codes_of(found, window_days, thresholds, prices)
        by_code: dict[str, list[int]] = {}
        for employee_id, code in sorted(codes.items()):
            by_code.setdefault(code, []).append(employee_id)
        quarters.append({"end": end.isoformat(), "blank": blank, "codes": by_code})
    return {"thresholds": encode(thresholds), "catalogue": encode(prices), "quarters": quarters}


def read(
    payload: dict, ends: list[datetime], thresholds: Thresholds, prices: Catalogue
) -> dict[datetime, tuple[dict[int, str], str]] | None:
    """The codes as of each of `ends` from a stored payload; None: classified with other
    thresholds or prices, or for other quarters."""
    if payload["thresholds"] != encode(thresholds) or payload["catalogue"] != encode(prices):
        return None
    quarters = payload["quarters"]
    if [datetime.fromisoformat(q["end"]) for q in quarters] != list(ends):
        return None
    found = {}
    for end, quarter in zip(ends, quarters, strict=True):
        codes = {employee_id: code for code, ids in quarter["codes"].items() for employee_id in ids}
        found[end] = (codes, quarter["blank"])
    return found
