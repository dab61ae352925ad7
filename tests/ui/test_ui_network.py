"""The page makes no requests to other hosts (no analytics, CDN or web fonts)."""

from __future__ import annotations

from ui_helpers import screenshot

TABS = ["Vraag stellen", "Helpdesk", "Kenniskring", "Interventies", "Bronnen"]


def test_no_external_requests(page, external_requests):
    for label in TABS:
        page.get_by_role("tab", name=label).click()
        page.wait_for_timeout(300)
    html = page.content()
    assert "fonts.googleapis" not in html and "cdn.jsdelivr" not in html
    screenshot(page, "overview", full_page=False)
    assert external_requests == [], f"verzoeken naar andere hosts: {external_requests}"


def test_keyboard_only(page):
    """Ask with the keyboard alone, then reach another tab with Tab and Enter."""
    active = "() => document.activeElement.closest('[id]')?.id || ''"
    assert page.evaluate(active) == "chat-input"  # the question box has focus on load
    page.keyboard.type("Wat is de menukaart?")
    page.keyboard.press("Enter")
    page.locator("#chat-sources a.source-link").first.wait_for()
    for _ in range(40):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("() => document.activeElement.textContent.trim()") == "Helpdesk":
            break
    else:
        raise AssertionError("tab 'Helpdesk' is niet met het toetsenbord te bereiken")
    page.keyboard.press("Enter")
    page.locator("#helpdesk-question textarea").wait_for(state="visible")
