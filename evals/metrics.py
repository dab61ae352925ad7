"""Retrieval and recommender metrics over the gold sets (answers: evals/answer_metrics.py)."""

from __future__ import annotations

import time

from evals.gold import GoldNeed, GoldQuestion
from kb.retrieval import HybridRetriever


def ranked_urls(retriever: HybridRetriever, question: str, mode: str, k: int = 10) -> list[str]:
    return [h.url for h in retriever.search(question, k=k, mode=mode, per_url_cap=1).hits]


def retrieval_metrics(retriever: HybridRetriever, gold: list[GoldQuestion],
                      modes=("dense", "lexical", "hybrid")) -> dict[str, dict[str, float]]:
    questions = [g for g in gold if g.in_scope]
    out: dict[str, dict[str, float]] = {}
    for mode in modes:
        r1 = r5 = r10 = rr = 0.0
        misses: list[str] = []
        start = time.perf_counter()
        for g in questions:
            urls = ranked_urls(retriever, g.question, mode)
            ranks = [urls.index(u) + 1 for u in g.urls if u in urls]
            first = min(ranks, default=None)
            r1 += first == 1 if first else 0
            r5 += bool(first and first <= 5)
            r10 += bool(first)
            rr += 1 / first if first else 0
            if not first or first > 5:
                misses.append(g.id)
        n = len(questions) or 1
        out[mode] = {"recall@1": r1 / n, "recall@5": r5 / n, "recall@10": r10 / n,
                     "mrr": rr / n, "ms_per_query": (time.perf_counter() - start) * 1000 / n,
                     "misses@5": misses}
    return out


def recommend_metrics(recommender, needs: list[GoldNeed], k: int = 3) -> dict:
    hits = 0
    misses: list[str] = []
    for need in needs:
        ids = [r.id for r in recommender.recommend(need.need, need.filters, k=k)]
        ok = (not ids) if not need.expected else bool(set(ids) & set(need.expected))
        hits += ok
        if not ok:
            misses.append(need.id)
    return {f"hit@{k}": hits / max(len(needs), 1), "n": len(needs), "misses": misses}
