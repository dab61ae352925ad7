"""Sitemap and sitemap-index discovery (XML, gzip-compressed XML, plain-text lists)."""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass, field
from datetime import date

from lxml import etree

from ingest.dates import parse_date
from ingest.fetcher import SITEMAP_TYPES, SiteFetcher

MAX_SITEMAPS = 200
MAX_XML_BYTES = 50_000_000  # the sitemaps.org limit for one uncompressed file


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: date | None = None


@dataclass
class Discovery:
    entries: list[SitemapEntry] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    sitemaps_read: int = 0


def _gunzip(content: bytes) -> bytes:
    # A bounded decompress: a "zip bomb" sitemap stops at the size limit.
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = inflater.decompress(content, MAX_XML_BYTES + 1)
    if len(out) > MAX_XML_BYTES:
        raise ValueError("uitgepakte sitemap te groot")
    return out


def parse_sitemap(content: bytes) -> tuple[list[SitemapEntry], list[str]]:
    """Page entries and child sitemap URLs of one sitemap or sitemap index."""
    if content[:2] == b"\x1f\x8b":
        try:
            content = _gunzip(content)
        except (OSError, zlib.error, gzip.BadGzipFile) as exc:
            raise ValueError(f"kapotte gzip ({exc})") from exc
    stripped = content.lstrip()
    if not stripped.startswith(b"<"):
        # Plain-text sitemap: one URL per line.
        lines = stripped.decode("utf-8", "replace").splitlines()
        return [SitemapEntry(s.strip()) for s in lines if s.strip().startswith("http")], []
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             recover=True)
    try:
        root = etree.fromstring(stripped, parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"ongeldige XML ({exc})") from exc
    if root is None:
        raise ValueError("lege of onleesbare XML")
    pages: list[SitemapEntry] = []
    children: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if name not in ("url", "sitemap"):
            continue
        values = {etree.QName(c).localname: (c.text or "").strip()
                  for c in element if isinstance(c.tag, str)}
        loc = values.get("loc")
        if not loc:
            continue
        if name == "sitemap":
            children.append(loc)
        else:
            pages.append(SitemapEntry(loc, parse_date(values.get("lastmod", ""))))
    return pages, children


def discover(fetcher: SiteFetcher, extra: list[str] | None = None) -> Discovery:
    """Read the profile's sitemaps plus those robots.txt names, following indexes."""
    profile = fetcher.profile
    queue = [profile.absolute(s) for s in profile.sitemaps]
    for url in [*(fetcher.robots().site_maps() or []), *(extra or [])]:
        public = profile.to_public(url)
        if public and public not in queue:
            queue.append(public)
    seen: set[str] = set()
    found = Discovery()
    while queue and found.sitemaps_read < MAX_SITEMAPS:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        result = fetcher.fetch(url, types=SITEMAP_TYPES, scoped=False)
        if result.outcome != "ok":
            found.errors.append((url, f"sitemap: {result.reason or result.outcome}"))
            continue
        found.sitemaps_read += 1
        try:
            pages, children = parse_sitemap(result.content)
        except ValueError as exc:
            found.errors.append((url, f"sitemap: {exc}"))
            continue
        for child in children:
            public = profile.to_public(child)
            if public and public not in seen:
                queue.append(public)
        found.entries.extend(pages)
    return found
