"""Real FastAPI requests through the app, on real Chroma."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from service.api.app import create_app
from service.services import Services


@pytest.fixture
def client(mini_kb):
    settings = mini_kb.settings.model_copy(update={"api_key": "geheim",
                                                   "rate_limit_per_minute": 1000})
    services = Services.build(settings, kb=mini_kb)
    return TestClient(create_app(services))


def assert_dutch_error(response, status):
    assert response.status_code == status
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    return body["detail"]


def test_ask_returns_the_documented_shape(client, mini_kb):
    r = client.post("/v1/ask", json={"question": "Hoeveel uur voorschoolse educatie krijgen "
                                                 "peuters?"})
    assert r.status_code == 200
    body = r.json()
    assert {"question", "mode", "answer", "refused", "citations", "interventions",
            "timings_ms"} <= set(body)
    first = body["citations"][0]
    snippet = first.pop("snippet")
    assert first == {
        "n": 1, "title": "Testkaart: 960 uur voorschoolse educatie",
        "url": "https://goab.eu/thema-s/voorschoolse-educatie/", "site": "goab.eu",
        "published": "2020-08-01"}
    # The snippet is the cited passage itself: a whole, unaltered excerpt of the card's text
    # (whitespace folded), short enough to show, holding the fact that was asked for.
    card = (mini_kb.settings.cards_dir / "goab-test-ve-uren.md").read_text("utf-8").split("---", 2)[2]
    assert snippet.startswith("Sinds 1 augustus 2020 krijgen peuters")
    assert snippet.rstrip("…") in " ".join(card.split())
    assert "960 uur voorschoolse educatie" in snippet and len(snippet) <= 280


@pytest.mark.parametrize("mode, marker", [("official", "[1]"),
                                          ("helpdesk", "Geachte heer/mevrouw"),
                                          ("facilitator", "# Sessiebriefing")])
def test_each_mode_over_http(client, mode, marker):
    r = client.post("/v1/ask", json={"question": "Hoe verantwoorden gemeenten de specifieke uitkering voor het NPO?",
                                     "mode": mode})
    assert r.status_code == 200 and marker in r.json()["answer"]


def test_chat_streams_server_sent_events_with_history(client):
    body = {"messages": [
        {"role": "user", "content": "Hoe verantwoorden gemeenten de NPO-middelen?"},
        {"role": "assistant", "content": "Via SiSa [1]."},
        {"role": "user", "content": "en in welke termijnen wordt het betaald?"}]}
    with client.stream("POST", "/v1/chat", json=body) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        events = []
        for line in r.iter_lines():
            if line.startswith("event:"):
                events.append([line.split(":", 1)[1].strip(), None])
            elif line.startswith("data:"):
                events[-1][1] = json.loads(line.split(":", 1)[1])
    names = [e for e, _ in events]
    assert names[0] == "meta" and names[-1] == "done" and "delta" in names
    streamed = "".join(d["text"] for e, d in events if e == "delta")
    done = events[-1][1]
    assert streamed == done["answer"] and "maandelijkse termijnen" in streamed


def test_chat_without_streaming_and_bad_last_role(client):
    r = client.post("/v1/chat", json={"stream": False, "messages": [
        {"role": "user", "content": "Wat is het Thuiszitterspact?"}]})
    assert r.status_code == 200 and "2016" in r.json()["answer"]
    r = client.post("/v1/chat", json={"messages": [{"role": "assistant", "content": "hoi"}]})
    assert "gebruiker" in assert_dutch_error(r, 400)


@pytest.mark.parametrize("payload, status, phrase", [
    ({"question": ""}, 400, "leeg"),
    ({"question": "x" * 600}, 400, "te lang"),
    ({"question": "vraag", "mode": "piraat"}, 422, "Ongeldige invoer"),
    ({}, 422, "verplicht veld ontbreekt"),
])
def test_invalid_input_gets_a_dutch_json_error(client, payload, status, phrase):
    assert phrase in assert_dutch_error(client.post("/v1/ask", json=payload), status)


def test_oversize_request_is_refused(client):
    r = client.post("/v1/ask", content=b"{" + b" " * 70_000 + b"}",
                    headers={"content-type": "application/json"})
    assert "te groot" in assert_dutch_error(r, 413)


def test_search_one_result_per_url_and_filters(client):
    r = client.get("/v1/search", params={"q": "NPO-middelen gemeenten", "k": 10})
    urls = [x["url"] for x in r.json()["results"]]
    assert urls and len(urls) == len(set(urls))
    r = client.get("/v1/search", params={"q": "thuiszitters", "site": "example.org"})
    assert "Onbekende waarde" in assert_dutch_error(r, 400)


def test_sources_lists_the_knowledge_base(client):
    body = client.get("/v1/sources").json()
    assert body["total"] == 5
    assert {"site": "vng.nl", "doc_type": "card", "documents": 2} .items() <= \
        next(s for s in body["summary"] if s["site"] == "vng.nl").items()


def test_feedback_is_stored(client, mini_kb):
    r = client.post("/v1/feedback", json={"question": "Wat is VE?", "answer": "960 uur [1]",
                                          "rating": -1, "comment": "te kort",
                                          "sources": ["https://goab.eu/x"]})
    assert r.status_code == 201
    from service.feedback import FeedbackStore

    (row,) = FeedbackStore(mini_kb.registry).all()
    assert (row["rating"], row["comment"]) == (-1, "te kort")
    assert client.post("/v1/feedback", json={"question": "x", "answer": "y",
                                             "rating": 5}).status_code == 422


def test_admin_routes_need_the_api_key(client):
    assert "API-sleutel" in assert_dutch_error(client.post("/v1/admin/reload-cards"), 401)
    assert assert_dutch_error(client.post("/v1/admin/reload-cards",
                                          headers={"X-API-Key": "fout"}), 401)
    r = client.post("/v1/admin/reload-cards", headers={"X-API-Key": "geheim"})
    assert r.status_code == 200 and r.json()["unchanged"] == 5
    r = client.get("/v1/admin/feedback.csv", headers={"X-API-Key": "geheim"})
    assert r.status_code == 200 and r.text.startswith("id,created_at")


def test_admin_is_off_without_a_configured_key(mini_kb):
    client = TestClient(create_app(Services.build(mini_kb.settings, kb=mini_kb)))
    assert "uitgeschakeld" in assert_dutch_error(
        client.post("/v1/admin/reload-cards", headers={"X-API-Key": ""}), 401)


def test_rate_limit_per_client(mini_kb):
    settings = mini_kb.settings.model_copy(update={"rate_limit_per_minute": 3})
    client = TestClient(create_app(Services.build(settings, kb=mini_kb)))
    codes = [client.get("/v1/sources").status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    r = client.get("/v1/sources")
    assert "Te veel verzoeken" in assert_dutch_error(r, 429) and "retry-after" in r.headers
    assert client.get("/healthz").status_code == 200  # health checks are not limited


def test_health_metrics_docs_and_unknown_route(client):
    assert client.get("/healthz").json()["chunks"] > 0
    client.post("/v1/ask", json={"question": "Wat is het Thuiszitterspact?"})
    metrics = client.get("/metrics").text
    assert 'kennisloket_http_requests_total{method="POST",route="/v1/ask",status="200"}' in metrics
    assert "kennisloket_answers_total" in metrics
    assert client.get("/openapi.json").json()["info"]["title"] == "Kennisloket"
    assert assert_dutch_error(client.get("/bestaat-niet"), 404) == "Niet gevonden."


def test_recommend_endpoint(starter_services):
    client = TestClient(create_app(starter_services))
    r = client.post("/v1/recommend", json={"need": "begrijpend lezen", "level": "po",
                                           "max_cost": 2})
    assert r.status_code == 200 and r.json()["interventions"][0]["id"] == "begrijpend-lezen"
    r = client.post("/v1/recommend", json={"need": "nieuwe fietsenstalling voor het schoolplein"})
    assert r.json()["interventions"] == [] and "Geen passende interventie" in r.json()["message"]


def test_admin_crawl_without_crawler_and_with_unknown_site(mini_kb):
    from ingest.admin import CrawlJobs

    services = Services.build(mini_kb.settings.model_copy(update={"api_key": "k"}), kb=mini_kb)
    client = TestClient(create_app(services))
    headers = {"X-API-Key": "k"}
    assert "niet ingeschakeld" in assert_dutch_error(
        client.post("/v1/admin/crawl", json={}, headers=headers), 503)
    services.crawler = CrawlJobs(mini_kb)  # the real job runner, as kennisloket serve wires it
    r = client.post("/v1/admin/crawl", json={"sites": ["example.org"]}, headers=headers)
    assert_dutch_error(r, 422)
    assert assert_dutch_error(client.get("/v1/admin/crawl/onbekend", headers=headers), 404)
