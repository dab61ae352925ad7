"""The service layer's objects, built once per process and shared by API and UI."""

from __future__ import annotations

from dataclasses import dataclass

from kb.knowledge_base import KnowledgeBase
from kb.settings import Settings
from service.config import load_answering_config
from service.decisions import Decisions
from service.feedback import FeedbackStore
from service.pipeline.pipeline import AnswerPipeline


@dataclass
class Advice:
    """The recommender's list for a described need, with notes on items that may not be
    funded from NPO money (the same for API, UI and CLI)."""

    need: str
    interventions: list[dict]
    notes: list[str]


@dataclass
class Services:
    settings: Settings
    kb: KnowledgeBase
    pipeline: AnswerPipeline
    feedback: FeedbackStore
    recommender: object | None = None
    decisions: Decisions | None = None
    # Background crawls for the admin API, injected by the composition root (service/ does
    # not import ingest/): an object with start(sites, max_pages) and status(job_id).
    crawler: object | None = None

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

    def advise(self, need: str, filters: dict | None = None, k: int = 5) -> Advice:
        """Ranked interventions for ``need``; raises ValueError on an unknown filter."""
        if self.recommender is None:
            raise LookupError("De interventiewijzer is niet beschikbaar.")
        vector = self.kb.retriever.embed_query(need)
        items = self.recommender.recommend(need, filters=filters, k=k, vector=vector)
        threshold = load_answering_config().decisions.not_fundable
        item = self.decisions.not_fundable_id(vector, need, threshold) if self.decisions \
            else ""
        notes = [self.recommender.not_fundable_note(item)] if item else []
        return Advice(need, items, notes)


def _recommender(kb: KnowledgeBase):
    try:
        from service.recommender import Recommender
    except ImportError:  # recommender not installed in this build
        return None
    return Recommender.build(kb)
