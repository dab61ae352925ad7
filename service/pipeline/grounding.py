"""Stage: say what the sources do not support, and contradict a false premise.

Salient terms of the question — dates, years, amounts, numbers with a unit, percentages,
counts, names, quoted titles and compounds of a field term ("vve-vervoerstoeslag") — are
checked against the answer and its sources:

* a value the question states (a date, an amount, "4 maanden") that the answer does not
  repeat while the answer gives another value of that kind is a false premise: the answer
  says so first ("Let op: de bronnen bevestigen 4 maanden niet …"); a count of things
  ("acht thema's") only when the answer counts the same thing otherwise ("zes thema's");
* any salient term no single retrieved source mentions whole is named ("De bronnen noemen
  2029 niet").

The share of the question's weight that is unsupported is a signal for the refusal model
(pipeline/refusal.py), which decides whether the answer still stands.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from math import fsum  # exact whatever the order of the terms

from kb.analysis import fold
from service.config import GroundingCfg
from service.pipeline.types import AnswerState
from service.pipeline.values import (
    KIND_FAMILY,
    SCOPE_KINDS,
    Term,
    as_year,
    differs,
    mentions_value,
    only_contradicted,
    same_kind,
    shown,
    value_key,
    value_spans,
    values_in,
)

# A quote opens after a non-letter and closes before one: the apostrophes of "programma's",
# "zo'n" and "pbm'er" are not quotes.
_QUOTED = re.compile(r"(?<!\w)[\"“‘']([^\"”’]{3,60}?)[\"”’'](?!\w)")
_NAME = re.compile(r"(?<![\w-])([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)")
# a sentence also starts after a closing quote or bracket: "… is dat?' Graag een reactie."
_SENTENCE_START = re.compile(r"(?:^|[.?!:;][\"”’')\]]*\s+)[\"“‘'(\[]*(\w+)")
# a compound of a short word and another ("vve-vervoerstoeslag", "no-brainer")
_COMPOUND = re.compile(r"(?<![\w-])([^\W\d_]{2,5})-([^\W\d_][\w-]*)")


def salient_terms(question: str, known_abbreviations: set[str],
                  field_term: Callable[[str], bool] = lambda w: False) -> list[Term]:
    """``field_term``: a short word the collection uses on its own ("vve", "goab"); a
    compound of one written in lower case ("vve-vervoerstoeslag") is checked as a name."""
    taken = [(s, e) for s, e, _ in value_spans(question)]
    terms = values_in(question)

    def add(start: int, end: int) -> None:
        if not any(s < end and start < e for s, e in taken):
            taken.append((start, end))
            terms.append(Term(question[start:end].strip(" .,;:?!"), "naam"))

    for m in _QUOTED.finditer(question):
        # a quoted name is checked whole, also when it holds a year or an amount ("de
        # 'Regeling thuiszittersbudget NP Onderwijs 2026'"): the value stays a term too
        taken.append((m.start(1), m.end(1)))
        terms.append(Term(question[m.start(1):m.end(1)].strip(" .,;:?!"), "naam"))
    starts = {m.start(1) for m in _SENTENCE_START.finditer(question)}
    for m in _NAME.finditer(question):
        run: list[re.Match] = []  # consecutive capitalised words; abbreviations break it
        words = list(re.finditer(r"\S+", m.group(1)))
        for i, w in enumerate([*words, None]):
            skip = w is None or (i == 0 and m.start(1) in starts) \
                or fold(w.group()) in known_abbreviations or _jargon(w.group())
            if not skip:
                run.append(w)
                continue
            if run and len(" ".join(x.group() for x in run)) >= 3:
                add(m.start(1) + run[0].start(), m.start(1) + run[-1].end())
            run = []
    for m in _COMPOUND.finditer(question):
        if m.group(1).islower() and field_term(m.group(1)):
            add(m.start(), m.end())
    return sorted(terms, key=lambda t: question.find(t.text))


def _jargon(word: str) -> bool:
    """An acronym of the field (OAB, VVE, SiSa, "NPO'er"): not a name the sources must
    repeat. A compound with one ("NPO-bonusregeling") is not jargon: it is checked on its
    other words (``mentions_name``)."""
    return (bool(re.fullmatch(r"[A-Z][A-Za-z]{0,4}(?:'\w+)?", word))
            and sum(c.isupper() for c in word) >= 2)


def _without_acronym(name: str, field_term: Callable[[str], bool] = lambda w: False) -> str:
    head, _, rest = name.partition("-")
    return rest if rest and (_jargon(head) or (head.islower() and field_term(head))) else name


def mentions_name(name: str, terms: set[str], analyze,
                  known: Callable[[str], bool] = lambda t: False,
                  field_term: Callable[[str], bool] = lambda w: False) -> bool:
    """Every word of a name (stemmed) is among ``terms``. Of a compound with an acronym only
    the other words count, and a word the collection knows is enough ("NPO-plan" is a plan
    about the NPO, whatever the retrieved sources call it); a word no card uses
    ("NPO-bonusregeling", "vve-vervoerstoeslag") makes it a name no source has."""
    rest = _without_acronym(name, field_term)
    words = set(analyze(rest))
    if rest != name:
        return all(w in terms or known(w) for w in words)
    return not words or words <= terms


def _mentions(term: Term, text: str, analyze, terms: set[str],
              known: Callable[[str], bool] = lambda t: False,
              field_term: Callable[[str], bool] = lambda w: False) -> bool:
    if term.kind == "naam":
        return mentions_name(term.text, terms, analyze, known, field_term)
    if term.kind == "periode":  # a scope: its year is enough
        return bool(re.search(rf"\b{term.text[-4:]}\b", text)) or mentions_value(term, text)
    return mentions_value(term, text)


class GroundingCheck:
    def __init__(self, cfg: GroundingCfg, known_abbreviations: set[str], lexical) -> None:
        self.cfg = cfg
        self.abbreviations = known_abbreviations
        self._lexical = lexical  # () -> LexicalIndex, current at call time

    def __call__(self, state: AnswerState) -> AnswerState:
        if not state.statements:
            return state
        index = self._lexical()
        # each source analysed once: a term is in the sources when one source holds it
        # whole (the words of a name spread over several sources, "Landelijke
        # subsidieregeling gemeentelijke zomerscholen", are no scheme any of them names)
        read = {h.chunk.id for h in state.hits}  # and a cited hit read for a stated value
        hits = [(text, set(index.analyze(text))) for text in (
            f"{h.title} {h.chunk.body}"
            for h in [*state.hits, *(s for s in state.sources if s.chunk.id not in read)])]
        source_terms = set().union(*(terms for _, terms in hits))
        # a follow-up without a word of its own ("Hoeveel zijn er?") is about the question
        # it was merged with: without this its coverage was 0 and it was refused
        weights = (index.term_weights(state.question)
                   or index.term_weights(state.search_query or state.question))
        total = fsum(weights.values()) or 1.0
        # how much of the question (idf-weighted) the retrieved sources mention at all
        state.signals["hit_coverage"] = fsum(w for t, w in weights.items()
                                            if t in source_terms) / total
        answer = " ".join(st.text for st in state.statements)
        answer_values = {(v.family, value_key(v)) for v in values_in(answer)}
        contradicted: list[Term] = []
        unsupported: list[Term] = []
        absent: list[Term] = []  # in no retrieved source at all

        def field_term(word: str) -> bool:  # "vve", "goab": a term of the collection
            analysed = index.analyze(word)
            return bool(analysed) and all(index.known(w) for w in analysed)

        def in_a_source(term: Term) -> bool:
            return any(_mentions(term, text, index.analyze, terms, index.known, field_term)
                       for text, terms in hits)

        asked = KIND_FAMILY.get(state.answer_type, state.answer_type)  # einddatum → datum
        for term in salient_terms(state.question, self.abbreviations, field_term):
            # a year that scopes the amount or number asked for ("het regeerakkoord van
            # 2017", "in 2028") is no claim the answer's other dates contradict: it is
            # named when no source holds it, and the amount leads
            scoping = term.kind in SCOPE_KINDS and asked in ("bedrag", "aantal")
            if (term.kind != "naam" and term.text not in state.unconfirmed
                    and _mentions(term, answer, index.analyze, set())):
                continue  # the answer confirms the value (a chat model's answer may
                # repeat a stated value no source gives: that is no confirmation)
            if only_contradicted(term):
                # a count ("vier indicatoren") is wrong only where the answer counts the
                # same thing otherwise; sources wording it differently say nothing about it
                if term.text in state.unconfirmed and any(
                        same_kind(v, term) and differs(v, term) for v in values_in(answer)):
                    contradicted.append(term)
                if term.kind != "grens":
                    continue
                if term in contradicted and in_a_source(as_year(term)):
                    continue  # the sources bound the same thing at another year
                if term in contradicted:  # a year no source names: that is what they lack
                    contradicted.remove(term)
                term = as_year(term)  # no other bound given: the sources must know the year
            in_sources = in_a_source(term)
            other = term.kind != "naam" and any(
                family == term.family and key != value_key(term)
                for family, key in answer_values)
            if other and not scoping and (term.kind not in SCOPE_KINDS or not in_sources):
                contradicted.append(term)  # the answer gives another value of that kind
            elif not in_sources:
                unsupported.append(term)
            # what the sources lack weighs against answering, except a specific value the
            # answer corrects (a bare year may only set a scope the sources do not cover)
            if not in_sources and (term not in contradicted or term.kind in SCOPE_KINDS):
                absent.append(term)
        missing = sorted([*contradicted, *unsupported], key=lambda t: state.question.find(t.text))
        # a value the question repeats ("vanaf 2027 … per 2027") is named once
        once: dict[tuple[str, str], Term] = {}
        for t in missing:
            once.setdefault((t.family, t.text if t.kind == "naam" else value_key(t)), t)
        missing = list(once.values())
        if not missing:
            return state
        state.unsupported_terms = [shown(t) for t in missing]
        state.trace["unsupported_terms"] = state.unsupported_terms
        if absent:
            share = fsum(index.term_weights(" ".join(t.text for t in absent)).values()) / total
            state.signals["unsupported_share"] = share
            state.signals["value_missing"] = float(any(t.family == asked for t in absent))
            state.trace["unsupported_share"] = round(share, 3)
        # a value the question states that no source confirms is a premise the sources do
        # not back, also when they give no other value of its kind
        premises = [t for t in missing if t in contradicted or t.text in state.unconfirmed]
        if premises:
            if contradicted:
                _lead_with_value(state, contradicted[0])
            state.premise = {"stated": [shown(t) for t in premises],
                             "answer": state.statements[0].text}
            state.trace["premise"] = state.premise
            state.notices.append(self.cfg.premise_note.format(
                terms=join_terms([shown(t) for t in premises])))
        others = [t for t in unsupported if t not in premises]
        if others:
            state.notices.append(self.cfg.unsupported_note.format(
                terms=join_terms([shown(t) for t in others])))
        return state


def _lead_with_value(state: AnswerState, stated: Term) -> None:
    """The answer to a false premise opens with a sentence giving the same kind of value
    (the same unit: "10 uur" answers "20 uur"), when one was chosen."""
    for i, st in enumerate(state.statements):
        if any(same_kind(v, stated) for v in values_in(st.text)):
            if i:
                lead = state.statements[0]
                rest = state.statements[1:i] + state.statements[i + 1:]
                demoted = replace(lead, paragraph=lead.sources[0])
                position = next((j for j, r in enumerate(rest)
                                 if r.paragraph == demoted.paragraph), len(rest))
                rest.insert(position, demoted)
                state.statements = [replace(st, paragraph=0), *rest]
            return


def join_terms(items: list[str]) -> str:
    """"a", "a en b", "a, b en c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} en {items[-1]}"
