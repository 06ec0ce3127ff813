"""Far from the median: over twice it or under half of it, with the figures that show it."""

from pojo.insights.outliers import far_from, group_median, mark


def test_over_twice_or_under_half_the_median_is_far():
    assert far_from(250, 100).ratio == 2.5
    assert far_from(40, 100).ratio == 0.4
    assert far_from(200, 100) is None and far_from(50, 100) is None


def test_a_zero_median_or_a_tiny_group_marks_nothing():
    assert far_from(10, 0) is None
    assert group_median([1, 100]) is None
    assert mark({"a": 1, "b": 100}) == {"a": None, "b": None}


def test_mark_names_the_one_that_stands_out_with_the_median():
    flags = mark({"aino": 100, "bo": 110, "cai": 90, "dan": 400})
    assert [k for k, f in flags.items() if f] == ["dan"]
    assert (flags["dan"].value, flags["dan"].median, flags["dan"].high) == (400, 105, True)
