"""Stage 3: hybrid retrieval over the knowledge base."""

from __future__ import annotations

from kb.retrieval import HybridRetriever
from service.pipeline.types import AnswerState


class Retrieve:
    def __init__(self, retriever: HybridRetriever, k: int) -> None:
        self.retriever = retriever
        self.k = k

    def __call__(self, state: AnswerState) -> AnswerState:
        result = self.retriever.search(state.search_query or state.question, k=self.k,
                                       filters=state.filters)
        state.hits = result.hits
        state.top_dense = result.top_dense
        state.timings_ms.update(result.timings_ms)
        return state
