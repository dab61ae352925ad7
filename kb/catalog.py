"""Intervention catalog of the NP Onderwijs menukaart (``kb/data/interventions.yaml``).

The YAML file lists every intervention that schools may fund from NPO money (doelgebieden
A-F), the spending goals for municipalities and what may *not* be funded. ``load_catalog``
validates the file with pydantic and raises :class:`CatalogError` (Dutch message naming the
file and the offending entry) on bad data.

Scales (see ``scales`` in the YAML): ``effect_months`` is extra months of progress in one
school year; ``evidence`` (bewijskracht) and ``cost`` (kosten) run from 1 to 5.

Headline (EEF style, Dutch), built by :meth:`Catalog.headline`:
"<effect> tegen <kosten>, op basis van <bewijs>", e.g.
"Zeer groot effect tegen zeer lage kosten, op basis van sterk bewijs".

Effect thresholds (months, following the toolkit's months/effect-size table):
    None -> "Effect onbekend"; < 0 -> "Negatief effect"; 0 -> "Geen of verwaarloosbaar effect";
    1-2 -> "Klein effect"; 3-4 -> "Middelgroot effect"; 5 -> "Groot effect";
    >= 6 -> "Zeer groot effect".
Cost: 1 "zeer lage", 2 "lage", 3 "gemiddelde", 4 "hoge", 5 "zeer hoge kosten";
    None -> ", kosten onbekend" instead of " tegen ... kosten".
Evidence: 1 "zeer beperkt", 2 "beperkt", 3 "redelijk sterk", 4 "sterk", 5 "zeer sterk bewijs";
    None -> "beperkt bewijs" (a missing rating is reported conservatively).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kb.documents import KebabId
from kb.validation_messages import problems_of, summary

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "interventions.yaml"

DoelgebiedCode = Literal["A", "B", "C", "D", "E", "F"]
Level = Literal["voorschool", "po", "vo", "so", "vso", "mbo"]
Domain = Literal["cognitief", "executief", "sociaal-emotioneel", "randvoorwaardelijk"]
DOELGEBIEDEN: tuple[str, ...] = ("A", "B", "C", "D", "E", "F")
REQUIRED_SCALES = ("effect_months", "evidence", "cost")
SCALE_MAX = 5  # evidence and cost run from 1 to SCALE_MAX

_COST = {1: "zeer lage kosten", 2: "lage kosten", 3: "gemiddelde kosten", 4: "hoge kosten",
         5: "zeer hoge kosten"}
_EVIDENCE = {1: "zeer beperkt bewijs", 2: "beperkt bewijs", 3: "redelijk sterk bewijs",
             4: "sterk bewijs", 5: "zeer sterk bewijs"}


class CatalogError(ValueError):
    """The catalog file is missing or invalid; the message names the file and entry (Dutch)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Source(_Strict):
    label: str = Field(min_length=1)
    url: str

    @field_validator("url")
    @classmethod
    def _url_shape(cls, value: str) -> str:
        if not re.match(r"^https?://\S+\.\S+$", value):
            raise ValueError("url moet een volledige http(s)-link zijn")
        return value


class _Entry(_Strict):
    id: KebabId
    name: str = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)

    @field_validator("sources")
    @classmethod
    def _one_https(cls, value: list[Source]) -> list[Source]:
        if not any(s.url.startswith("https://") for s in value):
            raise ValueError("minstens één bron moet een https-link hebben")
        return value


class Doelgebied(_Strict):
    name: str = Field(min_length=1)
    description: str = Field(min_length=1)


class Intervention(_Entry):
    doelgebied: DoelgebiedCode
    effect_months: int | None = Field(ge=-12, le=24)
    evidence: int | None = Field(ge=1, le=SCALE_MAX)
    cost: int | None = Field(ge=1, le=SCALE_MAX)
    levels: list[Level] = Field(min_length=1)
    domains: list[Domain] = Field(min_length=1)
    keywords: list[str] = Field(min_length=1)
    description: str = Field(min_length=1)
    conditions: list[str] = Field(default_factory=list)
    added: date | None = None


class MunicipalMeasure(_Entry):
    description: str = Field(min_length=1)
    examples: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)


class NotFundable(_Entry):
    reason: str = Field(min_length=1)
    # other names users give the item ("blijven zitten", "doubleren")
    aliases: list[str] = Field(default_factory=list)


class Catalog(_Strict):
    version: int
    checked: date
    scales: dict[str, str]
    doelgebieden: dict[DoelgebiedCode, Doelgebied]
    interventions: list[Intervention] = Field(min_length=1)
    municipal_measures: list[MunicipalMeasure] = Field(default_factory=list)
    not_fundable: list[NotFundable] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistency(self) -> Catalog:
        missing = [k for k in REQUIRED_SCALES if not self.scales.get(k, "").strip()]
        if missing:
            raise ValueError(f"scales mist uitleg voor: {', '.join(missing)}")
        absent = [c for c in DOELGEBIEDEN if c not in self.doelgebieden]
        if absent:
            raise ValueError(f"doelgebieden mist: {', '.join(absent)}")
        seen: dict[str, str] = {}
        for section in ("interventions", "municipal_measures", "not_fundable"):
            for entry in getattr(self, section):
                if entry.id in seen:
                    raise ValueError(f"dubbele id '{entry.id}' (in {seen[entry.id]} en {section})")
                seen[entry.id] = section
        return self

    # -- lookups -------------------------------------------------------------
    def get(self, intervention_id: str) -> Intervention:
        for item in self.interventions:
            if item.id == intervention_id:
                return item
        raise KeyError(intervention_id)

    def by_doelgebied(self, code: str) -> list[Intervention]:
        return [i for i in self.interventions if i.doelgebied == code]

    @property
    def ids(self) -> set[str]:
        return {i.id for i in self.interventions}

    # -- presentation --------------------------------------------------------
    def headline(self, item: Intervention | str) -> str:
        """EEF-style Dutch headline; thresholds are documented in the module docstring."""
        if isinstance(item, str):
            item = self.get(item)
        return headline(item.effect_months, item.evidence, item.cost)


def _effect_phrase(months: int | None) -> str:
    if months is None:
        return "Effect onbekend"
    if months < 0:
        return "Negatief effect"
    if months == 0:
        return "Geen of verwaarloosbaar effect"
    if months <= 2:
        return "Klein effect"
    if months <= 4:
        return "Middelgroot effect"
    if months == 5:
        return "Groot effect"
    return "Zeer groot effect"


def headline(effect_months: int | None, evidence: int | None, cost: int | None) -> str:
    """Build the headline from raw values (also usable without a loaded catalog)."""
    cost_part = f" tegen {_COST[cost]}" if cost in _COST else ", kosten onbekend"
    evidence_part = _EVIDENCE.get(evidence, "beperkt bewijs") if evidence else "beperkt bewijs"
    return f"{_effect_phrase(effect_months)}{cost_part}, op basis van {evidence_part}"


def _describe_loc(raw: Any, loc: tuple[Any, ...]) -> str:
    """Turn a pydantic error location into 'interventions[3] (id 'x'): evidence'."""
    if not loc:
        return "bestand"
    head, rest = loc[0], list(loc[1:])
    text = str(head)
    if rest and isinstance(rest[0], int):
        index = rest.pop(0)
        text += f"[{index}]"
        entries = raw.get(head) if isinstance(raw, dict) else None
        if isinstance(entries, list) and index < len(entries) and isinstance(entries[index], dict):
            entry_id = entries[index].get("id")
            if entry_id:
                text += f" (id '{entry_id}')"
    if rest:
        text += ": " + ".".join(str(part) for part in rest)
    return text


def load_catalog(path: Path | None = None) -> Catalog:
    """Load and validate the catalog; default is the packaged ``kb/data/interventions.yaml``."""
    file = Path(path) if path is not None else DEFAULT_PATH
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogError(f"{file}: catalogusbestand niet gevonden") from None
    except OSError as exc:
        raise CatalogError(f"{file}: kan catalogus niet lezen ({exc})") from exc
    try:
        # libyaml when present: same result, ~10× faster (read by every command-line ask)
        raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise CatalogError(f"{file}: ongeldige YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise CatalogError(f"{file}: verwacht een YAML-mapping met 'interventions' e.d. bovenaan")
    try:
        return Catalog.model_validate(raw)
    except ValidationError as exc:
        problems = problems_of(exc.errors(), lambda loc: _describe_loc(raw, loc))
        raise CatalogError(f"{file}: ongeldige catalogus: {summary(problems)}") from exc
