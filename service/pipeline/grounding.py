"""Stage: say what the sources do not support, and contradict a false premise.

Salient terms of the question — dates, years, amounts, numbers with a unit, percentages,
names and quoted titles — are checked against the answer and its sources:

* a value the question states (a date, an amount, "4 maanden") that the answer does not
  repeat while the answer gives another value of that kind is a false premise: the answer
  says so first ("Let op: de bronnen bevestigen 4 maanden niet …");
* any salient term no retrieved source mentions is named ("De bronnen noemen 2029 niet").

The share of the question's weight that is unsupported is a signal for the refusal model
(pipeline/refusal.py), which decides whether the answer still stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kb.analysis import fold
from kb.dutch_dates import MONTH_PATTERN, MONTHS
from service.config import GroundingCfg
from service.pipeline.types import AnswerState, Statement

_MONTHS = MONTH_PATTERN
_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
# ("2 jaar" is left out: in this domain it is mostly an age, not a stated fact)
_UNITS = (r"uur|uren|maand|maanden|week|weken|dag|dagen|leerlingen|kinderen|"
          r"peuters|gemeenten|scholen|inwoners|procent")
_VALUE_PATTERNS = [  # most specific first: an earlier match claims its span
    ("datum", re.compile(rf"\b\d{{1,2}} (?:{_MONTHS})(?: (?:19|20)\d{{2}})?\b", re.I)),
    ("datum", re.compile(rf"\b(?:(?:begin|eind|medio|half) )?(?:{_MONTHS}) (?:19|20)\d{{2}}\b",
                         re.I)),
    ("datum", re.compile(r"\b(?:begin|eind|medio|half) (?:19|20)\d{2}\b", re.I)),
    ("bedrag", re.compile(rf"€\s?(?:{_NUMBER})(?:\s?(?:miljoen|miljard|mln|mld))?"
                          rf"|\b(?:{_NUMBER})\s?(?:miljoen|miljard|euro)\b", re.I)),
    ("aantal", re.compile(rf"\b(?:{_NUMBER})\s?(?:%|(?:{_UNITS})\b)", re.I)),
    ("jaar", re.compile(r"\b(?:19|20)\d{2}(?:[-/](?:19|20)?\d{2})?\b")),
]
# A bare year in a question mostly sets the scope ("wat verandert er in 2024?"); only when
# no source mentions it does it count as contradicted by another year in the answer.
_KIND = {"jaar": "datum", "einddatum": "datum"}
# A quote opens after a non-letter and closes before one: the apostrophes of "programma's",
# "zo'n" and "pbm'er" are not quotes.
_QUOTED = re.compile(r"(?<!\w)[\"“‘']([^\"”’]{3,60}?)[\"”’'](?!\w)")
_NAME = re.compile(r"(?<![\w-])([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)")
# a sentence also starts after a closing quote or bracket: "… is dat?' Graag een reactie."
_SENTENCE_START = re.compile(r"(?:^|[.?!:;][\"”’')\]]*\s+)[\"“‘'(\[]*(\w+)")


@dataclass(frozen=True)
class Term:
    text: str
    kind: str  # datum, jaar, bedrag, aantal, naam

    @property
    def family(self) -> str:
        """The kind of fact: a year is a date."""
        return _KIND.get(self.kind, self.kind)


def _spans(text: str) -> list[tuple[int, int, str]]:
    taken: list[tuple[int, int, str]] = []
    for kind, pattern in _VALUE_PATTERNS:
        for m in pattern.finditer(text):
            if not any(s < m.end() and m.start() < e for s, e, _ in taken):
                taken.append((m.start(), m.end(), kind))
    return taken


def values_in(text: str) -> list[Term]:
    return [Term(text[s:e].strip(" .,;:?!"), kind) for s, e, kind in _spans(text)]


def salient_terms(question: str, known_abbreviations: set[str]) -> list[Term]:
    taken = [(s, e) for s, e, _ in _spans(question)]
    terms = values_in(question)

    def add(start: int, end: int) -> None:
        if not any(s < end and start < e for s, e in taken):
            taken.append((start, end))
            terms.append(Term(question[start:end].strip(" .,;:?!"), "naam"))

    for m in _QUOTED.finditer(question):
        add(m.start(1), m.end(1))
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
    return sorted(terms, key=lambda t: question.find(t.text))


def _jargon(word: str) -> bool:
    """An acronym of the field (OAB, VVE, SiSa) or a compound starting with one
    ("OAB-budget", "NPO-geld"): not a name the sources must repeat."""
    head = re.split(r"[-']", word)[0]
    return bool(re.fullmatch(r"[A-Z][A-Za-z]{0,4}", head)) and sum(c.isupper() for c in head) >= 2


def _normal(text: str) -> str:
    return " ".join(fold(text.replace("\u00a0", " ").replace("€", " € ")).split())


def _value_key(term: Term) -> str:
    """"€ 118,11" and "118,11 euro", "25%" and "25 procent" are the same value."""
    key = _normal(term.text).replace("procent", "%")
    return re.sub(r"[€\s]|euro", "", key)


# "eind 2020" is confirmed by "december 2020": the months a vague period covers
_PERIODS = {"begin": range(1, 5), "medio": range(5, 9), "half": range(5, 9),
            "eind": range(9, 13)}
_VAGUE = re.compile(r"^(begin|medio|half|eind) ((?:19|20)\d{2})$", re.I)
_MONTH_YEAR = re.compile(rf"\b({_MONTHS}) ((?:19|20)\d{{2}})\b", re.I)


def _in_period(term: Term, text: str) -> bool:
    vague = _VAGUE.match(_normal(term.text))
    if not vague:
        return False
    months, year = _PERIODS[vague.group(1).lower()], vague.group(2)
    return any(y == year and MONTHS.index(m.lower()) + 1 in months
               for m, y in _MONTH_YEAR.findall(text))


def _mentions(term: Term, text: str, analyze, terms: set[str]) -> bool:
    if term.kind == "naam":  # every word of a name (stemmed) occurs in the text
        words = set(analyze(term.text))
        return not words or words <= terms
    if _in_period(term, text):
        return True
    return bool(_value_pattern(term).search(_normal(text)))


@lru_cache(maxsize=1024)
def _value_pattern(term: Term) -> re.Pattern:
    """The value as a whole number: "20 uur" is not in "120 uur", "1 oktober" not in "31
    oktober"; "€ 118,11" is in "118,11 euro", "25%" in "25 procent". Built once per value:
    every candidate sentence of an answer is checked against the same stated values."""
    words = re.sub(r"€|\beuro\b", " ", _normal(term.text)).replace("%", " %").split()
    body = r"\s*".join("(?:%|procent)" if w in ("%", "procent") else re.escape(w)
                       for w in words)
    return re.compile(rf"(?<![\d.,]){body}(?!,?\d)", re.I)


class GroundingCheck:
    def __init__(self, cfg: GroundingCfg, known_abbreviations: set[str], lexical) -> None:
        self.cfg = cfg
        self.abbreviations = known_abbreviations
        self._lexical = lexical  # () -> LexicalIndex, current at call time

    def __call__(self, state: AnswerState) -> AnswerState:
        if not state.statements:
            return state
        index = self._lexical()
        sources = " ".join(f"{h.title} {h.chunk.body}" for h in state.hits)
        source_terms = set(index.analyze(sources))
        weights = index.term_weights(state.question)
        total = sum(weights.values()) or 1.0
        # how much of the question (idf-weighted) the retrieved sources mention at all
        state.signals["hit_coverage"] = sum(w for t, w in weights.items()
                                            if t in source_terms) / total
        answer = " ".join(st.text for st in state.statements)
        answer_values = {(v.family, _value_key(v)) for v in values_in(answer)}
        contradicted: list[Term] = []
        unsupported: list[Term] = []
        absent: list[Term] = []  # in no retrieved source at all
        for term in salient_terms(state.question, self.abbreviations):
            if (term.kind != "naam" and term.text not in state.unconfirmed
                    and _mentions(term, answer, index.analyze, set())):
                continue  # the answer confirms the value (a chat model's answer may
                # repeat a stated value no source gives: that is no confirmation)
            in_sources = _mentions(term, sources, index.analyze, source_terms)
            other = term.kind != "naam" and any(
                family == term.family and key != _value_key(term)
                for family, key in answer_values)
            if other and (term.kind != "jaar" or not in_sources):
                contradicted.append(term)  # the answer gives another value of that kind
            elif not in_sources:
                unsupported.append(term)
            # what the sources lack weighs against answering, except a specific value the
            # answer corrects (a bare year may only set a scope the sources do not cover)
            if not in_sources and (term not in contradicted or term.kind == "jaar"):
                absent.append(term)
        missing = sorted([*contradicted, *unsupported], key=lambda t: state.question.find(t.text))
        if not missing:
            return state
        state.unsupported_terms = [t.text for t in missing]
        state.trace["unsupported_terms"] = state.unsupported_terms
        if absent:
            share = sum(index.term_weights(" ".join(t.text for t in absent)).values()) / total
            state.signals["unsupported_share"] = share
            asked = _KIND.get(state.answer_type, state.answer_type)  # einddatum → datum
            state.signals["value_missing"] = float(any(t.family == asked for t in absent))
            state.trace["unsupported_share"] = round(share, 3)
        # a value the question states that no source confirms is a premise the sources do
        # not back, also when they give no other value of its kind
        premises = [t for t in missing if t in contradicted or t.text in state.unconfirmed]
        if premises:
            if contradicted:
                _lead_with_value(state, contradicted[0])
            state.premise = {"stated": [t.text for t in premises],
                             "answer": state.statements[0].text}
            state.trace["premise"] = state.premise
            state.notices.append(self.cfg.premise_note.format(
                terms=join_terms([t.text for t in premises])))
        others = [t for t in unsupported if t not in premises]
        if others:
            state.notices.append(self.cfg.unsupported_note.format(
                terms=join_terms([t.text for t in others])))
        return state


_SINGULAR = {"uren": "uur", "maanden": "maand", "weken": "week", "dagen": "dag",
             "leerlingen": "leerling", "kinderen": "kind", "peuters": "peuter",
             "gemeenten": "gemeente", "scholen": "school", "inwoners": "inwoner",
             "%": "procent"}


def _unit(term: Term) -> str:
    """"10 uur" and "20 uren", "1 maand" and "4 maanden" have the same unit."""
    unit = re.sub(r"[\d.,\s€+]", "", _normal(term.text))
    return _SINGULAR.get(unit, unit)


def same_kind(value: Term, stated: Term) -> bool:
    """``value`` could answer ``stated``: the same kind of fact, and for a number the same
    unit ("10 uur" answers "20 uur", "2 maanden" does not)."""
    return value.family == stated.family and (stated.kind != "aantal"
                                              or _unit(value) == _unit(stated))


def stated_values(question: str) -> list[Term]:
    """Specific values a question states (dates, amounts, numbers with a unit); a bare
    year mostly sets a scope and is left out."""
    return [v for v in values_in(question) if v.kind in ("datum", "bedrag", "aantal")]


_YEAR = re.compile(r"\b((?:19|20)\d{2})(?:[-/]((?:19|20)?\d{2}))?\b")


def years(text: str, scope_only: bool = False) -> set[int]:
    """The years a text names, a range ("2023-2026") with the years between. With
    ``scope_only`` only the bare years (the question's scope: "GOAB-budget 2026"), not those
    inside a stated date ("1 oktober 2024")."""
    out: set[int] = set()
    for term in values_in(text):
        if scope_only and term.kind != "jaar":
            continue
        for m in _YEAR.finditer(term.text):
            first = int(m.group(1))
            last = int(m.group(2)) if m.group(2) else first
            last = last + first // 100 * 100 if last < 100 else last
            out |= set(range(first, last + 1)) if 0 <= last - first <= 10 else {first}
    return out


def year_agreement(scope: set[int], sentence: str) -> float:
    """1 when a sentence names a year of the question's scope, -1 when it names only other
    years (the budget of 2024 where 2026 is asked), 0 when either names none."""
    named = years(sentence) if scope else set()
    return 0.0 if not named else 1.0 if named & scope else -1.0


def mentions_value(term: Term, text: str) -> bool:
    return _mentions(term, text, None, set())


def _lead_with_value(state: AnswerState, stated: Term) -> None:
    """The answer to a false premise opens with a sentence giving the same kind of value
    (the same unit: "10 uur" answers "20 uur"), when one was chosen."""
    for i, st in enumerate(state.statements):
        if any(same_kind(v, stated) for v in values_in(st.text)):
            if i:
                lead = state.statements[0]
                rest = state.statements[1:i] + state.statements[i + 1:]
                demoted = Statement(lead.text, lead.sources, lead.sources[0])
                position = next((j for j, r in enumerate(rest)
                                 if r.paragraph == demoted.paragraph), len(rest))
                rest.insert(position, demoted)
                state.statements = [Statement(st.text, st.sources, 0), *rest]
            return


def join_terms(items: list[str]) -> str:
    """"a", "a en b", "a, b en c"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} en {items[-1]}"
