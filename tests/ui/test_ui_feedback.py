"""Feedback: thumbs with a comment are stored through the service; the page cannot read them."""

from __future__ import annotations

from playwright.sync_api import expect
from ui_helpers import screenshot

QUESTION = "Wat mag een gemeente met GOAB-geld betalen?"
COMMENT = "Mist de regel over ambtelijke uren — test"


def test_feedback_is_stored(page, server):
    before = len(server.services.feedback.all())
    page.locator("#chat-fb-up").click()  # nothing to rate yet
    expect(page.locator("#chat-fb-status")).to_contain_text("nog geen antwoord")
    assert len(server.services.feedback.all()) == before

    box = page.locator("#chat-input textarea")
    box.fill(QUESTION)
    box.press("Enter")
    expect(page.locator("#chat-sources a.source-link").first).to_be_visible()
    page.locator("#chat-fb-comment textarea").fill(COMMENT)
    page.locator("#chat-fb-down").click()
    expect(page.locator("#chat-fb-status .fb-saved")).to_contain_text("opgeslagen")
    expect(page.locator("#chat-fb-comment textarea")).to_have_value("")

    stored = server.services.feedback.all()
    assert len(stored) == before + 1
    row = stored[-1]
    assert (row["question"], row["mode"], row["rating"], row["comment"]) == (
        QUESTION, "official", -1, COMMENT)
    assert '"https://' in row["sources"]

    # Reading feedback is an admin function (API key, CLI): the page has no feedback tab.
    expect(page.get_by_role("tab", name="Feedback")).to_have_count(0)
    screenshot(page, "feedback")


def test_helpdesk_answer_can_be_rated(page, server):
    page.get_by_role("tab", name="Helpdesk").click()
    question = page.locator("#helpdesk-question textarea")
    question.fill("Hoe verantwoordt de gemeente de NPO-middelen?")
    page.locator("#helpdesk-make").click()
    expect(page.locator("#helpdesk-sources a.source-link").first).to_be_visible()
    page.locator("#helpdesk-fb-up").click()
    expect(page.locator("#helpdesk-fb-status .fb-saved")).to_be_visible()
    row = server.services.feedback.all()[-1]
    assert row["mode"] == "helpdesk" and row["rating"] == 1
    assert row["answer"].startswith("Geachte")
