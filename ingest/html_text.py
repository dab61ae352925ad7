"""Render an HTML element as Markdown-ish text: headings as ``#`` lines, lists, tables.

Only structure the chunker uses is kept: headings (h1 → ``#``, h2 → ``##``, h3+ → ``###``),
paragraph breaks, list items and table rows. Links become their text.
"""

from __future__ import annotations

import re

from bs4 import NavigableString, Tag
from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction

BLOCKS = frozenset({
    "p", "div", "section", "article", "main", "header", "footer", "aside", "ul", "ol", "dl",
    "dt", "dd", "table", "thead", "tbody", "tfoot", "blockquote", "pre", "figure",
    "figcaption", "address", "details", "summary", "hr", "caption", "center",
})
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 3, "h5": 3, "h6": 3}
_SKIP_STRINGS = (Comment, CData, Declaration, Doctype, ProcessingInstruction)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")


class _Renderer:
    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.inline: list[str] = []
        self.prefix = ""

    def flush(self) -> None:
        raw = "".join(self.inline)
        self.inline = []
        lines = [_SPACES.sub(" ", line).strip() for line in raw.split("\n")]
        text = "\n".join(line for line in lines if line)
        text = re.sub(r"(\s*\|\s*)+$", "", text)  # trailing cell separators
        if text:
            self.blocks.append(self.prefix + text)
            self.prefix = ""

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, _SKIP_STRINGS):
                continue
            if isinstance(child, NavigableString):
                self.inline.append(str(child).replace("\n", " "))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name in HEADINGS:
                self.flush()
                text = _SPACES.sub(" ", child.get_text(" ", strip=True)).strip()
                if text:
                    self.blocks.append("#" * HEADINGS[name] + " " + text)
            elif name == "br":
                self.inline.append("\n")
            elif name == "li":
                self.flush()
                self.prefix = "- "
                self.walk(child)
                self.flush()
                self.prefix = ""
            elif name == "tr":
                self.flush()
                self.walk(child)
                self.flush()
            elif name in ("td", "th"):
                self.walk(child)
                self.inline.append(" | ")
            elif name in BLOCKS:
                self.flush()
                self.walk(child)
                self.flush()
            else:
                self.walk(child)


def render(element: Tag) -> str:
    renderer = _Renderer()
    renderer.walk(element)
    renderer.flush()
    return "\n\n".join(renderer.blocks)
