"""Tab 'Bronnen': what the knowledge base holds per site, how fresh it is, and a search."""

from __future__ import annotations

import logging
from collections import defaultdict

import gradio as gr
import pandas as pd

from kb.dutch_dates import dutch_date
from service.pipeline.types import InputRejected
from service.source_search import search_sources
from ui.format import esc, link, notice_html, source_meta

log = logging.getLogger(__name__)

DOC_TYPES = {"card": "kenniskaart", "page": "webpagina", "html": "webpagina",
             "pdf": "pdf-document", "file": "document", "docx": "Word-document"}
SITE_COLUMNS = ["Site", "Soort", "Documenten", "Fragmenten", "Nieuwste publicatie",
                "Laatst bijgewerkt"]
ALL_SITES = ("Alle sites", "")
SEARCH_K = 10


def _doc_type(value: str) -> str:
    return DOC_TYPES.get(value, value)


def site_frame(rows) -> pd.DataFrame:
    """One line per site: document types, counts, newest publication and last update."""
    per_site: dict[str, list] = defaultdict(list)
    for row in rows:
        per_site[row.site].append(row)
    lines = []
    for site in sorted(per_site):
        docs = per_site[site]
        published = max((d.published for d in docs if d.published), default=None)
        fetched = max((d.fetched_at for d in docs if d.fetched_at), default=None)
        types = sorted({_doc_type(d.doc_type) for d in docs})
        lines.append([site, ", ".join(types), len(docs), sum(d.chunk_count for d in docs),
                      dutch_date(published) if published else "onbekend",
                      dutch_date(fetched) if fetched else "onbekend"])
    return pd.DataFrame(lines, columns=SITE_COLUMNS)


def documents_html(rows, site: str) -> str:
    docs = sorted((r for r in rows if not site or r.site == site),
                  key=lambda r: (r.published or "", r.title), reverse=True)
    if not docs:
        return '<p class="muted">Geen documenten.</p>'
    items = "".join(
        f"<li>{link(d.url, d.title or d.url, 'source-link')} "
        f'<span class="source-meta">{esc(d.site)} · {esc(dutch_date(d.published))} · '
        f"{esc(_doc_type(d.doc_type))}</span></li>" for d in docs)
    return f'<ul class="documents">{items}</ul>'


def search_html(services, query: str, site: str) -> str:
    try:
        found = search_sources(services.kb, query, k=SEARCH_K,
                               filters={"site": site} if site else None)
    except (InputRejected, ValueError) as exc:  # the query, a filter: Dutch messages
        return notice_html(str(exc), "warn")
    except Exception:
        log.exception("source search failed")
        return notice_html("Zoeken is mislukt. Probeer het opnieuw.", "error")
    if not found.results:
        return notice_html("Niets gevonden. Probeer andere woorden.", "info")
    items = "".join(
        f'<li class="source">{link(r.url, r.title or r.url, "source-link")}'
        f'<div class="source-meta">{esc(source_meta(r.site, r.published))}</div>'
        f'<blockquote class="source-snippet">{esc(r.snippet)}</blockquote></li>'
        for r in found.results)
    return (f'<p class="sources-title">{len(found.results)} meest passende bronnen voor '
            f"‘{esc(found.query)}’</p><ol class=\"sources\">{items}</ol>")


def build_sources_tab(services) -> tuple[gr.Tab, tuple]:
    registry = services.kb.registry
    with gr.Tab("Bronnen", id="sources", elem_id="tab-sources") as tab:
        gr.Markdown("### Wat de kennisbank bevat\nPer site het aantal documenten, de "
                    "nieuwste publicatie en wanneer de inhoud voor het laatst is bijgewerkt.")
        summary = gr.HTML("", elem_id="sources-summary")
        table = gr.Dataframe(value=pd.DataFrame(columns=SITE_COLUMNS), interactive=False,
                             elem_id="sources-table", max_height=320, wrap=True)
        gr.Markdown("### Zoeken in de bronnen")
        with gr.Row(equal_height=True):
            query = gr.Textbox(label="Zoekterm", placeholder="Bijvoorbeeld: SiSa-verantwoording",
                               scale=4, elem_id="sources-query")
            site = gr.Dropdown([ALL_SITES], value="", label="Site", scale=2,
                               elem_id="sources-site")
            go = gr.Button("Zoeken", variant="primary", scale=1, min_width=120,
                           elem_id="sources-search")
        results = gr.HTML("", elem_id="sources-results")
        with gr.Accordion("Alle documenten (van de gekozen site)", open=False,
                          elem_id="sources-docs-acc"):
            documents = gr.HTML("", elem_id="sources-documents")

    def load(current_site: str):
        rows = registry.all()
        frame = site_frame(rows)
        sites = [ALL_SITES] + [(s, s) for s in frame["Site"]]
        total = (f"De kennisbank bevat {len(rows)} documenten van {len(frame)} sites, in "
                 f"{int(frame['Fragmenten'].sum()) if len(frame) else 0} fragmenten.")
        site_value = current_site if current_site in {v for _, v in sites} else ""
        return (f'<p class="muted">{esc(total)}</p>', frame,
                gr.update(choices=sites, value=site_value), documents_html(rows, site_value))

    tab.select(load, inputs=site, outputs=[summary, table, site, documents])
    site.change(lambda s: documents_html(registry.all(), s or ""), inputs=site,
                outputs=documents)
    go.click(lambda q, s: search_html(services, q, s or ""), inputs=[query, site],
             outputs=results)
    query.submit(lambda q, s: search_html(services, q, s or ""), inputs=[query, site],
                 outputs=results)
    return tab, (load, [site], [summary, table, site, documents])
