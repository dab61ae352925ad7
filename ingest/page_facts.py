"""What beautifulsoup4 reads from a page besides its text: links, canonical URL, robots meta,
language and breadcrumb; and a site profile's selector overrides."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from bs4 import BeautifulSoup, Tag

from ingest.profiles import Selectors
from ingest.urls import resolve


@dataclass
class PageFacts:
    links: list[str] = field(default_factory=list)
    canonical: str | None = None
    lang: str | None = None
    noindex: bool = False
    nofollow: bool = False


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def meta_values(soup: BeautifulSoup, names: list[str]) -> list[str]:
    values = []
    for tag in soup.find_all("meta"):
        key = str(tag.get("property") or tag.get("name") or tag.get("http-equiv") or "").lower()
        if key in names and tag.get("content"):
            values.append(str(tag["content"]))
    return values


# Meta tags that carry a page's modification date as an ISO 8601 stamp (see page_dates.py).
MODIFIED_META = ["dcterms.modified", "article:modified_time", "og:updated_time",
                 "dc.date.modified"]


def modified_stamps(soup: BeautifulSoup) -> list[str]:
    return meta_values(soup, MODIFIED_META)


def unwrap_heading_buttons(soup: BeautifulSoup) -> None:
    """An accordion question is often a <button> inside a heading (the accessible
    accordion pattern); trafilatura drops buttons, so the button gives way to its text."""
    for button in soup.select("h1 button, h2 button, h3 button, h4 button, h5 button, "
                              "h6 button"):
        button.unwrap()


def read_facts(soup: BeautifulSoup, url: str) -> PageFacts:
    """Links (all of them: the crawler decides what to follow), canonical, robots, lang."""
    html = soup.find("html")
    lang = str(html.get("lang") or "") if isinstance(html, Tag) else ""
    lang = lang or next(iter(meta_values(soup, ["content-language"])), "")
    robots = set(" ".join(meta_values(soup, ["robots"])).lower().replace(",", " ").split())
    canonical_tag = soup.find("link", rel="canonical")
    canonical = resolve(url, str(canonical_tag.get("href", ""))) if canonical_tag else None
    links = []
    for anchor in soup.find_all("a", href=True):
        if "nofollow" in str(anchor.get("rel") or "").lower():
            continue
        target = resolve(url, str(anchor["href"]))
        if target:
            links.append(target)
    return PageFacts(links=list(dict.fromkeys(links)), canonical=canonical,
                     lang=lang or None, noindex=bool({"noindex", "none"} & robots),
                     nofollow=bool({"nofollow", "none"} & robots))


def select_first(soup: BeautifulSoup | Tag, selectors: list[str]) -> Tag | None:
    for selector in selectors:
        try:
            found = soup.select_one(selector)
        except Exception:  # noqa: BLE001 - an invalid selector in a profile is skipped
            continue
        if found is not None:
            return found
    return None


def take_breadcrumb(soup: BeautifulSoup, selectors: Selectors) -> list[str]:
    """The breadcrumb trail (becomes the document's topics, "Home" left out); the element
    itself is removed, so it never reaches the main text."""
    crumb = select_first(soup, selectors.breadcrumb)
    if crumb is None:
        return []
    items = [_clean(li.get_text(" ")) for li in crumb.find_all(["li", "a"])]
    crumb.decompose()
    return [b for b in dict.fromkeys(items) if b and b.lower() != "home"]


def date_texts(soup: BeautifulSoup, selectors: Selectors) -> list[str]:
    """Override: the text and ``datetime`` values of the site's date element, if any."""
    element = select_first(soup, selectors.date)
    if element is None:
        return []
    stamps = [str(t.get("datetime")) for t in element.find_all("time") if t.get("datetime")]
    if element.name == "time" and element.get("datetime"):
        stamps.append(str(element["datetime"]))
    return [*stamps, element.get_text("\n")]


def title_override(soup: BeautifulSoup, selectors: Selectors) -> str:
    element = select_first(soup, selectors.title)
    return _clean(element.get_text(" ")) if element is not None else ""


def remove_overridden(soup: BeautifulSoup, selectors: Selectors) -> None:
    """Override: drop what the site's ``remove`` selectors name."""
    doomed: list[Tag] = []
    for selector in selectors.remove:
        try:
            doomed += soup.select(selector)
        except Exception:  # noqa: BLE001
            continue
    for tag in doomed:
        if not tag.decomposed and tag.name not in ("html", "body"):
            tag.decompose()


def content_override(soup: BeautifulSoup, selectors: Selectors, min_chars: int) -> str | None:
    """Override: the page reduced to the site's content element (with its <head>, so the
    title and meta tags stay), or None when the site names none or none matches."""
    for selector in selectors.content:
        element = select_first(soup, [selector])
        if element is not None and len(element.get_text(strip=True)) >= min_chars:
            head = soup.find("head")
            root = soup.find("html")
            lang = str(root.get("lang") or "") if isinstance(root, Tag) else ""
            return (f'<html lang="{escape(lang)}">{head or ""}<body>{element}</body></html>')
    return None
