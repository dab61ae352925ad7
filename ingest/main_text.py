"""Main text and title of an HTML page by trafilatura, as Markdown with headings kept.

trafilatura drops navigation, menus, cookie banners, sidebars, related-link blocks, share
buttons and footers. Its Markdown keeps headings (``#``/``##``/``###``, which the chunker
splits on), lists and tables; inline emphasis is left out (``include_formatting=False``
during extraction) so quoted sentences carry no ``**`` markers. Links become their text.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass

import trafilatura
from trafilatura.xml import xmltotxt  # Markdown rendering of the extracted tree (pinned)

# trafilatura and htmldate log every page they discard as a warning; the crawl reports
# outcomes itself (empty or short main text per site).
for _name in ("trafilatura", "htmldate"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

# Dates come from ingest/page_dates.py; this keeps trafilatura's own date look-up cheap.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True)
class MainText:
    text: str  # Markdown: headings, paragraphs, lists, tables
    title: str  # trafilatura's title (meta tags, <title>, <h1>); "" when none


def extract_main_text(html: str, url: str | None = None) -> MainText | None:
    """trafilatura's main text of ``html``; None when it finds none."""
    document = trafilatura.bare_extraction(
        html, url=url, output_format="markdown", include_comments=False,
        include_tables=True, include_images=False, include_links=False,
        include_formatting=False, with_metadata=True, date_extraction_params=_DATE_PARAMS)
    if document is None or document.body is None:
        return None
    text = unicodedata.normalize("NFC", xmltotxt(document.body, True)).strip()
    return MainText(text=text, title=(document.title or "").strip())

