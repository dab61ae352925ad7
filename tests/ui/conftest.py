"""End-to-end fixtures: the real app on a free local port and headless Debian Chromium.

The knowledge base is seeded from the curated cards into a temporary data directory, the
FastAPI app with the Gradio UI runs under uvicorn in a background thread, and every page
runs behind a network guard that aborts and records any request to another host.
Outside CI the tests skip when Chromium is missing; in CI (env CI set) they must run.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
LOCAL_HOSTS = {"127.0.0.1"}
VIEWPORT = {"width": 1366, "height": 900}  # a common laptop screen
ROOT = Path(__file__).resolve().parents[2]
SEED_CACHE = ROOT / "test-artifacts" / "seed-cache"
SEED_SCRIPT = """
import sys
from rich.console import Console
from kb.settings import load_settings
from kennisloket.runtime import open_kb
open_kb(load_settings(data_dir=sys.argv[1]), Console(quiet=True))
"""

expect.set_options(timeout=20_000)


def pytest_collection_modifyitems(config, items):
    missing = not os.path.exists(CHROMIUM) and not os.environ.get("CI")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} ontbreekt (installeer: apt-get install chromium)")
    here = Path(__file__).parent
    for item in items:
        uses_browser = {"page", "context", "browser", "server"} & set(item.fixturenames)
        if uses_browser and Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)
            if missing:
                item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _seeded(settings) -> Path:
    """A data dir seeded from the cards by ``open_kb``, cached per card set and model.

    Embedding every card takes most of a minute on two cores, so the seeded directory is
    kept under test-artifacts/ (git-ignored) and reused while the cards stay the same.
    Seeding runs in a child process, so the copy is taken from a closed store.
    """
    digest = hashlib.sha256(settings.embedding_model.encode())
    for card in sorted(Path(settings.cards_dir).rglob("*.md")):
        digest.update(card.relative_to(settings.cards_dir).as_posix().encode())
        digest.update(card.read_bytes())
    target = SEED_CACHE / digest.hexdigest()[:16]
    if target.exists():
        return target
    for stale in SEED_CACHE.glob("*"):  # older card sets; leave other runs' builds alone
        if not stale.name.startswith("building-"):
            shutil.rmtree(stale, ignore_errors=True)
    building = SEED_CACHE / f"building-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    subprocess.run([sys.executable, "-c", SEED_SCRIPT, str(building)], check=True, cwd=ROOT)
    try:
        building.rename(target)
    except OSError:  # another test run finished the same card set first
        shutil.rmtree(building, ignore_errors=True)
    return target


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The real app (API + UI at /ui) with a seeded knowledge base, on 127.0.0.1."""
    for name, value in (("GRADIO_ANALYTICS_ENABLED", "False"), ("HF_HUB_OFFLINE", "1"),
                        ("HF_HUB_DISABLE_TELEMETRY", "1")):
        os.environ.setdefault(name, value)
    import uvicorn
    from rich.console import Console

    from kb.settings import load_settings
    from kennisloket.runtime import open_kb
    from kennisloket.server import build_app
    from service.services import Services

    data_dir = tmp_path_factory.mktemp("ui") / "data"
    shutil.copytree(_seeded(load_settings()), data_dir)
    # Every browser test comes from 127.0.0.1, and Gradio calls count against the limit.
    settings = load_settings(data_dir=data_dir, rate_limit_per_minute=100_000)
    kb = open_kb(settings, Console(quiet=True))  # already seeded: opens without work
    services = Services.build(settings, kb=kb)
    app = build_app(settings, services=services)
    port = _free_port()
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                       lifespan="on"))
    thread = threading.Thread(target=uv.run, name="kennisloket-ui-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not uv.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("de testserver is niet gestart")
        time.sleep(0.05)
    yield SimpleNamespace(url=f"http://127.0.0.1:{port}", services=services)
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                      args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def external_requests() -> list[str]:
    """Every request to another host made by any test page (the guard aborts them)."""
    return []


@pytest.fixture
def context(browser, external_requests):
    ctx = browser.new_context(locale="nl-NL", viewport=VIEWPORT, accept_downloads=True)

    def guard(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            external_requests.append(route.request.url)
            route.abort()

    ctx.route("**/*", guard)
    before = len(external_requests)
    yield ctx
    ctx.close()
    assert external_requests[before:] == [], "verzoeken naar andere hosts"


@pytest.fixture
def page(context, server):
    """A page with the UI loaded; JavaScript dialogs are recorded (none may appear)."""
    pg = context.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.set_default_timeout(20_000)
    pg.goto(f"{server.url}/ui/")
    pg.wait_for_selector("#chat-input textarea")
    yield pg
    assert not pg.dialogs, f"onverwachte dialoog: {pg.dialogs}"
