"""Escaping and rendering helpers of the UI (no browser needed)."""

from __future__ import annotations

from kb.catalog import load_catalog
from service.config import load_answering_config
from service.models import Citation
from ui.chart import effect_cost_svg
from ui.chat_tab import stream_prefixes
from ui.facilitator_tab import briefing_filename
from ui.format import (answer_markdown, link, md_text, safe_url, sources_html,
                       unknown_markers)
from ui.interventions_data import SORTS, filtered, sort_items, table_frame

HOSTILE = '<img src=x onerror=alert(1)> "quoted" & ![pixel](https://evil.example/p.png)'


def citation(n=1, url="https://www.nponderwijs.nl/a", title=HOSTILE):
    return Citation(n=n, title=title, url=url, site="nponderwijs.nl", published="2022-02-25",
                    snippet=HOSTILE)


def test_only_http_links_open_in_new_tab():
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("data:text/html,x") is None
    assert safe_url("//evil.example") is None
    assert link("javascript:alert(1)", "x") == "x"
    html = link("https://vng.nl/x?a=1&b=2", "<b>t</b>")
    assert 'href="https://vng.nl/x?a=1&amp;b=2"' in html
    assert 'target="_blank" rel="noopener noreferrer"' in html and "&lt;b&gt;" in html


def test_markdown_text_cannot_make_tags_links_or_images():
    text = md_text(HOSTILE + " [klik](javascript:alert(1))")
    assert "<img" not in text and "&lt;img" in text
    assert "\\!\\[pixel\\]" in text and "\\[klik\\]" in text


def test_answer_markers_link_to_their_source_only():
    md = answer_markdown("Feit een. [1] Feit twee. [2]", [citation(1)])
    assert 'class="cite" href="https://www.nponderwijs.nl/a"' in md
    assert "\\[2\\]" in md and md.count("<a ") == 1
    assert "&lt;img" in answer_markdown("x [1]", [citation(1)])  # title attribute escaped


def test_sources_panel_escapes_and_skips_unsafe_urls():
    html = sources_html([citation(1), citation(2, url="javascript:alert(1)")], turn=3)
    assert "<img" not in html and html.count("&lt;img") == 4
    assert "javascript:" not in html and html.count("<a ") == 1
    assert 'data-turn="3"' in html and "22 februari 2022" not in html
    assert "25 februari 2022" in html
    message = load_answering_config().refusal.message
    refused = sources_html([], refusal=message)
    assert "no-source" in refused and "geen betrouwbare bron" in refused


def test_unknown_markers():
    assert unknown_markers("a [1] b [3]", [citation(1)]) == [3]


def test_stream_prefixes_grow_to_the_whole_text():
    text = "Een twee drie vier vijf zes zeven acht negen tien elf twaalf. [1]"
    parts = stream_prefixes(text, steps=4)
    assert len(parts) > 1 and parts[-1] == text  # it streams in steps, not all at once
    assert all(b.startswith(a) for a, b in zip(parts, parts[1:]))
    assert stream_prefixes("") == [""]


def test_briefing_filename_is_safe():
    name = briefing_filename("Voorschoolse educatie / VVE?!")
    assert name.startswith("briefing-voorschoolse-educatie-vve-") and name.endswith(".md")


def test_menukaart_filters_keep_unknowns_out_of_limits():
    catalog = load_catalog()
    cheap = filtered(catalog, max_cost=2)
    assert cheap and all(i.cost is not None and i.cost <= 2 for i in cheap)
    ranked = sort_items(catalog.interventions, SORTS[0])
    known = [i.effect_months for i in ranked if i.effect_months is not None]
    assert known == sorted(known, reverse=True)
    assert ranked[-1].effect_months is None  # unknown effect sorts last
    frame = table_frame(ranked)
    assert len(frame) == len(catalog.interventions) and "onbekend" in set(frame["Kosten"])


def test_chart_has_one_point_per_known_item_and_escapes_names():
    catalog = load_catalog()
    svg = effect_cost_svg(catalog.interventions)
    known = [i for i in catalog.interventions if i.effect_months is not None and i.cost]
    assert svg.count("<title>") == len(known) and 'role="img"' in svg
    evil = catalog.interventions[0].model_copy(update={"name": "<script>x</script>",
                                                       "effect_months": 3, "cost": 2})
    assert "<script>" not in effect_cost_svg([evil])
