"""Stage 4 (default): extractive composition — quote the source sentences that answer.

Every sentence of the retrieved chunks is scored by a linear model over a few signals: its
embedding's similarity to the question (sentence vectors are computed at index time, so
the only model call of a question is the query embedding), the idf-weighted share of the
question's terms it and its heading hold, whether it holds the kind of fact asked for
(date, amount, number, yes/no, definition), its chunk's rank, and whether it leans on a
previous sentence. The weights live in ``answering.yaml`` and are fitted on the gold sets
(``evals/fit_sentences.py``). The answer opens with the sentence that answers, then the
supporting sentences grouped per source in the order of the source text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from math import fsum  # exact: a sum over a set does not depend on its (hash) order

import numpy as np

from kb.analysis import spell_out_abbreviations
from kb.dutch_dates import MONTHS, dutch_date
from kb.lexical import LexicalIndex
from kb.hits import Hit
from kb.sentences import full_dates, split_sentences
from service.config import AnsweringConfig
from service.pipeline.values import Term
from service.pipeline.candidates import (
    Candidate,
    duplicate,
    fragment,
    introductions,
    list_completions,
    list_item,
    overlap,
    whole_list,
)
from service.pipeline.links import foreign_urls, host
from service.pipeline.premises import premise_correction, stated_premises
from service.pipeline.types import AnswerState, Statement

FEATURES = ("sem", "lex", "ctx", "type", "num", "rank", "first", "anaphora")
_NUMBER = re.compile(r"\d")


class ExtractiveComposer:
    name = "extractive"

    def __init__(self, config: AnsweringConfig, lexical: Callable[[], LexicalIndex],
                 sentence_vectors: Callable[[list[Hit]], dict] | None = None) -> None:
        self.cfg = config
        self._lexical = lexical  # () -> LexicalIndex, current at call time
        self._sentence_vectors = sentence_vectors or (lambda hits: {})

    # -- scoring ----------------------------------------------------------------------
    def candidates(self, state: AnswerState, premise_pool: bool = False
                   ) -> tuple[list[Candidate], set[str], dict[str, float]]:
        """Every sentence of the retrieved chunks, scored; with ``premise_pool`` also
        those of the hits read only for a stated value (their rank continues the k's)."""
        index = self._lexical()
        hits = [*state.hits, *state.premise_hits] if premise_pool else state.hits
        query = state.search_query or state.question
        # an abbreviation counts as its spelled-out words too ("pbm'er" in the question,
        # "pedagogisch beleidsmedewerker" in the source), as in retrieval
        query_terms = set(index.analyze(f"{query} {spell_out_abbreviations(query)}"))
        # In a merged follow-up, the words the user just typed carry the new focus.
        focus = set(index.analyze(state.question)) if query != state.question else set()
        weight = {t: max(index.idf(t), 0.1) * (2.0 if t in focus else 1.0) for t in query_terms}
        total = fsum(weight.values()) or 1.0
        share = {t: w / total for t, w in weight.items()}
        answer_type = self.cfg.answer_type(state.answer_type)
        # every kind of fact weighs by how likely the question asks for it
        kinds = [(t, state.answer_type_scores.get(t.name, float(t.name == state.answer_type)))
                 for t in self.cfg.answer_types]
        qvec = (np.asarray(state.query_vector, dtype=np.float32)
                if state.query_vector is not None else None)
        vectors = self._sentence_vectors(hits) if qvec is not None else {}
        allowed = {host(h.url) for h in hits}
        ex = self.cfg.extractive
        out: list[Candidate] = []
        for rank, hit in enumerate(hits):
            context = set(index.analyze(f"{hit.title} {hit.heading}"))
            context_share = fsum(share[t] for t in query_terms & context)
            sentences = split_sentences(hit.chunk.body)
            matrix = vectors.get(hit.chunk.id)
            if matrix is not None and len(matrix) != len(sentences):
                matrix = None  # stored with another sentence splitter: no semantic signal
            for pos, sentence in enumerate(sentences):
                # a short list item ("de planning;") is kept only to complete its list
                alone = len(sentence) >= ex.min_sentence_chars
                if ((not alone and not list_item(sentence, hit.chunk.body))
                        or self.cfg.injection_re.search(sentence)
                        or foreign_urls(sentence, allowed)):
                    continue
                terms = set(index.analyze(sentence))
                vector = matrix[pos] if matrix is not None else None
                typed = _typed(answer_type, sentence, share, index.analyze)
                features = {
                    # similarity above what any sentence of the domain gets
                    "sem": (float(vector @ qvec) if vector is not None else ex.missing_sem)
                    - ex.sem_floor,
                    "lex": fsum(share[t] for t in query_terms & terms),
                    "ctx": context_share,
                    "type": sum(p for t, p in kinds if t.sentence_re.search(sentence)),
                    "num": float(bool(_NUMBER.search(sentence))),  # a concrete figure
                    "rank": 1.0 / (1.0 + rank),
                    "first": float(pos == 0),
                    # leans on the sentence before, or announces a list that follows
                    "anaphora": float(bool(ex.anaphora_re.search(sentence))
                                      or sentence.rstrip().endswith(":")),
                }
                linear = ex.bias + sum(ex.weights.get(f, 0.0) * v for f, v in features.items())
                score = linear / (1.0 + ex.rank_decay * rank)
                out.append(Candidate(hit, rank, pos, sentence, terms, features, vector,
                                     score, frozenset(query_terms & terms), typed, alone))
        return out, query_terms, share

    def record_similarity(self, state: AnswerState, cands: list[Candidate] | None = None,
                          premises: list[tuple[Term, list[Candidate]]] | None = None
                          ) -> None:
        """The best sentence's cosine to the question (a signal of the refusal model) and
        the stated values no sentence confirms, for whichever composer writes the answer."""
        if cands is None:
            cands = [c for c in self.candidates(state)[0] if c.alone]
        if premises is None:
            premises = stated_premises(state.question, cands, self._lexical().analyze,
                                       self.cfg.extractive.premise_subject_margin)
        state.unconfirmed = [stated.text for stated, _ in premises]
        state.signals["best_sem"] = max((c.features["sem"] + self.cfg.extractive.sem_floor
                                         for c in cands), default=0.0)
        state.trace["best_sentence_similarity"] = round(state.signals["best_sem"], 4)

    # -- choosing ---------------------------------------------------------------------
    def __call__(self, state: AnswerState) -> AnswerState:
        pool, query_terms, share = self.candidates(state, premise_pool=True)
        every = [c for c in pool if c.rank < len(state.hits)]
        cands = [c for c in every if c.alone]
        ex = self.cfg.extractive
        best = max((c.score for c in cands), default=0.0)
        remaining = [c for c in cands if c.score >= ex.keep_ratio * best]
        chosen: list[Candidate] = []
        sources: list[str] = []
        chars = 0
        covered: set[str] = set()

        def value(cand: Candidate) -> float:  # score minus what the answer already says
            repeat = max((overlap(cand.terms, c.terms) for c in chosen), default=0.0)
            said = fsum(share[t] for t in cand.asked & covered)
            return (cand.score - ex.covered_penalty * said
                    - ex.redundancy_penalty * repeat)

        while remaining and len(chosen) < ex.max_sentences:
            cand = max(remaining, key=value)
            remaining.remove(cand)
            if chars + len(cand.text) > ex.max_chars and chosen:
                continue
            if cand.hit.url not in sources and len(sources) >= self.cfg.retrieval.max_sources:
                continue
            if any(duplicate(cand, c, ex.duplicate_jaccard) for c in chosen):
                continue
            chosen.append(cand)
            covered |= cand.asked
            chars += len(cand.text)
            if cand.hit.url not in sources:
                sources.append(cand.hit.url)
        premises = stated_premises(state.question, cands, self._lexical().analyze,
                                   self.cfg.extractive.premise_subject_margin, share,
                                   self.cfg.extractive.premise_bound_subject,
                                   [c for c in pool if c.alone and c.rank >= len(state.hits)])
        correction = premise_correction(state, premises)
        # "wat is X?" is answered by the sentence defining X, also when it ranks below the
        # sentences chosen on score ("Wat is het GOAB?": eight sentences about the
        # GOAB-ondersteuningstraject outscored the definition)
        definition = max((c for c in cands if c.typed and not fragment(c.text)),
                         key=lambda c: c.score, default=None) \
            if state.answer_type == "definitie" and not any(c.typed for c in chosen) else None
        for extra in (definition, correction):
            if extra is not None and all(extra is not c for c in chosen):
                if len(chosen) >= ex.max_sentences:
                    chosen.remove(min(chosen, key=lambda c: c.score))
                chosen.append(extra)
                covered |= extra.asked
        chosen += list_completions(pool, chosen, ex.max_list_chars)
        chosen += introductions(pool, chosen)
        state.term_overlap = len(covered) / max(len(query_terms), 1)
        state.trace["best_sentence_score"] = round(best, 4)
        self.record_similarity(state, cands, premises)
        self._fill(state, chosen, correction)
        return state

    def _fill(self, state: AnswerState, chosen: list[Candidate],
              correction: Candidate | None = None) -> None:
        """Lead sentence first, then the rest grouped per source, in source-text order."""
        if not chosen:
            state.sources, state.statements = [], []
            return
        lead = correction or self._lead(state, chosen)
        by_url: dict[str, list[Candidate]] = {}
        for cand in [lead, *sorted((c for c in chosen if c is not lead),
                                   key=lambda c: -c.score)]:
            by_url.setdefault(cand.hit.url, []).append(cand)
        urls = list(by_url)
        if state.answer_type in ("datum", "einddatum") and correction is None:
            dated = {u: set().union(*(full_dates(c.text) for c in by_url[u])) for u in urls}
            if len({frozenset(d) for d in dated.values() if d}) > 1:
                # facts that changed over time: the newest source leads. A source without
                # a publication date counts by the latest date it names (an extension names
                # the later date), so an undated page with the newer rule is not put last.
                def newness(url: str) -> str:
                    return by_url[url][0].hit.published or max(
                        (_iso(d) for d in dated[url]), default="")

                urls.sort(key=newness, reverse=True)
                newest = by_url[urls[0]][0].hit.published
                lead = max(by_url[urls[0]], key=lambda c: (c.typed, c.score))
                state.lead = ("De bronnen noemen verschillende data; de meest recente bron "
                              f"({dutch_date(newest)}) is leidend." if newest else
                              "De bronnen noemen verschillende data; de bron met de laatste "
                              "datum staat voorop.")
                state.trace["conflicting_dates"] = True
        state.sources = [by_url[u][0].hit for u in urls]
        number = {u: n for n, u in enumerate(urls, 1)}
        items = {id(c) for c in chosen for whole in [whole_list(c, chosen)]
                 if whole and c is not whole[0]}
        # a list item that is a whole sentence may open the answer: then with a capital
        statements = [Statement(lead.text[:1].upper() + lead.text[1:], (number[lead.hit.url],),
                                0)]
        # the items of a list the lead introduces come right after it, before the rest
        # (an item that leads is no introduction: the rest of its list follows its own
        # introduction, in order)
        lead_list = whole_list(lead, chosen)
        under_lead = lead_list[1:] if lead_list and lead_list[0] is lead else []
        for paragraph, url in enumerate(urls, 1):
            rest = sorted((c for c in by_url[url] if c is not lead),
                          key=lambda c: (all(c is not i for i in under_lead),
                                         c.hit.chunk.metadata.chunk, c.position))
            statements += [Statement(c.text, (number[url],), paragraph, id(c) in items)
                           for c in rest]
        state.statements = statements
        state.trace["lead"] = {"typed": lead.typed, "score": round(lead.score, 4)}

    def _lead(self, state: AnswerState, chosen: list[Candidate]) -> Candidate:
        # an item of a list that is no sentence of its own ("welk deel van het geld …
        # ging;") is quoted after its introduction, never as the opening
        chosen = [c for c in chosen if not fragment(c.text)] or chosen
        best = max(chosen, key=lambda c: c.score)
        typed = [c for c in chosen if c.typed]
        if typed:
            candidate = max(typed, key=lambda c: c.score)
            # a sentence defining what the question asks about is the answer to "wat is"
            if (state.answer_type == "definitie"
                    or candidate.score >= best.score - self.cfg.extractive.lead_margin):
                return candidate
        return best


_PARENTHESES = re.compile(r"\([^)]*\)")


def _typed(answer_type, sentence: str, share: dict[str, float],
           analyze: Callable[[str], list[str]]) -> bool:
    """The sentence gives the kind of fact asked for. A definition defines what the
    question asks about: the words before its "is een", "betekent" hold the question's
    weightiest term ("SiSa (…) is de manier waarop …"); "Volgens het artikel … is het
    aantal …" and "Vroegschoolse educatie is het …" (voorschoolse asked) define nothing
    asked."""
    if answer_type is None:
        return False
    found = answer_type.sentence_re.search(sentence)
    if found is None or answer_type.name != "definitie" or not share:
        return found is not None
    subject = sentence[:found.start()]
    # the defined term is the subject of the sentence's first clause: "Elk vve-onderzoek
    # geeft ideeën …, maar in bewijsvoering is het ene onderzoek sterker" defines nothing
    # (a comma inside brackets, "SiSa (single information, single audit) is", does count)
    return "," not in _PARENTHESES.sub("", subject) and \
        max(share, key=lambda t: (share[t], t)) in analyze(subject)


def _iso(dutch: str) -> str:
    """"31 juli 2025" → "2025-07-31" (for ordering)."""
    day, month, year = dutch.split()
    return f"{year}-{MONTHS.index(month.lower()) + 1:02d}-{int(day):02d}"
