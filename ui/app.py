"""The Gradio app of Kennisloket: one page with a tab per task, calling the service layer.

``build_ui(services)`` is mounted at /ui by ``kennisloket.server``. Nothing on the page
loads from another host: system fonts, no analytics (the server sets
GRADIO_ANALYTICS_ENABLED=False before Gradio is imported), no CDN.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import gradio as gr

from ui.chat_tab import build_chat_tab
from ui.facilitator_tab import build_facilitator_tab
from ui.helpdesk_tab import build_helpdesk_tab
from ui.interventions_tab import build_interventions_tab
from ui.sources_tab import build_sources_tab

CSS = (Path(__file__).resolve().parent / "theme.css").read_text(encoding="utf-8")
SYSTEM_FONTS = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue",
                "Arial", "sans-serif"]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Consolas", "Liberation Mono", "monospace"]
INTRO = ("Antwoorden over het **Nationaal Programma Onderwijs**, **GOAB** en **voorschoolse "
         "educatie**, altijd met bronvermelding. Geen bron? Dan zegt Kennisloket dat eerlijk.")
# Runs in the page on load; Gradio's page template says lang="en", screen readers need "nl".
PAGE_JS = "() => { document.documentElement.lang = 'nl'; }"
# Answers take tens of milliseconds, but streaming holds a worker for about half a second;
# the service is thread-safe (the API calls it from a thread pool as well).
CONCURRENCY = 8
FOOTER = ("Kennisloket gebruikt alleen de bronnen in de eigen kennisbank en maakt geen "
          "verbinding met andere websites. Controleer belangrijke informatie altijd bij de "
          "bron.")


def make_theme() -> gr.themes.Base:
    """Plain font names only: a web font would be fetched from another host."""
    return gr.themes.Default(primary_hue="blue", secondary_hue="sky", neutral_hue="slate",
                             font=SYSTEM_FONTS, font_mono=MONO_FONTS)


class KennisloketBlocks(gr.Blocks):
    """Blocks that keep their theme and CSS when mounted.

    ``gr.mount_gradio_app`` overwrites ``theme``/``css``/``js`` with its own arguments
    (defaults: Gradio's theme, nothing) just before it computes the page styles. Re-applying ours at
    that point keeps the mount call in the server a one-liner.
    """

    def _set_html_css_theme_variables(self):
        self.theme = make_theme()
        self.css = CSS
        self.js = PAGE_JS
        super()._set_html_css_theme_variables()


def build_ui(services, files_dir: Path | None = None) -> gr.Blocks:
    """The whole UI; ``files_dir`` holds generated downloads (briefings)."""
    folder = Path(files_dir or tempfile.mkdtemp(prefix="kennisloket-ui-"))
    folder.mkdir(parents=True, exist_ok=True)
    # delete_cache: Gradio's copies of downloads older than a day go, checked hourly.
    with KennisloketBlocks(title="Kennisloket", analytics_enabled=False, fill_width=True,
                           delete_cache=(3600, 86400)) as demo:
        with gr.Row(elem_id="header"):
            gr.Markdown(f"# Kennisloket\n{INTRO}", elem_id="intro")
        with gr.Tabs(elem_id="tabs"):
            build_chat_tab(services)
            build_helpdesk_tab(services)
            build_facilitator_tab(services, folder)
            build_interventions_tab(services)
            _, (load_sources, source_inputs, source_outputs) = build_sources_tab(services)
        gr.Markdown(FOOTER, elem_id="footer-note")
        demo.load(load_sources, inputs=source_inputs, outputs=source_outputs)
    demo.queue(default_concurrency_limit=CONCURRENCY)
    return demo
