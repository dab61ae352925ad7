"""Shipped vectors: current for the cards in the repository, equal to fresh embeddings,
used on a first start, and bypassed for changed cards and other models."""

from __future__ import annotations

import random

import numpy as np
import pytest

from kb.cards import load_cards
from kb.knowledge_base import KnowledgeBase
from kb.settings import DEFAULT_CARDS_DIR
from kb.vector_pack import (
    PASSAGE,
    CachedEmbeddings,
    VectorPack,
    pack_path,
    quantize,
    write_pack,
)


def test_shipped_vectors_cover_every_shipped_text():
    """CI fails here when cards, catalog or examples changed without `vectors build`."""
    from typer.testing import CliRunner

    from kennisloket.cli import app

    result = CliRunner().invoke(app, ["vectors", "check"])
    assert result.exit_code == 0, result.output


def test_shipped_vectors_equal_fresh_embeddings(raw_embeddings):
    embeddings = raw_embeddings
    from kennisloket.commands_vectors import shipped_texts
    from kb.settings import load_settings

    pack = VectorPack(pack_path(embeddings.model_id), embeddings.model_id)
    texts = shipped_texts(load_settings(cards_dir=DEFAULT_CARDS_DIR))[PASSAGE]
    sample = random.Random(7).sample(texts, 24)
    fresh = np.asarray(embeddings.embed_documents(sample))
    shipped = np.asarray([pack.get(PASSAGE, t) for t in sample])
    cos = np.sum(fresh * shipped, axis=1) / (np.linalg.norm(fresh, axis=1)
                                            * np.linalg.norm(shipped, axis=1))
    assert cos.min() >= 0.999, cos.min()


def test_quantized_vectors_keep_their_direction():
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(50, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    q, scales = quantize(vectors)
    back = q.astype(np.float32) * (scales[:, None] / 127)
    cos = np.sum(vectors * back, axis=1) / np.linalg.norm(back, axis=1)
    assert cos.min() >= 0.9999


class CountingModel:
    """The real model, counting the texts it is asked to embed."""

    def __init__(self, inner):
        self.inner, self.texts = inner, 0

    def embed_documents(self, texts):
        self.texts += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text):
        self.texts += 1
        return self.inner.embed_query(text)


def _cards_folder(tmp_path, count=3, change=False):
    folder = tmp_path / "cards"
    folder.mkdir()
    cards = load_cards(DEFAULT_CARDS_DIR)[:count]
    for card in cards:
        source = next(DEFAULT_CARDS_DIR.rglob(f"{card.id}.md")).read_text(encoding="utf-8")
        if change and card.id == cards[0].id:
            source += "\n\nGemeenten lezen deze extra alinea alleen in de test."
        (folder / f"{card.id}.md").write_text(source, encoding="utf-8")
    return folder


@pytest.mark.parametrize("change", [False, True])
def test_first_start_inserts_shipped_vectors_and_embeds_only_changed_cards(
        tmp_path, make_settings, raw_embeddings, change):
    embeddings = raw_embeddings
    counting = CountingModel(embeddings)
    cached = CachedEmbeddings(embeddings.model_id, lambda: counting)
    settings = make_settings(cards_dir=_cards_folder(tmp_path, change=change))
    kb = KnowledgeBase(settings, embeddings=cached)
    kb.load_cards()
    assert kb.sentence_vectors_complete()
    if change:  # the changed card's new chunk and its new sentence, nothing else
        assert 0 < counting.texts <= 4
    else:
        assert counting.texts == 0


def test_another_model_gets_no_shipped_vectors(tmp_path):
    path = tmp_path / "pack.npz"
    write_pack(path, "model-a", [(PASSAGE, "een tekst", [1.0, 0.0])])
    assert VectorPack(path, "model-a").get(PASSAGE, "een tekst") is not None
    assert VectorPack(path, "model-b").get(PASSAGE, "een tekst") is None
