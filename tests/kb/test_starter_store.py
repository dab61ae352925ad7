"""The shipped starter store (kb/starter_store.py): a first start on an empty data directory
unpacks it and then answers exactly like a store filled the ordinary way; anything that does
not match (another card set, a Chroma server, a used data directory, a damaged archive)
takes the ordinary insert and leaves nothing behind."""

from __future__ import annotations

import shutil

import pytest
from rich.console import Console

from kb import starter_store
from kb.cards import load_cards
from kb.embeddings import model_id_for
from kb.settings import DEFAULT_CARDS_DIR
from kennisloket.runtime import StarterCards, open_kb

QUESTIONS = ["Tot wanneer mogen gemeenten de NPO-middelen besteden?",
             "Hoe verantwoorden gemeenten de SPUK via SiSa?",
             "Hoeveel uur voorschoolse educatie krijgen peuters?",
             "Welke interventies helpen bij begrijpend lezen?",
             "Wat doet de pedagogisch beleidsmedewerker in de kinderopvang?"]


def _console() -> Console:
    return Console(record=True, width=200, force_terminal=False)


def test_first_start_unpacks_the_store_and_retrieves_like_an_ordinary_insert(
        make_settings, starter_kb):
    settings = make_settings(cards_dir=DEFAULT_CARDS_DIR)
    console = _console()
    kb = open_kb(settings, console)
    text = " ".join(console.export_text().split())
    count = len(load_cards(DEFAULT_CARDS_DIR))
    assert f"de meegeleverde kennisbank met {count} kenniskaarten is uitgepakt" in text
    assert kb.sentence_vectors_complete()
    rows = kb.registry.all()
    assert len(rows) == len(starter_kb.registry.all())
    assert kb.store.count() == sum(r.chunk_count for r in rows) == starter_kb.store.count()
    for question in QUESTIONS:  # the same chunks, in the same order, with the same scores
        ours = kb.retriever.search(question, k=8).hits
        theirs = starter_kb.retriever.search(question, k=8).hits
        assert [h.chunk.id for h in ours] == [h.chunk.id for h in theirs], question
        assert [h.chunk.text for h in ours] == [h.chunk.text for h in theirs]
        assert [h.dense_score for h in ours] == pytest.approx([h.dense_score for h in theirs],
                                                          abs=1e-4)


def test_the_store_is_only_used_when_it_holds_exactly_these_chunks(make_settings, tmp_path):
    model_id = model_id_for(make_settings())
    starter = make_settings(cards_dir=DEFAULT_CARDS_DIR)
    records = StarterCards.load(starter).flat()
    mini = make_settings()  # five test cards: another signature
    assert not starter_store.restore(mini, model_id, StarterCards.load(mini).flat())
    assert not mini.chroma_dir.exists()
    server = make_settings(cards_dir=DEFAULT_CARDS_DIR, chroma_host="localhost")
    assert not starter_store.restore(server, model_id, records)
    used = make_settings(cards_dir=DEFAULT_CARDS_DIR, data_dir=tmp_path / "used")
    used.data_dir.mkdir()
    used.catalog_path.write_bytes(b"")  # a data directory that is already in use
    assert not starter_store.restore(used, model_id, records)
    assert not used.chroma_dir.exists()
    assert not starter_store.restore(starter, "another-model", records)


def test_an_edited_card_takes_the_ordinary_insert(make_settings, tmp_path):
    cards = tmp_path / "cards"
    shutil.copytree(DEFAULT_CARDS_DIR, cards)
    first = sorted(cards.rglob("*.md"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n\nEen extra alinea.\n",
                     encoding="utf-8")
    settings = make_settings(cards_dir=cards)
    console = _console()
    kb = open_kb(settings, console)
    text = " ".join(console.export_text().split())
    count = len(load_cards(DEFAULT_CARDS_DIR))
    assert "uitgepakt" not in text and f"Kennisbank klaar: {count} kaarten" in text
    assert kb.store.count() == sum(r.chunk_count for r in kb.registry.all())


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_a_damaged_archive_loses_nothing(make_settings, tmp_path, damage):
    shipped = starter_store.archive_path(model_id_for(make_settings()))
    archive = tmp_path / "store.tar.xz"
    data = shipped.read_bytes()
    archive.write_bytes(data[: len(data) // 2] if damage == "truncated" else b"x" * 4096)
    settings = make_settings(cards_dir=DEFAULT_CARDS_DIR)
    leftover = settings.data_dir / f"{starter_store.RESTORE_PREFIX}old"
    leftover.mkdir(parents=True)  # from a restore that was killed halfway
    assert not starter_store.restore(settings, model_id_for(settings),
                                     StarterCards.load(settings).flat(), archive=archive)
    assert not settings.chroma_dir.exists()
    assert not list(settings.data_dir.glob(f"{starter_store.RESTORE_PREFIX}*"))


def test_sentence_vectors_of_an_older_splitter_are_made_again(mini_kb):
    import sqlite3

    assert mini_kb.sentence_vectors_complete()
    with sqlite3.connect(mini_kb.settings.catalog_path) as conn:  # as an older version left them
        conn.execute("UPDATE sentence_vectors SET model = model || '-ouder'")
    assert not mini_kb.sentence_vectors_complete()
    console = _console()
    kb = open_kb(mini_kb.settings, console)
    assert "Zinnen van de kennisbank inbedden" in console.export_text()
    assert kb.sentence_vectors_complete()
    hit = kb.retriever.search("voorschoolse educatie", k=1).hits[0]
    assert len(kb.retriever.sentence_vectors([hit])[hit.chunk.id]) > 0
