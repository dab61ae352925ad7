"""evals/fact_losses.py on the mini knowledge base: each key fact lands in one bucket."""

from __future__ import annotations

from evals.fact_losses import losses
from evals.gold import Fact, GoldQuestion
from kb.cards import load_cards
from service.pipeline.pipeline import AnswerPipeline

URL = "https://www.nponderwijs.nl/gemeenten/betaling-en-verantwoording"


def test_key_facts_are_counted_where_they_are_lost(mini_kb):
    from evals.answer_metrics import normal_url

    cards = {normal_url(str(c.url)): c.body for c in load_cards(mini_kb.settings.cards_dir)}
    item = GoldQuestion(
        id="t1", question="Tot wanneer mogen gemeenten de NPO-middelen besteden?",
        urls=(URL,), facts=(Fact("einddatum", ("31 juli 2025",)),
                            Fact("niet in het pakket", ("zeventien olifanten",))))
    refused = GoldQuestion(id="t2", question="Hoeveel krijgt Zwolle in 2029?", urls=(),
                           category="unanswerable")
    tally = losses(AnswerPipeline.build(mini_kb), [item, refused], cards)
    assert tally == {"in het antwoord": 1, "in geen kaart": 1}
