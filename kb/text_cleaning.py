"""One rule set for characters a reader cannot see, for documents and for user input alike.

Hidden instructions ride on characters that render as nothing: Unicode tag characters
(U+E0000–E007F, "ASCII smuggling"), zero-width and bidi controls, the soft hyphen and other
format characters (category Cf), and variation selectors ("emoji smuggling"). Documents drop
them before they reach the index (``strip_invisible``); every user input (question, chat
turn, search, intervention need, feedback) is cleaned by ``clean_input``, which applies the
same rule and also turns control characters into spaces, normalises to NFC and collapses
whitespace, so what is stored, logged or echoed is exactly what a reader sees.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Tag block (including its unassigned code points) and variation selectors; Cf covers the rest.
_HIDDEN = re.compile(r"[\U000E0000-\U000E007F\uFE00-\uFE0F\U000E0100-\U000E01EF]")
_SPACES = re.compile(r"[^\S\n]+")  # whitespace other than a newline
_BLANK_LINES = re.compile(r"\n{3,}")


@functools.cache
def _format_characters() -> re.Pattern[str]:
    """All format characters (category Cf) as one character class, so documents are
    cleaned at C speed instead of a category lookup per character. Cf occurs only in planes
    0, 1 and 14 (tests/kb/test_text_cleaning.py checks every code point); built once, ~30 ms."""
    found = [chr(c) for plane in (range(0x20000), range(0xE0000, 0xF0000))
             for c in plane if unicodedata.category(chr(c)) == "Cf"]
    return re.compile("[" + "".join(re.escape(ch) for ch in found) + "]")


def strip_invisible(text: str) -> str:
    """Drop every character a reader cannot see; all visible text stays as it is."""
    if text.isascii():  # no ASCII character is invisible in this sense
        return text
    return _format_characters().sub("", _HIDDEN.sub("", text))


def clean_input(text: str, keep_newlines: bool = False) -> str:
    """User input as a reader sees it: invisible characters dropped, control characters as
    spaces, NFC, whitespace collapsed. With ``keep_newlines`` (answers, comments) line
    breaks survive, at most one empty line in a row; otherwise the result is one line."""
    kept = []
    for ch in strip_invisible(text):
        if unicodedata.category(ch) == "Cc" and not (keep_newlines and ch == "\n"):
            kept.append(" ")  # tabs, carriage returns, other controls
        else:
            kept.append(ch)
    text = unicodedata.normalize("NFC", "".join(kept))
    if not keep_newlines:
        return " ".join(text.split())
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
