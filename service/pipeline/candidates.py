"""A candidate sentence of an extractive answer, and what its text says about how it reads:
an item of a list that is no sentence of its own, the sentence introducing that list, a
sentence repeating another."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from kb.hits import Hit
from kb.sentences import BULLET


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
    alone: bool = True  # may be chosen on its own; False: a short list item ("de planning;"),
    # quoted only to complete its list


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


def list_completions(cands: list[Candidate], chosen: list[Candidate], max_chars: int
                     ) -> list[Candidate]:
    """The rest of every list of which the answer quotes a part (its introduction, or some
    of its items), when the missing part is at most ``max_chars`` long: the choice of
    sentences stays as it was, a list is never quoted in part."""
    added: list[Candidate] = []
    for cand in chosen:
        missing = [c for c in whole_list(cand, cands)
                   if all(c is not x for x in [*chosen, *added])]
        if missing and sum(len(c.text) for c in missing) <= max_chars:
            added += missing
    return added


def whole_list(cand: Candidate, cands: list[Candidate]) -> list[Candidate]:
    """The list a sentence introduces ("Sinds 2019 worden vier indicatoren gebruikt:") or is
    an item of, whole and in order: its introduction, then every item. Quoting only part of
    a list reads as if the source named one indicator of four. [] when the sentence is in no
    list, or when an item is not a candidate (too short, say): then the list cannot be
    quoted whole."""
    chunk = {c.position: c for c in cands if c.hit.chunk.id == cand.hit.chunk.id}
    body = cand.hit.chunk.body
    position = cand.position
    if not _introduces(cand.text):
        if not list_item(cand.text, body):
            return []
        while position - 1 in chunk and list_item(chunk[position - 1].text, body) \
                and not _introduces(chunk[position - 1].text):
            position -= 1
        position -= 1
        if position not in chunk or not _introduces(chunk[position].text):
            return []
    intro, items = chunk[position], []
    while position + 1 in chunk and list_item(chunk[position + 1].text, body):
        position += 1
        items.append(chunk[position])
    if not items or len(items) < _bullets_after(intro.text, body):
        return []
    return [intro, *items]


def _introduces(sentence: str) -> bool:
    return sentence.rstrip().endswith(":")


def list_item(sentence: str, body: str) -> bool:
    """An item of a list: it continues the sentence before (lower case), or its source
    line starts with a bullet."""
    return sentence[:1].islower() or bool(
        re.search(BULLET.pattern + re.escape(sentence[:40]), body, re.MULTILINE))


def _bullets_after(intro: str, body: str) -> int:
    """How many bulleted lines follow the introduction in the source."""
    at = body.find(intro[-40:])
    if at < 0:
        return 0
    lines = body[at:].split("\n")[1:]
    count = 0
    for line in lines:
        if BULLET.match(line):
            count += 1
        elif line.strip():
            break
    return count


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
