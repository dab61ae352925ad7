"""Validated loading of ``service/config/recommender.yaml``: how the recommender weighs
relevance, effect, evidence and cost, and what it reads from a need's wording."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, \
    model_validator

from service.config import Text, config_error

DEFAULT_PATH = Path(__file__).resolve().parent / "config" / "recommender.yaml"
FILTER_KEYS = ("level", "domain", "max_cost", "min_evidence", "doelgebied")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


Weight = Annotated[float, Field(ge=0.0)]


class RecommenderWeights(_Strict):
    lexical: Weight
    dense: Weight
    quality: Weight  # how much effect, evidence and cost may lift a relevant item
    effect: Weight  # the three parts of quality
    evidence: Weight
    cost: Weight


class MunicipalTexts(_Strict):
    """How a municipal spending goal is shown among the interventions."""

    area_name: Text
    headline: Text


class RecommenderConfig(_Strict):
    weights: RecommenderWeights
    lexical_saturation: float = Field(gt=0.0)
    dense_floor: float = Field(ge=0.0, le=1.0)
    dense_ceiling: float = Field(ge=0.0, le=1.0)
    min_relevance: float = Field(ge=0.0)
    min_relevance_filtered: float = Field(ge=0.0)
    effect_cap_months: int = Field(ge=1, le=24)
    missing_evidence: int = Field(ge=1, le=5)
    why_terms: int = Field(ge=1, le=10)
    measure_examples: int = Field(ge=0, le=10)
    generic_terms: list[str]
    implicit: dict[str, dict[str, list[str]]]
    municipal_terms: list[str]
    municipal: MunicipalTexts

    @model_validator(mode="after")
    def _floor_below_ceiling(self) -> RecommenderConfig:
        if self.dense_floor >= self.dense_ceiling:
            raise ValueError("dense_floor moet kleiner zijn dan dense_ceiling")
        return self

    @field_validator("implicit")
    @classmethod
    def _known_filters_and_patterns(cls, value: dict) -> dict:
        unknown = set(value) - set(FILTER_KEYS)
        if unknown:
            raise ValueError(f"onbekende filters {sorted(unknown)}; bekend: {FILTER_KEYS}")
        for options in value.values():
            for patterns in options.values():
                for pattern in patterns:
                    re.compile(pattern)
        return value


def load_recommender_config(path: Path | None = None) -> RecommenderConfig:
    path = path or DEFAULT_PATH
    try:
        return RecommenderConfig(**yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, TypeError, ValidationError, re.error) as exc:
        raise config_error("configuratie van de interventiewijzer", path, exc) from exc
