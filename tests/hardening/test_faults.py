"""Faults: Chroma server outage, read-only data dir, full disk, corrupt catalog.

A crawl killed mid-way is covered by the crawler tests in tests/ingest (not repeated here).
Every fault must give a clear Dutch error, never leave a half-written document behind,
and heal once the cause is gone.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from chroma_server import ChromaServer, free_port, own_chroma_server  # noqa: F401
from kb.documents import SourceDocument
from kb.knowledge_base import KnowledgeBase
from kb.registry import RegistryError, StorageError
from kb.store import StoreUnavailable
from service.api.app import create_app
from service.services import Services

QUESTION = "Hoeveel uur voorschoolse educatie krijgen peuters?"


def lean_services(kb: KnowledgeBase) -> Services:
    """Services without the recommender (building it embeds the whole menukaart)."""
    from service.feedback import FeedbackStore
    from service.pipeline.pipeline import AnswerPipeline

    return Services(settings=kb.settings, kb=kb, pipeline=AnswerPipeline.build(kb),
                    feedback=FeedbackStore(kb.registry))


def dutch_503(response) -> str:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/json")
    detail = response.json()["detail"]
    assert "kennisbank" in detail or "niet" in detail, detail
    return detail


# -- Chroma server outage ---------------------------------------------------------------
def test_chroma_server_outage_gives_503_and_recovers(own_chroma_server, make_settings,
                                                     embeddings):
    server: ChromaServer = own_chroma_server
    settings = make_settings(chroma_host=server.host, chroma_port=server.port)
    kb = KnowledgeBase(settings, embeddings=embeddings)
    kb.load_cards()
    client = TestClient(create_app(lean_services(kb)))
    assert client.get("/healthz").json()["chunks"] == kb.store.count() > 0
    assert client.post("/v1/ask", json={"question": QUESTION}).status_code == 200

    server.stop()
    health = client.get("/healthz")
    dutch_503(health)
    assert health.headers.get("retry-after")
    dutch_503(client.post("/v1/ask", json={"question": QUESTION}))
    dutch_503(client.get("/v1/search", params={"q": "peuters"}))

    server.start()  # same port, same data: the service heals without a restart
    assert client.get("/healthz").status_code == 200
    body = client.post("/v1/ask", json={"question": QUESTION}).json()
    assert not body["refused"] and "960 uur" in body["answer"]


def test_chroma_server_down_at_start_is_a_clear_error(make_settings, embeddings):
    settings = make_settings(chroma_host="127.0.0.1", chroma_port=free_port())
    with pytest.raises(StoreUnavailable, match="niet bereikbaar"):
        KnowledgeBase(settings, embeddings=embeddings)


# -- full disk --------------------------------------------------------------------------
class FullDisk:
    """Switch SQLite databases to 'cannot grow': writes that need space fail with a real
    SQLITE_FULL (``PRAGMA max_page_count``), exactly what a full disk gives SQLite."""

    def __init__(self, monkeypatch) -> None:
        self._monkeypatch = monkeypatch
        self._real = sqlite3.connect

    def _connect(self, *args, **kwargs):
        conn = self._real(*args, **kwargs)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {max(pages, 1)}")
        return conn

    def fill(self) -> None:
        self._monkeypatch.setattr(sqlite3, "connect", self._connect)

    def free(self) -> None:
        self._monkeypatch.setattr(sqlite3, "connect", self._real)


@pytest.fixture
def disk(monkeypatch) -> FullDisk:
    return FullDisk(monkeypatch)


def many_docs(n: int, version: str = "v1") -> list[SourceDocument]:
    return [SourceDocument(
        key=f"local:vol-{i}", url=f"https://vng.nl/test/vol-{i}", title=f"Testdocument {i}",
        site="vng.nl", doc_type="local", topics=[f"onderwerp-{i}-{version}"] * 8,
        text=f"Document {i} ({version}) gaat over de aanpak van schoolverzuim in gemeente {i}. "
             "De leerplichtambtenaar bespreekt elk geval met school en ouders.")
        for i in range(n)]


def assert_consistent(kb: KnowledgeBase) -> None:
    """Every catalogued document has exactly its own chunks; nothing half-written is used."""
    rows = {r.key: r for r in kb.registry.all()}
    trusted: dict[str, int] = {}
    for chunk in kb.store.all_chunks():
        row = rows.get(chunk.metadata.key)
        if row and row.content_hash == chunk.metadata.hash:
            trusted[row.key] = trusted.get(row.key, 0) + 1
    for key, row in rows.items():
        assert trusted.get(key) == row.chunk_count, key
    for hit in kb.retriever.search("schoolverzuim leerplichtambtenaar", k=50).hits:
        row = rows.get(hit.chunk.metadata.key)
        assert row and row.content_hash == hit.chunk.metadata.hash


def test_disk_full_during_ingest_leaves_whole_documents_only(mini_kb, disk):
    kb = mini_kb
    disk.fill()
    with pytest.raises(StorageError, match="vol") as info:
        kb.upsert_many(many_docs(40))
    assert "niets half weggeschreven" in str(info.value)
    disk.free()
    assert_consistent(kb)
    assert 5 <= len(kb.registry.all()) < 45  # the disk really filled up part-way

    kb.upsert_many(many_docs(40))  # space freed: the same ingest completes
    kb.gc()  # and the chunks of the documents that failed are removed
    assert_consistent(kb)
    assert len(kb.registry.all()) == 45
    assert kb.store.count() == sum(r.chunk_count for r in kb.registry.all())


def test_vector_store_full_mid_write_changes_nothing_visible(mini_kb, monkeypatch):
    kb = mini_kb
    kb.upsert_many(many_docs(6, "v1"))
    before = {r.key: r.content_hash for r in kb.registry.all()}
    monkeypatch.setattr("kb.store.MAX_BATCH", 2)  # several upsert calls per write
    real_upsert, calls = kb.store._col.upsert, []

    def upsert(**kwargs):
        calls.append(1)
        if len(calls) > 1:  # the first batch lands, then the disk is full
            raise OSError(28, "No space left on device")
        return real_upsert(**kwargs)

    monkeypatch.setattr(kb.store._col, "upsert", upsert)
    with pytest.raises(StoreUnavailable) as info:
        kb.upsert_many(many_docs(6, "v2"))
    assert "No space left" in str(info.value) and "vectoropslag" in str(info.value)
    assert {r.key: r.content_hash for r in kb.registry.all()} == before
    texts = [h.chunk.body for h in kb.retriever.search("schoolverzuim", k=50).hits]
    assert texts and not any("(v2)" in t for t in texts)  # half-written v2 never shows
    assert_consistent(kb)

    monkeypatch.setattr(kb.store._col, "upsert", real_upsert)
    kb.upsert_many(many_docs(6, "v2"))
    kb.gc()
    texts = [h.chunk.body for h in kb.retriever.search("schoolverzuim", k=50).hits]
    assert any("(v2)" in t for t in texts) and not any("(v1)" in t for t in texts)
    assert kb.store.count() == sum(r.chunk_count for r in kb.registry.all())
    assert_consistent(kb)


def test_disk_full_on_feedback_is_a_dutch_503(mini_kb, disk):
    client = TestClient(create_app(lean_services(mini_kb)))
    payload = {"question": "Vraag?", "answer": "x" * 15000, "rating": 1}
    disk.fill()
    assert "vol" in dutch_503(client.post("/v1/feedback", json=payload))
    disk.free()
    assert client.post("/v1/feedback", json=payload).status_code == 201
    assert len(lean_services(mini_kb).feedback.all()) == 1


# -- read-only data dir -----------------------------------------------------------------
def test_read_only_catalog_is_a_clear_error_and_changes_nothing(mini_kb, monkeypatch):
    path = mini_kb.settings.catalog_path
    before = path.read_bytes()
    real_connect = sqlite3.connect

    def read_only(database, *args, **kwargs):  # what a read-only mount gives SQLite
        kwargs.pop("uri", None)
        return real_connect(f"file:{database}?mode=ro", *args, uri=True, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", read_only)
    with pytest.raises(StorageError, match="niet schrijfbaar") as info:
        mini_kb.upsert_many(many_docs(1))
    assert "repair" not in str(info.value)  # not corrupt: repair advice would mislead
    monkeypatch.setattr(sqlite3, "connect", real_connect)
    assert path.read_bytes() == before
    assert_consistent(mini_kb)


def test_read_only_data_dir_cli_gives_clear_error(make_settings, embeddings):
    import tempfile

    # A directory every user can read (pytest's own tmp dirs are private to their owner).
    root = Path(tempfile.mkdtemp(prefix="kennisloket-ro-", dir="/tmp"))
    try:
        root.chmod(0o755)
        settings = make_settings(data_dir=root / "data")
        kb = KnowledgeBase(settings, embeddings=embeddings)
        kb.load_cards()
        del kb
        before = {p: p.read_bytes() for p in (root / "data").rglob("*") if p.is_file()}
        for p in [root / "data", *(root / "data").rglob("*")]:
            p.chmod(0o555 if p.is_dir() else 0o444)
        env = {**os.environ, "KENNISLOKET_DATA_DIR": str(root / "data"),
               "KENNISLOKET_CARDS_DIR": str(settings.cards_dir), "HOME": str(root)}
        result = _run_unprivileged(["status"], env)
        assert result.returncode == 2, result.stdout + result.stderr
        assert "niet schrijfbaar" in result.stderr and "Traceback" not in result.stderr
        after = {p: p.read_bytes() for p in (root / "data").rglob("*") if p.is_file()}
        assert after == before  # nothing written, nothing half-written
    finally:
        for p in [root, *root.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        shutil.rmtree(root, ignore_errors=True)


def _run_unprivileged(args: list[str], env: dict) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-c", "from kennisloket.cli import main; main()", *args]
    if os.geteuid() == 0:  # root ignores file modes: run this one process as 'nobody'
        setpriv = shutil.which("setpriv")
        if not setpriv:
            pytest.skip("als root is een alleen-lezen map alleen met setpriv na te bootsen")
        cmd = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=180)


# -- corrupt catalog --------------------------------------------------------------------
def _cli(args: list[str], settings) -> object:
    from kennisloket.cli import app

    env = {"KENNISLOKET_DATA_DIR": str(settings.data_dir),
           "KENNISLOKET_CARDS_DIR": str(settings.cards_dir)}
    return CliRunner().invoke(app, args, env=env)


@pytest.mark.parametrize("damage", ["header", "inside"])
def test_corrupt_catalog_detected_and_repaired(mini_kb, damage):
    settings = mini_kb.settings
    path = settings.catalog_path
    urls = sorted(r.url for r in mini_kb.registry.all())
    raw = bytearray(path.read_bytes())
    if damage == "header":
        raw[:100] = b"dit is geen sqlite-bestand " * 3 + b"!" * 19
    else:  # keep the header, scribble over every page after the first
        for start in range(4096, len(raw), 4096):
            raw[start + 8:start + 200] = b"\xff" * 192
    path.write_bytes(bytes(raw))

    with pytest.raises(RegistryError, match="kennisloket repair"):
        KnowledgeBase(settings, embeddings=mini_kb.embeddings)
    result = _cli(["status"], settings)
    assert result.exit_code == 2
    assert "beschadigd" in result.output and "kennisloket repair" in result.output

    result = _cli(["repair"], settings)
    assert result.exit_code == 0, result.output
    assert "hersteld" in result.output
    assert list(path.parent.glob("*.corrupt-*"))  # the damaged file is kept aside
    repaired = KnowledgeBase(settings, embeddings=mini_kb.embeddings)
    assert sorted(r.url for r in repaired.registry.all()) == urls
    body = lean_services(repaired).pipeline.run(QUESTION)
    assert not body.refused and "960 uur" in body.answer
    assert _cli(["status"], settings).exit_code == 0
