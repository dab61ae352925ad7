"""Searching the sources (``GET /v1/search``, ``kennisloket search``, the UI's Bronnen tab):
one check of the query and one shape of the results for all three."""

from __future__ import annotations

import time

from kb.knowledge_base import KnowledgeBase
from kb.retrieval import Mode
from kb.text_cleaning import clean_input
from service.models import SearchResult, SearchResults
from service.pipeline.types import InputRejected


def check_search_query(text: str | None, limit: int) -> str:
    """The query cleaned like every user input; InputRejected (Dutch) when it is empty or
    longer than ``limit`` characters (setting ``max_question_chars``)."""
    query = clean_input(text or "")
    if not query:
        raise InputRejected("De zoekvraag is leeg.")
    if len(query) > limit:
        raise InputRejected(f"De zoekvraag is te lang (maximaal {limit} tekens).")
    return query


def search_sources(kb: KnowledgeBase, text: str | None, k: int = 10,
                   filters: dict[str, str | None] | None = None,
                   mode: Mode = "hybrid") -> SearchResults:
    """The ``k`` best source pages for a query, one result per page (its best chunk), in
    rank order. Raises InputRejected for a bad query and FilterError for a bad filter."""
    query = check_search_query(text, kb.settings.max_question_chars)
    kb.retriever.refresh()  # a changed knowledge base is taken in outside the timing
    start = time.perf_counter()
    found = kb.retriever.search(query, k=k, filters=filters, mode=mode, per_url_cap=1)
    timings = {**found.timings_ms, "retrieval_ms": (time.perf_counter() - start) * 1000}
    return SearchResults(query=query, results=[SearchResult.from_hit(h) for h in found.hits],
                         timings_ms={key: round(v, 2) for key, v in timings.items()})
