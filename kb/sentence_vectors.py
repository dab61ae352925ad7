"""Vectors of every sentence of every chunk, kept in the catalog next to the documents.

The extractive composer ranks answer sentences by their similarity to the question; the
sentences are embedded at index time with the same model as the chunks (no model call at
question time beyond the query). One row per chunk id: the model id with the splitter version
(rows of an older splitter count as missing and are made again), the number of sentences
and their float16 vectors. Rows are written before the document's registry row
(a document becomes current only with its sentence vectors in place) and deleted with the
chunks; a row of another model is ignored.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Sequence

import numpy as np

from kb.chunking import Chunk
from kb.registry import Registry
from kb.sentences import SPLITTER_VERSION, split_sentences

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sentence_vectors (
  chunk_id TEXT PRIMARY KEY,
  model TEXT NOT NULL,
  count INTEGER NOT NULL,
  vectors BLOB NOT NULL
);
"""


def chunk_sentences(body: str) -> list[str]:
    """The sentences of a chunk body, exactly as the composer will quote them."""
    return split_sentences(body)


def sentence_embedding_text(title: str, sentence: str) -> str:
    """What is embedded for one sentence: the page title gives the context a sentence on
    its own lacks ("De termijn loopt tot 31 juli 2025" — of what?)."""
    return f"{title}: {sentence}"


def texts_for_chunk(title: str, chunk: Chunk) -> list[str]:
    return [sentence_embedding_text(title, s) for s in chunk_sentences(chunk.body)]


class SentenceVectors:
    def __init__(self, registry: Registry) -> None:
        self._registry = registry
        self._local = threading.local()
        with registry.connect() as conn:
            conn.executescript(_SCHEMA)

    def put(self, model: str, rows: Iterable[tuple[str, Sequence[Sequence[float]]]]) -> None:
        model = _key(model)
        data = [(cid, model, len(vectors),
                 np.asarray(vectors, dtype=np.float16).tobytes()) for cid, vectors in rows]
        with self._registry.connect() as conn:
            conn.executemany("INSERT OR REPLACE INTO sentence_vectors VALUES (?,?,?,?)", data)

    def get(self, chunk_ids: Sequence[str], model: str) -> dict[str, np.ndarray]:
        """float32 (sentences × dim) per chunk id that has vectors of ``model``."""
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        rows = self._reader().execute(
            f"SELECT chunk_id, count, vectors FROM sentence_vectors WHERE model = ? "
            f"AND chunk_id IN ({marks})", (_key(model), *chunk_ids)).fetchall()
        out: dict[str, np.ndarray] = {}
        for cid, count, blob in rows:
            vectors = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
            out[cid] = vectors.reshape(count, -1) if count else vectors.reshape(0, 0)
        return out

    def delete(self, chunk_ids: Sequence[str]) -> None:
        with self._registry.connect() as conn:
            conn.executemany("DELETE FROM sentence_vectors WHERE chunk_id = ?",
                             [(c,) for c in chunk_ids])

    def ids(self, model: str | None = None) -> set[str]:
        with self._registry.connect() as conn:
            query = "SELECT chunk_id FROM sentence_vectors"
            rows = conn.execute(query + (" WHERE model = ?" if model else ""),
                                (_key(model),) if model else ()).fetchall()
        return {r[0] for r in rows}

    def count(self, model: str) -> int:
        with self._registry.connect() as conn:
            return conn.execute("SELECT COUNT(*) FROM sentence_vectors WHERE model = ?",
                                (_key(model),)).fetchone()[0]

    def _reader(self) -> sqlite3.Connection:
        """A kept-open read connection per thread (a question reads ~8 rows)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self._registry.path, timeout=30, check_same_thread=False)
            self._local.conn = conn
        return conn


def _key(model: str) -> str:
    """The stored model column: the embedding model and the sentence splitter version."""
    return f"{model}|{SPLITTER_VERSION}"

