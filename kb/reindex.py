"""Maintenance: rebuild the vector index with another model, repair a broken catalog.

Both return what they did as a report; the command line says it to the user.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from kb.chunk_metadata import ChunkMetadata
from kb.embeddings import make_embeddings
from kb.registry import DocumentRow, Registry, RegistryError
from kb.settings import Settings
from kb.store import MAX_BATCH, VectorStore, make_client, split_text


@dataclass(frozen=True)
class ReindexReport:
    found_index: bool  # False: there was no collection to rebuild
    chunks: int = 0
    sentences: int = 0  # chunks whose sentence vectors were (re)made
    model_id: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class RepairReport:
    backup: Path | None  # where a corrupt catalog was moved; None when it was sound
    restored: int  # documents rebuilt from the chunk metadata
    removed: int  # orphan chunks deleted


def _raw_chunks(client, name: str) -> tuple[list[str], list[str], list[ChunkMetadata]]:
    col = client.get_collection(name)
    ids: list[str] = []
    docs: list[str] = []
    metas: list[ChunkMetadata] = []
    for offset in range(0, col.count(), MAX_BATCH):
        got = col.get(limit=MAX_BATCH, offset=offset, include=["documents", "metadatas"])
        ids += got["ids"]
        for document, metadata in zip(got["documents"], got["metadatas"]):
            text, meta = split_text(document, metadata)
            docs.append(text)
            metas.append(ChunkMetadata.from_chroma(meta))
    return ids, docs, metas


def reindex(settings: Settings) -> ReindexReport:
    """Re-embed every stored chunk with the configured model (no re-crawl needed)."""
    client = make_client(settings)
    names = {getattr(c, "name", c) for c in client.list_collections()}
    if settings.collection not in names:
        return ReindexReport(found_index=False)
    ids, docs, metas = _raw_chunks(client, settings.collection)
    embeddings = make_embeddings(settings)
    t = time.perf_counter()
    vectors = embeddings.embed_documents(docs) if docs else []
    client.delete_collection(settings.collection)
    store = VectorStore(settings, embeddings, client=client)
    store.add(ids, docs, metas, vectors)
    from kb.knowledge_base import KnowledgeBase

    kb = KnowledgeBase(settings, embeddings=embeddings, client=client)
    sentences = kb.add_sentence_vectors(kb.missing_sentence_vectors())
    kb.gc()
    Registry(settings.catalog_path).set_meta("generation", f"reindex-{time.time()}")
    return ReindexReport(found_index=True, chunks=len(ids), sentences=sentences,
                         model_id=store.model_id, seconds=time.perf_counter() - t)


def repair(settings: Settings) -> RepairReport:
    """Rebuild a corrupt or missing catalog from the chunk metadata, then drop orphans."""
    path = settings.catalog_path
    backup: Path | None = None
    restored = 0
    try:
        registry = Registry(path)
    except RegistryError:
        backup = path.with_suffix(f".corrupt-{int(time.time())}")
        path.rename(backup)
        for extra in ("-wal", "-shm"):
            side = path.with_name(path.name + extra)
            if side.exists():
                side.unlink()
        registry = Registry(path)
        restored = _restore_catalog(registry, settings)
    from kb.knowledge_base import KnowledgeBase

    kb = KnowledgeBase(settings)
    removed = kb.gc()
    kb.add_sentence_vectors(kb.missing_sentence_vectors())
    registry.set_meta("generation", f"repair-{time.time()}")
    return RepairReport(backup=backup, restored=restored, removed=removed)


def _restore_catalog(registry: Registry, settings: Settings) -> int:
    """One catalog row per document named by the stored chunks; the number of rows."""
    _, _, metas = _raw_chunks(make_client(settings), settings.collection)
    counts = Counter((m.key, m.hash) for m in metas)
    newest: dict[str, ChunkMetadata] = {}
    for m in metas:  # if a key has two versions, keep the newest fetch
        if m.key not in newest or m.fetched_at > newest[m.key].fetched_at:
            newest[m.key] = m
    for key, m in newest.items():
        registry.put(DocumentRow(
            key=key, url=m.url, title=m.title, site=m.site, doc_type=m.doc_type,
            published=m.published or None, fetched_at=m.fetched_at, content_hash=m.hash,
            chunk_count=counts[(key, m.hash)], topics=list(m.topics),
            audience=list(m.audience)))
    return len(newest)
