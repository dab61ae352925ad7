"""The curated cards: the shipped pack is valid and broad; broken cards are rejected."""

from __future__ import annotations

from collections import Counter

import pytest

from kb.cards import CardError, load_cards, parse_card
from kb.settings import DEFAULT_CARDS_DIR

GOOD = """---
id: vng-test-goed
title: Een geldige testkaart
url: https://vng.nl/test
site: vng.nl
published: 2021-01-01
checked: 2026-11-28
topics: [leerplicht]
audience: [gemeente]
---
""" + "Gemeenten voeren de Leerplichtwet uit en hebben daarvoor leerplichtambtenaren. " * 4


def test_starter_pack_is_valid_and_large_enough():
    cards = load_cards(DEFAULT_CARDS_DIR)
    assert len(cards) >= 150
    assert len({c.id for c in cards}) == len(cards)
    sites = Counter(c.site for c in cards)
    for site in ("nponderwijs.nl", "vng.nl", "nji.nl", "goab.eu", "onderwijskennis.nl"):
        assert sites[site] >= 5, site
    assert all(str(c.url).startswith("https://") for c in cards)


@pytest.mark.parametrize("topic", ["financien", "spuk", "verantwoording", "rol-gemeente",
                                   "thuiszitters", "leerplicht", "voorschoolse-educatie",
                                   "goab", "menukaart", "ondersteuning", "jeugd"])
def test_starter_pack_covers_design_topics(topic):
    assert any(topic in c.topics for c in load_cards(DEFAULT_CARDS_DIR)), topic


def write(tmp_path, name, text):
    folder = tmp_path / "cards"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_valid_card_parses(tmp_path):
    folder = write(tmp_path, "vng-test-goed.md", GOOD)
    (card,) = load_cards(folder)
    assert card.to_document().key == "card:vng-test-goed"


@pytest.mark.parametrize("mutate, message", [
    (lambda t: t.replace("title: Een geldige testkaart\n", ""), "title"),
    (lambda t: t.replace("https://vng.nl/test", "vng punt nl"), "url"),
    (lambda t: t.replace("site: vng.nl", "site: example.org"), "onbekende site"),
    (lambda t: t.replace("published: 2021-01-01", "published: gisteren"), "published"),
    (lambda t: t.replace("---\n", "", 1), "front matter"),
    (lambda t: t.replace("topics: [leerplicht]", "topics: [leerplicht"), "YAML"),
])
def test_broken_card_is_rejected_with_file_and_reason(tmp_path, mutate, message):
    folder = write(tmp_path, "vng-test-goed.md", mutate(GOOD))
    with pytest.raises(CardError) as info:
        load_cards(folder)
    assert "vng-test-goed.md" in str(info.value)
    assert message in str(info.value)


def test_duplicate_ids_are_rejected(tmp_path):
    folder = write(tmp_path, "vng-test-goed.md", GOOD)
    sub = folder / "sub"
    sub.mkdir()
    (sub / "vng-test-goed.md").write_text(GOOD, encoding="utf-8")
    with pytest.raises(CardError, match="dubbel id"):
        load_cards(folder)


def test_id_must_match_file_name(tmp_path):
    folder = write(tmp_path, "iets-anders.md", GOOD)
    with pytest.raises(CardError, match="bestandsnaam"):
        parse_card(folder / "iets-anders.md")


def test_no_card_has_a_guessed_first_of_month_date():
    """`published` is read from the page: a first-of-month date needs the marker."""
    guessed = [c.id for c in load_cards(DEFAULT_CARDS_DIR) if c.published_looks_estimated]
    assert not guessed, f"published lijkt geschat (1e van de maand zonder marker): {guessed}"


def test_first_of_month_date_needs_the_marker(tmp_path):
    folder = write(tmp_path, "vng-test-goed.md", GOOD)  # published: 2021-01-01, no marker
    (card,) = load_cards(folder)
    assert card.published_looks_estimated
    marked = GOOD.replace("checked:", "published_verified: true\nchecked:")
    folder = write(tmp_path, "vng-test-goed.md", marked)
    (card,) = load_cards(folder)
    assert not card.published_looks_estimated


def test_unknown_published_date_stays_empty(tmp_path):
    folder = write(tmp_path, "vng-test-goed.md",
                   GOOD.replace("published: 2021-01-01", "published:"))
    (card,) = load_cards(folder)
    assert card.published is None and card.to_document().published is None


def test_no_card_sentence_opens_with_a_bare_yes_or_no():
    """Sentences are quoted alone: "Nee, de menukaart en de toolkit zijn niet gelijk." read as
    the answer to "Wat is de NPO-menukaart?". A card states the rule itself instead."""
    from kb.sentences import split_sentences

    bare = [(c.id, s[:60]) for c in load_cards(DEFAULT_CARDS_DIR)
            for s in split_sentences(c.body) if s.startswith(("Ja,", "Nee,", "Ja:", "Nee:"))]
    assert not bare, bare


def test_every_card_keeps_to_the_length_and_section_rules():
    """docs/cards.md: at most 350 words and 1–4 `##` sections. A longer card is cut into
    fragments that no longer read as one topic, and answers quote it less precisely."""
    import re

    def words(body: str) -> int:
        return len(re.findall(r"\S+", "\n".join(
            line for line in body.splitlines() if not line.startswith("#"))))

    cards = load_cards(DEFAULT_CARDS_DIR)
    too_long = [(c.id, words(c.body)) for c in cards if words(c.body) > 350]
    sections = [(c.id, n) for c in cards
                if not 1 <= (n := sum(line.startswith("## ") for line in c.body.splitlines()))
                <= 4]
    assert not too_long, f"meer dan 350 woorden: {too_long}"
    assert not sections, f"niet 1-4 secties: {sections}"
