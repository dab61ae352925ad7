"""Escaping and the HTML/Markdown the tabs show: answers, source panels, notices.

Everything that reaches the page passes through here. Titles, snippets and answer text come
from crawled pages and from users, so they are data: HTML is escaped, Markdown syntax that
could make a link or an image (an outbound request) is neutralised, and links are only made
from http(s) citation URLs, opening in a new tab without a referrer.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlparse

from kb.dutch_dates import dutch_date
from service.models import Answer, Citation, RecommendedIntervention

# Markdown characters that create links, images, emphasis, code or tables. Headings and
# lists stay: the mode templates (briefing) use them, and they cannot fetch anything.
_MD_INLINE = re.compile(r"([\\`*_\[\]!|~])")
_MARKER = re.compile(r"\\\[(\d+)\\\]")

def esc(value: object) -> str:
    """HTML-escape any value (None becomes an empty string)."""
    return html.escape("" if value is None else str(value), quote=True)


def safe_url(url: object) -> str | None:
    """The URL if it is an absolute http(s) link, else None."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlparse(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def link(url: object, text: object, css_class: str = "") -> str:
    """An escaped <a> that opens in a new tab, or plain escaped text without a safe URL."""
    href = safe_url(url)
    if href is None:
        return esc(text)
    cls = f' class="{esc(css_class)}"' if css_class else ""
    return (f'<a href="{esc(href)}"{cls} target="_blank" rel="noopener noreferrer">'
            f"{esc(text)}</a>")


def md_text(text: object) -> str:
    """Text safe to render as Markdown: HTML escaped, link/image/emphasis syntax disarmed.

    Line structure (paragraphs, numbered lists of the answer templates) is kept.
    """
    return _MD_INLINE.sub(r"\\\1", esc(text))


def answer_markdown(text: str, citations: list[Citation]) -> str:
    """An answer as Markdown with each [n] marker linking to its source in a new tab."""
    urls = {c.n: safe_url(c.url) for c in citations}

    def marker(match: re.Match) -> str:
        n = int(match.group(1))
        href = urls.get(n)
        if not href:
            return f"\\[{n}\\]"
        title = next((c.title for c in citations if c.n == n), "")
        return (f'<a class="cite" href="{esc(href)}" target="_blank" '
                f'rel="noopener noreferrer" title="{esc(title)}">[{n}]</a>')

    return _MARKER.sub(marker, md_text(text))


def source_meta(site: str | None, published: str | None) -> str:
    return f"{site or 'onbekende site'} · {dutch_date(published)}"


def sources_html(citations: list[Citation], *, refusal: str = "", empty_hint: str = "",
                 turn: int | None = None) -> str:
    """The sources panel: number, linked title, site and date, and a short quote.

    ``refusal``: the refusal message (``services.config.refusal.message``) when the answer
    was refused; shown when no source is listed. ``turn`` (the answer's number in a
    conversation) is set as ``data-turn`` so that tests and assistive scripts can tell a
    finished answer's panel from the previous one.
    """
    if refusal and not citations:
        return panel(notice_html(refusal, kind="warn", elem_class="no-source"), turn)
    if not citations:
        return panel(f'<p class="muted">{esc(empty_hint or "Nog geen bronnen.")}</p>', turn)
    items = []
    for c in citations:
        items.append(
            f'<li class="source" id="bron-{int(c.n)}">'
            f'<span class="source-n">[{int(c.n)}]</span> '
            f'{link(c.url, c.title or c.url, "source-link")}'
            f'<div class="source-meta">{esc(source_meta(c.site, c.published))}</div>'
            f'<blockquote class="source-snippet">{esc(c.snippet)}</blockquote>'
            "</li>")
    heading = '<p class="sources-title">Bronnen bij dit antwoord</p>'
    return panel(f'{heading}<ol class="sources">{"".join(items)}</ol>', turn)


def refusal_text(services, answer: Answer) -> str:
    """The configured refusal message (answering.yaml) when ``answer`` was refused."""
    return services.config.refusal.message if answer.refused else ""


def panel(inner: str, turn: int | None = None) -> str:
    """A bordered box around trusted markup built by this module."""
    mark = f' data-turn="{int(turn)}"' if turn is not None else ""
    return f'<div class="panel"{mark}>{inner}</div>'


def notice_html(text: str, kind: str = "info", elem_class: str = "") -> str:
    """A coloured notice box (info, warn, error) with escaped text."""
    role = "alert" if kind in ("warn", "error") else "status"
    classes = " ".join(filter(None, ["notice", f"notice-{kind}", elem_class]))
    return f'<div class="{esc(classes)}" role="{role}">{esc(text)}</div>'


def unknown_markers(text: str, citations: list[Citation]) -> list[int]:
    """[n] markers in a text that point to no listed source (should never happen)."""
    known = {int(c.n) for c in citations}
    return sorted({int(n) for n in re.findall(r"\[(\d+)\]", text)} - known)


def interventions_html(items: list[RecommendedIntervention],
                       title: str = "Passende interventies") -> str:
    """Recommender results as cards: name, EEF-style headline, why it fits, links."""
    if not items:
        return ""
    cards = []
    for item in items:
        conditions = "".join(f"<li>{esc(c)}</li>" for c in item.conditions)
        links = " · ".join(link(x.url, x.label or x.url) for x in item.links)
        area = item.doelgebied_name or ""
        code = item.doelgebied or ""
        cards.append(
            '<li class="intervention">'
            f'<div class="iv-name">{esc(item.name)}</div>'
            + (f'<div class="iv-area">Doelgebied {esc(code)}: {esc(area)}</div>' if code else "")
            + f'<div class="iv-headline">{esc(item.headline)}</div>'
            + (f'<div class="iv-why">{esc(item.why)}</div>' if item.why else "")
            + (f'<details><summary>Voorwaarden</summary><ul>{conditions}</ul></details>'
               if conditions else "")
            + (f'<div class="iv-links">{links}</div>' if links else "")
            + "</li>")
    return panel(f'<p class="sources-title">{esc(title)}</p>'
                 f'<ol class="interventions">{"".join(cards)}</ol>')
