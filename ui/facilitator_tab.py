"""Tab 'Kenniskring' for facilitators: a session briefing on a theme, as Markdown download."""

from __future__ import annotations

import logging
import re
import tempfile
from datetime import date
from pathlib import Path

import gradio as gr

from service.pipeline.types import InputRejected
from ui.feedback import FeedbackPanel
from ui.format import answer_markdown, notice_html, refusal_text, sources_html

log = logging.getLogger(__name__)

THEMES = [
    "thuiszitters",
    "voorschoolse educatie",
    "GOAB en de rol van de gemeente",
    "NPO-geld voor gemeenten",
    "verantwoording van NPO-middelen",
    "samenwerking tussen school en gemeente",
    "menukaart en interventies",
    "ouderbetrokkenheid",
]
GENERIC_ERROR = ("De briefing kon niet worden gemaakt. Probeer het opnieuw; blijft het "
                 "misgaan, meld het dan bij de beheerder.")
EMPTY = ("Kies of typ een thema en klik op **Briefing maken**. U krijgt kernfeiten met "
         "bronnen, passende interventies en gespreksvragen voor uw bijeenkomst.")


def briefing_filename(theme: str, today: date | None = None) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", theme.lower()).strip("-")[:50] or "thema"
    return f"briefing-{slug}-{(today or date.today()).isoformat()}.md"


def write_briefing(text: str, theme: str, folder: Path) -> str:
    target = Path(tempfile.mkdtemp(dir=folder)) / briefing_filename(theme)
    target.write_text(text + "\n", encoding="utf-8")
    return str(target)


def build_facilitator_tab(services, folder: Path) -> None:
    with gr.Tab("Kenniskring", id="facilitator", elem_id="tab-facilitator"):
        last = gr.State(None)
        gr.Markdown("### Briefing voor een kenniskring of bijeenkomst\nKies een thema uit de "
                    "lijst of typ er zelf een.")
        with gr.Row(equal_height=True):
            theme = gr.Dropdown(
                choices=THEMES, value=None, allow_custom_value=True, filterable=True,
                label="Thema", scale=4, elem_id="facilitator-theme",
                info="Bijvoorbeeld: thuiszitters, voorschoolse educatie, ouderbetrokkenheid")
            make = gr.Button("Briefing maken", variant="primary", scale=1, min_width=150,
                             elem_id="facilitator-make")
            download = gr.DownloadButton("Download als Markdown", value=None,
                                         interactive=False, scale=1, min_width=200,
                                         elem_id="facilitator-download")
        error = gr.HTML("", elem_id="facilitator-error")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=420):
                briefing = gr.Markdown(EMPTY, elem_id="facilitator-briefing",
                                       elem_classes=["briefing"], padding=True)
            with gr.Column(scale=2, min_width=320):
                sources = gr.HTML("", elem_id="facilitator-sources")
                FeedbackPanel(services, "facilitator", last)

    def compose(choice: str | None):
        text = (choice or "").strip()
        if not text:
            return (gr.skip(), gr.skip(), gr.skip(), gr.skip(),
                    notice_html("Kies of typ eerst een thema.", "warn"))
        try:
            answer = services.pipeline.run(text, mode="facilitator")
        except InputRejected as exc:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), notice_html(str(exc), "warn")
        except Exception:
            log.exception("briefing failed")
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), notice_html(GENERIC_ERROR, "error")
        path = write_briefing(answer.answer, text, folder)
        shown = answer_markdown(answer.answer, answer.citations)
        panel = sources_html(answer.citations, refusal=refusal_text(services, answer))
        return (shown, panel, gr.update(value=path, interactive=True), answer, "")

    outputs = [briefing, sources, download, last, error]
    make.click(compose, inputs=theme, outputs=outputs)
    theme.input(lambda: "", outputs=error)
