"""False premises: the values a question states that the retrieved sentences do not confirm,
and the sentence that corrects one (the extractive composer puts it first; the grounding
check says the value is not confirmed)."""

from __future__ import annotations

import re
from collections.abc import Callable
from math import fsum  # exact: a sum over a set does not depend on its (hash) order

from service.pipeline.candidates import Candidate
from service.pipeline.types import AnswerState
from service.pipeline.values import (
    Term,
    differs,
    mentions_value,
    only_contradicted,
    same_kind,
    stated_values,
    value_key,
    values_in,
    year_agreement,
    years,
)


def _kind_values(text: str, stated: Term) -> set[str]:
    """The distinct values of the stated value's kind (and unit) a text gives."""
    return {value_key(v) for v in values_in(text) if same_kind(v, stated)}


_CLAUSE = re.compile(r";|,(?!\d)|[()]")  # not the decimal comma of "€ 701,16"


def _paired_elsewhere(text: str, stated: Term, scope: set[int]) -> bool | None:
    """In a breakdown over years ("€ 700 of meer in 2021/2022, € 500 of meer in
    2022/2023"), each clause giving one value of the stated kind pairs it with the years
    that clause names. True: the stated value goes with other years and another value
    with exactly the question's; False: the stated value goes with the question's years;
    None: the sentence does not pair them."""
    stated_years: list[set[int]] = []
    other_years: list[set[int]] = []
    for clause in _CLAUSE.split(text):
        kind = [v for v in values_in(clause) if same_kind(v, stated)]
        named = years(clause)
        if len(kind) != 1 or not named:
            continue
        (other_years if differs(kind[0], stated) else stated_years).append(named)
    if any(named == scope for named in stated_years):
        return False
    if stated_years and any(named == scope for named in other_years):
        return True
    return None


def _paired_with_other_subject(text: str, stated: Term, subject: Callable[[str], float],
                               margin: float) -> bool:
    """In a sentence that gives values side by side ("$ 1.333,84 per leerling op Bonaire;
    op Sint Eustatius en Saba was het $ 1.547,26"), the stated value goes with another
    subject than the question's: a clause giving one other value of its kind holds clearly
    more of the question's subject than every clause giving the stated value ("Saba en Sint
    Eustatius krijgen hetzelfde als Bonaire, $ 1.333,84")."""
    stated_subject: list[float] = []
    other_subject: list[float] = []
    for clause in _CLAUSE.split(text):
        kind = [v for v in values_in(clause) if same_kind(v, stated)]
        if len(kind) == 1:
            (other_subject if differs(kind[0], stated) else stated_subject).append(
                subject(clause))
    return bool(stated_subject and other_subject
                and max(other_subject) >= max(stated_subject) + margin)


def _scope_like(value: Term) -> bool:
    """A month without a day ("in maart 2020") mostly sets when the question is about, as
    a bare year does; a source repeating it confirms it whatever else the sentence says."""
    return value.kind == "datum" and not value.text[:1].isdigit()


def stated_premises(question: str, cands: list[Candidate],
                    analyze: Callable[[str], list[str]], margin: float,
                    share: dict[str, float] | None = None, bound_subject: float = 0.0,
                    further: list[Candidate] = ()) -> list[tuple[Term, list[Candidate]]]:
    """Specific values the question states (a date, an amount, a number with a unit)
    that no retrieved sentence confirms, each with the sentences that give a value of
    the same kind about the same thing (sharing a question word besides the unit). A
    count of things ("acht thema's") only when some sentence counts that thing.

    A sentence repeating the value confirms it unless it is about another subject: a
    sentence giving one other value of that kind holds clearly more of the question's
    subject (its words other than values, idf-weighted by ``share``;
    ``premise_subject_margin``) and is at least as similar to the question ("+2
    maanden" for metacognitie is not confirmed by the 2 maanden of klassenverkleining
    when another sentence gives metacognitie +7 maanden). A sentence giving several
    values of the kind is a breakdown or a comparison (the € 346 miljoen for gemeenten
    split over three years), not another claim; a month without a day sets a scope and
    is confirmed by any repetition, and so is a value a sentence repeats for the year the
    question is about ("voor 2021 € 80 miljoen" in the VNG's split over three years, while
    the € 300 miljoen total is more about "gemeenten" and "NPO-geld").

    Values stated together hold together: when the question states a value of another
    kind too ("960 uur" next to "1 januari 2022"), no sentence repeating this value
    repeats that one, and a sentence at least as similar to the question gives that one
    with a single other value of this kind ("960 uur … met ingang van 1 augustus 2020"),
    this value is the premise (the 1 januari 2022 of the pbm norm is another rule's
    date). Without ``share`` (the chat-model composer's check)
    any repetition confirms. Comparing the sentences' overall relevance alone was
    tried: it flagged a true amount the answer itself stated (dev-084); without the
    similarity condition a true date was flagged ("het Kamerdebat van 29 april"), and
    a wrong "not confirmed" costs more trust than a missed correction. A sentence giving
    values side by side confirms nothing when in each such sentence the stated value goes
    with another subject than the question's (``_paired_with_other_subject``: "hetzelfde
    bedrag als Bonaire, $ 1.333,84" asked for Saba, which gets $ 1.547,26).

    ``further``: sentences of the hits below the k, read only for a value that is a
    premise only where the sources give the same thing otherwise (a count of things, an
    age, a bound year): when no sentence of the k counts the doelgebieden, "negen
    doelgebieden" would pass unremarked. An amount, a date or a percentage the k do not
    repeat is unconfirmed anyway, and a lower-ranked sentence giving another percentage
    is mostly about something else (15% for coördinatiekosten against 20% for
    ambtelijke uren).
    """
    values_words = set(analyze(" ".join(v.text for v in values_in(question))))

    def subject(cand: Candidate) -> float:
        return fsum(share.get(t, 0.0) for t in cand.asked - values_words)

    def clause_subject(clause: str) -> float:
        return fsum(share.get(t, 0.0) for t in set(analyze(clause)) - values_words)

    out: list[tuple[Term, list[Candidate]]] = []
    every = stated_values(question)
    scope = years(question, scope_only=True)
    read = cands
    for stated in every:
        cands = [*read, *further] if only_contradicted(stated) else read
        partners = [v for v in every if not same_kind(v, stated)]
        paired = {id(c) for c in cands if any(mentions_value(v, c.text) for v in partners)}
        unit = set(analyze(stated.text))
        confirming = [c for c in cands if mentions_value(stated, c.text)]
        said = {id(c) for c in confirming}
        others = [c for c in cands if c.asked - unit and id(c) not in said
                  and any(same_kind(v, stated) and differs(v, stated)
                          for v in values_in(c.text))]
        if stated.kind == "grens":
            # a year bounding a period ("vanaf 2027") is contradicted only by a bound
            # about the same thing: "vanaf 2022" for the pbm'er does not answer an
            # hourly rate "vanaf 2026" (tuning sets and own probes: such sentences hold
            # 0.09-0.19 of the question's subject, the corrections 0.23-0.51)
            if share is None:
                continue
            others = [c for c in others if subject(c) >= bound_subject]
            # and confirmed only by one about it too: the pbm'er "sinds 1 januari 2022"
            # does not confirm an extra vve budget "sinds 2022"
            confirming = [c for c in confirming if subject(c) >= bound_subject]
        if confirming and share is not None and scope and stated.family != "datum":
            paired = [(c, _paired_elsewhere(c.text, stated, scope)) for c in confirming]
            if any(v for _, v in paired) and not any(v is False for _, v in paired):
                out.append((stated, [c for c, v in paired if v]))
                continue  # said of another year ("€ 700 in 2021/2022", 2022-2023 asked)
        if confirming and share is not None and stated.family != "datum" and all(
                _paired_with_other_subject(c.text, stated, clause_subject, margin)
                for c in confirming):
            out.append((stated, confirming))  # each says it of another subject, and what
            continue  # the question's subject gets instead
        if confirming:
            if share is None or margin > 1.0 or not others or _scope_like(stated):
                continue
            if scope and any(year_agreement(scope, c.text) > 0 for c in confirming):
                continue  # repeated for the year the question is about
            bar = max(subject(c) for c in confirming) + margin
            sem = max(c.features["sem"] for c in confirming)
            pairing = [c for c in others if id(c) in paired and c.features["sem"] >= sem
                       and len(_kind_values(c.text, stated)) == 1]
            if pairing and not paired & said:
                out.append((stated, pairing))
                continue
            if not any(subject(c) >= bar and c.features["sem"] >= sem
                       and len(_kind_values(c.text, stated)) == 1 for c in others):
                continue
        if others or not only_contradicted(stated):
            out.append((stated, others))
    return out


def premise_correction(state: AnswerState, premises: list[tuple[Term, list[Candidate]]]
                       ) -> Candidate | None:
    """The sentence that answers a false premise: it leads the answer, and the grounding
    check says the stated value is not confirmed. It is about the year the question is
    about (the 2026 budget, not that of 2024), reads alone, then scores best."""
    scope = years(state.search_query or state.question, scope_only=True)
    for stated, fitting in premises:
        if fitting:
            state.trace["premise_sentence"] = stated.text
            return max(fitting, key=lambda c: (year_agreement(scope, c.text) >= 0,
                                               not c.features["anaphora"], c.score))
    return None
