"""Outcome rules are plain matching: properties that hold for any set of rules."""

import random

from hypothesis import given
from hypothesis import strategies as st

from pojo.outcomes.rules import SCORE_MAX, SCORE_MIN, Rule, best_rule, valid_range

KINDS = st.sampled_from(["nps", "fcr", "promise_kept", "quality_review"])
SCORES = st.none() | st.integers(SCORE_MIN, SCORE_MAX)


@st.composite
def rules(draw):
    found = []
    for rule_id in range(1, draw(st.integers(0, 12)) + 1):
        low, high = draw(SCORES), draw(SCORES)
        if low is not None and high is not None and low > high:
            low, high = high, low
        found.append(
            Rule(rule_id, draw(KINDS), low, high, f"c{rule_id}", draw(st.integers(1, 100)))
        )
    return found


@given(rules(), KINDS, SCORES)
def test_chosen_rule_matches_and_none_pays_more(found, kind, score):
    chosen = best_rule(found, kind, score)
    matching = [rule for rule in found if rule.matches(kind, score)]
    if chosen is None:
        assert matching == []
    else:
        assert chosen.kind == kind and chosen.matches(kind, score)
        assert all(rule.points <= chosen.points for rule in matching)


@given(rules(), KINDS, SCORES, st.randoms())
def test_choice_does_not_depend_on_rule_order(found, kind, score, shuffle: random.Random):
    shuffled = list(found)
    shuffle.shuffle(shuffled)
    assert best_rule(shuffled, kind, score) == best_rule(found, kind, score)


@given(rules(), KINDS)
def test_outcome_without_score_matches_only_rules_without_bounds(found, kind):
    chosen = best_rule(found, kind, None)
    assert chosen is None or (chosen.min_score is None and chosen.max_score is None)


def test_default_nps_rules_split_promoters_from_the_rest():
    defaults = [
        Rule(1, "nps", 10, 10, "nps_10", 50),
        Rule(2, "nps", 9, 9, "nps_9", 25),
        Rule(3, "fcr", None, None, "fcr", 20),
    ]
    assert best_rule(defaults, "nps", 10).criterion == "nps_10"
    assert best_rule(defaults, "nps", 9).criterion == "nps_9"
    assert best_rule(defaults, "nps", 8) is None
    assert best_rule(defaults, "fcr", None).criterion == "fcr"
    assert best_rule(defaults, "promise_kept", None) is None


@given(SCORES, SCORES)
def test_valid_range_needs_ordered_bounds_within_scale(low, high):
    assert valid_range(low, high) == (low is None or high is None or low <= high)
    assert not valid_range(-1, None) and not valid_range(None, SCORE_MAX + 1)
