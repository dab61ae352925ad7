"""Fetch and extract one page (runs in a worker thread): URL in, document or reason out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from pydantic import ValidationError

from ingest.extract_html import ExtractionError, NoMainText, extract_html
from ingest.extract_pdf import extract_pdf
from ingest.fetcher import FetchResult, SiteFetcher
from ingest.language import looks_dutch
from kb.documents import SourceDocument
from kb.validation_messages import problems_of, summary


@dataclass
class PageWork:
    url: str  # public URL as queued
    depth: int
    fetch: FetchResult | None = None
    doc: SourceDocument | None = None
    links: list[str] = field(default_factory=list)  # public URLs on the same site
    skip_reason: str | None = None
    error: str | None = None
    text_chars: int | None = None  # main-text length of an indexable HTML page (0: none)


def title_from_url(url: str) -> str:
    name = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])
    name = re.sub(r"\.(pdf|html?)$", "", name, flags=re.I)
    return re.sub(r"[-_]+", " ", name).strip().capitalize() or url


def fetch_page(fetcher: SiteFetcher, url: str, depth: int, etag: str | None = None,
               last_modified: str | None = None) -> PageWork:
    """Never raises: every failure comes back as ``error`` with a Dutch reason."""
    work = PageWork(url, depth)
    try:
        work.fetch = result = fetcher.fetch(url, etag, last_modified)
        if result.outcome == "ok":
            _extract(fetcher, work, result)
    except Exception as exc:  # noqa: BLE001 - one bad page must never stop the crawl
        work.error = f"onverwachte fout ({type(exc).__name__}: {exc})"[:300]
    return work


def _extract(fetcher: SiteFetcher, work: PageWork, result: FetchResult) -> None:
    profile = fetcher.profile
    url = result.public_url
    try:
        if result.is_pdf:
            pdf = extract_pdf(result.content, fallback_title=title_from_url(url))
            work.doc = SourceDocument(
                key=f"page:{url}", url=url, title=pdf.title, site=profile.name,
                doc_type="pdf", text=pdf.text, published=pdf.published,
                audience=profile.audience)
            return
        page = extract_html(result.content, url, profile.selectors, result.charset)
    except NoMainText as exc:
        work.error, work.text_chars = str(exc), 0
        return
    except ExtractionError as exc:
        work.error = str(exc)
        return
    except ValidationError as exc:
        work.error = f"ongeldig document ({summary(problems_of(exc.errors(), whole='document'), most=2)})"
        return
    if not page.nofollow:
        mapped = (profile.to_public(link) for link in page.links)
        work.links = [m for m in dict.fromkeys(mapped) if m]
    if page.noindex:
        work.skip_reason = "pagina vraagt noindex"
        return
    if not looks_dutch(page.text, page.lang):
        work.skip_reason = f"niet Nederlandstalig (lang={page.lang or '?'})"
        return
    work.text_chars = len(page.text)
    canonical = profile.to_public(page.canonical) if page.canonical else None
    if not canonical or not profile.in_scope(canonical):
        canonical = url
    try:
        work.doc = SourceDocument(
            key=f"page:{canonical}", url=canonical, title=page.title[:300] or url,
            site=profile.name, doc_type="page", text=page.text, published=page.published,
            topics=page.breadcrumb[:8], audience=profile.audience)
    except ValidationError as exc:
        work.error = f"ongeldig document ({summary(problems_of(exc.errors(), whole='document'), most=2)})"
