"""Stage 1: clean the question; refuse what cannot be processed, with a Dutch message."""

from __future__ import annotations

import re
import unicodedata

from service.pipeline.types import MODES, AnswerState, InputRejected

# Unicode tag characters (U+E0000–U+E007F) hide instructions from readers; zero-width and
# bidi controls do the same. Format characters (Cf) cover all of these.
_INVISIBLE = re.compile(r"[\U000E0000-\U000E007F]")


def clean_text(text: str) -> str:
    text = _INVISIBLE.sub("", text)
    kept = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Cf":
            continue
        if cat == "Cc":
            kept.append(" ")  # tabs/newlines/controls become plain spaces
            continue
        kept.append(ch)
    return " ".join(unicodedata.normalize("NFC", "".join(kept)).split())


class InputGuard:
    def __init__(self, max_chars: int = 500) -> None:
        self.max_chars = max_chars

    def __call__(self, state: AnswerState) -> AnswerState:
        if state.mode not in MODES:
            raise InputRejected(
                f"Onbekende modus '{state.mode}'. Kies uit: {', '.join(MODES)}.")
        raw_length = len(state.question)
        question = clean_text(state.question)
        if not question:
            raise InputRejected("Uw vraag is leeg. Typ een vraag over NP Onderwijs, GOAB of "
                                "voorschoolse educatie.")
        if len(question) > self.max_chars or raw_length > self.max_chars * 4:
            raise InputRejected(
                f"Uw vraag is te lang ({len(question)} tekens). Houd het bij maximaal "
                f"{self.max_chars} tekens; stel eventueel meerdere korte vragen.")
        if not any(ch.isalnum() for ch in question):
            raise InputRejected("Uw vraag bevat geen woorden. Formuleer een vraag in tekst.")
        state.question = question
        state.history = [type(t)(t.role, clean_text(t.content)[: self.max_chars * 4])
                         for t in state.history[-10:]]
        return state
