"""A running server, as operators run it (a real process on a free loopback port):

- it finds documents that another process (``kennisloket import``) added while it runs, with
  the default embedded Chroma, within seconds and without a 503;
- ``X-Forwarded-For`` from loopback buys no fresh rate-limit bucket, under ``kennisloket
  serve`` and under plain ``uvicorn`` with its defaults, unless a proxy is configured;
- its logs (uvicorn's access log included) hold no personal data from questions.
"""

from __future__ import annotations

import random
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from live_server import BIN, LiveServer, server_env

WORD = "zebravinkenregeling"


def _import(folder: Path, env: dict) -> None:
    r = subprocess.run([str(BIN / "kennisloket"), "import", str(folder)], env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr


def _poll_search(url: str, wanted, seconds: float = 10.0) -> tuple[bool, list[int]]:
    """Search until ``wanted(results)`` holds, with and without a site filter; every status."""
    statuses: list[int] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        results = []
        for params in ({"q": WORD, "k": 3}, {"q": WORD, "k": 3, "site": "lokaal"}):
            r = httpx.get(f"{url}/v1/search", params=params, timeout=30)
            statuses.append(r.status_code)
            results.append(r.json().get("results", []) if r.status_code == 200 else [])
        if all(wanted(res) for res in results):
            return True, statuses
        time.sleep(0.5)
    return False, statuses


def test_server_finds_documents_another_process_imported(tmp_path):
    env = server_env(tmp_path / "data", rate_limit_per_minute="100000")
    server = LiveServer.serve(env, tmp_path / "serve.log", "--no-ui")
    try:
        folder = tmp_path / "stukken"
        folder.mkdir()
        note = folder / "regeling.txt"
        uri = note.resolve().as_uri()
        note.write_text(f"Zebravinkenregeling Testdorp\n\nDe {WORD} van gemeente Testdorp "
                        "geeft elke basisschool een leesconsulent voor begrijpend lezen.",
                        "utf-8")
        _import(folder, env)
        found, statuses = _poll_search(server.url, lambda res: res and res[0]["url"] == uri)
        assert 503 not in statuses, statuses
        assert found, "het nieuwe document wordt niet (als eerste) gevonden"

        note.write_text(f"Zebravinkenregeling Testdorp\n\nDe {WORD} is per 2025 "
                        "uitgebreid met een tweede leesconsulent per school.", "utf-8")
        _import(folder, env)  # a changed document: its old chunk is deleted elsewhere
        found, statuses = _poll_search(
            server.url, lambda res: res and "tweede leesconsulent" in res[0]["text"])
        assert 503 not in statuses and found, statuses
        health = httpx.get(f"{server.url}/healthz").json()
        assert health["status"] == "ok" and health["chunks"] == health["catalog_chunks"]
    finally:
        server.stop()


@pytest.mark.parametrize("launcher", ["serve", "uvicorn"])
def test_spoofed_forwarded_for_gets_no_fresh_bucket(tmp_path, launcher):
    env = server_env(tmp_path / "data", rate_limit_per_minute="5")
    start = LiveServer.serve if launcher == "serve" else LiveServer.uvicorn
    server = start(env, tmp_path / "server.log", *(["--no-ui"] if launcher == "serve" else []))
    try:
        codes = []
        for _ in range(15):
            spoofed = ".".join(str(random.randint(1, 254)) for _ in range(4))
            codes.append(httpx.get(f"{server.url}/v1/sources",
                                   headers={"X-Forwarded-For": spoofed}).status_code)
        assert codes.count(200) <= 5 and codes.count(429) >= 10, codes
    finally:
        server.stop()


def test_configured_proxy_is_trusted(tmp_path):
    env = server_env(tmp_path / "data", rate_limit_per_minute="3",
                     forwarded_allow_ips="127.0.0.1")
    server = LiveServer.serve(env, tmp_path / "serve.log", "--no-ui")
    try:
        def get(client_ip: str) -> int:
            return httpx.get(f"{server.url}/v1/sources",
                             headers={"X-Forwarded-For": client_ip}).status_code

        assert [get("10.0.0.1") for _ in range(4)] == [200, 200, 200, 429]
        assert get("10.0.0.2") == 200  # another client behind the proxy has its own bucket
    finally:
        server.stop()


def test_access_log_holds_no_personal_data(tmp_path):
    env = server_env(tmp_path / "data", rate_limit_per_minute="1000")
    server = LiveServer.uvicorn(env, tmp_path / "uvicorn.log", "--log-level", "info")
    try:
        question = "mijn bsn is 111222333, mail jan@example.org of bel 06-12345678"
        r = httpx.get(f"{server.url}/v1/search", params={"q": question})
        assert r.status_code == 200
    finally:
        log = server.stop()
    assert "/v1/search" in log  # the access log is on
    for secret in ("111222333", "jan%40example.org", "jan@example.org", "06-12345678"):
        assert secret not in log
    assert "[BSN verwijderd]" in log
