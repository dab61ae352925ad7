"""Stage 3: hybrid retrieval over the knowledge base."""

from __future__ import annotations

from kb.retrieval import HybridRetriever
from service.pipeline.types import AnswerState
from service.pipeline.values import only_contradicted, stated_values


class Retrieve:
    """``per_url_cap`` may exceed the search setting: an answer is better served by every
    chunk of the best page than by a second-best page's lead (gold key facts 0.71 → 0.76
    with 4 instead of 2)."""

    def __init__(self, retriever: HybridRetriever, k: int, per_url_cap: int | None = None,
                 premise_more: int = 0) -> None:
        self.retriever = retriever
        self.k = k
        self.per_url_cap = per_url_cap
        self.premise_more = premise_more

    def __call__(self, state: AnswerState) -> AnswerState:
        # the question's embedding from QueryEncoder / FollowUpCondenser: no second call.
        # A follow-up is searched as merged with the previous question and as typed: the
        # merge keeps the context, the typed words carry the new subject ("en een-op-een
        # begeleiding?" after a question about zomerscholen).
        also = ((state.question, state.question_vector),) \
            if state.follow_up and state.question_vector is not None else ()
        result = self.retriever.search(state.search_query or state.question, k=self.k,
                                       filters=state.filters, per_url_cap=self.per_url_cap,
                                       vector=state.query_vector, also=also,
                                       more=self.premise_more if any(
                                           map(only_contradicted,
                                               stated_values(state.question))) else 0)
        state.hits = result.hits
        # a sentence correcting a count, an age or a bound year the question states may
        # rank just below the k: "kent toch negen doelgebieden?" found the six at rank 12
        # (premises.stated_premises)
        state.premise_hits = result.more
        state.top_dense = result.top_dense
        state.timings_ms.update(result.timings_ms)
        return state
