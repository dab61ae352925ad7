"""The coverage inventory (evals/coverage.csv) is consistent with the starter pack."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from kb.cards import load_cards
from kb.settings import DEFAULT_CARDS_DIR

INVENTORY = Path(__file__).resolve().parents[2] / "evals" / "coverage.csv"
SITES = ("nponderwijs.nl", "goab.eu", "nji.nl", "vng.nl", "nro.nl", "onderwijskennis.nl",
         "rijksoverheid.nl")


def rows() -> list[dict]:
    with INVENTORY.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_row_is_complete_and_every_covered_page_names_existing_cards():
    cards = {c.id: c for c in load_cards(DEFAULT_CARDS_DIR)}
    for row in rows():
        assert row["url"].startswith("http") and row["site"] and row["section"], row
        assert row["status"] in ("covered", "missing", "left_out"), row
        if row["status"] == "left_out":
            assert row["reason"].strip(), f"left_out zonder reden: {row['url']}"
        if row["status"] == "covered":
            ids = [i for i in row["cards"].split(";") if i]
            assert ids and all(i in cards for i in ids), row["url"]


def test_every_site_was_walked_and_coverage_is_at_least_90_percent():
    counts = Counter((r["site"], r["status"]) for r in rows())
    for site in SITES:
        assert counts[(site, "covered")] >= 5, site  # the site was walked
    covered = sum(n for (_, status), n in counts.items() if status == "covered")
    missing = sum(n for (_, status), n in counts.items() if status == "missing")
    assert covered / (covered + missing) >= 0.90


def test_the_pack_has_at_least_450_cards_and_the_webinar_material():
    cards = load_cards(DEFAULT_CARDS_DIR)
    assert len(cards) >= 450
    text = " ".join(f"{c.title} {c.body}" for c in cards if c.site == "goab.eu").lower()
    for role in ("verbinden", "faciliteren", "regisseren", "stappenplan"):
        assert role in text, role
