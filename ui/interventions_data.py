"""The menukaart as table and chart data: filter, sort, and Dutch labels for the scales.

Missing values stay missing: an unknown effect, evidence or cost shows as "onbekend" in the
table, and such interventions are left out of the effect-versus-cost chart (and said so).
"""

from __future__ import annotations

import pandas as pd

from kb.catalog import Catalog, Intervention

LEVELS = [("Alle niveaus", ""), ("Voorschool", "voorschool"), ("Primair onderwijs (po)", "po"),
          ("Voortgezet onderwijs (vo)", "vo"), ("Speciaal onderwijs (so)", "so"),
          ("Voortgezet speciaal onderwijs (vso)", "vso"), ("Mbo", "mbo")]
DOMAINS = [("Alle domeinen", ""), ("Cognitief", "cognitief"), ("Executief", "executief"),
           ("Sociaal-emotioneel", "sociaal-emotioneel"),
           ("Randvoorwaardelijk", "randvoorwaardelijk")]
COSTS = [("Alle kosten", 0), ("Hooguit zeer laag (1)", 1), ("Hooguit laag (2)", 2),
         ("Hooguit gemiddeld (3)", 3), ("Hooguit hoog (4)", 4)]
EVIDENCE = [("Elke bewijskracht", 0), ("Minstens beperkt (2)", 2),
            ("Minstens redelijk sterk (3)", 3), ("Minstens sterk (4)", 4),
            ("Zeer sterk (5)", 5)]
EVIDENCE_NAMES = {1: "zeer beperkt", 2: "beperkt", 3: "redelijk sterk", 4: "sterk",
                  5: "zeer sterk"}
COST_NAMES = {1: "zeer laag", 2: "laag", 3: "gemiddeld", 4: "hoog", 5: "zeer hoog"}
SORTS = ["Effect (hoog → laag)", "Kosten (laag → hoog)", "Bewijskracht (hoog → laag)",
         "Naam (A → Z)", "Doelgebied (A → F)"]
COLUMNS = ["Doel", "Interventie", "Effect (mnd)", "Bewijskracht", "Kosten", "Niveaus",
           "Domeinen"]
UNKNOWN = "onbekend"


def doelgebied_choices(catalog: Catalog) -> list[tuple[str, str]]:
    return [("Alle doelgebieden", "")] + [
        (f"{code} – {area.name}", code) for code, area in catalog.doelgebieden.items()]


def evidence_label(value: int | None) -> str:
    return f"{value} – {EVIDENCE_NAMES[value]}" if value in EVIDENCE_NAMES else UNKNOWN


def cost_label(value: int | None) -> str:
    return f"{value} – {COST_NAMES[value]}" if value in COST_NAMES else UNKNOWN


def effect_label(value: int | None) -> str:
    if value is None:
        return UNKNOWN
    return f"+{value}" if value > 0 else str(value)


def filtered(catalog: Catalog, level: str = "", domain: str = "", doelgebied: str = "",
             max_cost: int = 0, min_evidence: int = 0, text: str = "") -> list[Intervention]:
    """Interventions passing every filter; unknown cost/evidence never pass a limit on it."""
    words = [w for w in (text or "").lower().split() if w]
    keep = []
    for item in catalog.interventions:
        if level and level not in item.levels:
            continue
        if domain and domain not in item.domains:
            continue
        if doelgebied and item.doelgebied != doelgebied:
            continue
        if max_cost and (item.cost is None or item.cost > max_cost):
            continue
        if min_evidence and (item.evidence is None or item.evidence < min_evidence):
            continue
        haystack = " ".join([item.name, item.description, *item.keywords]).lower()
        if words and not all(w in haystack for w in words):
            continue
        keep.append(item)
    return keep


def sort_items(items: list[Intervention], how: str) -> list[Intervention]:
    """Sort; unknown values always go last, ties by name."""
    def key_for(value: int | None, descending: bool) -> tuple:
        if value is None:
            return (1, 0)
        return (0, -value if descending else value)

    keys = {
        SORTS[0]: lambda i: (key_for(i.effect_months, True), i.name.lower()),
        SORTS[1]: lambda i: (key_for(i.cost, False), i.name.lower()),
        SORTS[2]: lambda i: (key_for(i.evidence, True), i.name.lower()),
        SORTS[3]: lambda i: i.name.lower(),
        SORTS[4]: lambda i: (i.doelgebied, i.name.lower()),
    }
    return sorted(items, key=keys.get(how, keys[SORTS[0]]))


def table_frame(items: list[Intervention]) -> pd.DataFrame:
    rows = [[item.doelgebied, item.name, effect_label(item.effect_months),
             evidence_label(item.evidence), cost_label(item.cost), ", ".join(item.levels),
             ", ".join(item.domains)] for item in items]
    return pd.DataFrame(rows, columns=COLUMNS)


def chart_note(items: list[Intervention]) -> str:
    missing = sum(1 for i in items if i.effect_months is None or i.cost is None)
    if not missing:
        return "Alle getoonde interventies staan in de grafiek."
    word = "interventie staat" if missing == 1 else "interventies staan"
    return (f"{missing} {word} niet in de grafiek, omdat de bronnen geen effect of "
            "kosten noemen.")
