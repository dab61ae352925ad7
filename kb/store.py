"""The Chroma vector store: embedded (PersistentClient) or a Chroma server (HttpClient).

We always pass our own embeddings, so Chroma never falls back to its default embedding
function (which would try to download a model). The embedding model id is stored in the
collection metadata; opening a collection built with another model is refused.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass

from langchain_core.embeddings import Embeddings

from kb.chunk_metadata import ChunkMetadata
from kb.settings import Settings

# Chroma sends product telemetry unless told not to; this tool must stay offline.
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

MAX_BATCH = 1000  # well under Chroma's ~5,400-record cap per call
TEXT_KEY = "text"  # the chunk's text, kept in its metadata (see VectorStore.add)


def split_text(document: str | None, metadata: dict | None) -> tuple[str, dict]:
    """(text, metadata without it) of a stored record; stores written before the text
    moved into the metadata keep it in Chroma's `documents`."""
    meta = dict(metadata or {})
    text = meta.pop(TEXT_KEY, None)
    return (text if text is not None else document or ""), meta


def _stored(chunk_id: str, document: str | None, metadata: dict | None) -> StoredChunk:
    text, meta = split_text(document, metadata)
    return StoredChunk(chunk_id, text, ChunkMetadata.from_chroma(meta))


RETIRE_AFTER_S = 30.0  # a replaced embedded client is stopped this long after reopen()


class StoreError(RuntimeError):
    """Base for store problems; messages are Dutch and say what to do."""


class StoreUnavailable(StoreError):
    """The Chroma server cannot be reached."""


class EmbeddingMismatch(StoreError):
    """The collection was built with another embedding model."""


@dataclass(frozen=True)
class StoredChunk:
    id: str
    text: str  # contextual text: "title — heading\nbody"
    metadata: ChunkMetadata = ChunkMetadata()
    score: float = 0.0  # cosine similarity for dense hits

    @property
    def body(self) -> str:
        return self.text.split("\n", 1)[1] if "\n" in self.text else self.text


def collection_metadata(model_id: str) -> dict:
    """What a new collection is created with (the shipped starter store records it)."""
    return {
        "embedding_model": model_id,
        "hnsw:space": "cosine",
        # Default search_ef lost two thirds of the true top 10 in our measurements; at this
        # scale a wide beam is cheap.
        "hnsw:search_ef": 256,
        "hnsw:construction_ef": 200,
    }


def make_client(settings: Settings):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_host:
        try:
            return chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
            )
        except Exception as exc:  # noqa: BLE001 - connection errors come in many types
            raise StoreUnavailable(
                f"De Chroma-server op {settings.chroma_host}:{settings.chroma_port} is niet "
                f"bereikbaar ({exc})."
            ) from exc
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


class VectorStore:
    """Chroma collection with explicit vectors.

    We talk to chromadb directly rather than through ``langchain_chroma``: ingest embeds
    the contextual text once and stores precomputed vectors, and retrieval needs the raw
    distances and metadata; the LangChain wrapper would re-embed or hide both.
    """

    def __init__(self, settings: Settings, embeddings: Embeddings, client=None) -> None:
        self.model_id: str = getattr(embeddings, "model_id", type(embeddings).__name__)
        self._embeddings = embeddings
        self._settings = settings
        self._embedded = client is None and not settings.chroma_host
        self._system = None  # the chromadb System that reopen() built for the client
        self._retired: list[tuple[float, object]] = []  # (when, System) replaced by reopen()
        self._client = client or make_client(settings)
        self._col = self._open_collection()

    def _open_collection(self):
        settings = self._settings
        try:
            col = self._client.get_or_create_collection(
                name=settings.collection,
                embedding_function=None,  # never Chroma's default (it downloads a model)
                metadata=collection_metadata(self.model_id),
            )
        except Exception as exc:  # noqa: BLE001 - connection errors come in many types
            raise StoreUnavailable(f"De vectoropslag is niet bereikbaar ({exc}).") from exc
        stored = (col.metadata or {}).get("embedding_model")
        if stored and stored != self.model_id:
            raise EmbeddingMismatch(
                f"De kennisbank is gebouwd met embeddingmodel '{stored}', maar nu is "
                f"'{self.model_id}' ingesteld. Bouw de index opnieuw met: kennisloket reindex"
            )
        return col

    def reopen(self) -> None:
        """Embedded Chroma only: open the files afresh, to see what another process wrote.

        An embedded client keeps its vector index in this process's memory; chunks another
        process (``kennisloket import``, a cron ``crawl``) added are missing from it, and a
        filtered query then fails with "Error finding id". A server client needs nothing.
        Chroma caches one client system per path, so a fresh one is built (~10 ms). The old
        one may still serve a query on another thread: it is stopped a while later."""
        if not self._embedded:
            return
        from chromadb.api.client import Client
        from chromadb.config import System

        now = time.monotonic()
        for when, old in [r for r in self._retired if now - r[0] > RETIRE_AFTER_S]:
            old.stop()
            self._retired.remove((when, old))
        try:
            system = System(self._client.get_settings())
            system.start()
            client = Client.from_system(system)
        except Exception as exc:  # noqa: BLE001 - file and lock errors come in many types
            raise StoreUnavailable(f"De vectoropslag kon niet opnieuw worden geopend ({exc}).") \
                from exc
        self._client = client
        self._col = self._open_collection()
        if self._system is not None:  # the first one may be shared: only ours are stopped
            self._retired.append((now, self._system))
        self._system = system

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001
            raise StoreUnavailable(f"De vectoropslag gaf een fout ({exc}).") from exc

    def add(self, ids: Sequence[str], texts: Sequence[str],
            metadatas: Sequence[ChunkMetadata],
            vectors: Sequence[Sequence[float]] | None = None) -> None:
        if vectors is None:
            vectors = self._embeddings.embed_documents(list(texts))
        # The text goes in the metadata, not in Chroma's `documents`: Chroma builds a
        # full-text index over documents that nothing here uses, and it cost 60 % of an
        # insert (1,800 chunks: 2.4 s → 0.9 s). Retrieval keeps its own lexical index.
        for start in range(0, len(ids), MAX_BATCH):
            end = start + MAX_BATCH
            self._call(self._col.upsert, ids=list(ids[start:end]),
                       metadatas=[{**m.to_chroma(), TEXT_KEY: t} for m, t in
                                  zip(metadatas[start:end], texts[start:end])],
                       embeddings=[list(v) for v in vectors[start:end]])

    def delete(self, ids: Sequence[str]) -> None:
        for start in range(0, len(ids), MAX_BATCH):
            self._call(self._col.delete, ids=list(ids[start : start + MAX_BATCH]))

    def ids_for(self, key: str) -> list[str]:
        return self._call(self._col.get, where={"key": key}, include=[])["ids"]

    def all_chunks(self) -> list[StoredChunk]:
        out: list[StoredChunk] = []
        total = self.count()
        for offset in range(0, total, MAX_BATCH):
            got = self._call(self._col.get, limit=MAX_BATCH, offset=offset,
                             include=["documents", "metadatas"])
            out.extend(_stored(i, d, m) for i, d, m in
                       zip(got["ids"], got["documents"], got["metadatas"]))
        return out

    def count(self) -> int:
        return self._call(self._col.count)

    def query(self, vector: Sequence[float], k: int, where: dict | None = None
              ) -> list[tuple[str, float]]:
        """Ids and cosine similarities of the ``k`` nearest chunks. Texts and metadata are
        not fetched: the retriever holds the current chunks in memory, and reading them
        from Chroma's SQLite tripled the query time (0.8 → 3.0 ms on the starter pack)."""
        res = self._call(self._col.query, query_embeddings=[list(vector)], n_results=k,
                         where=where, include=["distances"])
        return [(i, 1.0 - dist) for i, dist in zip(res["ids"][0], res["distances"][0])]

    def drop(self) -> None:
        self._call(self._client.delete_collection, self._col.name)
