"""In-memory BM25 index over chunk texts with Dutch analysis.

Built once from the store and rebuilt only when the knowledge base changes (the registry's
generation), never per query. rank_bm25 is used directly rather than through LangChain's
``BM25Retriever`` because retrieval needs the scores and a metadata pre-filter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from rank_bm25 import BM25Okapi

from kb.analysis import DutchAnalyzer
from kb.store import StoredChunk


class LexicalIndex:
    def __init__(self, chunks: Sequence[StoredChunk], analyzer: DutchAnalyzer | None = None):
        self._analyzer = analyzer or DutchAnalyzer()
        self.chunks = list(chunks)
        corpus = [self._analyzer(c.text) or ["_"] for c in self.chunks]
        self._bm25 = BM25Okapi(corpus) if corpus else None

    def idf(self, term: str) -> float:
        """Inverse document frequency of an analysed term (0 when unknown)."""
        if self._bm25 is None:
            return 0.0
        return max(float(self._bm25.idf.get(term, 0.0)), 0.0)

    def analyze(self, text: str) -> list[str]:
        return self._analyzer(text)

    def search(self, query: str, k: int,
               keep: Callable[[StoredChunk], bool] | None = None
               ) -> list[tuple[StoredChunk, float]]:
        tokens = self._analyzer(query)
        if not tokens or self._bm25 is None:
            return []
        scores = self._bm25.get_scores(tokens)
        order = np.argsort(-scores)
        out: list[tuple[StoredChunk, float]] = []
        for i in order:
            if scores[i] <= 0:
                break
            chunk = self.chunks[i]
            if keep is None or keep(chunk):
                out.append((chunk, float(scores[i])))
                if len(out) >= k:
                    break
        return out
