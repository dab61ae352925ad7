"""Splitting source text into sentences that can be quoted and cited on their own."""

from __future__ import annotations

import hashlib
import re

from kb.dutch_dates import MONTH_PATTERN

_ABBREV = {"ca", "bijv", "bv", "o.a", "oa", "nr", "mln", "mld", "art", "jl", "incl", "excl",
           "m.b.t", "i.p.v", "t.o.v", "e.d", "enz", "d.w.z", "z.g.a.n", "vs", "zgn", "resp", "lbr", "jo", "bijl", "blz", "p",
           # titles before a name: "prof. dr. Eddie Denessen"
           "prof", "dr", "drs", "mr", "ir", "ing", "dhr", "mevr", "mw"}
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9ÀÁÉÈËÏÖÜ\"“'(€])")
BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")  # a list item's mark
_DATE = re.compile(rf"\b\d{{1,2}} (?:{MONTH_PATTERN}) \d{{4}}\b", re.I)
# Changes whenever the splitting rules do: sentence vectors stored under another version
# no longer line up with the sentences and are made again (kb/sentence_vectors.py).
SPLITTER_VERSION = hashlib.sha1(repr((1, sorted(_ABBREV), _SPLIT.pattern, BULLET.pattern))
                                .encode()).hexdigest()[:10]


def split_sentences(text: str) -> list[str]:
    sentences: list[str] = []
    for block in re.split(r"\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)])\s)", text):
        block = BULLET.sub("", " ".join(block.split()))
        if not block:
            continue
        parts = _SPLIT.split(block)
        merged: list[str] = []
        for part in parts:
            if merged and _ends_with_abbreviation(merged[-1]):
                merged[-1] = f"{merged[-1]} {part}"
            else:
                merged.append(part)
        sentences.extend(p.strip() for p in merged if p.strip())
    return sentences


def _ends_with_abbreviation(sentence: str) -> bool:
    last = sentence.rsplit(" ", 1)[-1].rstrip(".").lower()
    return last in _ABBREV


def full_dates(text: str) -> set[str]:
    return {d.lower() for d in _DATE.findall(text)}
