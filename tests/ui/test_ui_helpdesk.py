"""Helpdesk: an incoming question becomes an editable, formal draft with sources."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from ui_helpers import screenshot

INCOMING = ("Goedemiddag, wij zijn een kleine gemeente. Hoe verantwoordt de gemeente de "
            "NPO-middelen?")


def test_draft_reply_with_sources_copy_and_regenerate(page, context, server):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page.get_by_role("tab", name="Helpdesk").click()
    page.locator("#helpdesk-question textarea").fill(INCOMING)
    page.locator("#helpdesk-make").click()
    draft = page.locator("#helpdesk-draft textarea")
    expect(draft).to_have_value(re.compile(r"^Geachte heer/mevrouw,"))
    text = draft.input_value()
    assert "Bronnen:" in text and "Met vriendelijke groet" in text
    # No claim without a source: every body sentence carries [n], every [n] is listed.
    links = page.locator("#helpdesk-sources a.source-link")
    expect(links.first).to_be_visible()
    listed = page.locator("#helpdesk-sources li.source").count()
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
    assert markers and markers <= set(range(1, listed + 1))
    body = text.split("\n\n")[2]
    sentences = [s for s in re.split(r"(?<=\])\s+", body) if s]
    assert sentences and all(re.search(r"\[\d+\]$", s.strip()) for s in sentences)
    for i in range(listed):
        assert re.match(r"^https?://", links.nth(i).get_attribute("href"))
    expect(page.locator("#helpdesk-check")).to_contain_text("bronnummer")

    # Editable, copyable, and regenerate restores the generated draft.
    draft.fill(text.replace("Geachte heer/mevrouw,", "Geachte mevrouw Jansen,"))
    page.locator("#helpdesk-copy").click()
    expect(page.locator("#helpdesk-copy-status")).to_contain_text("gekopieerd")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith("Geachte mevrouw Jansen,")
    screenshot(page, "helpdesk")
    page.locator("#helpdesk-regenerate").click()
    expect(draft).to_have_value(re.compile(r"^Geachte heer/mevrouw,"))


def test_draft_without_source_promises_follow_up(page):
    page.get_by_role("tab", name="Helpdesk").click()
    page.locator("#helpdesk-question textarea").fill("Wat is de hoofdstad van Frankrijk?")
    page.locator("#helpdesk-make").click()
    expect(page.locator("#helpdesk-check .no-source")).to_be_visible()
    text = page.locator("#helpdesk-draft textarea").input_value()
    assert "[1]" not in text and "terug" in text
