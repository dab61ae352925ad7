"""The two questions the product is built around, in the wordings officials use, answered
from the starter pack: the answer must carry the fact, not just a related source."""

from __future__ import annotations

import pytest

ACCOUNTING = ["Hoe verantwoorden we de SPUK?",
              "Hoe verantwoorden we de NPO-middelen?",
              "Hoe verantwoorden gemeenten het NPO-geld?",
              "Hoe leggen we verantwoording af over de NPO-uitkering?",
              "Moeten we de NPO-middelen verantwoorden in de jaarrekening?"]
DEADLINE = ["Tot wanneer mogen we de NPO-middelen besteden?",
            "Tot wanneer mogen we het NPO-geld uitgeven?",
            "Wat is de einddatum voor het besteden van NPO-geld door gemeenten?",
            "Hoe lang mogen gemeenten NPO-middelen nog inzetten?"]


@pytest.mark.parametrize("question", ACCOUNTING)
def test_accounting_answer_names_sisa_or_the_annual_accounts(starter_services, question):
    answer = starter_services.pipeline.run(question)
    assert not answer.refused
    assert "sisa" in answer.answer.lower() or "jaarrekening" in answer.answer.lower()


@pytest.mark.parametrize("question", DEADLINE)
def test_deadline_answer_gives_the_end_date(starter_services, question):
    answer = starter_services.pipeline.run(question)
    # the end of the spending period: the date, or the last school year it closes
    assert not answer.refused
    assert "31 juli 2025" in answer.answer or "tot en met 2024-2025" in answer.answer \
        or "tot en met schooljaar 2024-2025" in answer.answer
    assert answer.trace["answer_type"] == "einddatum"
