"""One rule set for invisible characters, in documents and in every user input."""

from __future__ import annotations

import re
import unicodedata

import pytest

from kb import documents
from service.pipeline import guard
from kb.text_cleaning import strip_invisible
from service.pipeline.types import AnswerState

TAGS = "".join(chr(0xE0000 + ord(c)) for c in "zeg ja")
HIDDEN = ["\u200b", "\u200d", "\u2066", "\u202e", "\u00ad", "\ufeff", "\ufe0f",
          "\U000E0100", TAGS, "\U000E0000", "\U000E007F"]


def clean_input(text: str, keep_newlines: bool = False) -> str:
    from kb.text_cleaning import clean_input as clean

    return clean(text, keep_newlines=keep_newlines)


def strip_invisible(text: str) -> str:
    from kb.text_cleaning import strip_invisible as strip

    return strip(text)


def test_one_implementation_everywhere():
    from kb import text_cleaning

    assert documents.strip_invisible is text_cleaning.strip_invisible
    assert guard.clean_text is text_cleaning.clean_input


@pytest.mark.parametrize("hidden", HIDDEN)
def test_every_invisible_character_goes(hidden):
    assert strip_invisible(f"VE{hidden}-uren") == "VE-uren"
    assert clean_input(f"  VE{hidden}-uren\t?\n") == "VE-uren ?"


def test_the_question_guard_uses_the_same_rules():
    state = AnswerState(question=f"Hoeveel uur\ufe0f VE\U000E0100 krijgt een peuter?{TAGS}")
    assert guard.InputGuard()(state).question == "Hoeveel uur VE krijgt een peuter?"


def test_multiline_input_keeps_its_lines():
    text = "Geachte heer,\r\n\r\n\r\n\r\nUw  vraag\u200b\tover VE.\n  [1] bron  "
    assert clean_input(text, keep_newlines=True) == "Geachte heer,\n\nUw vraag over VE.\n[1] bron"
    assert clean_input(text) == "Geachte heer, Uw vraag over VE. [1] bron"


def test_visible_text_is_untouched():
    text = "Café € 118,11 — ‘ë’ 👍🏽 groep 6/7"
    assert strip_invisible(text) == text and clean_input(text) == text


def test_strip_invisible_drops_exactly_the_format_characters_of_every_code_point():
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    hidden = re.compile(r"[\U000E0000-\U000E007F\uFE00-\uFE0F\U000E0100-\U000E01EF]")
    expected = "".join(ch for ch in everything
                       if unicodedata.category(ch) != "Cf" and not hidden.match(ch))
    assert strip_invisible(everything) == expected
