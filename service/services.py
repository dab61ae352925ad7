"""The service layer's objects, built once per process and shared by API and UI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from kb.knowledge_base import KnowledgeBase
from kb.settings import Settings
from kb.text_cleaning import clean_input
from service.config import AnsweringConfig
from service.decisions import Decisions
from service.feedback import FeedbackStore
from service.models import Advice
from service.pipeline.pipeline import AnswerPipeline
from service.pipeline.types import InputRejected

if TYPE_CHECKING:
    from service.recommender import Recommender


class CrawlLauncher(Protocol):
    """Background crawls for the admin API, injected by the composition root (service/
    does not import ingest/); the records are JSON-ready dicts (``schemas.CrawlJob``)."""

    def start(self, sites: list[str] | None = None, max_pages: int | None = None
              ) -> dict[str, Any]: ...

    def status(self, job_id: str | None = None) -> dict[str, Any] | None: ...


@dataclass
class Services:
    settings: Settings
    kb: KnowledgeBase
    pipeline: AnswerPipeline
    feedback: FeedbackStore
    recommender: Recommender | None = None
    decisions: Decisions | None = None
    crawler: CrawlLauncher | None = None

    @classmethod
    def build(cls, settings: Settings, kb: KnowledgeBase | None = None,
              chat_model=None) -> Services:
        kb = kb or KnowledgeBase(settings)
        recommender = _recommender(kb)
        decisions = Decisions(kb.embeddings)
        pipeline = AnswerPipeline.build(kb, recommender=recommender, chat_model=chat_model,
                                        decisions=decisions)
        return cls(settings=settings, kb=kb, pipeline=pipeline,
                   feedback=FeedbackStore(kb.registry), recommender=recommender,
                   decisions=decisions)

    @property
    def config(self) -> AnsweringConfig:
        """The answering configuration (service/config/answering.yaml) the pipeline uses."""
        return self.pipeline.config

    def advise(self, need: str, filters: dict | None = None, k: int = 5) -> Advice:
        """Ranked interventions for a described need (cleaned like every user input);
        raises InputRejected for an empty need and ValueError for an unknown filter."""
        if self.recommender is None:
            raise LookupError("De interventiewijzer is niet beschikbaar.")
        need = clean_input(need or "")
        if not need:
            raise InputRejected("Beschrijf de situatie of behoefte in woorden.")
        vector = self.kb.retriever.embed_query(need)
        items = self.recommender.recommend(need, filters=filters, k=k, vector=vector)
        threshold = self.config.decisions.not_fundable
        item = self.decisions.not_fundable_id(vector, need, threshold) if self.decisions \
            else ""
        notes = [self.recommender.not_fundable_note(item)] if item else []
        return Advice(need=need, interventions=items, notes=notes)


def _recommender(kb: KnowledgeBase) -> Recommender | None:
    try:
        from service.recommender import Recommender
    except ImportError:  # recommender not installed in this build
        return None
    return Recommender.build(kb)
