"""Extract the readable content of an HTML page, driven by the site's CSS selectors.

Steps: parse (lxml, lenient) → collect links, canonical, robots meta, language → drop
hidden elements → read breadcrumb and date → strip boilerplate (navigation, cookie banners,
forms, footers, share blocks) → pick the main content by selector → render Markdown-ish
text with headings kept for the chunker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bs4 import BeautifulSoup, Tag

from ingest.dates import all_dates, date_after_cue, parse_date
from ingest.hidden import drop_hidden
from ingest.html_text import render
from ingest.profiles import Selectors
from ingest.urls import resolve

MIN_TEXT_CHARS = 40
BOILERPLATE_TAGS = ["script", "style", "noscript", "template", "iframe", "svg", "canvas",
                    "form", "button", "select", "input", "textarea", "nav", "aside", "dialog",
                    "object", "embed", "video", "audio", "map"]
BOILERPLATE_ROLES = ["navigation", "search", "dialog", "alertdialog", "banner", "contentinfo",
                     "complementary"]
_COOKIE = re.compile(r"cookie|consent|gdpr|privacy-?banner|cc-window|onetrust", re.I)
PUBLISHED_META = ["article:published_time", "dcterms.issued", "dcterms.created", "dc.date",
                  "dc.date.issued", "date", "pubdate", "publication_date"]
MODIFIED_META = ["article:modified_time", "dcterms.modified", "dc.date.modified",
                 "last-modified", "og:updated_time"]
GENERIC_CONTENT = ["main", "article", "[role=main]"]


class ExtractionError(ValueError):
    """The page has no usable content; ``str(exc)`` is the Dutch reason."""


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


def _first(soup: BeautifulSoup | Tag, selectors: list[str]) -> Tag | None:
    for selector in selectors:
        try:
            found = soup.select_one(selector)
        except Exception:  # noqa: BLE001 - an invalid selector in a profile is skipped
            continue
        if found is not None:
            return found
    return None


def _meta(soup: BeautifulSoup, names: list[str]) -> list[str]:
    values = []
    for tag in soup.find_all("meta"):
        key = str(tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        if key in names and tag.get("content"):
            values.append(str(tag["content"]))
    return values


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _page_date(soup: BeautifulSoup, selectors: Selectors) -> date | None:
    found: list[date] = []
    element = _first(soup, selectors.date)
    if element is not None:
        found.append(parse_date(str(element.get("datetime") or element.get("content") or "")))
        found.extend(all_dates(element.get_text(" ")[:300]))
    for value in _meta(soup, PUBLISHED_META + MODIFIED_META):
        found.append(parse_date(value))
    if not any(found):
        found.append(date_after_cue(soup.get_text(" ")[:20000]))
    dates = [d for d in found if d]
    return max(dates) if dates else None


def _title(soup: BeautifulSoup, selectors: Selectors) -> str:
    element = _first(soup, selectors.title)
    if element is not None and _clean(element.get_text(" ")):
        return _clean(element.get_text(" "))
    for value in _meta(soup, ["og:title", "dc.title"]):
        if _clean(value):
            return _clean(value)
    if soup.title and _clean(soup.title.get_text()):
        # "Pagina | Site" or "Pagina - Site": keep the page part.
        return re.split(r"\s+[|–—-]\s+", _clean(soup.title.get_text()))[0]
    return ""


def _strip_boilerplate(soup: BeautifulSoup, selectors: Selectors) -> None:
    doomed: list[Tag] = list(soup.find_all(BOILERPLATE_TAGS))
    doomed += soup.find_all(attrs={"role": BOILERPLATE_ROLES})
    doomed += [t for t in soup.find_all(True) if t.attrs is not None and
               _COOKIE.search(" ".join([str(t.get("id", "")), *(t.get("class") or [])]))]
    for selector in [*selectors.remove, *selectors.breadcrumb]:
        try:
            doomed += soup.select(selector)
        except Exception:  # noqa: BLE001
            continue
    for tag in doomed:
        if not tag.decomposed and tag.name not in ("html", "body"):
            tag.decompose()


def extract_html(content: bytes | str, url: str, selectors: Selectors,
                 charset: str | None = None) -> ExtractedPage:
    """Extract one page; raises :class:`ExtractionError` when nothing readable is left."""
    if isinstance(content, bytes) and _looks_binary(content):
        raise ExtractionError("onleesbare HTML (binaire of kapotte inhoud)")
    soup = BeautifulSoup(content, "lxml", from_encoding=charset if isinstance(content, bytes)
                         else None)
    html = soup.find("html")
    lang = str(html.get("lang") or "") if isinstance(html, Tag) else ""
    lang = lang or next(iter(_meta(soup, ["content-language"])), "")
    robots_tokens = set(" ".join(_meta(soup, ["robots"])).lower().replace(",", " ").split())
    canonical_tag = soup.find("link", rel="canonical")
    canonical = resolve(url, str(canonical_tag.get("href", ""))) if canonical_tag else None
    links = []
    for anchor in soup.find_all("a", href=True):
        if "nofollow" in str(anchor.get("rel") or "").lower():
            continue
        target = resolve(url, str(anchor["href"]))
        if target:
            links.append(target)

    for tag in soup.find_all(["script", "style", "noscript", "template"]):
        if tag.name != "style":
            tag.decompose()
    drop_hidden(soup)  # uses the <style> rules, so they go only after this
    crumb = _first(soup, selectors.breadcrumb)
    breadcrumb = [_clean(li.get_text(" ")) for li in (crumb.find_all(["li", "a"]) if crumb else [])]
    breadcrumb = [b for b in dict.fromkeys(breadcrumb) if b and b.lower() != "home"]
    published = _page_date(soup, selectors)
    title = _title(soup, selectors)
    _strip_boilerplate(soup, selectors)

    main = None
    for selector in [*selectors.content, *GENERIC_CONTENT]:
        candidate = _first(soup, [selector])
        if candidate is not None and len(candidate.get_text(strip=True)) >= MIN_TEXT_CHARS:
            main = candidate
            break
    if main is None:
        main = soup.body or soup
        for tag in main.find_all(["header", "footer"]):
            tag.decompose()
    text = render(main)
    if len(text) < MIN_TEXT_CHARS:
        raise ExtractionError("geen leesbare hoofdtekst gevonden")
    if not title:
        title = next((line.lstrip("# ") for line in text.splitlines() if line.strip()), "")[:120]
    return ExtractedPage(title=title, text=text, published=published, canonical=canonical,
                         links=list(dict.fromkeys(links)), lang=lang or None,
                         noindex=bool({"noindex", "none"} & robots_tokens),
                         nofollow=bool({"nofollow", "none"} & robots_tokens),
                         breadcrumb=breadcrumb)


def _looks_binary(content: bytes) -> bool:
    sample = content[:4096]
    if not sample:
        return True
    controls = sum(b < 9 or 13 < b < 32 for b in sample)
    return controls / len(sample) > 0.05
