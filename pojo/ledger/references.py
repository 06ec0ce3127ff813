"""What an entry's reference ("award:12", "redemption:7") means, in words.

The ledger knows nothing of awards or rewards; each feature registers a
describer for its own reference kind, which labels a whole page of
entries with one query.
"""

from collections.abc import Callable, Iterable

from pojo.ledger.models import LedgerEntry

# kind -> function(ids, language) -> {id: label}
_DESCRIBERS: dict[str, Callable[[list[int], str], dict[int, str]]] = {}


def register(kind: str, describer: Callable[[list[int], str], dict[int, str]]) -> None:
    _DESCRIBERS[kind] = describer


def parse(reference: str | None) -> tuple[str, int] | None:
    if not reference or ":" not in reference:
        return None
    kind, _, raw_id = reference.partition(":")
    return (kind, int(raw_id)) if raw_id.isdigit() else None


def describe(entries: Iterable[LedgerEntry], language: str) -> dict[int, str]:
    """Labels for these entries, keyed by entry id (entries without one are left out)."""
    wanted: dict[str, dict[int, list[int]]] = {}
    for entry in entries:
        parsed = parse(entry.reference)
        if parsed and parsed[0] in _DESCRIBERS:
            wanted.setdefault(parsed[0], {}).setdefault(parsed[1], []).append(entry.id)
    labels: dict[int, str] = {}
    for kind, by_id in wanted.items():
        for ref_id, label in _DESCRIBERS[kind](list(by_id), language).items():
            for entry_id in by_id.get(ref_id, []):
                labels[entry_id] = label
    return labels
