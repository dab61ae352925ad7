"""Tab 'Helpdesk': an incoming question becomes a formal, sourced draft reply to edit."""

from __future__ import annotations

import logging

import gradio as gr

from service.pipeline.types import InputRejected
from ui.feedback import FeedbackPanel
from ui.format import (interventions_html, notice_html, refusal_text, sources_html,
                       unknown_markers)

log = logging.getLogger(__name__)

GENERIC_ERROR = ("Het concept-antwoord kon niet worden gemaakt. Probeer het opnieuw; blijft "
                 "het misgaan, meld het dan bij de beheerder.")
REFUSED_NOTE = ("Geen bron gevonden. Het concept belooft de melder daarom alleen dat u "
                "erop terugkomt; zoek het antwoord uit voordat u inhoudelijk reageert.")
CHECK_NOTE = ("Elke bewering in het concept heeft een bronnummer [n]; de bronnen staan "
              "onderaan het concept en hiernaast. Controleer het concept voordat u het "
              "verstuurt.")
SOURCES_HINT = "Na het opstellen ziet u hier de bronnen van het concept."

# Copy the draft; the Clipboard API needs a secure context (https or localhost), so fall
# back to selecting the text area and execCommand for plain-http intranet deployments.
COPY_JS = """
async (text) => {
  try {
    await navigator.clipboard.writeText(text);
  } catch (e) {
    const area = document.querySelector('#helpdesk-draft textarea');
    if (area) { area.focus(); area.select(); document.execCommand('copy'); }
  }
  return text
    ? '<div class="notice notice-info" role="status">Concept gekopieerd naar het klembord.</div>'
    : '<div class="notice notice-warn" role="alert">Er is nog geen concept om te kopiëren.</div>';
}
"""


def build_helpdesk_tab(services) -> None:
    with gr.Tab("Helpdesk", id="helpdesk", elem_id="tab-helpdesk"):
        last = gr.State(None)
        gr.Markdown("### Concept-antwoord voor de helpdesk\nPlak een binnenkomende vraag. "
                    "Kennisloket stelt een formeel antwoord op met bronnen, dat u kunt "
                    "aanpassen en kopiëren.")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=420):
                question = gr.Textbox(
                    label="Binnenkomende vraag", lines=4, max_lines=10,
                    placeholder="Plak hier de vraag uit de e-mail of telefoonnotitie…",
                    elem_id="helpdesk-question")
                with gr.Row():
                    make = gr.Button("Concept-antwoord opstellen", variant="primary",
                                     elem_id="helpdesk-make", scale=2)
                    again = gr.Button("Opnieuw opstellen", elem_id="helpdesk-regenerate",
                                      scale=1)
                error = gr.HTML("", elem_id="helpdesk-error")
                draft = gr.Textbox(
                    label="Concept-antwoord (u kunt de tekst hier aanpassen)", lines=16,
                    max_lines=40, interactive=True, elem_id="helpdesk-draft",
                    buttons=["copy"])
                with gr.Row():
                    copy = gr.Button("Kopiëren naar klembord", elem_id="helpdesk-copy",
                                     scale=0, min_width=220)
                    copy_status = gr.HTML("", elem_id="helpdesk-copy-status")
            with gr.Column(scale=2, min_width=320):
                check = gr.HTML("", elem_id="helpdesk-check")
                sources = gr.HTML(sources_html([], empty_hint=SOURCES_HINT),
                                  elem_id="helpdesk-sources")
                FeedbackPanel(services, "helpdesk", last)

    def compose(text: str):
        try:
            answer = services.pipeline.run(text or "", mode="helpdesk")
        except InputRejected as exc:
            return (gr.skip(), gr.skip(), gr.skip(), gr.skip(),
                    notice_html(str(exc), "warn"), "")
        except Exception:
            log.exception("helpdesk draft failed")
            return (gr.skip(), gr.skip(), gr.skip(), gr.skip(),
                    notice_html(GENERIC_ERROR, "error"), "")
        unknown = unknown_markers(answer.answer, answer.citations)
        if unknown:  # the citation check should make this impossible; say so if not
            note = notice_html("Let op: het concept verwijst naar bron(nen) "
                               f"{', '.join(map(str, unknown))} die niet bestaan. Verwijder "
                               "die zinnen voordat u verstuurt.", "error")
        elif answer.refused:
            note = notice_html(REFUSED_NOTE, "warn", "no-source")
        else:
            note = notice_html(CHECK_NOTE, "info")
        panel = sources_html(answer.citations, refusal=refusal_text(services, answer),
                             empty_hint=SOURCES_HINT) + interventions_html(answer.interventions)
        return answer.answer, panel, note, answer, "", ""

    outputs = [draft, sources, check, last, error, copy_status]
    make.click(compose, inputs=question, outputs=outputs)
    again.click(compose, inputs=question, outputs=outputs)
    copy.click(None, inputs=draft, outputs=copy_status, js=COPY_JS)
