"""The answer pipeline: guard → condense → route → retrieve → compose → cite → refuse."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from kb.knowledge_base import KnowledgeBase
from service.config import AnsweringConfig, load_answering_config
from service.pipeline.citations import CitationCheck
from service.pipeline.compose_extractive import ExtractiveComposer
from service.pipeline.compose_llm import LLMComposer, make_chat_model
from service.pipeline.condense import FollowUpCondenser
from service.pipeline.guard import InputGuard
from service.pipeline.refusal import RefusalDecision
from service.pipeline.render import Renderer
from service.pipeline.retrieve import Retrieve
from service.pipeline.route import RecommendRoute, Recommends
from service.pipeline.types import AnswerState, Mode, Turn

Stage = Callable[[AnswerState], AnswerState]


@dataclass
class Answer:
    question: str
    mode: str
    answer: str
    refused: bool
    citations: list[dict]
    interventions: list[dict]
    timings_ms: dict[str, float]
    composer: str
    search_query: str

    def as_dict(self) -> dict:
        return {"question": self.question, "mode": self.mode, "answer": self.answer,
                "refused": self.refused, "citations": self.citations,
                "interventions": self.interventions, "timings_ms": self.timings_ms,
                "composer": self.composer, "search_query": self.search_query}


class AnswerPipeline:
    def __init__(self, stages: list[Stage], renderer: Renderer) -> None:
        self.stages = stages
        self.renderer = renderer

    @classmethod
    def build(cls, kb: KnowledgeBase, recommender: Recommends | None = None,
              config: AnsweringConfig | None = None, chat_model=None) -> AnswerPipeline:
        cfg = config or load_answering_config()
        lexical = lambda: kb.retriever.lexical  # noqa: E731 - always the current index
        extractive = ExtractiveComposer(cfg, lexical)
        model = chat_model if chat_model is not None else make_chat_model(kb.settings)
        composer = LLMComposer(model, cfg, lexical, extractive) if model else extractive
        stages: list[Stage] = [
            InputGuard(kb.settings.max_question_chars),
            FollowUpCondenser(cfg.follow_up),
            RecommendRoute(recommender, cfg.recommend_re),
            Retrieve(kb.retriever, cfg.retrieval.k),
            composer,
            CitationCheck(),
            RefusalDecision(cfg.refusal),
        ]
        return cls(stages, Renderer(cfg))

    def run(self, question: str, mode: Mode = "official", history: list[Turn] | None = None,
            filters: dict[str, str] | None = None) -> Answer:
        state = AnswerState(question=question, mode=mode, history=list(history or []),
                            filters=dict(filters or {}))
        start = time.perf_counter()
        for stage in self.stages:
            t = time.perf_counter()
            state = stage(state)
            state.timings_ms[type(stage).__name__] = round((time.perf_counter() - t) * 1000, 2)
        text = self.renderer(state)
        state.timings_ms["total_ms"] = round((time.perf_counter() - start) * 1000, 2)
        return Answer(question=state.question, mode=state.mode, answer=text,
                      refused=state.refused,
                      citations=[c.as_dict() for c in state.citations()],
                      interventions=state.interventions, timings_ms=state.timings_ms,
                      composer=state.composer, search_query=state.search_query)
