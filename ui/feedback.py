"""Thumbs up/down with an optional comment under every answer, and the curators' export.

Each tab keeps its latest answer (``Answer.as_dict()``) in a ``gr.State``; the panel rates
that answer and stores the rating through ``services.feedback``.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import datetime
from pathlib import Path

import gradio as gr
import pandas as pd

from ui.format import esc, notice_html

log = logging.getLogger(__name__)

ICONS = Path(__file__).resolve().parent / "icons"
MODE_NAMES = {"official": "Vraag", "helpdesk": "Helpdesk", "facilitator": "Kenniskring"}
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
        def store(answer: dict | None, comment: str):
            if not answer:
                return notice_html(NO_ANSWER, "warn"), comment
            sources = [c["url"] for c in answer.get("citations", [])]
            try:
                new_id = self.services.feedback.add(
                    answer["question"], answer["answer"],
                    answer["mode"], rating, (comment or "").strip(), sources)
            except Exception:  # storage trouble must not break the page
                log.exception("feedback could not be stored")
                return notice_html("Uw beoordeling kon niet worden opgeslagen. Probeer het "
                                   "later opnieuw.", "error"), comment
            word = "positieve" if rating > 0 else "negatieve"
            return notice_html(f"Bedankt! Uw {word} beoordeling is opgeslagen "
                               f"(nummer {new_id}).", "info", "fb-saved"), ""
        return store


# -- curators' export -------------------------------------------------------------------
FEEDBACK_COLUMNS = ["Nr.", "Datum", "Onderdeel", "Oordeel", "Vraag", "Toelichting"]


def feedback_rows(services) -> list[list]:
    rows = []
    for item in reversed(services.feedback.all()):
        rows.append([item["id"], str(item["created_at"])[:16].replace("T", " "),
                     MODE_NAMES.get(item["mode"], item["mode"]),
                     "nuttig" if item["rating"] > 0 else "niet nuttig",
                     item["question"], item["comment"]])
    return rows


def feedback_csv(services, folder: Path) -> str:
    """Write the CSV export to a fresh file and return its path."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = Path(tempfile.mkdtemp(dir=folder)) / f"kennisloket-feedback-{stamp}.csv"
    # utf-8-sig so that spreadsheet programs show ë and € correctly
    target.write_text(services.feedback.to_csv(), encoding="utf-8-sig")
    return str(target)


def build_feedback_tab(services, folder: Path) -> None:
    """Tab 'Feedback': all ratings, newest first, and a CSV download for curators."""
    with gr.Tab("Feedback", id="feedback", elem_id="tab-feedback") as tab:
        gr.Markdown("### Feedback van gebruikers\nAlle beoordelingen, nieuwste eerst. "
                    "Download de export om ze in een spreadsheet te verwerken.")
        with gr.Row():
            refresh = gr.Button("Vernieuwen", size="sm", elem_id="feedback-refresh",
                                scale=0, min_width=120)
            download = gr.DownloadButton("Exporteer als CSV", size="sm", scale=0,
                                         min_width=180, elem_id="feedback-csv")
        summary = gr.HTML("", elem_id="feedback-summary")
        table = gr.Dataframe(headers=FEEDBACK_COLUMNS, value=[], interactive=False, wrap=True,
                             elem_id="feedback-table", max_height=420,
                             column_widths=["6%", "13%", "10%", "11%", "35%", "25%"])

    def load():
        rows = feedback_rows(services)
        up = sum(1 for r in rows if r[3] == "nuttig")
        text = (f"{len(rows)} beoordelingen: {up} nuttig, {len(rows) - up} niet nuttig."
                if rows else "Nog geen beoordelingen ontvangen.")
        return (f'<p class="muted">{esc(text)}</p>',
                pd.DataFrame(rows, columns=FEEDBACK_COLUMNS), feedback_csv(services, folder))

    outputs = [summary, table, download]
    tab.select(load, outputs=outputs)
    refresh.click(load, outputs=outputs)
