"""Extract a crawled or imported HTML page: main text, title, date, links and robots meta.

Steps: parse with beautifulsoup4 (lxml, lenient) → read links, canonical, robots meta,
language and breadcrumb (``ingest/page_facts.py``) → drop hidden elements
(``ingest/hidden.py``: where injected instructions hide) → apply the site profile's selector
overrides, if it has any → main text and title by trafilatura (``ingest/main_text.py``),
Markdown with headings kept → the newest of publication and modification date by htmldate
(``ingest/page_dates.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bs4 import BeautifulSoup

from ingest import page_facts
from ingest.hidden import drop_hidden
from ingest.main_text import extract_main_text
from ingest.page_dates import page_date, split_date_line
from ingest.profiles import Selectors

MIN_TEXT_CHARS = 40
NO_MAIN_TEXT = "geen leesbare hoofdtekst gevonden"


class ExtractionError(ValueError):
    """The page has no usable content; ``str(exc)`` is the Dutch reason."""


class NoMainText(ExtractionError):
    """The page parsed, but no main text (of at least MIN_TEXT_CHARS) was found."""

    def __init__(self) -> None:
        super().__init__(NO_MAIN_TEXT)


@dataclass
class ExtractedPage:
    title: str
    text: str
    published: date | None = None  # the newest of publication and modification date
    canonical: str | None = None
    links: list[str] = field(default_factory=list)
    lang: str | None = None
    noindex: bool = False
    nofollow: bool = False
    breadcrumb: list[str] = field(default_factory=list)


def extract_html(content: bytes | str, url: str, selectors: Selectors,
                 charset: str | None = None) -> ExtractedPage:
    """Extract one page; raises :class:`ExtractionError` when nothing readable is left."""
    if isinstance(content, bytes) and _looks_binary(content):
        raise ExtractionError("onleesbare HTML (binaire of kapotte inhoud)")
    soup = BeautifulSoup(content, "lxml", from_encoding=charset if isinstance(content, bytes)
                         else None)
    facts = page_facts.read_facts(soup, url)
    drop_hidden(soup)
    crumbs = page_facts.take_breadcrumb(soup, selectors)
    date_parts = split_date_line(page_facts.date_texts(soup, selectors))
    title = page_facts.title_override(soup, selectors)
    page_facts.remove_overridden(soup, selectors)
    page_facts.unwrap_heading_buttons(soup)
    html = str(soup)
    main = extract_main_text(page_facts.content_override(soup, selectors, MIN_TEXT_CHARS)
                             or html, url)
    if main is None or len(main.text) < MIN_TEXT_CHARS:
        raise NoMainText()
    title = title or main.title or next(
        (line.lstrip("# ") for line in main.text.splitlines() if line.strip()), "")[:120]
    return ExtractedPage(title=title, text=main.text, published=page_date(
                             html, date_parts, page_facts.modified_stamps(soup)),
                         canonical=facts.canonical, links=facts.links, lang=facts.lang,
                         noindex=facts.noindex, nofollow=facts.nofollow, breadcrumb=crumbs)


def _looks_binary(content: bytes) -> bool:
    sample = content[:4096]
    if not sample:
        return True
    controls = sum(b < 9 or 13 < b < 32 for b in sample)
    return controls / len(sample) > 0.05
