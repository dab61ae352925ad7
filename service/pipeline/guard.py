"""Stage 1: clean the question; refuse what cannot be processed, with a Dutch message.

Cleaning is ``kb.text_cleaning.clean_input``, the one rule set for every user input.
"""

from __future__ import annotations

from kb.text_cleaning import clean_input
from service.pipeline.types import MODES, AnswerState, InputRejected

clean_text = clean_input  # the name other modules import from here


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
