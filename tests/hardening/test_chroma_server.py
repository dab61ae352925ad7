"""Scale-out: retrieval and answering against a real Chroma server (``chroma run``).

Several service workers share one Chroma server and one data directory (the SQLite
catalog); here two ``KnowledgeBase`` instances play the two workers. The same questions are
also answered by an embedded (PersistentClient) knowledge base: both must agree.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from chroma_server import ChromaServer, chroma_server  # noqa: F401 - fixture
from kb.documents import SourceDocument
from kb.knowledge_base import KnowledgeBase
from service.api.app import create_app
from service.feedback import FeedbackStore
from service.pipeline.pipeline import AnswerPipeline
from service.services import Services

MINI_CARDS = Path(__file__).resolve().parents[1] / "fixtures" / "cards" / "mini"
CASES = [  # question → the card that answers it (mini cards)
    ("Tot wanneer mogen gemeenten de NPO-middelen besteden?",
     "https://www.nponderwijs.nl/gemeenten/betaling-en-verantwoording"),
    ("Hoeveel uur voorschoolse educatie krijgen peuters?",
     "https://goab.eu/thema-s/voorschoolse-educatie/"),
    ("Wat is het Thuiszitterspact?", "https://vng.nl/thuiszitterspact"),
    ("Wanneer melden scholen verzuim bij DUO?", "https://www.nji.nl/schoolverzuim"),
]
OUT_OF_SCOPE = "Wat is het recept voor appeltaart?"


def server_settings(make_settings, server: ChromaServer, **extra):
    # One collection per test: the module shares one server.
    return make_settings(chroma_host=server.host, chroma_port=server.port,
                         collection=f"t{uuid.uuid4().hex[:12]}", **extra)


def lean_services(kb: KnowledgeBase) -> Services:
    """Services without the recommender (building it embeds the whole menukaart)."""
    return Services(settings=kb.settings, kb=kb, pipeline=AnswerPipeline.build(kb),
                    feedback=FeedbackStore(kb.registry))


@pytest.fixture(scope="module")
def server_kb(chroma_server, embeddings, tmp_path_factory) -> KnowledgeBase:  # noqa: F811
    """Read-only use: the mini cards in a collection on the server, its own catalog."""
    from kb.settings import load_settings

    settings = load_settings(data_dir=tmp_path_factory.mktemp("server") / "data",
                             cards_dir=MINI_CARDS, chroma_host=chroma_server.host,
                             chroma_port=chroma_server.port, collection="mini_op_server")
    kb = KnowledgeBase(settings, embeddings=embeddings)
    kb.load_cards()
    return kb


def test_store_really_lives_on_the_server(server_kb, chroma_server):  # noqa: F811
    import chromadb

    client = chromadb.HttpClient(host=chroma_server.host, port=chroma_server.port)
    collection = client.get_collection(server_kb.settings.collection)
    assert collection.count() == server_kb.store.count() > 0
    assert collection.metadata["embedding_model"] == server_kb.store.model_id
    assert not server_kb.settings.chroma_dir.exists()  # nothing embedded on local disk


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_retrieval_against_server(server_kb, mode):
    for question, url in CASES:
        hits = server_kb.retriever.search(question, k=3, mode=mode).hits
        assert url in [h.url for h in hits], (mode, question)
    filtered = server_kb.retriever.search("gemeenten", k=5, filters={"site": "vng.nl"}).hits
    assert filtered and {h.site for h in filtered} == {"vng.nl"}


def test_answers_against_server_match_embedded(server_kb, mini_kb):
    server_pipeline = lean_services(server_kb).pipeline
    embedded_pipeline = lean_services(mini_kb).pipeline
    for question, url in CASES:
        on_server = server_pipeline.run(question)
        assert not on_server.refused and on_server.citations[0].url == url, question
        embedded = embedded_pipeline.run(question)
        assert on_server.answer == embedded.answer
        assert on_server.citations == embedded.citations
    assert server_pipeline.run(OUT_OF_SCOPE).refused


def test_api_against_server(server_kb):
    client = TestClient(create_app(lean_services(server_kb)))
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["chunks"] == server_kb.store.count()
    body = client.post("/v1/ask", json={"question": CASES[1][0], "mode": "helpdesk"}).json()
    assert not body["refused"] and "960 uur" in body["answer"]
    assert body["citations"][0]["url"] == CASES[1][1]
    results = client.get("/v1/search", params={"q": "Thuiszitterspact"}).json()["results"]
    assert results[0]["url"] == "https://vng.nl/thuiszitterspact"


def test_two_workers_see_each_others_writes(make_settings, chroma_server,  # noqa: F811
                                           embeddings):
    settings = server_settings(make_settings, chroma_server)
    worker_a = KnowledgeBase(settings, embeddings=embeddings)
    worker_b = KnowledgeBase(settings, embeddings=embeddings)
    worker_a.load_cards()
    assert worker_b.retriever.search(CASES[2][0], k=1).hits[0].url == CASES[2][1]

    doc = SourceDocument(
        key="local:kindcentrum-zwolle", url="https://vng.nl/test/kindcentrum-zwolle",
        title="Kindcentrum in Zwolle", site="vng.nl", doc_type="local",
        text="In Zwolle opende in 2024 het eerste integrale kindcentrum van de gemeente, "
             "met opvang, onderwijs en jeugdhulp onder één dak.")
    worker_b.upsert_many([doc])  # written by B …
    hits = worker_a.retriever.search("integraal kindcentrum Zwolle", k=1).hits
    assert hits[0].url == doc.url  # … found by A, lexical index refreshed too
    assert worker_a.retriever.search("kindcentrum Zwolle", k=1, mode="lexical").hits

    changed = doc.model_copy(update={"text": doc.text.replace("2024", "2025")})
    worker_a.upsert_many([changed])  # A updates, B sees only the new version
    texts = [h.chunk.body for h in worker_b.retriever.search("kindcentrum Zwolle", k=5).hits
             if h.url == doc.url]
    assert texts and all("2025" in t for t in texts)

    assert worker_b.remove(doc.key)  # B removes, A no longer finds it
    urls = [h.url for h in worker_a.retriever.search("kindcentrum Zwolle", k=5).hits]
    assert doc.url not in urls
