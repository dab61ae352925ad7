"""Stage: a question describing a need gets the recommender's ranked interventions; a
question naming an item that may not be funded from NPO money gets that note."""

from __future__ import annotations

from typing import Protocol

from service.models import RecommendedIntervention
from service.pipeline.types import AnswerState


class Recommends(Protocol):
    def recommend(self, need: str, filters: dict | None = None, k: int = 5,
                  include_municipal: bool | None = None, vector=None
                  ) -> list[RecommendedIntervention]: ...

    def not_fundable_note(self, item_id: str) -> str: ...


class RecommendRoute:
    def __init__(self, recommender: Recommends | None) -> None:
        self.recommender = recommender

    def __call__(self, state: AnswerState) -> AnswerState:
        if self.recommender is None:
            return state
        query = state.search_query or state.question
        if state.not_fundable_item:
            state.warnings = [self.recommender.not_fundable_note(state.not_fundable_item)]
        if state.mode == "facilitator" or state.needs_interventions:
            # A briefing for a knowledge circle of municipalities includes municipal measures.
            state.interventions = self.recommender.recommend(
                query, k=5, include_municipal=True if state.mode == "facilitator" else None,
                vector=state.query_vector)
        return state
