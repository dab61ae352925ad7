"""A page's date: htmldate finds the publication and the modification date; the newest counts.

htmldate reads meta tags, JSON-LD, ``<time>`` elements, URL dates and date lines. It runs in
its fast mode only (``extensive_search=False``): the extensive mode also takes dates from
running text ("aanvragen vóór 1 april 2025"), which on a page that shows no date would
invent one. A page without a date gets None, never "today".

Two gaps of htmldate 1.11 on Dutch pages are bridged here:
- month names it does not know (``maart``/``mrt``, ``augustus``, ``sept``; it knows the other
  Dutch ones) are translated on the copy of the HTML it reads (never on the main text);
- in its "latest date" mode it stops at the first date meta tag in document order, so a
  ``DCTERMS.issued`` before ``DCTERMS.modified`` (the Rijksoverheid template) hides the
  modification date; the modification stamps of the meta tags (ISO 8601, read by
  ``ingest/page_facts.py``) are therefore passed in and count as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from html import escape

from htmldate import find_date

from ingest.dates import parse_date

_MONTHS = {"maart": "march", "mrt": "mar", "augustus": "august", "sept": "sep"}
_MONTH_NAMES = re.compile(r"\b(maart|mrt|augustus|sept)\b\.?", re.I)
_PARTS = re.compile(r"[|·•\n]")


def _bridge(html: str) -> str:
    return _MONTH_NAMES.sub(lambda m: _MONTHS[m.group(1).lower()], html)


def _find(html: str, original: bool) -> date | None:
    # deferred_url_extractor: a date in the URL (/2024/03/04/) is the publication date;
    # it must not hide a modification date in the meta tags.
    found = find_date(html, extensive_search=False, original_date=original,
                      deferred_url_extractor=True)
    return date.fromisoformat(found) if found else None


def split_date_line(texts: Iterable[str]) -> list[str]:
    """The parts of a date line ("Gepubliceerd op … | Gewijzigd op …"), each with one date."""
    return [p.strip() for text in texts for p in _PARTS.split(text) if p.strip()]


def page_date(html: str, override_parts: list[str] | None = None,
              modified_stamps: list[str] | None = None) -> date | None:
    """Newest of the page's publication and modification dates; None when it shows none.

    ``override_parts`` are the texts of the date element a site profile points to (its
    ``date`` selectors); htmldate reads each part on its own, so a line with both a
    publication and a modification date yields both, next to what it finds on the page.
    ``modified_stamps`` are the ISO values of the page's modification meta tags.
    """
    bridged = _bridge(html)
    dates = [_find(bridged, True), _find(bridged, False)]
    dates += [_find(f'<html><body><p class="date">{escape(_bridge(part))}</p></body></html>',
                    True) for part in override_parts or []]
    dates += [parse_date(stamp) for stamp in modified_stamps or []]
    found = [d for d in dates if d and d <= date.today()]  # a future stamp is a placeholder
    return max(found) if found else None
