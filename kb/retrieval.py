"""Hybrid retrieval: dense (Chroma) + lexical (BM25, Dutch) rankings, fused in kb/hits.py."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Literal

import numpy as np
from langchain_core.embeddings import Embeddings

from kb.analysis import spell_out_abbreviations
from kb.chunk_metadata import AUDIENCE_PREFIX
from kb.hits import Hit, Ranking, Retrieval, cap_per_url, fuse, newest_version_per_url
from kb.lexical import LexicalIndex
from kb.registry import Registry
from kb.sentence_vectors import SentenceVectors
from kb.settings import Settings
from kb.store import StoredChunk, VectorStore

Mode = Literal["hybrid", "dense", "lexical"]
LEXICAL_FILE = "lexical-{collection}.npz"  # in data_dir, next to the catalog
log = logging.getLogger("kennisloket.retrieval")
FILTER_KEYS = ("site", "doc_type", "audience")


class FilterError(ValueError):
    """An unknown filter key or value; the message lists what is allowed (Dutch)."""


def chunk_metadata_filter(filters: dict[str, str]) -> tuple[dict | None,
                                                           Callable[[StoredChunk], bool]]:
    """Chroma ``where`` clause and the equivalent Python predicate for the lexical side."""
    clauses: list[dict] = []
    for key, value in filters.items():
        if key not in FILTER_KEYS:
            raise FilterError(f"Onbekend filter '{key}' (toegestaan: {', '.join(FILTER_KEYS)})")
        clauses.append({f"{AUDIENCE_PREFIX}{value}": True} if key == "audience"
                       else {key: value})
    wanted = list(filters.items())

    def keep(chunk: StoredChunk) -> bool:
        md = chunk.metadata
        return all(value in md.audience if key == "audience" else getattr(md, key) == value
                   for key, value in wanted)

    where = None if not clauses else clauses[0] if len(clauses) == 1 else {"$and": clauses}
    return where, keep


class HybridRetriever:
    def __init__(self, settings: Settings, store: VectorStore, registry: Registry,
                 embeddings: Embeddings, sentences: SentenceVectors | None = None) -> None:
        self._settings = settings
        self._sentences = sentences
        self._store = store
        self._registry = registry
        self._embeddings = embeddings
        self._lock = threading.Lock()
        self._generation: str | None = None
        self._lexical = LexicalIndex([])
        self._chunks: dict[str, StoredChunk] = {}  # current chunks by id
        self.known_values: dict[str, set[str]] = {k: set() for k in FILTER_KEYS}

    def refresh(self) -> None:
        """Load or rebuild the lexical index when the knowledge base changed since the last
        build in this process."""
        generation = self._registry.generation()
        if generation == self._generation:
            return
        with self._lock:
            if generation == self._generation:
                return
            self._store.reopen()  # embedded Chroma: see chunks other processes wrote
            index = self._load_index(generation)
            if index is None:
                current = self._registry.current_hashes()
                chunks = [c for c in self._store.all_chunks()
                          if current.get(c.metadata.key) == c.metadata.hash]
                index = LexicalIndex(chunks)
                self._save_index(index, generation)
            self._use(index, generation)

    def _use(self, index: LexicalIndex, generation: str | None) -> None:
        chunks = index.chunks
        self._lexical = index
        self._chunks = {c.id: c for c in chunks}
        self.known_values = {
            "site": {c.metadata.site for c in chunks},
            "doc_type": {c.metadata.doc_type for c in chunks},
            "audience": {a for c in chunks for a in c.metadata.audience},
        }
        self._generation = generation

    def adopt(self, chunks: list[StoredChunk]) -> None:
        """``chunks`` are all the store holds (just written into an empty one, the first
        start): index them as they are instead of reading every chunk back from Chroma,
        and use that index in this process too."""
        generation = self._registry.generation()
        index = LexicalIndex(chunks)
        self._save_index(index, generation)
        with self._lock:  # this process wrote the chunks: its store sees them already
            self._use(index, generation)

    # The lexical index and the current chunks are saved next to the catalog, tagged with
    # the generation they were built for: a new process (every command-line question, every
    # worker) loads them instead of reading every chunk back from Chroma and re-analysing
    # it. A missing, stale or damaged file is rebuilt; a file that cannot be written only
    # costs the next process a rebuild.
    @property
    def index_path(self) -> Path:
        return self._settings.data_dir / LEXICAL_FILE.format(
            collection=self._settings.collection)

    def _index_key(self, generation: str) -> str:
        return f"{self._settings.collection}:{generation}"

    def _load_index(self, generation: str | None) -> LexicalIndex | None:
        if generation is None:
            return None
        return LexicalIndex.load(self.index_path, self._index_key(generation))

    def _save_index(self, index: LexicalIndex, generation: str | None) -> None:
        if generation is None or not index.chunks:
            return
        try:
            index.save(self.index_path, self._index_key(generation))
        except OSError as exc:  # read-only or full data directory: answering still works
            log.warning("Lexicale index niet bewaard in %s: %s", self.index_path, exc)

    @property
    def lexical(self) -> LexicalIndex:
        """The current lexical index (term analysis and idf weights for composers)."""
        self.refresh()
        return self._lexical

    def check_filters(self, filters: dict[str, str]) -> None:
        for key, value in filters.items():
            if key in self.known_values and value not in self.known_values[key]:
                allowed = ", ".join(sorted(self.known_values[key])) or "geen"
                raise FilterError(f"Onbekende waarde '{value}' voor filter '{key}' "
                                  f"(bekend: {allowed})")

    def embed_query(self, query: str) -> list[float]:
        """The one model call of a question: the query with abbreviations spelled out."""
        return self._embeddings.embed_query(spell_out_abbreviations(query))

    def sentence_vectors(self, hits: list[Hit]) -> dict[str, np.ndarray]:
        """Vectors of the sentences of each hit's chunk, by chunk id (missing: none)."""
        if self._sentences is None:
            return {}
        model = getattr(self._embeddings, "model_id", "")
        return self._sentences.get([h.chunk.id for h in hits], model)

    def search(self, query: str, k: int = 5, filters: dict[str, str] | None = None,
               mode: Mode = "hybrid", per_url_cap: int | None = None,
               vector: list[float] | None = None,
               also: tuple[tuple[str, list[float]], ...] = (), more: int = 0) -> Retrieval:
        """``vector``: the query's embedding when the caller already has it. ``also``:
        other phrasings of the same question with their embeddings (a follow-up as the user
        typed it, next to its merge with the previous question); their ranked lists join the
        reciprocal-rank fusion with the same weight. ``more``: that many further hits after
        the k, in ``Retrieval.more`` (the k and their order do not change)."""
        filters = {key: v for key, v in (filters or {}).items() if v}
        spelled = spell_out_abbreviations(query)
        where, keep = chunk_metadata_filter(filters)
        self.refresh()
        self.check_filters(filters)
        cap = per_url_cap or self._settings.per_url_cap
        n = max(self._settings.candidates, k * 4)
        timings: dict[str, float] = {}
        if mode in ("hybrid", "dense") and vector is None:
            t = time.perf_counter()
            vector = self._embeddings.embed_query(spelled)
            timings["embed_ms"] = (time.perf_counter() - t) * 1000
        lists = [self._ranked(query, vector, n, where, keep, mode, timings, spelled)]
        lists += [self._ranked(text, other, n, where, keep, mode, timings)
                  for text, other in also]
        t = time.perf_counter()
        dense = lists[0][0]
        s = self._settings
        hits = fuse(lists, s.dense_weight if mode != "lexical" else 0.0,
                    s.lexical_weight if mode != "dense" else 0.0, s.rrf_k)
        hits = cap_per_url(newest_version_per_url(hits), cap)[:k + more]
        timings["fuse_ms"] = (time.perf_counter() - t) * 1000
        top_dense = dense[0].score if dense else 0.0
        return Retrieval(hits=hits[:k], top_dense=top_dense, timings_ms=timings,
                         more=hits[k:])

    def _ranked(self, query: str, vector: list[float] | None, n: int, where: dict | None,
                keep: Callable[[StoredChunk], bool], mode: Mode, timings: dict[str, float],
                spelled: str | None = None) -> Ranking:
        """The dense and the lexical ranking of one phrasing (``spelled``: the phrasing
        with abbreviations spelled out, when the caller already made it)."""
        dense: list[StoredChunk] = []
        lexical: list[tuple[StoredChunk, float]] = []
        if mode in ("hybrid", "dense") and vector is not None:
            t = time.perf_counter()
            chunks = self._chunks
            dense = [replace(chunks[i], score=score)
                     for i, score in self._store.query(vector, n, where) if i in chunks]
            timings["dense_ms"] = timings.get("dense_ms", 0.0) + (time.perf_counter() - t) * 1000
        if mode in ("hybrid", "lexical"):
            t = time.perf_counter()
            spelled = spelled or spell_out_abbreviations(query)
            lexical = self._lexical.search(query if spelled == query else f"{query} {spelled}",
                                           n, keep)
            timings["lexical_ms"] = (timings.get("lexical_ms", 0.0)
                                     + (time.perf_counter() - t) * 1000)
        return dense, lexical
