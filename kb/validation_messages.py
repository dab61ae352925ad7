"""Pydantic validation errors in Dutch, one way for every place that reports them (settings,
cards, catalog, site profiles, answering config, API requests)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

_DUTCH = {
    "missing": "verplicht veld ontbreekt", "extra_forbidden": "onbekend veld",
    "greater_than_equal": "moet minstens {ge} zijn", "greater_than": "moet groter dan {gt} zijn",
    "less_than_equal": "mag hoogstens {le} zijn", "less_than": "moet kleiner dan {lt} zijn",
    "int_parsing": "moet een geheel getal zijn", "int_type": "moet een geheel getal zijn",
    "int_from_float": "moet een geheel getal zijn",
    "float_parsing": "moet een getal zijn", "float_type": "moet een getal zijn",
    "bool_parsing": "moet waar of onwaar zijn (true/false)",
    "bool_type": "moet waar of onwaar zijn (true/false)",
    "string_type": "moet tekst zijn", "string_too_short": "is te kort",
    "string_too_long": "is te lang (hoogstens {max_length} tekens)",
    "string_pattern_mismatch": "heeft niet de verwachte vorm",
    "too_long": "heeft te veel elementen", "too_short": "heeft te weinig elementen",
    "list_type": "moet een lijst zijn", "dict_type": "moet een mapping (object) zijn",
    "model_type": "moet een mapping (object) zijn",
    "model_attributes_type": "moet een mapping (object) zijn",
    "literal_error": "ongeldige waarde (toegestaan: {expected})",
    "enum": "ongeldige waarde (toegestaan: {expected})",
    "json_invalid": "ongeldige JSON", "url_parsing": "ongeldig adres", "url_type": "ongeldig adres",
    "url_scheme": "ongeldig adres (alleen {expected_schemes})",
    "date_from_datetime_parsing": "moet een datum zijn (JJJJ-MM-DD)",
    "date_parsing": "moet een datum zijn (JJJJ-MM-DD)", "date_type": "moet een datum zijn",
}


def dutch_message(error: dict[str, Any]) -> str:
    """One pydantic error (an item of ``ValidationError.errors()``) in Dutch. Our own
    validators already speak Dutch; an error type without a translation is "ongeldige
    waarde" (pydantic's English text is not shown to users)."""
    kind = str(error.get("type", ""))
    if kind in ("value_error", "assertion_error"):
        message = str(error.get("msg", ""))
        return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    template = _DUTCH.get(kind, "ongeldige waarde")
    ctx = {key: str(value).replace(" or ", " of ") for key, value in
           (error.get("ctx") or {}).items()}
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):  # an error without the context its template names
        return "ongeldige waarde"


def dotted(loc: Iterable[Any]) -> str:
    """``('sites', 'a.nl', 'delay_s')`` → ``sites.a.nl.delay_s``; the request body's own
    ``body`` prefix is left out."""
    return ".".join(str(part) for part in loc if part != "body")


def problems_of(errors: Iterable[dict[str, Any]], where: Callable[[tuple], str] = dotted,
                whole: str = "instelling") -> list[str]:
    """Each error as ``veld: probleem`` in Dutch (``whole`` when the error has no field)."""
    return [f"{where(tuple(e.get('loc', ()))) or whole}: {dutch_message(e)}" for e in errors]


def summary(problems: list[str], most: int = 5) -> str:
    """The first ``most`` problems on one line, and how many more there are."""
    more = f" (en nog {len(problems) - most} fout(en))" if len(problems) > most else ""
    return "; ".join(problems[:most]) + more
