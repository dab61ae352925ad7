"""Stage: questions asking what to do get the recommender's ranked interventions."""

from __future__ import annotations

import re
from typing import Protocol

from service.pipeline.types import AnswerState


class Recommends(Protocol):
    def recommend(self, need: str, filters: dict | None = None, k: int = 5,
                  include_municipal: bool | None = None) -> list[dict]: ...


_ASKING = re.compile(r"^\s*(wie|wat|hoe|waar|wanneer|welke?|waarom|hoeveel|tot|mag|mogen|moet|"
                     r"moeten|kan|kunnen|is|zijn|krijgen|krijgt|geldt|wordt|worden)\b", re.I)


def looks_like_need(text: str) -> bool:
    """A described situation ("begrijpend lezen, groep 6, weinig budget"), not a question."""
    return "?" not in text and not _ASKING.search(text)


class RecommendRoute:
    def __init__(self, recommender: Recommends | None, trigger) -> None:
        self.recommender = recommender
        self.trigger = trigger  # compiled regex from the config

    def __call__(self, state: AnswerState) -> AnswerState:
        if self.recommender is None:
            return state
        query = state.search_query or state.question
        notes = getattr(self.recommender, "not_fundable_notes", None)
        state.warnings = notes(query) if notes else []
        if state.mode == "facilitator" or self.trigger.search(query) or looks_like_need(query):
            # A briefing for a knowledge circle of municipalities includes municipal measures.
            state.interventions = self.recommender.recommend(
                query, k=5, include_municipal=True if state.mode == "facilitator" else None)
        return state
