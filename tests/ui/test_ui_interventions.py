"""Interventions: filterable, sortable menukaart table, effect/cost chart, recommender."""

from __future__ import annotations

from kb.catalog import load_catalog
from playwright.sync_api import expect
from ui.interventions_data import SORTS, filtered, sort_items
from ui_helpers import pick, screenshot


def rows(page):
    """Data rows of the (virtualised) Gradio table."""
    return page.locator("#iv-table [role=row]:not(:has(th))")


def expect_row_count(page, n: int) -> None:
    expect(page.locator("#iv-table [role=grid]")).to_have_attribute("aria-rowcount", str(n + 1))


def test_filter_sort_chart_and_details(page):
    catalog = load_catalog()
    total = len(catalog.interventions)
    page.get_by_role("tab", name="Interventies").click()
    expect(page.locator("#iv-count")).to_contain_text(f"{total} van {total}")
    points = page.locator("#iv-chart svg.iv-chart circle title")
    charted = [i for i in catalog.interventions
               if i.effect_months is not None and i.cost is not None]
    expect(points).to_have_count(len(charted))

    pick(page, "iv-doelgebied", f"D – {catalog.doelgebieden['D'].name}")
    expected = sorted(catalog.by_doelgebied("D"), key=lambda i: -(i.effect_months or -99))
    expect(page.locator("#iv-count")).to_contain_text(f"{len(expected)} van {total}")
    expect_row_count(page, len(expected))
    expect(points).to_have_count(sum(1 for i in expected if i in charted))
    expect(rows(page).first).to_contain_text(expected[0].name)

    pick(page, "iv-sort", "Naam (A → Z)")
    names = sorted(i.name for i in expected)
    expect(rows(page).first).to_contain_text(names[0])

    pick(page, "iv-doelgebied", "Alle doelgebieden")
    pick(page, "iv-cost", "Hooguit zeer laag (1)")
    cheap = [i for i in catalog.interventions if i.cost == 1]
    expect(page.locator("#iv-count")).to_contain_text(f"{len(cheap)} van {total}")
    page.locator("#iv-search textarea, #iv-search input").first.fill("lezen")
    found = sort_items(filtered(catalog, max_cost=1, text="lezen"), SORTS[3])
    assert found
    expect_row_count(page, len(found))
    expect(rows(page).first).to_contain_text(found[0].name)

    rows(page).first.locator("[role=gridcell]").nth(1).click()
    expect(page.locator("#iv-details .iv-name")).to_be_visible()
    expect(page.locator("#iv-details a").first).to_have_attribute("rel", "noopener noreferrer")
    screenshot(page, "interventions")


def test_recommender_describes_situation(page, server):
    page.get_by_role("tab", name="Interventies").click()
    if server.services.recommender is None:
        expect(page.locator("#iv-advice")).to_contain_text("niet beschikbaar")
        return
    page.locator("#iv-need textarea").fill(
        "Veel leerlingen in groep 6 lopen achter met begrijpend lezen; weinig budget.")
    page.locator("#iv-recommend").click()
    cards = page.locator("#iv-advice li.intervention")
    expect(cards.first).to_be_visible()
    expect(cards.first.locator(".iv-headline")).to_contain_text("effect")
