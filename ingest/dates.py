"""Machine-readable date stamps: sitemap ``<lastmod>`` and front-matter values (ISO 8601).

Dates *on web pages* are found by htmldate (``ingest/page_dates.py``) and PDF dates are
parsed by pypdf; this module only reads the stamps that are ISO 8601 by specification,
with the standard library.
"""

from __future__ import annotations

from datetime import date, datetime

EARLIEST, LATEST = 1990, 2100  # outside this range a stamp is a placeholder, not a date


def parse_date(text: str | None) -> date | None:
    """An ISO 8601 date or date-time (``2024-04-03``, ``2024-04-03T10:00+02:00``,
    ``20240403``) as a date; None when ``text`` is empty, not ISO or out of range."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("z", "Z")).date()
    except ValueError:
        try:
            parsed = date.fromisoformat(text[:10])  # a date followed by something else
        except ValueError:
            return None
    return parsed if EARLIEST <= parsed.year <= LATEST else None
