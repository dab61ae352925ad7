"""Facilitator: a session briefing on a theme, downloadable as Markdown."""

from __future__ import annotations

from playwright.sync_api import expect
from ui_helpers import pick, screenshot


def test_briefing_for_theme_and_markdown_export(page, server):
    page.get_by_role("tab", name="Kenniskring").click()
    download = page.locator("#facilitator-download")
    expect(download).to_be_disabled()
    pick(page, "facilitator-theme", "thuiszitters")
    page.locator("#facilitator-make").click()
    briefing = page.locator("#facilitator-briefing")
    expect(briefing.locator("h1")).to_have_text("Sessiebriefing: thuiszitters")
    for heading in ("Kernfeiten", "Passende interventies", "Gespreksvragen", "Bronnen"):
        expect(briefing.locator("h2", has_text=heading)).to_be_visible()
    expect(page.locator("#facilitator-sources a.source-link").first).to_be_visible()
    expect(download).to_be_enabled()
    with page.expect_download() as info:
        download.click()
    file = info.value
    assert file.suggested_filename.startswith("briefing-thuiszitters-")
    assert file.suggested_filename.endswith(".md")
    text = open(file.path(), encoding="utf-8").read()
    assert text.startswith("# Sessiebriefing: thuiszitters")
    assert "## Gespreksvragen" in text and "https://" in text
    screenshot(page, "facilitator")


def test_briefing_for_typed_theme(page):
    page.get_by_role("tab", name="Kenniskring").click()
    box = page.locator("#facilitator-theme input")
    box.fill("voorschoolse educatie")
    box.press("Enter")
    page.locator("#facilitator-make").click()
    expect(page.locator("#facilitator-briefing h1")).to_have_text(
        "Sessiebriefing: voorschoolse educatie")
