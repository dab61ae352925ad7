"""The answer pipeline: guard → encode → follow-up → kind → route → retrieve → compose →
ground → cite → refuse. Every answer carries a trace of its decisions, logged at INFO."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import TypeVar

from kb.analysis import abbreviation_keys
from kb.knowledge_base import KnowledgeBase
from service.config import AnsweringConfig, load_answering_config
from service.decisions import Decisions
from service.models import Answer
from service.pipeline.citations import CitationCheck
from service.pipeline.compose_extractive import ExtractiveComposer
from service.pipeline.grounding import GroundingCheck
from service.pipeline.guard import InputGuard
from service.pipeline.refusal import RefusalDecision
from service.pipeline.render import Renderer
from service.pipeline.retrieve import Retrieve
from service.pipeline.route import BriefingInterventions, RecommendRoute, Recommends
from service.pipeline.types import AnswerState, Mode, Turn
from service.pipeline.understand import (
    FollowUpCondenser,
    QueryEncoder,
    QuestionKind,
)

log = logging.getLogger("kennisloket.answers")

Stage = Callable[[AnswerState], AnswerState]
S = TypeVar("S")


class AnswerPipeline:
    def __init__(self, stages: list[Stage], renderer: Renderer) -> None:
        self.stages = stages
        self.renderer = renderer

    @property
    def config(self) -> AnsweringConfig:
        return self.renderer.cfg

    @classmethod
    def build(cls, kb: KnowledgeBase, recommender: Recommends | None = None,
              config: AnsweringConfig | None = None, chat_model=None,
              decisions: Decisions | None = None) -> AnswerPipeline:
        cfg = config or load_answering_config()
        decisions = decisions or Decisions(kb.embeddings)
        lexical = lambda: kb.retriever.lexical  # noqa: E731 - always the current index
        extractive = ExtractiveComposer(cfg, lexical, kb.retriever.sentence_vectors)
        composer = extractive
        if chat_model is not None or kb.settings.llm_base_url or kb.settings.llm_gguf_path:
            from service.pipeline.compose_llm import LLMComposer, make_chat_model

            model = chat_model if chat_model is not None else make_chat_model(kb.settings)
            composer = LLMComposer(model, cfg, lexical, extractive) if model else extractive
        embed = kb.retriever.embed_query
        d = cfg.decisions
        stages: list[Stage] = [
            InputGuard(kb.settings.max_question_chars),
            QueryEncoder(embed),
            FollowUpCondenser(decisions.follow_up, embed, cfg.follow_up.exclusive_terms,
                              d.follow_up),
            QuestionKind(decisions.answer_type, decisions.route, decisions.not_fundable,
                         d),
            RecommendRoute(recommender),
            Retrieve(kb.retriever, cfg.retrieval.k, cfg.retrieval.per_url_cap,
                     cfg.retrieval.premise_more),
            composer,
            BriefingInterventions(recommender),
            GroundingCheck(cfg.grounding, set(abbreviation_keys()), lexical),
            CitationCheck(),
            RefusalDecision(cfg.refusal, cfg.grounding.unsupported_note),
        ]
        return cls(stages, Renderer(cfg))

    def _run(self, state: AnswerState) -> AnswerState:
        for stage in self.stages:
            t = time.perf_counter()
            state = stage(state)
            state.timings_ms[type(stage).__name__] = round((time.perf_counter() - t) * 1000, 2)
        return state

    def stage(self, kind: type[S]) -> S:
        """The stage of this class (the evals fit a stage's parameters on its inputs)."""
        return next(s for s in self.stages if isinstance(s, kind))

    def state_before(self, stage: Stage, question: str, mode: Mode = "official",
                     history: list[Turn] | None = None) -> AnswerState:
        """The state ``stage`` receives for this question: every stage before it has run."""
        state = AnswerState(question=question, mode=mode, history=list(history or []))
        for earlier in self.stages[: self.stages.index(stage)]:
            state = earlier(state)
        return state

    def run(self, question: str, mode: Mode = "official", history: list[Turn] | None = None,
            filters: dict[str, str] | None = None) -> Answer:
        start = time.perf_counter()

        def answer(read_with_previous: bool = False) -> AnswerState:
            return self._run(AnswerState(question=question, mode=mode,
                                         history=list(history or []),
                                         filters=dict(filters or {}),
                                         read_with_previous=read_with_previous))

        state = answer()
        in_conversation = any(t.role == "user" for t in history or [])
        if state.refused and not state.follow_up and in_conversation:
            # a question in a conversation the sources cannot answer alone is read with the
            # previous question before it is refused ("Wie voeren die uit?")
            again = answer(read_with_previous=True)
            if not again.refused:
                state = again
        text = self.renderer(state)
        state.timings_ms["total_ms"] = round((time.perf_counter() - start) * 1000, 2)
        trace = {"mode": state.mode, "composer": state.composer, "refused": state.refused,
                 **state.trace}
        trace.setdefault("follow_up", False)
        if state.warnings:
            trace["warnings"] = len(state.warnings)
        _log(state.question, trace)
        return Answer(question=state.question, mode=state.mode, answer=text,
                      refused=state.refused,
                      citations=state.citations(),
                      interventions=state.interventions, timings_ms=state.timings_ms,
                      composer=state.composer, search_query=state.search_query, trace=trace)


def _log(question: str, trace: dict) -> None:
    if not log.isEnabledFor(logging.INFO):
        return
    from service.privacy import redact_personal_data

    log.info("vraag=%s trace=%s",
             redact_personal_data(json.dumps(question, ensure_ascii=False)),
             redact_personal_data(json.dumps(trace, ensure_ascii=False, default=str)))
