"""Every question set in evals/ is well formed: what the answer metrics need is there."""

from __future__ import annotations

import pytest

from evals.gold import CATEGORIES, SETS, load_gold

FIRST_SETS = ("gold", "heldout")
CHECK_SETS = [path for name, path in SETS.items() if name.startswith("check")]


@pytest.mark.parametrize("name", list(SETS))
def test_question_set_is_well_formed(name):
    items = load_gold(SETS[name])
    assert items
    assert len({i.id for i in items}) == len(items), "ids are unique"
    for item in items:
        assert item.category in CATEGORIES, item.id
        assert item.question.strip(), item.id
        if item.category in ("fact", "advice", "followup"):
            # the first sets (gold, held-out) have a few questions scored on citation only
            assert item.urls and (item.facts or name in FIRST_SETS), item.id
            assert all(m.strip() for f in item.facts for m in f.match), item.id
        if item.category == "followup":
            assert item.history and item.is_follow_up is not None, item.id
        if item.category == "unanswerable":
            # the metric looks for one of these among the terms the answer names
            assert item.missing and all(m in item.question for m in item.missing), item.id
        if item.category == "false_premise":
            assert item.premise_stated in item.question and item.premise_correct, item.id


@pytest.mark.parametrize("path", CHECK_SETS)
def test_check_set_has_each_kind_of_question(path):
    items = load_gold(path)
    kinds = {i.category for i in items}
    assert {"fact", "advice", "followup", "unanswerable", "false_premise"} <= kinds
    follow = [i for i in items if i.category == "followup"]
    assert {True, False} <= {i.is_follow_up for i in follow}
