"""Remove what a visitor does not see: hidden, aria-hidden and visually hidden elements.

Hidden text is where prompt-injection payloads ("negeer alle instructies…") hide, and it is
never content a citation could point to, so it is dropped before extraction. Checked:
``hidden``/``aria-hidden`` attributes, inline styles, well-known utility classes, simple
class/id rules in the page's own ``<style>`` blocks, and elements a browser never shows as
text (``<template>``, ``<noscript>``, ``<script>`` except JSON-LD metadata). trafilatura
does not look at any of this.

One exception: a collapsed accordion panel or an inactive tab panel (FAQ pages, tabbed
pages) is hidden only until its visible toggle is clicked. A panel named by the
``aria-controls`` of a visible button or tab that carries ``aria-expanded`` or
``aria-selected`` is therefore kept, if it is hidden the way such panels are (``hidden``,
``display:none``); anything hidden *inside* it is still dropped.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

HIDDEN_CLASSES = frozenset({
    "sr-only", "visually-hidden", "visuallyhidden", "screen-reader-text", "screenreader-only",
    "element-invisible", "hidden", "d-none", "is-hidden", "u-hidden", "hide", "invisible",
    "offscreen", "off-screen", "sr-text", "a11y-hidden", "show-for-sr",
})
COLLAPSE_CLASSES = frozenset({"hidden", "d-none", "is-hidden", "u-hidden", "hide"})
_COLOR_WHITE = {"#fff", "#ffffff", "white", "rgb(255,255,255)", "rgba(255,255,255,1)"}
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")


def _declarations(style: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in style.split(";"):
        name, sep, value = part.partition(":")
        if sep:
            out[name.strip().lower()] = re.sub(r"\s+", "", value.lower().replace("!important", ""))
    return out


def style_hides(style: str) -> bool:
    d = _declarations(style)
    if d.get("display") == "none" or d.get("visibility") in ("hidden", "collapse"):
        return True
    if d.get("opacity") in ("0", "0.0", "0%") or d.get("font-size") in ("0", "0px", "0em"):
        return True
    if d.get("color") == "transparent":
        return True
    background = d.get("background-color") or d.get("background")
    if d.get("color") and background and (
            d["color"] == background or {d["color"], background} <= _COLOR_WHITE):
        return True  # text in the colour of its own background
    for side in ("left", "top", "text-indent", "margin-left"):
        value = d.get(side, "")
        if re.fullmatch(r"-\d{4,}(px|em|rem)?", value):
            return True  # pushed off-screen
    if d.get("clip", "").startswith("rect(0") or d.get("clip-path") in ("inset(50%)",):
        return True
    return d.get("width") in ("0", "0px", "1px") and d.get("height") in ("0", "0px", "1px") \
        and d.get("overflow") == "hidden"


def _stylesheet_selectors(soup: BeautifulSoup) -> list[str]:
    selectors: list[str] = []
    for sheet in soup.find_all("style"):
        css = re.sub(r"/\*.*?\*/", "", sheet.get_text(), flags=re.S)
        for selector_text, body in _RULE.findall(css):
            if style_hides(body):
                selectors.extend(s.strip() for s in selector_text.split(",")
                                 if s.strip() and not s.strip().startswith("@"))
    return selectors


NEVER_RENDERED = ("template", "noscript")


def _hidden_tag(tag: Tag) -> bool:
    if tag.attrs is None:
        return False
    if tag.name in NEVER_RENDERED:
        return True
    if tag.name == "script":  # code, never text; JSON-LD stays for the page's dates
        return "ld+json" not in str(tag.get("type", "")).lower()
    if tag.has_attr("hidden") or str(tag.get("aria-hidden", "")).lower() == "true":
        return True
    if tag.name == "input" and str(tag.get("type", "")).lower() == "hidden":
        return True
    classes = tag.get("class") or []
    if any(c.lower() in HIDDEN_CLASSES for c in classes):
        return True
    return bool(tag.get("style")) and style_hides(str(tag["style"]))


def _collapsed_panels(tags: list[Tag], hidden: set[int]) -> set[int]:
    """ids (``id(tag)``) of accordion and tab panels: named by a visible toggle's
    aria-controls."""
    controlled: set[str] = set()
    for tag in tags:
        if tag.attrs and tag.has_attr("aria-controls") \
                and (tag.has_attr("aria-expanded") or tag.has_attr("aria-selected")) \
                and (tag.name == "button" or tag.get("role") in ("button", "tab")) \
                and not any(id(t) in hidden for t in (tag, *tag.parents)):
            controlled.update(str(tag["aria-controls"]).split())
    return {id(t) for t in tags if t.attrs and t.get("id") in controlled
            and t.name != "button" and _collapsed_only(t)}


def _collapsed_only(tag: Tag) -> bool:
    """Hidden the way a collapsed panel is: not by colour, size, opacity or position, and
    not by a screen-reader-only class (clicking a toggle never reveals those)."""
    if any(c.lower() in HIDDEN_CLASSES - COLLAPSE_CLASSES for c in tag.get("class") or []):
        return False
    style = str(tag.get("style") or "")
    return not style_hides(style) or _declarations(style).get("display") == "none"


def drop_hidden(soup: BeautifulSoup) -> int:
    """Remove hidden elements in place; returns how many were removed."""
    tags = soup.find_all(True)
    doomed: list[Tag] = [t for t in tags if _hidden_tag(t)]
    for selector in _stylesheet_selectors(soup):
        try:
            doomed.extend(soup.select(selector))
        except Exception:  # noqa: BLE001 - selectors soupsieve cannot parse are skipped
            continue
    hidden = {id(t) for t in doomed}
    panels = _collapsed_panels(tags, hidden) if hidden else set()
    removed = 0
    for tag in doomed:
        if id(tag) in panels:
            continue
        if not tag.decomposed and tag.parent is not None and tag.name not in ("html", "body"):
            tag.decompose()
            removed += 1
    return removed
