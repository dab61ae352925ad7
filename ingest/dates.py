"""Dates as Dutch sites write them: ISO stamps, ``12 maart 2024``, ``12-03-2024``, PDF dates."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "april": 4,
    "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
    # English month names appear in meta tags and PDF metadata.
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8,
    "october": 10, "oct": 10,
}
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b")
_WORDS = re.compile(r"\b(\d{1,2})\s+([a-z]{3,9})\.?\s+(\d{4})\b", re.I)
_PDF = re.compile(r"^D:(\d{4})(\d{2})(\d{2})")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})")

# Phrases that introduce a page date in running text.
DATE_CUES = re.compile(
    r"(gepubliceerd|publicatiedatum|laatst gewijzigd|laatste wijziging|bijgewerkt|"
    r"geplaatst|datum|wijzigingsdatum)\s*(op)?\s*:?\s*", re.I)


def _make(year: int, month: int, day: int) -> date | None:
    if not 1990 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str | None) -> date | None:
    """The first date found in ``text``; None when there is none or it is impossible."""
    if not text:
        return None
    text = text.strip()
    for pattern in (_PDF, _ISO, _COMPACT):
        match = pattern.search(text)
        if match:
            return _make(*(int(g) for g in match.groups()))
    match = _DMY.search(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return _make(year, month, day)
    for match in _WORDS.finditer(text):
        month = MONTHS.get(match.group(2).lower())
        if month:
            return _make(int(match.group(3)), month, int(match.group(1)))
    return None


def all_dates(text: str | None) -> list[date]:
    """Every date in ``text`` (e.g. both "gepubliceerd" and "gewijzigd" in one line)."""
    found: list[date] = []
    rest = text or ""
    while rest:
        hit = None
        for pattern in (_ISO, _DMY, _WORDS):
            match = pattern.search(rest)
            if match and (hit is None or match.start() < hit.start()):
                if pattern is _WORDS and not MONTHS.get(match.group(2).lower()):
                    continue
                hit = match
        if hit is None:
            break
        parsed = parse_date(hit.group(0))
        if parsed:
            found.append(parsed)
        rest = rest[hit.end():]
    return found


def date_after_cue(text: str) -> date | None:
    """A date that follows a cue like "Gepubliceerd op" or "Laatst gewijzigd:"."""
    for cue in DATE_CUES.finditer(text):
        found = parse_date(text[cue.end(): cue.end() + 40])
        if found:
            return found
    return None
