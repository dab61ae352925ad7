"""Loading the question sets in ``evals/``.

Two shapes share one model:

* ``gold.jsonl`` / ``heldout.jsonl`` (first build): ``facts`` are literal strings.
* ``blind.jsonl`` / ``dev.jsonl``: each fact is ``{"fact": own words, "match": [alternative
  surface forms]}`` and items carry a ``category`` (fact, advice, followup, unanswerable,
  false_premise), a ``mode``, and where relevant ``history``/``is_follow_up``, ``missing``
  (terms no source supports) or ``premise`` (the wrong value stated and the correct one).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

EVALS_DIR = Path(__file__).resolve().parent
GOLD = EVALS_DIR / "gold.jsonl"
HELDOUT = EVALS_DIR / "heldout.jsonl"  # written separately
DEV = EVALS_DIR / "dev.jsonl"  # written from the sites' pages, for tuning
BLIND = EVALS_DIR / "blind.jsonl"  # frozen: reported, never tuned on
# written from the sites' pages in the session of 3 December 2026, before that session's
# changes were measured on it: a second check besides held-out, then used like dev
CHECK = EVALS_DIR / "check.jsonl"
CHECK2 = EVALS_DIR / "check2.jsonl"  # written 3 December 2026, evening: see docs/quality.md
CHECK3 = EVALS_DIR / "check3.jsonl"  # written after check2 by three other people
CHECK4 = EVALS_DIR / "check4.jsonl"  # and after check3 by three more
CHECK5 = EVALS_DIR / "check5.jsonl"  # and after check4 by three more
CHECK6 = EVALS_DIR / "check6.jsonl"  # and after check5 by three more
RECOMMEND = EVALS_DIR / "recommend.jsonl"
# every question set by the name `kennisloket eval --set` knows it; blind last
SETS = {"gold": GOLD, "heldout": HELDOUT, "dev": DEV, "check": CHECK, "check2": CHECK2,
        "check3": CHECK3, "check4": CHECK4, "check5": CHECK5, "check6": CHECK6,
        "blind": BLIND}
TUNING = tuple(name for name in SETS if name != "blind")  # may be diagnosed and tuned on

CATEGORIES = ("fact", "advice", "followup", "unanswerable", "false_premise", "out_of_scope")
NOT_ANSWERABLE = ("unanswerable", "false_premise", "out_of_scope")


@dataclass(frozen=True)
class Fact:
    text: str
    match: tuple[str, ...]  # any one of these in the answer shows the fact is there


@dataclass(frozen=True)
class GoldQuestion:
    id: str
    question: str
    urls: tuple[str, ...]
    facts: tuple[Fact, ...] = ()
    mode: str = "official"
    category: str = "fact"
    history: tuple[str, ...] = ()
    is_follow_up: bool | None = None
    missing: tuple[str, ...] = ()
    premise_stated: str = ""
    premise_correct: tuple[str, ...] = ()

    @property
    def in_scope(self) -> bool:
        return bool(self.urls) and self.category not in NOT_ANSWERABLE

    @property
    def kind(self) -> str:  # the first sets called the mode "kind"
        return self.mode


@dataclass(frozen=True)
class GoldNeed:
    id: str
    need: str
    expected: tuple[str, ...]
    filters: dict = field(default_factory=dict)


def _lines(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: ongeldige JSON ({exc})") from exc
    return rows


def _fact(raw: str | dict) -> Fact:
    if isinstance(raw, str):
        return Fact(raw, (raw,))
    return Fact(raw.get("fact", ""), tuple(raw.get("match") or [raw.get("fact", "")]))


def _question(r: dict) -> GoldQuestion:
    premise = r.get("premise") or {}
    # the first sets have no category: a question without a source is out of scope
    category = r.get("category") or ("fact" if r.get("urls") else "out_of_scope")
    return GoldQuestion(
        id=r["id"], question=r["question"], urls=tuple(r.get("urls", [])),
        facts=tuple(_fact(f) for f in r.get("facts", [])),
        # the first sets ran every question in the official mode ("kind" says who asks)
        mode=r.get("mode") or "official", category=category,
        history=tuple(r.get("history", [])), is_follow_up=r.get("is_follow_up"),
        missing=tuple(r.get("missing", [])), premise_stated=premise.get("stated", ""),
        premise_correct=tuple(premise.get("correct", [])))


def load_gold(path: Path = GOLD) -> list[GoldQuestion]:
    return [_question(r) for r in _lines(path)]


def load_needs(path: Path = RECOMMEND) -> list[GoldNeed]:
    return [GoldNeed(r["id"], r["need"], tuple(r["expected"]), r.get("filters", {}))
            for r in _lines(path)]
