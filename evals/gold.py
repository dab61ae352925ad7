"""Loading the gold sets in ``evals/``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

EVALS_DIR = Path(__file__).resolve().parent
GOLD = EVALS_DIR / "gold.jsonl"
HELDOUT = EVALS_DIR / "heldout.jsonl"  # written separately, never used for tuning
RECOMMEND = EVALS_DIR / "recommend.jsonl"


@dataclass(frozen=True)
class GoldQuestion:
    id: str
    question: str
    urls: tuple[str, ...]
    facts: tuple[str, ...] = ()
    kind: str = "official"

    @property
    def in_scope(self) -> bool:
        return bool(self.urls)


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


def load_gold(path: Path = GOLD) -> list[GoldQuestion]:
    return [GoldQuestion(r["id"], r["question"], tuple(r.get("urls", [])),
                         tuple(r.get("facts", [])), r.get("kind", "official"))
            for r in _lines(path)]


def load_needs(path: Path = RECOMMEND) -> list[GoldNeed]:
    return [GoldNeed(r["id"], r["need"], tuple(r["expected"]), r.get("filters", {}))
            for r in _lines(path)]
