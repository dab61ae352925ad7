"""Validated loading of ``service/config/answering.yaml`` (thresholds, patterns, templates)."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator

from kb.validation_messages import problems_of, summary

DEFAULT_PATH = Path(__file__).resolve().parent / "config" / "answering.yaml"


class ConfigError(ValueError):
    """The answering configuration is invalid (Dutch message naming the file)."""


Text = Annotated[str, Field(min_length=1)]  # a template text that may not be empty


def _known_keys(value: dict, known: tuple[str, ...], what: str) -> dict:
    """``value`` when all its keys are in ``known``; else a Dutch error naming them."""
    unknown = set(value) - set(known)
    if unknown:
        raise ValueError(f"onbekende {what} {sorted(unknown)}; bekend: {known}")
    return value


class RetrievalCfg(BaseModel):
    k: int = Field(6, ge=1, le=30)
    max_sources: int = Field(4, ge=1, le=10)
    per_url_cap: int = Field(2, ge=1, le=10)  # chunks of one page among the k
    # further hits read only for a value the question states (pipeline/premises.py)
    premise_more: int = Field(0, ge=0, le=30)


class RefusalCfg(BaseModel):
    # P(answer supported) = sigmoid(intercept + Σ weight × signal), see pipeline/refusal.py
    weights: dict[str, float]
    intercept: float
    threshold: float = Field(0.5, gt=0.0, lt=1.0)
    message: str = Field(min_length=10)
    # the text was withheld but interventions or a funding note are shown: say so first
    partial: str = Field(min_length=10)

    @field_validator("weights")
    @classmethod
    def _known_signals(cls, value: dict[str, float]) -> dict[str, float]:
        from service.pipeline.refusal import SIGNALS

        return _known_keys(value, SIGNALS, "signalen")


class ExtractiveCfg(BaseModel):
    max_sentences: int = Field(5, ge=1, le=20)
    max_chars: int = Field(900, ge=100)
    max_list_chars: int = Field(600, ge=0)  # a list partly chosen is completed up to this
    min_sentence_chars: int = Field(25, ge=1)
    duplicate_jaccard: float = Field(0.6, gt=0.0, le=1.0)
    # Linear sentence score: weight per signal (see compose_extractive.FEATURES).
    # score = (bias + Σ weight × signal) / (1 + rank_decay × rank of the chunk)
    weights: dict[str, float]
    bias: float = 0.25
    rank_decay: float = Field(0.35, ge=0.0, le=5.0)
    sem_floor: float = Field(0.8, ge=0.0, le=1.0)  # the "sem" signal is cosine − floor
    missing_sem: float = Field(0.8, ge=0.0, le=1.0)  # cosine assumed without a vector
    keep_ratio: float = Field(0.25, ge=0.0, le=1.0)  # keep sentences scoring ≥ ratio × best
    lead_margin: float = Field(0.5, ge=0.0)   # a typed sentence may lead if this close
    anaphora: str = "^$"
    # Share of a sentence's question-term weight already covered by chosen sentences is
    # discounted by this factor: the next sentence should add what is still missing.
    covered_penalty: float = Field(0.0, ge=0.0, le=5.0)
    # minus this × the largest share of its terms that a chosen sentence already has
    redundancy_penalty: float = Field(0.0, ge=0.0, le=5.0)
    # A stated value a source repeats about another subject is not confirmed: when a
    # sentence giving another value of its kind holds this much more of the question's
    # subject (idf-weighted share of its words other than values) than every sentence
    # repeating it, and is at least as similar to the question. Above 1: off.
    premise_subject_margin: float = Field(0.05, ge=0.0)
    # a bound ("vanaf 2027") is contradicted only by another bound about the question's
    # subject: at least this idf-weighted share of its words besides the values
    premise_bound_subject: float = Field(0.2, ge=0.0, le=1.0)

    @field_validator("weights")
    @classmethod
    def _known_features(cls, value: dict[str, float]) -> dict[str, float]:
        from service.pipeline.compose_extractive import FEATURES

        return _known_keys(value, FEATURES, "kenmerken")

    @cached_property
    def anaphora_re(self) -> re.Pattern[str]:
        return re.compile(self.anaphora, re.I)


class AnswerTypeCfg(BaseModel):
    """A kind of fact a question can ask for (the question's kind is classified from its
    meaning, service/classifiers.py); ``sentence`` recognises a sentence holding one."""

    name: str
    sentence: str

    @cached_property
    def sentence_re(self) -> re.Pattern[str]:
        return re.compile(self.sentence, re.I)


class FollowUpCfg(BaseModel):
    # Groups of alternatives (the school type, who acts). Each alternative is a term or a
    # list of words for the same thing ("gemeente", "gemeenten"); a follow-up naming one
    # alternative replaces the others, never the words of its own alternative.
    exclusive_terms: list[list[str | list[str]]]


class GroundingCfg(BaseModel):
    unsupported_note: str = Field(min_length=10)
    premise_note: str = Field(min_length=10)


class DecisionCfg(BaseModel):
    """Probability a classifier (service/classifiers.py) must reach to decide."""

    follow_up: float = Field(0.5, gt=0.0, lt=1.0)
    needs: float = Field(0.5, gt=0.0, lt=1.0)
    answer_type: float = Field(0.4, gt=0.0, lt=1.0)
    not_fundable: float = Field(0.5, gt=0.0, lt=1.0)


class OfficialCfg(BaseModel):
    title: str
    interventions_heading: Text


class HelpdeskCfg(BaseModel):
    salutation: str
    opening: str
    closing: str
    signature: str
    refusal_body: str
    partial_body: str  # the text was withheld, interventions or a funding note follow
    interventions_heading: Text
    sources_heading: Text


class FacilitatorCfg(BaseModel):
    """The briefing is Markdown: the title and the section headings become headings."""

    title: str
    intro: str
    discussion_questions: list[str] = Field(min_length=3)
    # A theme ("thuiszitters") goes into the title and the discussion questions; a whole
    # question or request does not read there: it is quoted in the intro instead.
    max_theme_words: int = Field(ge=1)
    question_title: Text
    question_intro: str
    theme_for_question: Text
    facts_heading: Text
    interventions_heading: Text
    questions_heading: Text
    sources_heading: Text
    no_sources: Text


class ModesCfg(BaseModel):
    official: OfficialCfg
    helpdesk: HelpdeskCfg
    facilitator: FacilitatorCfg


class InterventionsCfg(BaseModel):
    """The recommender's list wherever it is shown: in answers, on the command line, in the
    API and the web UI."""

    none_found: str = Field(min_length=10)
    effect_note: str = Field(min_length=10)


class LLMCfg(BaseModel):
    # a sentence of the model is kept only when at least this share of its terms occurs
    # in the sources it cites (pipeline/compose_llm.py)
    min_support: float = Field(gt=0.0, le=1.0)


class AnsweringConfig(BaseModel):
    retrieval: RetrievalCfg
    refusal: RefusalCfg
    extractive: ExtractiveCfg
    answer_types: list[AnswerTypeCfg] = Field(default_factory=list)
    injection_patterns: list[str]
    follow_up: FollowUpCfg
    decisions: DecisionCfg = Field(default_factory=DecisionCfg)
    grounding: GroundingCfg
    llm: LLMCfg
    modes: ModesCfg
    interventions: InterventionsCfg

    def answer_type(self, name: str) -> AnswerTypeCfg | None:
        return next((t for t in self.answer_types if t.name == name), None)

    @cached_property
    def injection_re(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in self.injection_patterns), re.I)


def load_answering_config(path: Path | None = None) -> AnsweringConfig:
    path = path or DEFAULT_PATH
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        config = AnsweringConfig(**data)
        config.injection_re  # noqa: B018 - compile now, fail early
        for answer_type in config.answer_types:
            answer_type.sentence_re  # noqa: B018
        return config
    except (OSError, yaml.YAMLError, TypeError, ValidationError, re.error) as exc:
        raise config_error("antwoordconfiguratie", path, exc) from exc


def config_error(what: str, path: Path, exc: Exception) -> ConfigError:
    """A configuration file that cannot be used, said in Dutch (validation errors per field)."""
    detail = summary(problems_of(exc.errors())) if isinstance(exc, ValidationError) else exc
    return ConfigError(f"Ongeldige {what} {path}: {detail}")
