"""Remove what a visitor does not see: hidden, aria-hidden and visually hidden elements.

Hidden text is where prompt-injection payloads ("negeer alle instructies…") hide, and it is
never content a citation could point to, so it is dropped before extraction. Checked:
``hidden``/``aria-hidden`` attributes, inline styles, well-known utility classes, and simple
class/id rules in the page's own ``<style>`` blocks.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

HIDDEN_CLASSES = frozenset({
    "sr-only", "visually-hidden", "visuallyhidden", "screen-reader-text", "screenreader-only",
    "element-invisible", "hidden", "d-none", "is-hidden", "u-hidden", "hide", "invisible",
    "offscreen", "off-screen", "sr-text", "a11y-hidden", "show-for-sr",
})
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


def _hidden_tag(tag: Tag) -> bool:
    if tag.attrs is None:
        return False
    if tag.has_attr("hidden") or str(tag.get("aria-hidden", "")).lower() == "true":
        return True
    if tag.name == "input" and str(tag.get("type", "")).lower() == "hidden":
        return True
    classes = tag.get("class") or []
    if any(c.lower() in HIDDEN_CLASSES for c in classes):
        return True
    return bool(tag.get("style")) and style_hides(str(tag["style"]))


def drop_hidden(soup: BeautifulSoup) -> int:
    """Remove hidden elements in place; returns how many were removed."""
    doomed: list[Tag] = [t for t in soup.find_all(True) if _hidden_tag(t)]
    for selector in _stylesheet_selectors(soup):
        try:
            doomed.extend(soup.select(selector))
        except Exception:  # noqa: BLE001 - selectors soupsieve cannot parse are skipped
            continue
    removed = 0
    for tag in doomed:
        if not tag.decomposed and tag.parent is not None and tag.name not in ("html", "body"):
            tag.decompose()
            removed += 1
    return removed
