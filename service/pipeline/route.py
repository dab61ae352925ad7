"""Stages: a question describing a need gets the recommender's ranked interventions; a
question naming an item that may not be funded from NPO money gets that note; a session
briefing keeps the interventions its subject names (after the answer is composed)."""

from __future__ import annotations

from typing import Protocol

from service.models import RecommendedIntervention
from service.pipeline.types import AnswerState


class Recommends(Protocol):
    def recommend(self, need: str, filters: dict | None = None, k: int = 5,
                  include_municipal: bool | None = None, vector=None,
                  words_only: bool = False) -> list[RecommendedIntervention]: ...

    def not_fundable_note(self, item_id: str) -> str: ...

    def named_in(self, item_id: str, text: str) -> bool: ...


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
            # An answer lists only items the question's own words point to: of the items
            # that ranked on overall resemblance alone, about one in eight fitted.
            state.interventions = self.recommender.recommend(
                query, k=5, include_municipal=True if state.mode == "facilitator" else None,
                vector=state.query_vector, words_only=True)
        return state


class BriefingInterventions:
    """A session briefing on a question that describes no need lists the interventions its
    subject is about: those the question or the briefing's key facts name (a keyword or the
    name of the item). Without this, a briefing on how the NPO money was divided listed the
    municipal spending goals every question about municipal money resembles."""

    def __init__(self, recommender: Recommends | None) -> None:
        self.recommender = recommender

    def __call__(self, state: AnswerState) -> AnswerState:
        if (self.recommender is None or state.mode != "facilitator"
                or state.needs_interventions or not state.interventions):
            return state
        text = " ".join([state.search_query or state.question,
                         *(st.text for st in state.statements)])
        named = [i for i in state.interventions if self.recommender.named_in(i.id, text)]
        if len(named) < len(state.interventions):
            state.trace["interventions_not_named"] = [
                i.id for i in state.interventions if i not in named]
        state.interventions = named
        return state
