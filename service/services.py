"""The service layer's objects, built once per process and shared by API and UI."""

from __future__ import annotations

from dataclasses import dataclass

from kb.knowledge_base import KnowledgeBase
from kb.settings import Settings
from service.feedback import FeedbackStore
from service.pipeline.pipeline import AnswerPipeline


@dataclass
class Services:
    settings: Settings
    kb: KnowledgeBase
    pipeline: AnswerPipeline
    feedback: FeedbackStore
    recommender: object | None = None
    # Background crawls for the admin API, injected by the composition root (service/ does
    # not import ingest/): an object with start(sites, max_pages) and status(job_id).
    crawler: object | None = None

    @classmethod
    def build(cls, settings: Settings, kb: KnowledgeBase | None = None,
              chat_model=None) -> Services:
        kb = kb or KnowledgeBase(settings)
        recommender = _recommender(kb)
        pipeline = AnswerPipeline.build(kb, recommender=recommender, chat_model=chat_model)
        return cls(settings=settings, kb=kb, pipeline=pipeline,
                   feedback=FeedbackStore(kb.registry), recommender=recommender)


def _recommender(kb: KnowledgeBase):
    try:
        from service.recommender import Recommender
    except ImportError:  # recommender not installed in this build
        return None
    return Recommender.build(kb)
