"""Stage 2: turn a follow-up ("en voor het vo?") into a stand-alone search question.

Rule-based, so it works without an LLM: a short question, or one that starts like a
continuation or leans on a pronoun, is merged with the previous user question; a term from
a group of mutually exclusive terms (po/vo/mbo…) replaces its counterpart.
"""

from __future__ import annotations

import re

from service.config import FollowUpCfg
from service.pipeline.types import AnswerState


class FollowUpCondenser:
    def __init__(self, cfg: FollowUpCfg) -> None:
        self.cfg = cfg

    def is_follow_up(self, question: str) -> bool:
        q = question.lower().strip()
        words = re.findall(r"\w+", q)
        return (len(words) <= self.cfg.max_tokens
                or q.startswith(tuple(self.cfg.starters))
                or any(re.search(rf"\b{re.escape(p)}\b", q) for p in self.cfg.pronouns))

    def __call__(self, state: AnswerState) -> AnswerState:
        previous = next((t.content for t in reversed(state.history) if t.role == "user"), "")
        state.search_query = state.question
        if previous and self.is_follow_up(state.question):
            state.search_query = self.merge(previous, state.question)
        return state

    def merge(self, previous: str, follow_up: str) -> str:
        base = previous
        low_follow = follow_up.lower()
        for group in self.cfg.exclusive_terms:
            if any(_has_term(low_follow, term) for term in group):
                for term in group:
                    if not _has_term(low_follow, term):
                        base = re.sub(rf"\b{re.escape(term)}\b", " ", base, flags=re.I)
        follow = re.sub(rf"^({'|'.join(re.escape(s.strip()) for s in self.cfg.starters)})\b",
                        "", follow_up.strip(), flags=re.I)
        return " ".join(f"{base.rstrip(' ?')} {follow}".split())


def _has_term(text: str, term: str) -> bool:
    return re.search(rf"\b{re.escape(term)}\b", text) is not None
