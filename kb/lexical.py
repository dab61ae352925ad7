"""In-memory BM25 index over chunk texts with Dutch analysis.

Built once from the store and rebuilt only when the knowledge base changes (the registry's
generation), never per query. ``rank_bm25`` supplies the Okapi BM25 model (idf, length
normalisation); its scoring loop visits every chunk in Python for every query term, so the
index keeps each (chunk, term) contribution in a sparse matrix instead and a query sums a
few columns: the same scores, and cost that grows with the postings of the query terms
rather than with the whole collection (bench (c): 161 ms → see docs/operations.md at 50k
chunks). LangChain's ``BM25Retriever`` is not used because retrieval needs the scores and a
metadata pre-filter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from rank_bm25 import BM25Okapi
from scipy.sparse import csc_matrix

from kb.analysis import DutchAnalyzer
from kb.store import StoredChunk


class LexicalIndex:
    def __init__(self, chunks: Sequence[StoredChunk], analyzer: DutchAnalyzer | None = None):
        self._analyzer = analyzer or DutchAnalyzer()
        self.chunks = list(chunks)
        corpus = [self._analyzer(c.text) or ["_"] for c in self.chunks]
        self._idf: dict[str, float] = {}
        self._columns: dict[str, int] = {}
        self._weights: csc_matrix | None = None
        if corpus:
            model = BM25Okapi(corpus)
            self._idf = model.idf
            self._columns, self._weights = _contributions(model)

    def idf(self, term: str) -> float:
        """Inverse document frequency of an analysed term (0 when unknown)."""
        return max(float(self._idf.get(term, 0.0)), 0.0)

    def analyze(self, text: str) -> list[str]:
        return self._analyzer(text)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk for ``query`` (a repeated query term counts again)."""
        if self._weights is None:
            return np.zeros(0)
        columns = [self._columns[t] for t in self._analyzer(query) if t in self._columns]
        if not columns:
            return np.zeros(len(self.chunks))
        return np.asarray(self._weights[:, columns].sum(axis=1)).ravel()

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


def _contributions(model: BM25Okapi) -> tuple[dict[str, int], csc_matrix]:
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
    matrix = csc_matrix((np.asarray(values, dtype=np.float64), (rows, cols)),
                        shape=(model.corpus_size, len(columns)))
    return columns, matrix
