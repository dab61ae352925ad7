"""Tests for the NP Onderwijs intervention catalog (kb/data/interventions.yaml, kb/catalog.py)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

from kb.catalog import DEFAULT_PATH, DOELGEBIEDEN, Catalog, CatalogError, headline, load_catalog

ROOT = Path(__file__).resolve().parents[2]
EVALS = ROOT / "evals" / "recommend.jsonl"
FILTER_KEYS = {"level", "domain", "max_cost", "min_evidence", "doelgebied"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _valid_doc() -> dict:
    """A small but complete catalog document, used as the base for broken variants."""
    source = [{"label": "NP Onderwijs menukaart",
               "url": "https://www.nponderwijs.nl/po-en-vo/aan-de-slag/menukaart/"}]
    return {
        "version": 1,
        "checked": "2026-11-28",
        "scales": {"effect_months": "maanden", "evidence": "1-5", "cost": "1-5"},
        "doelgebieden": {c: {"name": f"Gebied {c}", "description": "uitleg"} for c in DOELGEBIEDEN},
        "interventions": [{
            "id": "feedback", "name": "Feedback", "doelgebied": "B",
            "effect_months": 6, "evidence": 4, "cost": 1,
            "levels": ["po", "vo"], "domains": ["cognitief"],
            "keywords": ["feedback", "formatief evalueren"],
            "description": "Leerlingen krijgen informatie over hun leren.",
            "conditions": ["concreet"], "sources": copy.deepcopy(source), "added": None,
        }],
        "municipal_measures": [],
        "not_fundable": [{"id": "zittenblijven", "name": "Zittenblijven",
                          "reason": "Staat niet op de menukaart.", "sources": copy.deepcopy(source)}],
    }


def _write(tmp_path: Path, doc: dict | str) -> Path:
    path = tmp_path / "interventions.yaml"
    text = doc if isinstance(doc, str) else yaml.safe_dump(doc, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------- shipped data
def test_shipped_catalog_loads_from_default_path(catalog: Catalog) -> None:
    assert DEFAULT_PATH.is_file()
    assert catalog.version == 1
    assert 25 <= len(catalog.interventions) <= 35


def test_every_doelgebied_has_interventions(catalog: Catalog) -> None:
    assert set(catalog.doelgebieden) == set(DOELGEBIEDEN)
    for code in DOELGEBIEDEN:
        assert catalog.by_doelgebied(code), f"geen interventies in doelgebied {code}"


def test_every_entry_has_an_https_source(catalog: Catalog) -> None:
    entries = [*catalog.interventions, *catalog.municipal_measures, *catalog.not_fundable]
    for entry in entries:
        assert entry.sources, entry.id
        assert any(s.url.startswith("https://") for s in entry.sources), entry.id


def test_ids_are_unique(catalog: Catalog) -> None:
    ids = [e.id for e in (*catalog.interventions, *catalog.municipal_measures,
                          *catalog.not_fundable)]
    assert len(ids) == len(set(ids))


def test_shipped_entries_are_complete(catalog: Catalog) -> None:
    for item in catalog.interventions:
        assert 5 <= len(item.keywords) <= 20, item.id
        assert 1 <= len(item.conditions) <= 4, item.id
        assert len(item.description) > 80, item.id
    assert {"zittenblijven", "huiswerk"} <= {n.id for n in catalog.not_fundable}
    assert len(catalog.municipal_measures) >= 5
    for measure in catalog.municipal_measures:
        assert measure.examples and measure.keywords, measure.id


def test_later_additions_are_dated(catalog: Catalog) -> None:
    assert str(catalog.get("fonemisch-bewustzijn").added) == "2022-04-01"
    assert str(catalog.get("schrijfonderwijs").added) == "2022-04-01"
    assert catalog.get("feedback").added is None


# ----------------------------------------------------------------------- bad files
def test_missing_field_names_file_and_entry(tmp_path: Path) -> None:
    doc = _valid_doc()
    del doc["interventions"][0]["description"]
    path = _write(tmp_path, doc)
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    message = str(info.value)
    assert str(path) in message
    assert "interventions[0]" in message and "'feedback'" in message
    assert "description" in message


def test_evidence_out_of_range(tmp_path: Path) -> None:
    doc = _valid_doc()
    doc["interventions"][0]["evidence"] = 9
    with pytest.raises(CatalogError, match=r"id 'feedback'.*evidence"):
        load_catalog(_write(tmp_path, doc))


def test_unknown_doelgebied(tmp_path: Path) -> None:
    doc = _valid_doc()
    doc["interventions"][0]["doelgebied"] = "G"
    with pytest.raises(CatalogError, match=r"id 'feedback'.*doelgebied"):
        load_catalog(_write(tmp_path, doc))


def test_duplicate_id(tmp_path: Path) -> None:
    doc = _valid_doc()
    doc["interventions"].append(copy.deepcopy(doc["interventions"][0]))
    with pytest.raises(CatalogError, match=r"dubbele id 'feedback'"):
        load_catalog(_write(tmp_path, doc))


def test_invalid_yaml(tmp_path: Path) -> None:
    path = _write(tmp_path, "version: 1\ninterventions: [\n  - id: x\n")
    with pytest.raises(CatalogError, match="ongeldige YAML") as info:
        load_catalog(path)
    assert str(path) in str(info.value)


def test_unknown_level_and_missing_https(tmp_path: Path) -> None:
    doc = _valid_doc()
    doc["interventions"][0]["levels"] = ["hbo"]
    doc["interventions"][0]["sources"][0]["url"] = "http://example.org/x"
    with pytest.raises(CatalogError) as info:
        load_catalog(_write(tmp_path, doc))
    assert "levels" in str(info.value) and "https" in str(info.value)


def test_missing_doelgebied_definition_and_file(tmp_path: Path) -> None:
    doc = _valid_doc()
    del doc["doelgebieden"]["F"]
    with pytest.raises(CatalogError, match="doelgebieden mist: F"):
        load_catalog(_write(tmp_path, doc))
    with pytest.raises(CatalogError, match="niet gevonden"):
        load_catalog(tmp_path / "bestaat-niet.yaml")


def test_catalog_error_is_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        load_catalog(_write(tmp_path, "- alleen\n- een lijst\n"))


def test_valid_minimal_file_loads(tmp_path: Path) -> None:
    loaded = load_catalog(_write(tmp_path, _valid_doc()))
    assert loaded.get("feedback").evidence == 4


# ------------------------------------------------------------------------ headline
@pytest.mark.parametrize(("effect", "evidence", "cost", "expected"), [
    (6, 4, 1, "Zeer groot effect tegen zeer lage kosten, op basis van sterk bewijs"),
    (5, 4, 2, "Groot effect tegen lage kosten, op basis van sterk bewijs"),
    (4, 3, 3, "Middelgroot effect tegen gemiddelde kosten, op basis van redelijk sterk bewijs"),
    (1, 2, 4, "Klein effect tegen hoge kosten, op basis van beperkt bewijs"),
    (0, 5, 5,
     "Geen of verwaarloosbaar effect tegen zeer hoge kosten, op basis van zeer sterk bewijs"),
    (-2, 1, 1, "Negatief effect tegen zeer lage kosten, op basis van zeer beperkt bewijs"),
    (None, None, None, "Effect onbekend, kosten onbekend, op basis van beperkt bewijs"),
    (3, 3, None, "Middelgroot effect, kosten onbekend, op basis van redelijk sterk bewijs"),
])
def test_headline_wording(effect, evidence, cost, expected) -> None:
    assert headline(effect, evidence, cost) == expected


def test_catalog_headline_accepts_item_or_id(catalog: Catalog) -> None:
    item = catalog.get("feedback")
    assert catalog.headline(item) == catalog.headline("feedback")
    assert catalog.headline("feedback").startswith("Zeer groot effect")
    with pytest.raises(KeyError):
        catalog.headline("bestaat-niet")


# --------------------------------------------------------------- recommender evals
def test_recommend_evals_are_consistent_with_catalog(catalog: Catalog) -> None:
    rows = [json.loads(line) for line in EVALS.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    assert len(rows) >= 34
    assert len({r["id"] for r in rows}) == len(rows)
    assert sum(1 for r in rows if r["expected"] == []) >= 4
    for row in rows:
        assert set(row) == {"id", "need", "filters", "expected"}, row["id"]
        assert set(row["filters"]) <= FILTER_KEYS, row["id"]
        f = row["filters"]
        for expected_id in row["expected"]:
            item = catalog.get(expected_id)  # KeyError if the id does not exist
            if "level" in f:
                assert f["level"] in item.levels, (row["id"], expected_id)
            if "domain" in f:
                assert f["domain"] in item.domains, (row["id"], expected_id)
            if "doelgebied" in f:
                assert item.doelgebied == f["doelgebied"], (row["id"], expected_id)
            if "max_cost" in f:
                assert item.cost is not None, (row["id"], expected_id)
                assert item.cost <= f["max_cost"], (row["id"], expected_id)
            if "min_evidence" in f:
                assert item.evidence is not None and item.evidence >= f["min_evidence"], \
                    (row["id"], expected_id)
