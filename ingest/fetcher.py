"""Polite HTTP fetching for one site profile (httpx, robots.txt, retries, size limits).

One :class:`SiteFetcher` per site. Every request, including each redirect hop and
robots.txt, passes the SSRF :class:`~ingest.guard.Guard` first and then the pacer, which
keeps at most ``concurrency`` requests in flight and at least ``delay`` seconds between two
request starts on the host.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.robotparser import RobotFileParser

import httpx

from ingest.guard import BlockedURL, Guard, Resolver, system_resolver
from ingest.profiles import SiteProfile
from ingest.urls import resolve

ROBOTS_TOKEN = "Kennisloket"
USER_AGENT = ("Kennisloket/0.1 (open-source kennisassistent over NP Onderwijs voor gemeenten; "
              "crawler respecteert robots.txt)")
HTML_TYPES = ("text/html", "application/xhtml+xml")
PDF_TYPES = ("application/pdf", "application/x-pdf")
PAGE_TYPES = (*HTML_TYPES, *PDF_TYPES)
SITEMAP_TYPES = ("application/xml", "text/xml", "application/gzip", "application/x-gzip",
                 "application/octet-stream", "text/plain")
REDIRECTS = (301, 302, 303, 307, 308)
# Why a page was not requested: robots.txt forbids it, or robots.txt itself could not be
# fetched (RFC 9309: then nothing may be crawled this run). Not the same message.
ROBOTS_FORBIDDEN = "verboden door robots.txt"
ROBOTS_UNREADABLE = "robots.txt niet op te halen; site deze keer overgeslagen"

Outcome = Literal["ok", "not_modified", "gone", "robots", "blocked", "skipped", "error"]


@dataclass
class FetchResult:
    public_url: str  # the page as the public site names it (after redirects)
    outcome: Outcome
    status: int = 0
    reason: str = ""
    content: bytes = b""
    content_type: str = ""
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    redirects: list[str] = field(default_factory=list)

    @property
    def is_pdf(self) -> bool:
        return self.content_type in PDF_TYPES


class Pacer:
    """At most ``concurrency`` requests at once, ``delay`` seconds between request starts."""

    def __init__(self, delay: float, concurrency: int) -> None:
        self.delay = delay
        self._slots = threading.Semaphore(concurrency)
        self._lock = threading.Lock()
        self._next = 0.0
        self._last_start = 0.0

    def slow_down(self, delay: float) -> None:
        """Raise the delay (robots.txt Crawl-delay); counts from the last request too."""
        with self._lock:
            if delay > self.delay:
                self.delay = delay
                self._next = max(self._next, self._last_start + delay)

    @contextmanager
    def slot(self) -> Iterator[None]:
        with self._slots:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next)
                self._next = start + self.delay
                self._last_start = start
            if start > now:
                time.sleep(start - now)
            yield


class _Retryable(Exception):
    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.wait = wait


class SiteFetcher:
    def __init__(self, profile: SiteProfile, *, transport: httpx.BaseTransport | None = None,
                 resolver: Resolver = system_resolver, retries: int = 3,
                 backoff_s: float = 1.0, max_redirects: int = 5,
                 max_retry_wait_s: float = 60.0) -> None:
        self.profile = profile
        trusted = [profile.mirror] if profile.mirror else []
        self.guard = Guard([profile.fetch_origin], trusted, resolver)
        self.retries = retries
        self.backoff_s = backoff_s
        self.max_redirects = max_redirects
        self.max_retry_wait_s = max_retry_wait_s
        # trust_env=False: a proxy from the environment must never reroute crawl traffic.
        self.client = httpx.Client(
            transport=transport, timeout=profile.timeout_s, follow_redirects=False,
            trust_env=False, headers={"User-Agent": USER_AGENT},
            limits=httpx.Limits(max_connections=profile.concurrency))
        self.pacer = Pacer(profile.delay_s, profile.concurrency)
        self._robots: RobotFileParser | None = None
        self._robots_lock = threading.Lock()
        self.robots_problem: str | None = None

    def close(self) -> None:
        self.client.close()

    # -- robots.txt ----------------------------------------------------------------------
    def robots(self) -> RobotFileParser:
        with self._robots_lock:
            if self._robots is None:
                self._robots = self._load_robots()
                delay = self._robots.crawl_delay(ROBOTS_TOKEN)
                if delay:
                    self.pacer.slow_down(float(delay))
            return self._robots

    def _load_robots(self) -> RobotFileParser:
        parser = RobotFileParser(self.profile.fetch_origin + "/robots.txt")
        try:
            self.guard.check(parser.url)
            response, body = self._request(parser.url, {}, 512_000, None)
        except (BlockedURL, _Retryable, _TooLarge) as exc:
            # RFC 9309: an unreachable robots.txt means "assume everything is disallowed".
            self.robots_problem = f"robots.txt niet op te halen ({exc}); site overgeslagen"
            parser.disallow_all = True
            return parser
        if response.status_code in (401, 403):
            parser.disallow_all = True
            self.robots_problem = (f"robots.txt niet op te halen (HTTP {response.status_code}); "
                                   "site overgeslagen")
        elif response.status_code >= 400:
            parser.allow_all = True
        else:
            parser.parse(body.decode("utf-8", "replace").splitlines())
        parser.modified()
        return parser

    def allowed(self, public_url: str) -> bool:
        return self.robots().can_fetch(ROBOTS_TOKEN, public_url)

    # -- pages ---------------------------------------------------------------------------
    def fetch(self, public_url: str, etag: str | None = None, last_modified: str | None = None,
              types: tuple[str, ...] = PAGE_TYPES, scoped: bool = True) -> FetchResult:
        """GET a page of this site, following redirects only inside the site's scope.

        ``scoped=False`` (sitemaps) skips the allow/exclude paths but not robots.txt."""
        headers = {"Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.1",
                   "Accept-Language": "nl,en;q=0.5"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current, hops = public_url, []
        for _ in range(self.max_redirects + 1):
            if scoped and not self.profile.in_scope(current):
                return FetchResult(current, "skipped", reason="buiten de toegestane paden",
                                   redirects=hops)
            if not self.allowed(current):
                if self.robots_problem:  # nothing is known to be forbidden: not "robots"
                    return FetchResult(current, "skipped", reason=ROBOTS_UNREADABLE,
                                       redirects=hops)
                return FetchResult(current, "robots", reason=ROBOTS_FORBIDDEN, redirects=hops)
            target = self.profile.to_fetch(current)
            try:
                self.guard.check(target)
                response, body = self._request(target, headers, self.profile.max_bytes, types)
            except BlockedURL as exc:
                return FetchResult(current, "blocked", reason=str(exc), redirects=hops)
            except _Retryable as exc:
                return FetchResult(current, "error", reason=str(exc), redirects=hops)
            except _TooLarge as exc:
                return FetchResult(current, "skipped", reason=str(exc), redirects=hops)
            except _WrongType as exc:
                return FetchResult(current, "skipped", reason=str(exc), redirects=hops)
            if response.status_code not in REDIRECTS:
                return self._result(current, response, body, hops)
            location = resolve(target, response.headers.get("location", ""))
            next_public = self.profile.to_public(location) if location else None
            if not next_public:
                return FetchResult(current, "blocked", status=response.status_code,
                                   reason=f"doorverwijzing naar ander domein: {location}",
                                   redirects=hops)
            hops.append(current)
            current = next_public
            headers.pop("If-None-Match", None)
            headers.pop("If-Modified-Since", None)
        return FetchResult(current, "error", reason="te veel doorverwijzingen", redirects=hops)

    def _result(self, public_url: str, response: httpx.Response, body: bytes,
                hops: list[str]) -> FetchResult:
        status = response.status_code
        base = dict(public_url=public_url, status=status, redirects=hops)
        if status == 304:
            return FetchResult(outcome="not_modified", **base)
        if status in (404, 410):
            return FetchResult(outcome="gone", reason=f"HTTP {status}", **base)
        if status != 200:
            return FetchResult(outcome="error", reason=f"HTTP {status}", **base)
        media, charset = _content_type(response)
        return FetchResult(outcome="ok", content=body, content_type=media, charset=charset,
                           etag=response.headers.get("etag"),
                           last_modified=response.headers.get("last-modified"), **base)

    def _request(self, url: str, headers: dict, limit: int,
                 types: tuple[str, ...] | None) -> tuple[httpx.Response, bytes]:
        """One GET with retries on 429/5xx/time-outs; returns the response and its body."""
        last = "onbekende fout"
        for attempt in range(self.retries + 1):
            try:
                with self.pacer.slot():
                    return self._once(url, headers, limit, types)
            except _Retryable as exc:
                last = str(exc)
                if attempt == self.retries:
                    break
                wait = exc.wait if exc.wait is not None else self.backoff_s * 2 ** attempt
                time.sleep(min(wait, self.max_retry_wait_s))
        raise _Retryable(f"{last} (na {self.retries + 1} pogingen)")

    def _once(self, url: str, headers: dict, limit: int,
              types: tuple[str, ...] | None) -> tuple[httpx.Response, bytes]:
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status == 429 or status >= 500:
                    raise _Retryable(f"HTTP {status}", _retry_after(response))
                if status == 200 and types is not None:
                    media, _ = _content_type(response)
                    if media not in types:
                        raise _WrongType(f"inhoudstype {media or 'onbekend'} niet ondersteund")
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > limit:
                        raise _TooLarge(f"te groot ({int(declared)} bytes, max {limit})")
                body = bytearray()
                for piece in response.iter_bytes():
                    body += piece
                    if len(body) > limit:
                        raise _TooLarge(f"te groot (meer dan {limit} bytes)")
                return response, bytes(body)
        except httpx.TimeoutException as exc:
            raise _Retryable(f"time-out ({type(exc).__name__})") from exc
        except httpx.TransportError as exc:
            raise _Retryable(f"verbindingsfout ({exc})") from exc


class _TooLarge(Exception):
    pass


class _WrongType(Exception):
    pass


def _content_type(response: httpx.Response) -> tuple[str, str | None]:
    raw = response.headers.get("content-type", "")
    media, _, params = raw.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.lower() == "charset" and value:
            charset = value.strip('"\' ')
    return media.strip().lower(), charset


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None
