"""The anonymous Gradio API never hands out stored feedback, and it shares the API's limits.

Every Gradio event handler is a public endpoint (``/ui/gradio_api/queue/join`` by
``fn_index``, ``/ui/gradio_api/call/<api_name>`` by name), whatever the page shows. The
app runs for real under uvicorn on a free loopback port; every handler is called
anonymously with the inputs the page itself starts with, and no response (nor any file a
response links to) may contain a feedback row stored just before.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid

from pathlib import Path

import httpx
import pytest

from chroma_server import free_port
from kb.knowledge_base import KnowledgeBase
from service.services import Services

TIMEOUT_S = 60.0
MINI_CARDS = Path(__file__).resolve().parents[1] / "fixtures" / "cards" / "mini"


@pytest.fixture(scope="module")
def ui_server(tmp_path_factory, embeddings):
    for name, value in (("GRADIO_ANALYTICS_ENABLED", "False"), ("HF_HUB_OFFLINE", "1"),
                        ("HF_HUB_DISABLE_TELEMETRY", "1")):
        os.environ.setdefault(name, value)
    import uvicorn

    from kb.settings import load_settings
    from kennisloket.server import build_app

    settings = load_settings(data_dir=tmp_path_factory.mktemp("gradio-api") / "data",
                             cards_dir=MINI_CARDS, rate_limit_per_minute=100_000)
    kb = KnowledgeBase(settings, embeddings=embeddings)
    kb.load_cards()
    services = Services.build(settings, kb=kb)
    app = build_app(settings, services=services)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + TIMEOUT_S
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", services
    server.should_exit = True
    thread.join(timeout=10)


def _events(response: httpx.Response):
    """(event, data) pairs of a Server-Sent Events stream."""
    event = None
    for line in response.iter_lines():
        if line.startswith("event:"):
            event = line.split(":", 1)[1].strip()
        elif line.startswith("data:"):
            yield event, line.split(":", 1)[1].strip()


def _run_queued(http: httpx.Client, base: str, dep: dict, data: list) -> list[str]:
    """One handler through the queue, as the page calls it; every message it sent back."""
    session = uuid.uuid4().hex[:11]
    trigger, event = next(((t[0], t[1]) for t in dep.get("targets", []) if t[0] is not None),
                          (None, None))
    # A table row click carries the row; other events carry nothing.
    event_data = {"index": [0, 0], "value": "", "row_value": [], "selected": True} \
        if event == "select" else None
    joined = http.post(f"{base}/ui/gradio_api/queue/join", json={
        "data": data, "fn_index": dep["id"], "trigger_id": trigger, "session_hash": session,
        "event_data": event_data})
    texts = [joined.text]
    if joined.status_code != 200:
        return texts
    with http.stream("GET", f"{base}/ui/gradio_api/queue/data",
                     params={"session_hash": session}) as stream:
        for _, raw in _events(stream):
            texts.append(raw)
            msg = json.loads(raw).get("msg")
            if msg in ("process_completed", "close_stream", "unexpected_error"):
                break
    return texts


def _run_named(http: httpx.Client, base: str, api_name: str, data: list) -> list[str]:
    """One named endpoint through ``/call/<api_name>`` (the documented REST route)."""
    started = http.post(f"{base}/ui/gradio_api/call/{api_name}", json={"data": data})
    texts = [started.text]
    if started.status_code != 200:
        return texts
    event_id = started.json()["event_id"]
    with http.stream("GET", f"{base}/ui/gradio_api/call/{api_name}/{event_id}") as stream:
        for event, raw in _events(stream):
            texts.append(raw)
            if event in ("complete", "error"):
                break
    return texts


def _linked_files(http: httpx.Client, texts: list[str]) -> list[str]:
    """Downloads that responses point at (Gradio file URLs), fetched as the visitor would."""
    bodies = []
    for text in texts:
        for part in text.split('"'):
            if "/gradio_api/file=" in part:
                bodies.append(http.get(part.replace("\\/", "/")).text)
    return bodies


def test_no_gradio_endpoint_returns_stored_feedback(ui_server):
    base, services = ui_server
    marker = f"feedbackmarker{uuid.uuid4().hex[:10]}"
    services.feedback.add(f"Vraag {marker}", f"Antwoord {marker}", "official", -1,
                          f"Toelichting {marker}", [f"https://example.org/{marker}"])
    with httpx.Client(timeout=TIMEOUT_S) as http:
        config = http.get(f"{base}/ui/config").json()
        info = http.get(f"{base}/ui/gradio_api/info")
        seen = [json.dumps(config), info.text]
        defaults = {c["id"]: c.get("props", {}).get("value") for c in config["components"]}
        called = 0
        for dep in config["dependencies"]:
            if not dep.get("backend_fn"):
                continue  # runs in the browser only
            data = [defaults.get(i) for i in dep["inputs"]]
            seen += _run_queued(http, base, dep, data)
            called += 1
        for name, endpoint in info.json().get("named_endpoints", {}).items():
            data = [p.get("parameter_default") for p in endpoint.get("parameters", [])]
            seen += _run_named(http, base, name.lstrip("/"), data)
        seen += _linked_files(http, seen)
    assert called >= 10  # the page really has its handlers (chat, helpdesk, sources, …)
    leaks = [text[:300] for text in seen if marker in text]
    assert not leaks, f"feedback is anonymously readable: {leaks}"


def test_feedback_export_only_with_the_key_and_nothing_left_behind(ui_server):
    import tempfile

    base, services = ui_server
    before = set(os.listdir(tempfile.gettempdir()))
    with httpx.Client(timeout=TIMEOUT_S) as http:
        assert http.get(f"{base}/v1/admin/feedback.csv").status_code == 401
        page = http.get(f"{base}/ui/").text
    assert "feedback-csv" not in page and "Feedback van gebruikers" not in page
    after = set(os.listdir(tempfile.gettempdir()))
    assert not {n for n in after - before if "feedback" in n}
