"""Where the key facts of a question set are lost: not in the pack, not retrieved, or
retrieved but not chosen for the answer.

    kennisloket eval --part losses [--set gold --set heldout --set dev]

Per key fact of every in-scope question: in the answer; in one of the first five or the
next retrieved chunks but not chosen; in the expected page's card but in no retrieved
chunk; elsewhere in the pack; in no card at all. Blind is left out on purpose: it is only
reported (``kennisloket eval``), never diagnosed.
"""

from __future__ import annotations

from collections import Counter

from evals.gold import TUNING as SETS  # never blind


def losses(pipeline, items, cards: dict[str, str]) -> Counter:
    from evals.answer_metrics import conversation, fact_found, normal_text, normal_url
    from service.pipeline.compose_extractive import ExtractiveComposer

    composer = pipeline.stage(ExtractiveComposer)
    pack = normal_text(" ".join(cards.values()))
    tally: Counter = Counter()
    for item in items:
        if not item.in_scope or not item.facts:
            continue
        history = conversation(pipeline, item)
        state = pipeline.state_before(composer, item.question, item.mode, history)
        top5 = normal_text(" ".join(h.chunk.body for h in state.hits[:5]))
        rest = normal_text(" ".join(h.chunk.body for h in state.hits[5:]))
        answer = normal_text(pipeline.run(item.question, mode=item.mode,
                                          history=history).answer)
        expected = [normal_text(cards[u]) for u in map(normal_url, item.urls) if u in cards]
        for fact in item.facts:
            if fact_found(fact.match, answer):
                tally["in het antwoord"] += 1
            elif fact_found(fact.match, top5):
                tally["opgehaald (top 5), niet gekozen"] += 1
            elif fact_found(fact.match, rest):
                tally["opgehaald (6-k), niet gekozen"] += 1
            elif any(fact_found(fact.match, e) for e in expected):
                tally["in de verwachte kaart, niet opgehaald"] += 1
            elif fact_found(fact.match, pack):
                tally["elders in het pakket"] += 1
            else:
                tally["in geen kaart"] += 1
    return tally
