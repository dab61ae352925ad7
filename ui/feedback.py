"""Thumbs up/down with an optional comment under every answer.

Each tab keeps its latest answer (``service.models.Answer``) in a ``gr.State``; the panel rates
that answer and stores the rating through ``services.feedback``. The panel only writes:
every Gradio handler is a public API endpoint, so reading or exporting feedback (which may
hold personal data) is an admin function of the key-protected API and the CLI
(``GET /v1/admin/feedback.csv``, ``kennisloket feedback export``), never part of this UI.
"""

from __future__ import annotations

import logging
from pathlib import Path

import gradio as gr

from service.models import Answer
from ui.format import notice_html

log = logging.getLogger(__name__)

ICONS = Path(__file__).resolve().parent / "icons"
NO_ANSWER = "Er is nog geen antwoord om te beoordelen."


def _icon(name: str) -> str | None:
    """Local SVG icon (emoji need a colour font the user may lack); none if not installed."""
    path = ICONS / name
    return str(path) if path.exists() else None


class FeedbackPanel:
    """The rating row of one tab; ``prefix`` makes the element ids unique per tab."""

    def __init__(self, services, prefix: str, answer_state: gr.State) -> None:
        self.services = services
        self.prefix = prefix
        with gr.Column(elem_classes=["feedback"]):
            gr.Markdown("**Was dit antwoord nuttig?** Uw oordeel helpt de redactie.",
                        elem_classes=["feedback-q"], padding=True)
            with gr.Row(equal_height=True):
                self.up = gr.Button("Nuttig", icon=_icon("thumb-up.svg"), size="sm",
                                    elem_id=f"{prefix}-fb-up", min_width=100)
                self.down = gr.Button("Niet nuttig", icon=_icon("thumb-down.svg"),
                                      size="sm", elem_id=f"{prefix}-fb-down", min_width=100)
            self.comment = gr.Textbox(
                label="Toelichting (optioneel)", lines=2, max_length=1000,
                placeholder="Wat klopt er niet, of wat mist u?",
                elem_id=f"{prefix}-fb-comment")
            self.status = gr.HTML("", elem_id=f"{prefix}-fb-status")
        for button, rating in ((self.up, 1), (self.down, -1)):
            button.click(self._store(rating), inputs=[answer_state, self.comment],
                         outputs=[self.status, self.comment])
        # A new answer starts unrated: clear the thank-you of the previous one.
        answer_state.change(lambda: "", outputs=self.status)

    def _store(self, rating: int):
        def store(answer: Answer | None, comment: str):
            if not answer:
                return notice_html(NO_ANSWER, "warn"), comment
            sources = [c.url for c in answer.citations]
            try:
                new_id = self.services.feedback.add(
                    answer.question, answer.answer,
                    answer.mode, rating, (comment or "").strip(), sources)
            except Exception:  # storage trouble must not break the page
                log.exception("feedback could not be stored")
                return notice_html("Uw beoordeling kon niet worden opgeslagen. Probeer het "
                                   "later opnieuw.", "error"), comment
            word = "positieve" if rating > 0 else "negatieve"
            return notice_html(f"Bedankt! Uw {word} beoordeling is opgeslagen "
                               f"(nummer {new_id}).", "info", "fb-saved"), ""
        return store
