"""The whole pipeline on real stores: grounded answers, dates, modes, refusals."""

from __future__ import annotations

import re

import pytest

from service.pipeline.pipeline import AnswerPipeline
from service.pipeline.types import Turn

MARK = re.compile(r"\[(\d+)\]")


@pytest.fixture
def pipeline(mini_kb):
    return AnswerPipeline.build(mini_kb, chat_model=None)


def assert_grounded(answer, sources_text):
    marks = [int(n) for n in MARK.findall(answer.answer)]
    assert marks and all(1 <= n <= len(answer.citations) for n in marks)
    for sentence in re.split(r"\s*\[\d+\]\s*", answer.answer):
        if sentence and not sentence.startswith("De bronnen noemen"):
            assert sentence in sources_text, sentence


def test_extractive_answer_quotes_sources_with_valid_markers(pipeline, mini_kb):
    answer = pipeline.run("Hoeveel uur voorschoolse educatie krijgen peuters?")
    assert not answer.refused
    assert "960 uur" in answer.answer
    assert answer.citations[0].url == "https://goab.eu/thema-s/voorschoolse-educatie/"
    assert answer.citations[0].published == "2020-08-01"
    assert_grounded(answer, " ".join(c.text for c in mini_kb.store.all_chunks()))


@pytest.fixture
def two_dates(tmp_path, make_settings, embeddings):
    """Only two sources, and they disagree on the date. The older one words the answer
    more like the question, so it is not retrieval rank that puts the newer one first."""
    from datetime import date

    from kb.documents import SourceDocument
    from kb.knowledge_base import KnowledgeBase

    (tmp_path / "no-cards").mkdir()
    kb = KnowledgeBase(make_settings(cards_dir=tmp_path / "no-cards"), embeddings=embeddings)
    kb.upsert_many([
        SourceDocument(key="page:oud", url="https://vng.nl/nieuws/looptijd-npo-gemeenten",
                       title="Looptijd NPO-middelen voor gemeenten", site="vng.nl",
                       doc_type="page", published=date(2021, 7, 22),
                       text="Gemeenten mogen de NPO-middelen besteden tot en met 31 juli 2023."),
        SourceDocument(key="page:nieuw", url="https://www.nponderwijs.nl/gemeenten/verlenging",
                       title="Verlenging NPO voor gemeenten", site="nponderwijs.nl",
                       doc_type="page", published=date(2022, 2, 25),
                       text="Sinds de verlenging van februari 2022 is 31 juli 2025 de einddatum "
                            "voor het besteden van de NPO-middelen door gemeenten."),
    ])
    return kb, AnswerPipeline.build(kb, chat_model=None)


def test_newest_source_wins_when_dates_disagree(two_dates):
    kb, pipeline = two_dates
    question = "Tot wanneer mogen gemeenten de NPO-middelen besteden?"
    hits = kb.retriever.search(question, k=5).hits
    assert [h.published for h in hits] == ["2021-07-22", "2022-02-25"]  # the older first
    answer = pipeline.run(question)
    assert not answer.refused
    assert answer.trace["conflicting_dates"] is True
    assert [c.published for c in answer.citations] == ["2022-02-25", "2021-07-22"]
    assert answer.answer.startswith("De bronnen noemen verschillende data; de meest recente "
                                    "bron (25 februari 2022) is leidend.")
    assert "31 juli 2023" in answer.answer  # both dates cited, the newest first
    assert answer.answer.index("31 juli 2025") < answer.answer.index("31 juli 2023")


def test_mini_set_question_about_the_deadline_leads_with_the_newest_date(pipeline):
    answer = pipeline.run("Tot wanneer mogen gemeenten de NPO-middelen besteden?")
    assert "31 juli 2025" in answer.answer
    assert answer.citations[0].published == "2022-02-25"


def test_out_of_scope_question_is_refused_honestly(pipeline):
    answer = pipeline.run("Hoe vraag ik een parkeervergunning aan voor mijn tweede auto?")
    assert answer.refused and answer.citations == []
    assert "geen betrouwbare bron" in answer.answer and "helpdesk" in answer.answer


def test_follow_up_uses_history(pipeline):
    answer = pipeline.run("en in welke termijnen wordt het betaald?", history=[
        Turn("user", "Hoe verantwoorden gemeenten de NPO-middelen?"),
        Turn("assistant", "Via SiSa [1]")])
    assert "NPO-middelen" in answer.search_query
    assert "maandelijkse termijnen" in answer.answer


def test_a_question_refused_alone_is_read_with_the_previous_question(starter_services,
                                                                      monkeypatch):
    # the follow-up classifier misses it (threshold out of reach): "Hoeveel zijn er?" alone
    # names nothing the sources could support, so before it is refused it is read with the
    # question before it; the trace keeps the classifier's own decision
    from service.pipeline.understand import FollowUpCondenser

    pipe = starter_services.pipeline
    monkeypatch.setattr(pipe.stage(FollowUpCondenser), "threshold", 0.999)
    history = [Turn("user", "Wat is een thuiszitter?"), Turn("assistant", "…")]
    answer = pipe.run("Hoeveel zijn er?", history=history)
    assert answer.trace["follow_up"] is False and answer.trace["read_with_previous"] is True
    assert not answer.refused and "4.215" in answer.answer


def test_an_unrelated_question_in_a_conversation_is_still_refused(starter_services):
    history = [Turn("user", "Wat zijn de bestedingsdoelen van de NPO-middelen?"),
               Turn("assistant", "…")]
    for question in ("Welke vaccinaties heb ik nodig voor een reis naar Thailand?",
                     "Hoeveel GOAB-geld krijgt de gemeente Zwolle in 2029?"):
        answer = starter_services.pipeline.run(question, history=history)
        assert answer.refused and "read_with_previous" not in answer.trace


def test_injected_instruction_is_never_quoted(pipeline):
    answer = pipeline.run("Wanneer melden scholen schoolverzuim bij DUO?")
    assert "16 uur" in answer.answer
    assert "negeer" not in answer.answer.lower() and "onbeperkt" not in answer.answer


def test_helpdesk_mode_is_a_formal_draft_with_sources(pipeline):
    answer = pipeline.run("Hoe verantwoorden gemeenten de specifieke uitkering voor het NPO?",
                          mode="helpdesk")
    text = answer.answer
    assert text.startswith("Geachte heer/mevrouw,")
    assert "SiSa" in text and "\nBronnen:\n[1] " in text
    assert "https://www.nponderwijs.nl/gemeenten/betaling-en-verantwoording" in text
    assert text.rstrip().endswith("Helpdesk NP Onderwijs")
    assert " je " not in text.lower()  # addressed with "u"


def test_facilitator_mode_is_a_markdown_briefing(pipeline):
    answer = pipeline.run("thuiszitters", mode="facilitator")
    text = answer.answer
    assert text.startswith("# Sessiebriefing: thuiszitters")
    for heading in ("## Kernfeiten", "## Passende interventies", "## Gespreksvragen",
                    "## Bronnen"):
        assert heading in text
    assert len(re.findall(r"^\d\. ", text.split("## Gespreksvragen")[1], re.M)) == 3
    assert "Thuiszitterspact" in text


def test_facilitator_briefing_on_a_whole_question_does_not_paste_it_into_sentences(pipeline):
    question = ("Ik bereid een sessie voor over thuiszitters en verzuim. Welke afspraken "
                "maakten Rijk en gemeenten daarover")
    text = pipeline.run(question, mode="facilitator").answer
    assert text.startswith("# Sessiebriefing\n")
    assert f"over de vraag: {question}. Alle feiten" in text
    discussion = text.split("## Gespreksvragen")[1].split("## Bronnen")[0]
    assert "dit thema" in discussion and "Ik bereid" not in discussion


def test_facilitator_refusal_is_not_listed_as_a_key_fact(pipeline):
    answer = pipeline.run("Wat kost een paspoort in Utrecht?", mode="facilitator")
    facts = answer.answer.split("## Kernfeiten")[1].split("## Passende interventies")[0]
    assert answer.refused and "Daar heb ik geen betrouwbare bron voor" in facts
    assert not [line for line in facts.splitlines()
                if line.startswith("- ") and "geen betrouwbare bron" in line]


def test_helpdesk_refusal_contains_no_claims(pipeline):
    answer = pipeline.run("Wat kost een paspoort in Utrecht?", mode="helpdesk")
    assert answer.refused and "Bronnen:" not in answer.answer
    assert not MARK.search(answer.answer)
