"""Values in Dutch text: dates, years, amounts and numbers with a unit, as a question states
them and as sources give them (service/pipeline/grounding.py checks them; the extractive
composer uses them to find the sentence that corrects a false premise)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kb.analysis import fold
from kb.dutch_dates import MONTH_PATTERN, MONTHS

_MONTHS = MONTH_PATTERN
_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
# numbers officials write out ("vier maanden", "tien uur"); "een" is left out: mostly "a"
_NUMBER_WORDS = dict(zip(
    "twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien "
    "zestien zeventien achttien negentien twintig".split(), range(2, 21)))
_NUMBER_WORDS.update({"dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "honderd": 100,
                      "één": 1})  # with its accents "één" is the number, never "a"
_WORD = r"(?:" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_WORD_RE = re.compile(rf"\b{_WORD}\b", re.I)
# ("2 jaar" is left out: in this domain it is mostly an age, not a stated fact)
_UNITS = (r"uur|uren|maand|maanden|week|weken|dag|dagen|leerlingen|kinderen|"
          r"peuters|gemeenten|scholen|inwoners|procent|"
          r"keer per (?:dag|week|maand|jaar|schooljaar)")  # a frequency
_START = r"vanaf|sinds|per|met ingang van"  # the prepositions that bound a period
_END = r"tot en met|t/m|tot|uiterlijk"
_VALUE_PATTERNS = [  # most specific first: an earlier match claims its span
    ("datum", re.compile(rf"\b\d{{1,2}} (?:{_MONTHS})(?: (?:19|20)\d{{2}})?\b", re.I)),
    ("datum", re.compile(rf"\b(?:(?:begin|eind|medio|half) )?(?:{_MONTHS}) (?:19|20)\d{{2}}\b",
                         re.I)),
    ("periode", re.compile(r"\b(?:begin|eind|medio|half) (?:19|20)\d{2}\b", re.I)),
    ("bedrag", re.compile(rf"[€$]\s?(?:{_NUMBER})(?:\s?(?:miljoen|miljard|mln|mld))?"
                          rf"|\b(?:{_NUMBER})\s?(?:miljoen|miljard|euro)\b", re.I)),
    ("aantal", re.compile(rf"\b(?:(?:{_NUMBER})\s?(?:%|(?:{_UNITS})\b)|{_WORD}\s(?:{_UNITS})\b)",
                          re.I)),
    # an age or age range ("vanaf 2,5 jaar", "tussen 12 en 23 jaar", "van 2 tot 4 jaar");
    # a bare "2 jaar" is left out: mostly who the question is about, not a claim
    ("leeftijd", re.compile(r"\b(?:vanaf|van|tot|tussen)\s+\d{1,2}(?:,\d)?"
                            r"(?:\s*(?:en|tot|-)\s*\d{1,2}(?:,\d)?)?\s+jaar\b", re.I)),
    # a year that bounds a period ("vanaf 2026", "sinds 2022", "tot en met 2020") says when
    # something starts or ends: a claim, where a bare year mostly sets the scope
    ("grens", re.compile(rf"\b(?:{_START}|{_END})\s+(?:19|20)\d{{2}}\b(?![-/]\d)", re.I)),
    ("jaar", re.compile(r"\b(?:19|20)\d{2}(?:[-/](?:19|20)?\d{2})?\b")),
    # a count of things ("acht thema's", "45 methoden"): a whole number, then a plural noun
    # of three letters or more (lower case: not a name). Only another count of the same
    # thing contradicts it (``only_contradicted``); an infinitive after a number, "groep 8
    # opzetten", is matched too but is never counted otherwise.
    ("telling", re.compile(rf"(?<![\d.,])(?:\d+|(?i:{_WORD}))(?![\d.,]*\d)\s+"
                           r"(?!(?:jaar|uur|keer)\b)([a-zà-ÿ]{2,}(?:'s|en|ën|s))\b")),
]
# the kind of fact a value is: a year and a vague period are dates
KIND_FAMILY = {"jaar": "datum", "periode": "datum", "einddatum": "datum", "grens": "datum"}
# values with a unit: another value answers them only in the same unit (or of the same thing)
COUNTED = ("aantal", "telling")

# A bare year ("wat verandert er in 2024?") or a vague period ("een gemeente had eind 2022
# geld over") in a question mostly sets its scope: contradicted only when no source
# mentions the year.
SCOPE_KINDS = ("jaar", "periode")


@dataclass(frozen=True)
class Term:
    text: str
    kind: str  # datum, periode, jaar, bedrag, aantal, telling, naam

    @property
    def family(self) -> str:
        """The kind of fact: a year is a date."""
        return KIND_FAMILY.get(self.kind, self.kind)


def only_contradicted(term: Term) -> bool:
    """A count of things, an age or a bound year is a premise only where the sources give
    the same thing otherwise; that they do not repeat it says nothing (they may word it
    differently: "in 2022 ingevoerd" for "sinds 2022")."""
    return term.kind in ("telling", "leeftijd", "grens")


def value_spans(text: str) -> list[tuple[int, int, str]]:
    taken: list[tuple[int, int, str]] = []
    for kind, pattern in _VALUE_PATTERNS:
        for m in pattern.finditer(text):
            if not any(s < m.end() and m.start() < e for s, e, _ in taken):
                taken.append((m.start(), m.end(), kind))
    return taken


def values_in(text: str) -> list[Term]:
    return [Term(text[s:e].strip(" .,;:?!"), kind) for s, e, kind in value_spans(text)]


def normal_value_text(text: str) -> str:
    """Folded, one space, and a written-out number as digits ("vier maanden" is "4
    maanden")."""
    text = _WORD_RE.sub(lambda m: str(_NUMBER_WORDS[m.group().lower()]), text)
    return " ".join(fold(text.replace("\u00a0", " ").replace("€", " € ")).split())


_AGE_NUMBER = re.compile(r"\d{1,2}(?:,\d)?")


def value_key(term: Term) -> str:
    """"€ 118,11" and "118,11 euro", "25%" and "25 procent" are the same value; an age is
    its numbers ("vanaf 2,5 jaar" and "van 2,5 jaar")."""
    if term.kind == "leeftijd":
        return "-".join(_AGE_NUMBER.findall(term.text)) + "jaar"
    if term.kind == "grens":  # "sinds 2022" and "vanaf 2022" are the same bound
        return _side(term.text) + term.text[-4:]
    key = normal_value_text(term.text).replace("procent", "%")
    return re.sub(r"[€\s]|euro", "", key)


# "eind 2020" is confirmed by "december 2020": the months a vague period covers
_PERIODS = {"begin": range(1, 5), "medio": range(5, 9), "half": range(5, 9),
            "eind": range(9, 13)}
_VAGUE = re.compile(r"^(begin|medio|half|eind) ((?:19|20)\d{2})$", re.I)
_MONTH_YEAR = re.compile(rf"\b({_MONTHS}) ((?:19|20)\d{{2}})\b", re.I)


def _in_period(term: Term, text: str) -> bool:
    vague = _VAGUE.match(normal_value_text(term.text))
    if not vague:
        return False
    months, year = _PERIODS[vague.group(1).lower()], vague.group(2)
    return any(y == year and MONTHS.index(m.lower()) + 1 in months
               for m, y in _MONTH_YEAR.findall(text))


@lru_cache(maxsize=1024)
def _value_pattern(term: Term) -> re.Pattern:
    """The value as a whole number: "20 uur" is not in "120 uur", "1 oktober" not in "31
    oktober"; "€ 118,11" is in "118,11 euro", "25%" in "25 procent". Built once per value:
    every candidate sentence of an answer is checked against the same stated values."""
    words = re.sub(r"€|\beuro\b", " ", normal_value_text(term.text)).replace("%", " %").split()
    body = r"\s*".join("(?:%|procent)" if w in ("%", "procent") else re.escape(w)
                       for w in words)
    return re.compile(rf"(?<![\d.,]){body}(?!,?\d)", re.I)


_SINGULAR = {"uren": "uur", "maanden": "maand", "weken": "week", "dagen": "dag",
             "leerlingen": "leerling", "kinderen": "kind", "peuters": "peuter",
             "gemeenten": "gemeente", "scholen": "school", "inwoners": "inwoner",
             "%": "procent"}


def _unit(term: Term) -> str:
    """"10 uur" and "20 uren", "1 maand" and "4 maanden" have the same unit."""
    unit = re.sub(r"[\d.,\s€+]", "", normal_value_text(term.text))
    return _SINGULAR.get(unit, unit)


def _side(preposition: str) -> str:
    """"vanaf 2020", "sinds 2022" start a period; "tot en met 2018", "uiterlijk" end it."""
    return "start" if re.match(rf"(?:{_START})\b", normal_value_text(preposition)) else "eind"


_DATED_BOUND = re.compile(rf"\b({_START}|{_END})\s+(?:(?:\d{{1,2}}\s+)?(?:{_MONTHS})\s+)?"
                          r"((?:19|20)\d{2})\b(?![-/]\d)", re.I)


def shown(term: Term) -> str:
    """How an answer names a value: a bound that opened the question ("Vanaf 2027 …") in
    lower case, as it reads inside a sentence."""
    return term.text[:1].lower() + term.text[1:] if term.kind == "grens" else term.text


def as_year(term: Term) -> Term:
    """The bare year a bound names ("vanaf 2029" → "2029"): what the sources must mention
    when they give no other bound."""
    return Term(term.text[-4:], "jaar") if term.kind == "grens" else term


def same_kind(value: Term, stated: Term) -> bool:
    """``value`` could answer ``stated``: the same kind of fact, and for a number the same
    unit ("10 uur" answers "20 uur", "2 maanden" does not); a bound only another bound of
    the same side ("vanaf 2020" answers "sinds 2022", "tot en met 2018" does not)."""
    if stated.kind == "grens":
        return value.kind == "grens" and _side(value.text) == _side(stated.text)
    return value.family == stated.family and (stated.kind not in COUNTED
                                              or _unit(value) == _unit(stated))


def stated_values(question: str) -> list[Term]:
    """Specific values a question states (dates, amounts, numbers with a unit, counts of
    things); a bare year or a vague period mostly sets a scope and is left out."""
    return [v for v in values_in(question)
            if v.kind in ("datum", "bedrag", "leeftijd", "grens", *COUNTED)]


_YEAR = re.compile(r"\b((?:19|20)\d{2})(?:[-/]((?:19|20)?\d{2}))?\b")


def years(text: str, scope_only: bool = False) -> set[int]:
    """The years a text names, a range ("2023-2026") with the years between. With
    ``scope_only`` only the bare years (the question's scope: "GOAB-budget 2026"), not those
    inside a stated date ("1 oktober 2024")."""
    out: set[int] = set()
    for term in values_in(text):
        if scope_only and term.kind not in (*SCOPE_KINDS, "grens"):
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
    """The text gives this value ("eind 2020" is in "december 2020"; an age "van 2 jaar"
    is in "bij 2 jaar" and in "2-jarigen")."""
    if term.kind == "grens":  # also a bound on a day of that year ("sinds 1 augustus 2020")
        return any(_side(m.group(1)) == _side(term.text) and m.group(2) == term.text[-4:]
                   for m in _DATED_BOUND.finditer(normal_value_text(text)))
    if term.kind == "leeftijd":
        numbers = _AGE_NUMBER.findall(term.text)
        if len(numbers) == 1 and re.search(
                rf"(?<![\d,]){re.escape(numbers[0])}(?:\s+jaar|-jarig)", text):
            return True
        return any(v.kind == "leeftijd" and not differs(v, term) for v in values_in(text))
    return _in_period(term, text) or bool(_value_pattern(term).search(normal_value_text(text)))


def _age_bounds(term: Term) -> tuple[str | None, str | None]:
    """"vanaf 2,5 jaar" is (2,5, -), "tot 18 jaar" (-, 18), "tussen 12 en 23 jaar" and "van
    2,5 tot 4 jaar" (12, 23) and (2,5, 4), "van 2 jaar" (2, 2)."""
    numbers = _AGE_NUMBER.findall(term.text)
    word = term.text.split()[0].lower()
    if len(numbers) == 2:
        return numbers[0], numbers[1]
    if word == "vanaf":
        return numbers[0], None
    if word == "tot":
        return None, numbers[0]
    return numbers[0], numbers[0]


def _years(age: str) -> float:
    """"2,5" → 2.5"""
    return float(age.replace(",", "."))


def differs(value: Term, stated: Term) -> bool:
    """``value`` gives another value than ``stated``. Ages differ only where both name a
    bound and the bounds differ: "tussen 5 en 16 jaar" agrees with "vanaf 5 jaar", "vanaf
    2,5 jaar" with "van 2,5 tot 4 jaar", "van 12 tot 23 jaar" not with "tussen 12 en 18";
    an age ("peuters van 2 jaar") agrees with a range holding it ("van 2 tot 2,5 jaar")."""
    if value.kind == stated.kind == "leeftijd":
        low, high = _age_bounds(stated)
        if low is not None and low == high:  # an age ("peuters van 2 jaar"), not a range:
            # a range holding it agrees ("van 2 tot 2,5 jaar")
            lo, hi = (None if b is None else _years(b) for b in _age_bounds(value))
            age = _years(low)
            return (lo is not None and age < lo) or (hi is not None and age > hi)
        return any(a is not None and b is not None and a != b
                   for a, b in zip(_age_bounds(value), _age_bounds(stated)))
    return value_key(value) != value_key(stated)
