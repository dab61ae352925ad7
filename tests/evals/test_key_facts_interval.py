"""The bootstrap interval of the key-fact share that `kennisloket eval` prints."""

from __future__ import annotations

from evals.answer_metrics import key_facts_interval


def test_the_interval_holds_the_share_and_narrows_with_more_questions():
    few = [(1, 2), (2, 2), (0, 3), (3, 3), (1, 1)] * 6  # share 7/11 = 0.636
    many = few * 10
    low, high = key_facts_interval(few)
    assert low < 7 / 11 < high
    low_many, high_many = key_facts_interval(many)
    assert low_many < 7 / 11 < high_many
    assert high_many - low_many < (high - low) / 2
    assert key_facts_interval(few) == (low, high)  # the same figures every run


def test_no_questions_no_interval():
    assert key_facts_interval([]) is None
    assert key_facts_interval([(2, 2)] * 10) == (1.0, 1.0)
