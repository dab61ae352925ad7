"""In-memory BM25 index over chunk texts with Dutch analysis.

Built once from the store and rebuilt only when the knowledge base changes (the registry's
generation), never per query. ``rank_bm25`` supplies the Okapi BM25 model (idf, length
normalisation); its scoring loop visits every chunk in Python for every query term, so the
index keeps each (chunk, term) contribution in a sparse matrix instead and a query sums a
few columns: the same scores, and cost that grows with the postings of the query terms
rather than with the whole collection (bench (c): 161 ms → see docs/operations.md at 50k
chunks). LangChain's ``BM25Retriever`` is not used because retrieval needs the scores and a
metadata pre-filter.

The matrix is kept as plain numpy CSC arrays (no scipy: importing ``scipy.sparse`` cost
~0.2 s of every command-line question), and the index can be saved next to the catalog
(``save``/``load``) so a new process does not read every chunk back from Chroma and
rebuild it (issue 13).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from kb.analysis import DutchAnalyzer, stopwords
from kb.chunk_metadata import ChunkMetadata
from kb.store import StoredChunk

FORMAT = 2  # bump when the saved layout or the scoring changes


def analysis_signature() -> str:
    """What the saved terms depend on besides the chunks: format, stemmer, stop words."""
    words = "\n".join(sorted(stopwords()))
    return hashlib.sha1(f"{FORMAT}\x00dutch_porter\x00{words}".encode()).hexdigest()


class LexicalIndex:
    def __init__(self, chunks: Sequence[StoredChunk], analyzer: DutchAnalyzer | None = None):
        self._analyzer = analyzer or DutchAnalyzer()
        self.chunks = list(chunks)
        corpus = [self._analyzer(c.text) or ["_"] for c in self.chunks]
        # a left-out compound head is completed from the words the collection uses
        # (kb.analysis): a second pass over the few chunks that coordinate compounds
        terms = {t for doc in corpus for t in doc}
        for i, chunk in enumerate(self.chunks):
            if self._analyzer.has_ellipsis(chunk.text):
                corpus[i] = self._analyzer(chunk.text, terms.__contains__) or ["_"]
        self._idf: dict[str, float] = {}
        self._columns: dict[str, int] = {}
        self._weights: _Columns | None = None
        if corpus:
            from rank_bm25 import BM25Okapi  # only when building, not when loading

            model = BM25Okapi(corpus)
            self._idf = model.idf
            self._columns, self._weights = _contributions(model)

    def idf(self, term: str) -> float:
        """Inverse document frequency of an analysed term (0 when unknown)."""
        return max(float(self._idf.get(term, 0.0)), 0.0)

    def known(self, term: str) -> bool:
        """The collection uses this analysed term somewhere."""
        return term in self._idf

    def term_weights(self, text: str) -> dict[str, float]:
        """idf per analysed term of ``text``; a term the collection never uses weighs as
        much as the rarest known term."""
        rarest = max(self._idf.values(), default=1.0)
        return {t: self.idf(t) or rarest for t in self.analyze(text)}

    def analyze(self, text: str) -> list[str]:
        """Analysed terms of ``text``, left-out compound heads completed as in the index."""
        return self._analyzer(text, self.known)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk for ``query`` (a repeated query term counts again)."""
        if self._weights is None:
            return np.zeros(0)
        columns = [self._columns[t] for t in self.analyze(query) if t in self._columns]
        return self._weights.sum_columns(columns)

    def search(self, query: str, k: int,
               keep: Callable[[StoredChunk], bool] | None = None
               ) -> list[tuple[StoredChunk, float]]:
        scores = self.scores(query)
        matching = np.flatnonzero(scores > 0)
        order = matching[np.argsort(-scores[matching], kind="stable")]
        out: list[tuple[StoredChunk, float]] = []
        for i in order:
            chunk = self.chunks[i]
            if keep is None or keep(chunk):
                out.append((chunk, float(scores[i])))
                if len(out) >= k:
                    break
        return out


    # -- persistence -------------------------------------------------------------------
    def save(self, path: Path, key: str) -> None:
        """Write the index atomically (temporary file, then rename), tagged with ``key``
        (the catalog generation): readers see the old file or the new one, never half."""
        weights = self._weights or _Columns.empty(len(self.chunks), 0)
        header = {"format": FORMAT, "analysis": analysis_signature(), "key": key,
                  "terms": list(self._columns),
                  "idf": [float(self._idf[t]) for t in self._columns],
                  "chunks": [[c.id, c.text, c.metadata.to_chroma()] for c in self.chunks]}
        blob = np.frombuffer(json.dumps(header, ensure_ascii=False).encode(), dtype=np.uint8)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, header=blob, data=weights.data, indices=weights.indices,
                         indptr=weights.indptr)
            # readable like the directory it sits in (mkstemp makes it private to us)
            os.chmod(tmp, os.stat(path.parent).st_mode & 0o666)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path, key: str) -> LexicalIndex | None:
        """The saved index when it was written for ``key`` by this format and analysis;
        None when it is missing, stale or unreadable (the caller rebuilds)."""
        try:
            with np.load(path, allow_pickle=False) as data:
                header = json.loads(data["header"].tobytes())
                if (header.get("format") != FORMAT or header.get("key") != key
                        or header.get("analysis") != analysis_signature()):
                    return None
                chunks = [StoredChunk(i, t, ChunkMetadata.from_chroma(m))
                          for i, t, m in header["chunks"]]
                terms, idf = header["terms"], header["idf"]
                weights = _Columns(data["data"], data["indices"], data["indptr"], len(chunks))
                if len(idf) != len(terms) or not weights.valid(len(terms)):
                    return None
        except FileNotFoundError:
            return None
        except Exception:  # noqa: BLE001 - any damage (truncated, garbage, wrong shape) = rebuild
            return None
        index = cls.__new__(cls)
        index._analyzer = DutchAnalyzer()
        index.chunks = chunks
        index._idf = dict(zip(terms, idf))
        index._columns = {t: j for j, t in enumerate(terms)}
        index._weights = weights if chunks else None
        return index


class _Columns:
    """A (chunks × terms) matrix in compressed sparse columns: column j's rows are
    ``indices[indptr[j]:indptr[j+1]]`` with weights ``data[…]`` (each row once per column)."""

    def __init__(self, data: np.ndarray, indices: np.ndarray, indptr: np.ndarray,
                 rows: int) -> None:
        self.data, self.indices, self.indptr, self.rows = data, indices, indptr, rows

    @classmethod
    def empty(cls, rows: int, columns: int) -> _Columns:
        return cls(np.zeros(0), np.zeros(0, dtype=np.int32),
                   np.zeros(columns + 1, dtype=np.int64), rows)

    def sum_columns(self, columns: list[int]) -> np.ndarray:
        """Row sums over ``columns`` (a repeated column counts again)."""
        out = np.zeros(self.rows)
        for j in columns:
            start, end = self.indptr[j], self.indptr[j + 1]
            out[self.indices[start:end]] += self.data[start:end]
        return out

    def valid(self, columns: int) -> bool:
        p = self.indptr
        if self.data.dtype.kind != "f" or self.indices.dtype.kind not in "iu" \
                or p.dtype.kind not in "iu":
            return False
        if p.ndim != 1 or len(p) != columns + 1 or p[0] != 0 or np.any(p[1:] < p[:-1]):
            return False
        if not p[-1] == len(self.data) == len(self.indices):
            return False
        return len(self.indices) == 0 or (self.indices.min() >= 0
                                          and self.indices.max() < self.rows)


def _contributions(model) -> tuple[dict[str, int], _Columns]:
    """Column per term, row per chunk: idf · tf·(k1+1) / (tf + k1·(1 − b + b·len/avglen)),
    exactly the per-term addend of ``BM25Okapi.get_scores``."""
    columns = {term: j for j, term in enumerate(model.idf)}
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    k1, b = model.k1, model.b
    for i, (freqs, length) in enumerate(zip(model.doc_freqs, model.doc_len)):
        norm = k1 * (1 - b + b * length / model.avgdl)
        for term, tf in freqs.items():
            rows.append(i)
            cols.append(columns[term])
            values.append(model.idf[term] * tf * (k1 + 1) / (tf + norm))
    col = np.asarray(cols, dtype=np.int64)
    order = np.argsort(col, kind="stable")  # by column, rows ascending within a column
    indptr = np.zeros(len(columns) + 1, dtype=np.int64)
    np.cumsum(np.bincount(col, minlength=len(columns)), out=indptr[1:])
    return columns, _Columns(np.asarray(values, dtype=np.float64)[order],
                             np.asarray(rows, dtype=np.int32)[order], indptr,
                             model.corpus_size)
