"""Retrieval, answer and recommender metrics over the gold sets."""

from __future__ import annotations

import re
import time

from evals.gold import GoldNeed, GoldQuestion
from kb.retrieval import HybridRetriever

_MARK = re.compile(r"\[(\d+)\]")


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


def answer_metrics(pipeline, gold: list[GoldQuestion]) -> dict:
    in_scope = [g for g in gold if g.in_scope]
    out_scope = [g for g in gold if not g.in_scope]
    answered = refused_oos = valid = hit = facts_found = facts_total = 0
    failures: list[str] = []
    for g in gold:
        answer = pipeline.run(g.question)
        marks = [int(n) for n in _MARK.findall(answer.answer)]
        ok_marks = all(1 <= n <= len(answer.citations) for n in marks)
        valid += ok_marks
        if not ok_marks:
            failures.append(f"{g.id}: ongeldige verwijzing")
        if not g.in_scope:
            refused_oos += answer.refused
            if not answer.refused:
                failures.append(f"{g.id}: niet geweigerd")
            continue
        if answer.refused:
            failures.append(f"{g.id}: geweigerd")
            facts_total += len(g.facts)
            continue
        answered += 1
        cited = {c.url for c in answer.citations}
        hit += bool(cited & set(g.urls))
        text = answer.answer.lower()
        found = sum(f.lower() in text for f in g.facts)
        facts_found += found
        facts_total += len(g.facts)
    return {
        "answered_in_scope": answered / max(len(in_scope), 1),
        "refused_out_of_scope": refused_oos / max(len(out_scope), 1),
        "citation_validity": valid / max(len(gold), 1),
        "citation_hit": hit / max(answered, 1),
        "key_facts": facts_found / max(facts_total, 1),
        "n_in_scope": len(in_scope), "n_out_of_scope": len(out_scope),
        "failures": failures,
    }


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
