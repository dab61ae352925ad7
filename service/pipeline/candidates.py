"""A candidate sentence of an extractive answer, and what its text says about how it reads:
an item of a list that is no sentence of its own, the sentence introducing that list, a
sentence repeating another."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kb.hits import Hit


@dataclass
class Candidate:
    hit: Hit
    rank: int
    position: int
    text: str
    terms: set[str]
    features: dict[str, float]
    vector: np.ndarray | None
    score: float = 0.0
    asked: frozenset[str] = frozenset()  # the question's terms this sentence contains
    typed: bool = False  # holds the kind of fact the question asks for


def introductions(cands: list[Candidate], chosen: list[Candidate]) -> list[Candidate]:
    """The sentence that introduces a list ("Uit de ervaringen blijken drie problemen:") for
    every chosen item of it that is no sentence of its own; without it the item reads as a
    loose fragment. Found by walking back over the other items of the same chunk."""
    added: list[Candidate] = []
    for item in [c for c in chosen if fragment(c.text)]:
        before = sorted((c for c in cands if c.hit.chunk.id == item.hit.chunk.id
                         and c.position < item.position), key=lambda c: -c.position)
        intro = next((c for c in before if not fragment(c.text)), None)
        if intro is not None and intro.text.rstrip().endswith(":") \
                and not any(intro is c for c in [*chosen, *added]):
            added.append(intro)
    return added


def fragment(sentence: str) -> bool:
    """An item of a list that does not end a sentence ("… ging;", "…, en")."""
    return sentence[:1].islower() and not sentence.rstrip().endswith((".", "!", "?"))


def overlap(a: set[str], b: set[str]) -> float:
    """Share of a sentence's terms another sentence already has (0 … 1)."""
    return len(a & b) / len(a) if a else 0.0


def duplicate(a: Candidate, b: Candidate, jaccard: float) -> bool:
    """Sentences saying the same in nearly the same words (sentence vectors carry their
    page title, so sentences of one page are all close in meaning: not a duplicate test)."""
    return bool(a.terms and b.terms
                and len(a.terms & b.terms) / len(a.terms | b.terms) >= jaccard)
