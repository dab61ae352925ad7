"""Turning a follow-up ("en voor het vo?") into a stand-alone search question.

Whether a question is a follow-up is decided by a classifier (pipeline/understand.py); this
module only merges: the follow-up is appended to the previous user question, and a term
from a group of mutually exclusive terms (po/vo/mbo…) replaces its counterpart.
"""

from __future__ import annotations

import re

_STARTERS = re.compile(r"^\s*(en|of|maar|ook|dus|dan|wat als|hoe zit het( met)?)\b[\s,]*",
                       re.I)


def merge_follow_up(previous: str, follow_up: str,
                    exclusive_terms: list[list[str | list[str]]]) -> str:
    """``exclusive_terms``: groups of alternatives, each a term or a list of words for the
    same thing. "Geldt dat ook voor peuters?" after a question about the voorschoolse
    periode keeps "voorschoolse" (same alternative); "en voor het vo?" drops "po"."""
    base = previous
    low_follow = follow_up.lower()
    for group in exclusive_terms:
        alternatives = [[a] if isinstance(a, str) else a for a in group]
        named = [a for a in alternatives if any(_has_term(low_follow, t) for t in a)]
        for alternative in alternatives:
            if named and alternative not in named:
                for term in alternative:
                    base = re.sub(rf"\b{re.escape(term)}\b", " ", base, flags=re.I)
    follow = _STARTERS.sub("", follow_up.strip())
    return " ".join(f"{base.rstrip(' ?')} {follow}".split())


def _has_term(text: str, term: str) -> bool:
    return re.search(rf"\b{re.escape(term)}\b", text) is not None
