"""Shipped vectors: embeddings of everything that ships, so a first start inserts instead of
embedding.

A pack file (``kb/data/vectors/<model>.npz``) maps ``sha1(kind, text)`` to an int8 vector
with a per-vector scale (cosine to the float vector ≥ 0.9999; a test checks a sample
against fresh embeddings). It holds the chunks and sentences of the starter pack, the
intervention catalog texts and the classifier examples, for one embedding model.
``CachedEmbeddings`` answers from the pack and embeds only what is missing; with another
model there is no pack, so everything is embedded as before.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

PACK_DIR = Path(__file__).resolve().parent / "data" / "vectors"
PASSAGE, QUERY = "passage", "query"


def text_key(kind: str, text: str) -> bytes:
    return hashlib.sha1(f"{kind}\x00{text}".encode()).digest()


def pack_path(model_id: str, folder: Path = PACK_DIR) -> Path:
    return folder / f"{re.sub(r'[^a-z0-9]+', '-', model_id.lower()).strip('-')}.npz"


def quantize(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scales = np.abs(vectors).max(axis=1).astype(np.float32)
    scales[scales == 0] = 1.0
    q = np.rint(vectors / scales[:, None] * 127).astype(np.int8)
    return q, scales


class VectorPack:
    """Read-only lookup of shipped vectors (loaded on first use)."""

    def __init__(self, path: Path, model_id: str) -> None:
        self.path = path
        self.model_id = model_id
        self._index: dict[bytes, int] | None = None
        self._q: np.ndarray | None = None
        self._scales: np.ndarray | None = None
        self._lock = threading.Lock()

    def _load(self) -> None:
        with self._lock:
            if self._index is not None:
                return
            index: dict[bytes, int] = {}
            if self.path.exists():
                with np.load(self.path, allow_pickle=False) as data:
                    if str(data["model_id"]) == self.model_id:
                        keys = data["keys"]
                        self._q, self._scales = data["vectors"], data["scales"]
                        # numpy's S20 strips trailing zero bytes: pad them back
                        index = {bytes(k).ljust(20, b"\0"): i for i, k in enumerate(keys)}
            self._index = index

    def __len__(self) -> int:
        self._load()
        return len(self._index or {})

    def get(self, kind: str, text: str) -> list[float] | None:
        self._load()
        i = (self._index or {}).get(text_key(kind, text))
        if i is None:
            return None
        return (self._q[i].astype(np.float32) * (self._scales[i] / 127)).tolist()

    def has(self, kind: str, text: str) -> bool:
        self._load()
        return text_key(kind, text) in (self._index or {})


def write_pack(path: Path, model_id: str,
               entries: Iterable[tuple[str, str, list[float]]]) -> int:
    """Write (kind, text, vector) entries; duplicates are stored once."""
    keys: list[bytes] = []
    vectors: list[list[float]] = []
    seen: set[bytes] = set()
    for kind, text, vector in entries:
        key = text_key(kind, text)
        if key not in seen:
            seen.add(key)
            keys.append(key)
            vectors.append(vector)
    q, scales = quantize(np.asarray(vectors, dtype=np.float32).reshape(len(vectors), -1))
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, model_id=np.array(model_id), vectors=q, scales=scales,
                        keys=np.array(keys, dtype="S20"))
    return len(keys)


class CachedEmbeddings(Embeddings):
    """The configured model behind a shipped pack; the model itself loads on first miss."""

    def __init__(self, model_id: str, factory: Callable[[], Embeddings],
                 pack: VectorPack | None = None) -> None:
        self.model_id = model_id
        self._factory = factory
        self._model: Embeddings | None = None
        self._lock = threading.Lock()
        self.pack = pack or VectorPack(pack_path(model_id), model_id)
        self.misses = 0  # texts the model had to embed (first start, tests)

    @property
    def model(self) -> Embeddings:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._factory()
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._embed(texts, PASSAGE)

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Queries known in advance (classifier examples) come from the pack as well."""
        return self._embed(texts, QUERY)

    def embed_query(self, text: str) -> list[float]:
        return self.model.embed_query(text)  # live questions: never in a pack

    def _embed(self, texts: list[str], kind: str) -> list[list[float]]:
        out: list[list[float] | None] = [self.pack.get(kind, t) for t in texts]
        missing = [i for i, v in enumerate(out) if v is None]
        if missing:
            self.misses += len(missing)
            wanted = [texts[i] for i in missing]
            fresh = (self.model.embed_documents(wanted) if kind == PASSAGE
                     else [self.model.embed_query(t) for t in wanted])
            for i, vector in zip(missing, fresh):
                out[i] = vector
        return out  # type: ignore[return-value]

    def missing_count(self, texts: Iterable[str], kind: str = PASSAGE) -> int:
        return sum(not self.pack.has(kind, t) for t in texts)

    def __getattr__(self, name: str):  # lanes, etc. of the wrapped model
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.model, name)


def card_passages(cards_dir: Path, chunk_chars: int, chunk_overlap: int) -> list[str]:
    """Every text the starter pack embeds: chunk texts and sentence texts, in pack order."""
    from kb.cards import load_cards
    from kb.chunking import HeadingChunker
    from kb.sentence_vectors import texts_for_chunk

    chunker = HeadingChunker(chunk_chars, chunk_overlap)
    texts: list[str] = []
    for card in load_cards(cards_dir):
        doc = card.to_document()
        for chunk in chunker.split(doc):
            texts.append(chunk.contextual_text(doc.title))
            texts.extend(texts_for_chunk(doc.title, chunk))
    return texts
