"""Stage 4 (default): extractive composition — quote the source sentences that answer.

Sentences are scored by the idf-weighted share of the question's terms they (and their
heading) contain, discounted by the rank of their chunk. No embedding calls at question
time: the answer costs little more than the retrieval itself, and it can never state
anything that is not in a source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlparse

from kb.lexical import LexicalIndex
from kb.retrieval import Hit
from service.config import AnsweringConfig
from service.pipeline.sentences import full_dates, split_sentences
from service.pipeline.types import AnswerState, Statement

_URL = re.compile(r"(?:https?://|www\.)[^\s)\]>\"']+", re.I)


def _host(url: str) -> str:
    url = url if "://" in url else f"https://{url}"
    return (urlparse(url.rstrip(".,;:")).hostname or "").removeprefix("www.")


def foreign_urls(sentence: str, allowed_hosts: set[str]) -> bool:
    """True when the sentence names a web address on a site that none of the sources is on:
    quoting it would turn a poisoned page into a link to anywhere."""
    return any(_host(u) not in allowed_hosts for u in _URL.findall(sentence))


@dataclass
class Candidate:
    hit: Hit
    rank: int
    position: int
    text: str
    terms: set[str]
    score: float
    asked: frozenset[str] = frozenset()  # the question's terms this sentence contains


class ExtractiveComposer:
    name = "extractive"

    def __init__(self, config: AnsweringConfig, lexical: callable) -> None:
        self.cfg = config
        self._lexical = lexical  # () -> LexicalIndex, current at call time

    def candidates(self, state: AnswerState
                   ) -> tuple[list[Candidate], set[str], dict[str, float]]:
        index: LexicalIndex = self._lexical()
        query_terms = set(index.analyze(state.search_query or state.question))
        # In a merged follow-up, the words the user just typed carry the new focus.
        focus = set(index.analyze(state.question)) if state.search_query != state.question \
            else set()
        weight = {t: max(index.idf(t), 0.1) * (2.0 if t in focus else 1.0) for t in query_terms}
        total = sum(weight.values()) or 1.0
        question = state.search_query or state.question
        wanted = [t for t in self.cfg.answer_types if t.question_re.search(question)]
        out: list[Candidate] = []
        allowed = {_host(h.url) for h in state.hits}
        for rank, hit in enumerate(state.hits):
            context = set(index.analyze(f"{hit.title} {hit.heading}"))
            context_share = sum(weight[t] for t in query_terms & context) / total
            for pos, sentence in enumerate(split_sentences(hit.chunk.body)):
                if (len(sentence) < self.cfg.extractive.min_sentence_chars
                        or self.cfg.injection_re.search(sentence)
                        or foreign_urls(sentence, allowed)):
                    continue
                terms = set(index.analyze(sentence))
                share = sum(weight[t] for t in query_terms & terms) / total
                type_boost = sum(t.boost for t in wanted if t.sentence_re.search(sentence))
                ex = self.cfg.extractive
                leaning = ex.anaphora_penalty if ex.anaphora_re.search(sentence) else 0.0
                score = (0.25 + share + 0.3 * context_share + type_boost - leaning
                         + (ex.lead_bonus if pos == 0 else 0.0)) / (1.0 + ex.rank_decay * rank)
                out.append(Candidate(hit, rank, pos, sentence, terms, score,
                                     frozenset(query_terms & terms)))
        return out, query_terms, {t: w / total for t, w in weight.items()}

    def __call__(self, state: AnswerState) -> AnswerState:
        cands, query_terms, share = self.candidates(state)
        cfg = self.cfg.extractive
        chosen: list[Candidate] = []
        sources: list[str] = []
        chars = 0
        covered: set[str] = set()
        best = max((c.score for c in cands), default=0.0)
        remaining = [c for c in cands if c.score >= cfg.keep_ratio * best]

        def value(cand: Candidate) -> float:  # score minus what the answer already says
            return cand.score - cfg.covered_penalty * sum(share[t] for t in cand.asked & covered)

        while remaining and len(chosen) < cfg.max_sentences:
            cand = max(remaining, key=value)
            remaining.remove(cand)
            if chars + len(cand.text) > cfg.max_chars and chosen:
                continue
            if cand.hit.url not in sources and len(sources) >= self.cfg.retrieval.max_sources:
                continue
            if any(_jaccard(cand.terms, c.terms) >= cfg.duplicate_jaccard for c in chosen):
                continue
            chosen.append(cand)
            covered |= cand.asked
            chars += len(cand.text)
            if cand.hit.url not in sources:
                sources.append(cand.hit.url)
        state.term_overlap = len(covered) / max(len(query_terms), 1)
        self._fill(state, chosen)
        return state

    def _fill(self, state: AnswerState, chosen: list[Candidate]) -> None:
        by_url: dict[str, list[Candidate]] = {}
        for cand in chosen:  # sources numbered by relevance of their best sentence
            by_url.setdefault(cand.hit.url, []).append(cand)
        urls = list(by_url)
        dated = {u: set().union(*(full_dates(c.text) for c in by_url[u])) for u in urls}
        asks_date = any(t.name == "datum" and t.question_re.search(state.search_query
                                                                  or state.question)
                        for t in self.cfg.answer_types)
        conflict = asks_date and len({frozenset(d) for d in dated.values() if d}) > 1
        if conflict:  # facts that changed over time: the newest source leads
            urls.sort(key=lambda u: by_url[u][0].hit.published or "", reverse=True)
            newest = by_url[urls[0]][0].hit.published
            state.lead = ("De bronnen noemen verschillende data; de meest recente bron "
                          f"({newest}) is leidend." if newest else "")
        state.sources = [by_url[u][0].hit for u in urls]
        number = {u: n for n, u in enumerate(urls, 1)}
        # Best sentence first; with conflicting dates the newest source's sentences lead.
        ordered = sorted(chosen, key=lambda c: (number[c.hit.url] if conflict else 0, -c.score))
        state.statements = [Statement(c.text, (number[c.hit.url],)) for c in ordered]


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
