"""Tab 'Interventies': the menukaart as filterable table, effect/cost chart and recommender."""

from __future__ import annotations

import logging

import gradio as gr

from kb.catalog import Catalog, CatalogError, load_catalog
from kb.text_cleaning import clean_input
from service.pipeline.types import InputRejected
from ui import interventions_data as data
from ui.chart import effect_cost_svg
from ui.format import esc, interventions_html, link, notice_html

log = logging.getLogger(__name__)

NO_RECOMMENDER = ("Het adviesonderdeel is in deze installatie niet beschikbaar. Gebruik de "
                  "filters hierboven om zelf interventies te kiezen.")
NO_MATCH_HINT = "Beschrijf uw situatie anders of maak de filters ruimer."
GENERIC_ERROR = "Het advies kon niet worden gemaakt. Probeer het opnieuw."


def _catalog(services) -> Catalog | None:
    try:
        return load_catalog()
    except CatalogError:
        log.exception("menukaart could not be loaded")
        recommender = getattr(services, "recommender", None)
        return getattr(recommender, "catalog", None)


def details_html(catalog: Catalog, name: str) -> str:
    item = next((i for i in catalog.interventions if i.name == name), None)
    if item is None:
        return ""
    area = catalog.doelgebieden[item.doelgebied].name
    conditions = "".join(f"<li>{esc(c)}</li>" for c in item.conditions)
    links = " · ".join(link(s.url, s.label) for s in item.sources)
    return (
        f'<div class="panel iv-details"><div class="iv-name">{esc(item.name)}</div>'
        f'<div class="iv-area">Doelgebied {esc(item.doelgebied)}: {esc(area)}</div>'
        f'<div class="iv-headline">{esc(catalog.headline(item))}</div>'
        f"<p>{esc(item.description)}</p>"
        + (f"<p><strong>Voorwaarden</strong></p><ul>{conditions}</ul>" if conditions else "")
        + f'<div class="iv-links">Bronnen: {links}</div></div>')


def _view(catalog: Catalog, level="", domain="", area="", cost=0, evidence=0, text="",
          sort=data.SORTS[0]) -> tuple:
    """Table, chart, chart note, count line and (cleared) details for the filters."""
    items = data.filtered(catalog, level or "", domain or "", area or "", int(cost or 0),
                          int(evidence or 0), text or "")
    items = data.sort_items(items, sort)
    shown = f"{len(items)} van {len(catalog.interventions)} interventies getoond."
    if not items:
        shown += " Maak de filters ruimer om meer te zien."
    return (data.table_frame(items), effect_cost_svg(items),
            f'<p class="muted">{esc(data.chart_note(items))}</p>',
            f'<p class="muted" role="status">{esc(shown)}</p>', "")


def build_interventions_tab(services) -> None:
    catalog = _catalog(services)
    recommender = getattr(services, "recommender", None)
    with gr.Tab("Interventies", id="interventions", elem_id="tab-interventions"):
        gr.Markdown("### Menukaart NP Onderwijs\nAlle interventies van de menukaart met hun "
                    "effect (extra maanden leervoortgang per jaar), bewijskracht en kosten. "
                    "Filter, sorteer, en klik op een rij voor de uitleg.")
        if catalog is None:
            gr.HTML(notice_html("De menukaart kon niet worden geladen. Meld dit bij de "
                                "beheerder.", "error"), elem_id="interventions-error")
            return
        with gr.Row(equal_height=True):
            level = gr.Dropdown(data.LEVELS, value="", label="Onderwijsniveau",
                                elem_id="iv-level", min_width=150)
            domain = gr.Dropdown(data.DOMAINS, value="", label="Domein",
                                 elem_id="iv-domain", min_width=150)
            area = gr.Dropdown(data.doelgebied_choices(catalog), value="", label="Doelgebied",
                               elem_id="iv-doelgebied", min_width=190)
            cost = gr.Dropdown(data.COSTS, value=0, label="Kosten", elem_id="iv-cost",
                               min_width=150)
            evidence = gr.Dropdown(data.EVIDENCE, value=0, label="Bewijskracht",
                                   elem_id="iv-evidence", min_width=170)
        with gr.Row(equal_height=True):
            text = gr.Textbox(label="Zoeken", placeholder="Zoek op naam of trefwoord, "
                              "bijvoorbeeld 'lezen'", elem_id="iv-search", scale=3)
            sort = gr.Dropdown(data.SORTS, value=data.SORTS[0], label="Sorteren op",
                               elem_id="iv-sort", scale=2)
        table0, chart0, note0, count0, _ = _view(catalog)
        count = gr.HTML(count0, elem_id="iv-count")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=480):
                table = gr.Dataframe(
                    value=table0,
                    interactive=False, wrap=True, max_height=520, elem_id="iv-table",
                    column_widths=["6%", "27%", "9%", "17%", "13%", "11%", "17%"],
                    label="Interventies", show_label=False)
            with gr.Column(scale=2, min_width=340):
                gr.Markdown("**Effect tegen kosten.** Linksboven: veel effect voor weinig geld. "
                            "Grotere, donkerdere punten: sterker bewijs. Wijs een punt aan "
                            "voor de naam.", elem_classes=["chart-caption"])
                chart = gr.HTML(chart0, elem_id="iv-chart")
                chart_note = gr.HTML(note0, elem_id="iv-chart-note")
        details = gr.HTML("", elem_id="iv-details")

        gr.Markdown("### Advies op maat\nBeschrijf uw situatie; Kennisloket zoekt de "
                    "interventies die erbij passen. De filters hierboven gelden ook hier.")
        with gr.Row(equal_height=True):
            need = gr.Textbox(label="Beschrijf uw situatie", lines=2, scale=4,
                              placeholder="Bijvoorbeeld: veel leerlingen in groep 5 lopen "
                                          "achter met begrijpend lezen, weinig budget",
                              elem_id="iv-need", interactive=recommender is not None)
            advise = gr.Button("Zoek passende interventies", variant="primary", scale=1,
                               min_width=200, elem_id="iv-recommend",
                               interactive=recommender is not None)
        advice = gr.HTML(notice_html(NO_RECOMMENDER, "info") if recommender is None else "",
                         elem_id="iv-advice")

    filters = [level, domain, area, cost, evidence, text, sort]

    def refresh(*values):
        return _view(catalog, *values)

    outputs = [table, chart, chart_note, count, details]
    for control in (level, domain, area, cost, evidence, sort):
        control.change(refresh, inputs=filters, outputs=outputs)
    text.submit(refresh, inputs=filters, outputs=outputs)
    text.change(refresh, inputs=filters, outputs=outputs, trigger_mode="always_last")

    def show_details(event: gr.SelectData):
        row = event.row_value or []
        return details_html(catalog, row[1]) if len(row) > 1 else ""

    table.select(show_details, outputs=details)

    def recommend(need_text, level, domain, area, cost, evidence):
        if recommender is None:
            return notice_html(NO_RECOMMENDER, "info")
        wanted = {"level": level or None, "domain": domain or None,
                  "doelgebied": area or None, "max_cost": int(cost) if cost else None,
                  "min_evidence": int(evidence) if evidence else None}
        # at most as long as a question: a longer description adds nothing to match on
        need_text = clean_input(need_text or "")[:services.settings.max_question_chars]
        try:
            advice = services.advise(need_text, {k: v for k, v in wanted.items() if v}, k=5)
        except InputRejected as exc:
            return notice_html(str(exc), "warn")
        except Exception:
            log.exception("recommendation failed")
            return notice_html(GENERIC_ERROR, "error")
        notes = "".join(notice_html(n, "warn") for n in advice.notes)
        if not advice.interventions:
            none_found = services.config.interventions.none_found
            return notes + notice_html(f"{none_found} {NO_MATCH_HINT}", "warn")
        return notes + interventions_html(advice.interventions,
                                          "Passende interventies, beste eerst")

    rec_inputs = [need, level, domain, area, cost, evidence]
    advise.click(recommend, inputs=rec_inputs, outputs=advice)
    need.submit(recommend, inputs=rec_inputs, outputs=advice)
