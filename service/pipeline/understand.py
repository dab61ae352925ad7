"""Stages 2–3: understand the question from its meaning.

``QueryEncoder`` embeds the question once (the one model call of an answer). The follow-up
decision and the question's kind (answer type, a need for interventions, a named item that
may not be funded) come from classifiers over that embedding (service/classifiers.py),
trained on labelled examples; every decision goes into the trace.
"""

from __future__ import annotations

from collections.abc import Callable

from service.classifiers import EmbeddingClassifier
from service.config import DecisionCfg
from service.decisions import NOT_FUNDABLE_IDS
from service.pipeline.condense import merge_follow_up
from service.pipeline.types import AnswerState


class QueryEncoder:
    def __init__(self, embed: Callable[[str], list[float]]) -> None:
        self.embed = embed  # spells out abbreviations, as retrieval and the examples do

    def __call__(self, state: AnswerState) -> AnswerState:
        state.search_query = state.question
        state.query_vector = self.embed(state.question)
        return state


class FollowUpCondenser:
    """A follow-up ("en voor het vo?") is merged with the previous question and embedded
    again; anything else stands on its own."""

    def __init__(self, classifier: EmbeddingClassifier, embed: Callable[[str], list[float]],
                 exclusive_terms: list[list[str | list[str]]], threshold: float = 0.5) -> None:
        self.classifier = classifier
        self.embed = embed
        self.exclusive_terms = exclusive_terms
        self.threshold = threshold

    def __call__(self, state: AnswerState) -> AnswerState:
        previous = next((t.content for t in reversed(state.history) if t.role == "user"), "")
        if not previous:
            return state
        previous_vector = self.embed(previous) if self.classifier.examples.paired else None
        prediction = self.classifier.predict(state.query_vector, state.question, previous,
                                             previous_vector)
        p = prediction.scores.get("ja", 0.0)
        state.follow_up = p >= self.threshold or state.read_with_previous
        state.trace["follow_up"] = p >= self.threshold  # the classifier's decision
        if state.follow_up and p < self.threshold:
            state.trace["read_with_previous"] = True  # refused alone (pipeline.run)
        state.trace["follow_up_probability"] = round(p, 3)
        if state.follow_up:
            state.search_query = merge_follow_up(previous, state.question, self.exclusive_terms)
            state.question_vector = state.query_vector
            state.query_vector = self.embed(state.search_query)
            state.trace["search_query"] = state.search_query
        return state


class QuestionKind:
    """Answer type, a need for interventions, and a named item that may not be funded."""

    def __init__(self, answer_type: EmbeddingClassifier, route: EmbeddingClassifier,
                 not_fundable: EmbeddingClassifier, thresholds: DecisionCfg) -> None:
        self.answer_type = answer_type
        self.route = route
        self.not_fundable = not_fundable
        self.t = thresholds

    def __call__(self, state: AnswerState) -> AnswerState:
        vector, text = state.query_vector, state.search_query or state.question
        kind = self.answer_type.predict(vector, text)
        state.answer_type = kind.label if kind.probability >= self.t.answer_type else "uitleg"
        state.answer_type_scores = kind.scores
        need = self.route.predict(vector, text)
        state.needs_interventions = need.scores.get("behoefte", 0.0) >= self.t.needs
        item = self.not_fundable.predict(vector, text)
        named = item.label if item.label != "geen" and item.probability >= self.t.not_fundable \
            else ""
        state.trace.update({
            "answer_type": state.answer_type,
            "answer_type_probability": round(kind.probability, 3),
            "route": "interventies" if state.needs_interventions else "antwoord",
            "route_probability": round(need.scores.get("behoefte", 0.0), 3),
            "not_fundable_item": named,
        })
        state.not_fundable_item = NOT_FUNDABLE_IDS.get(named, "")
        return state
