"""Dutch month names and dates as Dutch readers write them ("3 april 2024")."""

from __future__ import annotations

from datetime import date

MONTHS: tuple[str, ...] = ("januari", "februari", "maart", "april", "mei", "juni", "juli",
                           "augustus", "september", "oktober", "november", "december")
MONTH_PATTERN = "|".join(MONTHS)  # for regular expressions: one of the month names


def dutch_date(iso: str | None) -> str:
    """'2024-04-03' (or a longer ISO stamp) as '3 april 2024'; 'datum onbekend' when empty;
    text that is not an ISO date as it is."""
    if not iso:
        return "datum onbekend"
    try:
        d = date.fromisoformat(iso[:10])
    except ValueError:
        return iso
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
