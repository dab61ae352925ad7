"""Stage: questions asking what to do get the recommender's ranked interventions."""

from __future__ import annotations

from typing import Protocol

from service.pipeline.types import AnswerState


class Recommends(Protocol):
    def recommend(self, need: str, filters: dict | None = None, k: int = 5) -> list[dict]: ...


class RecommendRoute:
    def __init__(self, recommender: Recommends | None, trigger) -> None:
        self.recommender = recommender
        self.trigger = trigger  # compiled regex from the config

    def __call__(self, state: AnswerState) -> AnswerState:
        if self.recommender is None:
            return state
        query = state.search_query or state.question
        if state.mode == "facilitator" or self.trigger.search(query):
            state.interventions = self.recommender.recommend(query, k=5)
        return state
