"""Sources: what the knowledge base holds per site, and a search with working links."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from ui_helpers import pick, screenshot


def test_sources_overview_and_search(page, server):
    sites = sorted({row.site for row in server.services.kb.registry.all()})
    page.get_by_role("tab", name="Bronnen").click()
    table = page.locator("#sources-table")
    for site in sites:
        expect(table).to_contain_text(site)
    expect(page.locator("#sources-summary")).to_contain_text(f"van {len(sites)} sites")

    page.locator("#sources-query textarea, #sources-query input").first.fill("SiSa verantwoording")
    page.locator("#sources-search").click()
    results = page.locator("#sources-results li.source")
    expect(results.first).to_be_visible()
    href = results.first.locator("a").get_attribute("href")
    assert re.match(r"^https?://", href)

    pick(page, "sources-site", sites[0])
    page.locator("#sources-search").click()
    expect(page.locator("#sources-results .source-meta").first).to_contain_text(sites[0])
    page.locator("#sources-docs-acc").get_by_text("Alle documenten").click()
    expect(page.locator("#sources-documents li").first).to_contain_text(sites[0])
    screenshot(page, "sources")


def test_search_echo_is_escaped(page):
    page.get_by_role("tab", name="Bronnen").click()
    hostile = "<img src=x onerror=alert(1)> GOAB"
    page.locator("#sources-query textarea, #sources-query input").first.fill(hostile)
    page.locator("#sources-search").click()
    results = page.locator("#sources-results")
    expect(results).to_contain_text(hostile)
    assert results.locator("img").count() == 0
    assert not page.dialogs
