"""Which outcome earns which criterion: pure rule matching, no Flask, no database.

A rule maps an outcome kind and an inclusive score range to a criterion.
An open bound (None) matches any score on that side; a rule with no bounds
also matches outcomes that carry no score (first-contact resolution, a
promise kept). An outcome earns at most one criterion: of the rules that
match, the one worth the most points, and of equals the oldest rule, so the
answer never depends on the order rules are listed in.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

SCORE_MIN = 0
SCORE_MAX = 100
KIND_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,31}")


@dataclass(frozen=True)
class Rule:
    id: int
    kind: str
    min_score: int | None
    max_score: int | None
    criterion: str
    points: int

    def matches(self, kind: str, score: int | None) -> bool:
        if kind != self.kind:
            return False
        if score is None:
            return self.min_score is None and self.max_score is None
        return (self.min_score is None or score >= self.min_score) and (
            self.max_score is None or score <= self.max_score
        )


def best_rule(rules: Iterable[Rule], kind: str, score: int | None) -> Rule | None:
    """The rule an outcome earns by: the highest-paying match, the oldest of equals."""
    matching = [rule for rule in rules if rule.matches(kind, score)]
    if not matching:
        return None
    return min(matching, key=lambda rule: (-rule.points, rule.id))


def valid_kind(kind: str) -> bool:
    """A kind is a short lower-case code such as nps, fcr or promise_kept."""
    return bool(KIND_PATTERN.fullmatch(kind))


def valid_score(score: int | None) -> bool:
    return score is None or SCORE_MIN <= score <= SCORE_MAX


def valid_range(min_score: int | None, max_score: int | None) -> bool:
    return (
        valid_score(min_score)
        and valid_score(max_score)
        and (min_score is None or max_score is None or min_score <= max_score)
    )
