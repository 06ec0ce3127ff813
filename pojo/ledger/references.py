"""What an entry's reference ("award:12", "redemption:7") means, in words.

The ledger knows nothing of awards or rewards; each feature names a
describer for the reference kinds it knows (`Feature.references`), which
describes a whole page of entries with one query. Several features may describe one kind (the awards
name the criterion; outcomes add what was measured and when for the awards
their rules made): their descriptions are merged.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from pojo.features import installed
from pojo.ledger.models import LedgerEntry


@dataclass(frozen=True)
class Description:
    """A ledger line in words.

    `label` names what it is; `detail`, when given, replaces the entry's note
    (which for machine-made entries holds codes, not words); `source_id` is
    the id of the record in the system it came from, for HR's eyes only.
    """

    label: str | None = None
    detail: str | None = None
    source_id: str | None = None

    def merged(self, other: "Description") -> "Description":
        """This description with the blanks filled from the other one."""
        return replace(
            self,
            label=self.label or other.label,
            detail=self.detail or other.detail,
            source_id=self.source_id or other.source_id,
        )


# A describer: function(ids, language) -> {id: label or Description}
Describer = Callable[[list[int], str], dict[int, "str | Description"]]


def parse(reference: str | None) -> tuple[str, int] | None:
    if not reference or ":" not in reference:
        return None
    kind, _, raw_id = reference.partition(":")
    return (kind, int(raw_id)) if raw_id.isdigit() else None


def describe(entries: Iterable[LedgerEntry], language: str) -> dict[int, Description]:
    """Descriptions of these entries, keyed by entry id (entries without one are left out)."""
    describers = installed().references
    wanted: dict[str, dict[int, list[int]]] = {}
    for entry in entries:
        parsed = parse(entry.reference)
        if parsed and parsed[0] in describers:
            wanted.setdefault(parsed[0], {}).setdefault(parsed[1], []).append(entry.id)
    described: dict[int, Description] = {}
    for kind, by_id in wanted.items():
        for describer in describers[kind]:
            for ref_id, found in describer(list(by_id), language).items():
                if isinstance(found, str):
                    found = Description(label=found)
                for entry_id in by_id.get(ref_id, []):
                    earlier = described.get(entry_id)
                    described[entry_id] = earlier.merged(found) if earlier else found
    return described
