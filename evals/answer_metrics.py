"""Answer quality over a question set, split by category and by "page in the pack".

Works on anything with ``run(question, mode=…, history=…)`` returning a
``service.models.Answer``.

* in scope (fact, advice, followup): answered, expected source cited (a citation or an
  intervention link), key facts present (any ``match`` form, accent- and case-folded).
* unanswerable: handled when refused, or when the answer names a term no source supports
  (``trace["unsupported_terms"]``) that is one of the item's ``missing`` terms.
* false premise: handled when refused, or when the answer flags the premise
  (``trace["premise"]``) and states a correct value.
* out of scope (first gold sets): refused.
* follow-up decisions on items with history: precision, recall, F1.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from evals.gold import NOT_ANSWERABLE, GoldQuestion
from kb.analysis import fold

_MARK = re.compile(r"\[(\d+)\]")


def normal_text(text: str) -> str:
    text = fold(text.replace("\u00a0", " ").replace("€", " "))
    return " ".join(text.split())


def normal_url(url: str) -> str:
    url = re.sub(r"^https?://(www\.)?", "", url.strip().lower())
    return url.split("#")[0].rstrip("/")


def fact_found(match: Iterable[str], text: str) -> bool:
    return any(normal_text(m) in text for m in match if m.strip())


def conversation(pipeline, item: GoldQuestion) -> list:
    """The turns before the item's question as the chat has them: every earlier question
    with the answer the pipeline gave it (the UI and API clients send both), so a
    follow-up is measured the way a user meets it."""
    from service.pipeline.types import Turn

    turns: list[Turn] = []
    for question in item.history:
        earlier = pipeline.run(question, mode=item.mode, history=list(turns))
        turns += [Turn("user", question), Turn("assistant", earlier.answer)]
    return turns


def run_item(pipeline, item: GoldQuestion):
    return pipeline.run(item.question, mode=item.mode, history=conversation(pipeline, item))


def _follow_up_predicted(answer, item: GoldQuestion) -> bool:
    trace = getattr(answer, "trace", None) or {}
    if "follow_up" in trace:
        return bool(trace["follow_up"])
    return answer.search_query.strip() != item.question.strip()  # first build: merged query


class _Tally:
    def __init__(self) -> None:
        self.n = self.answered = self.cited = self.facts = self.facts_total = 0
        self.handled = self.handled_total = 0

    def as_dict(self) -> dict:
        return {"n": self.n,
                "answered": _share(self.answered, self.n - self.handled_total),
                "cited": _share(self.cited, self.answered),
                "key_facts": _share(self.facts, self.facts_total),
                "handled": _share(self.handled, self.handled_total),
                "n_handled": self.handled_total}


def _share(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def key_facts_interval(per_question: list[tuple[int, int]], level: float = 0.95,
                       rounds: int = 2000) -> tuple[float, float] | None:
    """Bootstrap interval of the key-fact share (facts found / facts asked, over questions
    resampled with replacement): with 150 questions a change of 0.01 is well inside it."""
    import numpy as np

    if not per_question:
        return None
    found, total = (np.asarray(v, dtype=float) for v in zip(*per_question))
    picks = np.random.default_rng(0).integers(0, len(found), (rounds, len(found)))
    shares = found[picks].sum(axis=1) / np.maximum(total[picks].sum(axis=1), 1)
    low, high = np.quantile(shares, [(1 - level) / 2, (1 + level) / 2])
    return round(float(low), 3), round(float(high), 3)


def answer_set_metrics(pipeline, items: list[GoldQuestion], pack_urls: set[str],
                       keep_answers: bool = False) -> dict:
    """Figures overall, per category and per "page in the pack" / "not in the pack"."""
    pack = {normal_url(u) for u in pack_urls}
    groups: dict[str, _Tally] = defaultdict(_Tally)
    valid = 0
    follow = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    failures: list[str] = []
    answers: list[dict] = []
    per_question: list[tuple[int, int]] = []  # (key facts found, asked) per question
    for item in items:
        answer = run_item(pipeline, item)
        trace = getattr(answer, "trace", None) or {}
        marks = [int(n) for n in _MARK.findall(answer.answer)]
        ok_marks = all(1 <= n <= len(answer.citations) for n in marks)
        valid += ok_marks
        if not ok_marks:
            failures.append(f"{item.id}: ongeldige verwijzing")
        in_pack = any(normal_url(u) in pack for u in item.urls)
        keys = ["all", item.category]
        if item.in_scope:
            keys.append("in_pack" if in_pack else "not_in_pack")
        text = normal_text(answer.answer)
        record = {"id": item.id, "category": item.category, "refused": answer.refused}
        for key in keys:
            groups[key].n += 1
        if item.history and item.is_follow_up is not None:
            predicted = _follow_up_predicted(answer, item)
            follow[("t" if predicted == item.is_follow_up else "f")
                   + ("p" if predicted else "n")] += 1
        if item.category in NOT_ANSWERABLE:
            handled = answer.refused
            if item.category == "unanswerable" and not handled:
                named = {normal_text(t) for t in trace.get("unsupported_terms", [])}
                handled = any(normal_text(m) in named for m in item.missing)
            elif item.category == "false_premise" and not handled:
                handled = bool(trace.get("premise")) and fact_found(item.premise_correct, text)
            for key in keys:
                groups[key].handled_total += 1
                groups[key].handled += handled
            if not handled:
                failures.append(f"{item.id}: {item.category} niet afgehandeld")
            record["handled"] = handled
        else:
            cited = {normal_url(c.url) for c in answer.citations}
            cited |= {normal_url(link.url) for i in answer.interventions for link in i.links}
            hit = bool(cited & {normal_url(u) for u in item.urls})
            found = sum(fact_found(f.match, text) for f in item.facts)
            for key in keys:
                g = groups[key]
                g.facts_total += len(item.facts)
                if not answer.refused:
                    g.answered += 1
                    g.cited += hit
                    g.facts += found
            if item.facts:
                per_question.append((0 if answer.refused else found, len(item.facts)))
            if answer.refused:
                failures.append(f"{item.id}: geweigerd")
            record.update(cited=hit, facts=f"{found}/{len(item.facts)}", in_pack=in_pack)
        if keep_answers:
            record.update(question=item.question, answer=answer.answer, trace=trace)
        answers.append(record)
    tp, fp, fn = follow["tp"], follow["fp"], follow["fn"]
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = (2 * precision * recall / (precision + recall)
          if precision and recall else None)
    return {
        "groups": {k: g.as_dict() for k, g in sorted(groups.items())},
        "key_facts_interval": key_facts_interval(per_question),
        "citation_validity": _share(valid, len(items)),
        "follow_up": {**follow, "precision": precision, "recall": recall, "f1": f1},
        "failures": failures,
        "answers": answers if keep_answers else [],
    }
