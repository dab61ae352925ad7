"""Validated loading of ``service/config/answering.yaml`` (thresholds, patterns, templates)."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError

DEFAULT_PATH = Path(__file__).resolve().parent / "config" / "answering.yaml"


class ConfigError(ValueError):
    """The answering configuration is invalid (Dutch message naming the file)."""


class RetrievalCfg(BaseModel):
    k: int = Field(6, ge=1, le=30)
    max_sources: int = Field(4, ge=1, le=10)


class RefusalCfg(BaseModel):
    min_dense: float = Field(ge=0.0, le=1.0)
    min_overlap: float = Field(ge=0.0, le=1.0)
    message: str = Field(min_length=10)


class ExtractiveCfg(BaseModel):
    max_sentences: int = Field(5, ge=1, le=20)
    max_chars: int = Field(900, ge=100)
    min_sentence_chars: int = Field(25, ge=1)
    duplicate_jaccard: float = Field(0.6, gt=0.0, le=1.0)
    rank_decay: float = Field(0.35, ge=0.0, le=5.0)   # score / (1 + decay * chunk rank)
    keep_ratio: float = Field(0.5, ge=0.0, le=1.0)    # keep sentences scoring ≥ ratio × best
    lead_bonus: float = Field(0.1, ge=0.0, le=1.0)    # first sentence of a chunk
    anaphora: str = "^$"
    anaphora_penalty: float = Field(0.35, ge=0.0, le=2.0)
    # Share of a sentence's question-term weight already covered by chosen sentences is
    # discounted by this factor: the next sentence should add what is still missing.
    covered_penalty: float = Field(0.0, ge=0.0, le=2.0)

    @cached_property
    def anaphora_re(self) -> re.Pattern[str]:
        return re.compile(self.anaphora, re.I)


class AnswerTypeCfg(BaseModel):
    name: str
    question: str
    sentence: str
    boost: float = Field(ge=0.0, le=2.0)

    @cached_property
    def question_re(self) -> re.Pattern[str]:
        return re.compile(self.question, re.I)

    @cached_property
    def sentence_re(self) -> re.Pattern[str]:
        return re.compile(self.sentence, re.I)


class FollowUpCfg(BaseModel):
    max_tokens: int = Field(7, ge=1)
    starters: list[str]
    pronouns: list[str]
    exclusive_terms: list[list[str]]


class HelpdeskCfg(BaseModel):
    salutation: str
    opening: str
    closing: str
    signature: str
    refusal_body: str


class FacilitatorCfg(BaseModel):
    title: str
    intro: str
    discussion_questions: list[str] = Field(min_length=3)


class ModesCfg(BaseModel):
    official: dict
    helpdesk: HelpdeskCfg
    facilitator: FacilitatorCfg


class AnsweringConfig(BaseModel):
    retrieval: RetrievalCfg
    refusal: RefusalCfg
    extractive: ExtractiveCfg
    answer_types: list[AnswerTypeCfg] = Field(default_factory=list)
    injection_patterns: list[str]
    follow_up: FollowUpCfg
    recommend_triggers: list[str]
    modes: ModesCfg

    @cached_property
    def injection_re(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in self.injection_patterns), re.I)

    @cached_property
    def recommend_re(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in self.recommend_triggers), re.I)


def load_answering_config(path: Path | None = None) -> AnsweringConfig:
    path = path or DEFAULT_PATH
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        config = AnsweringConfig(**data)
        config.injection_re, config.recommend_re  # noqa: B018 - compile now, fail early
        for answer_type in config.answer_types:
            answer_type.question_re, answer_type.sentence_re  # noqa: B018
        return config
    except (OSError, yaml.YAMLError, TypeError, ValidationError, re.error) as exc:
        raise ConfigError(f"Ongeldige antwoordconfiguratie {path}: {exc}") from exc
