"""Data passed through the answer pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from kb.hits import Hit
from service.models import Citation, Mode, RecommendedIntervention

MODES: tuple[str, ...] = ("official", "helpdesk", "facilitator")


class InputRejected(ValueError):
    """The question cannot be processed; ``str(exc)`` is a Dutch message for the user."""


@dataclass(frozen=True)
class Turn:
    role: Literal["user", "assistant"]
    content: str


@dataclass(frozen=True)
class Statement:
    """One sentence of an answer and the source numbers that back it."""

    text: str
    sources: tuple[int, ...]
    paragraph: int = 0  # statements of one paragraph are rendered together
    item: bool = False  # an item of the list the statement before introduces

    def render(self) -> str:
        marks = "".join(f"[{n}]" for n in self.sources)
        return f"{self.text} {marks}".strip()


@dataclass
class AnswerState:
    question: str
    mode: Mode = "official"
    history: list[Turn] = field(default_factory=list)
    filters: dict[str, str] = field(default_factory=dict)
    # filled in by the stages
    search_query: str = ""
    query_vector: list[float] | None = None  # embedding of search_query (one model call)
    question_vector: list[float] | None = None  # a follow-up's own embedding, before merging
    follow_up: bool = False
    # merge with the previous question whatever the classifier says (pipeline.run)
    read_with_previous: bool = False
    answer_type: str = ""  # datum, bedrag, aantal, ja_nee, definitie, uitleg
    answer_type_scores: dict[str, float] = field(default_factory=dict)  # per kind
    needs_interventions: bool = False
    not_fundable_item: str = ""  # catalog id of a named item that may not be funded
    hits: list[Hit] = field(default_factory=list)
    premise_hits: list[Hit] = field(default_factory=list)  # read only for stated values
    top_dense: float = 0.0
    term_overlap: float = 0.0  # share of question terms covered by the answer text
    sources: list[Hit] = field(default_factory=list)  # numbered 1..n as cited
    statements: list[Statement] = field(default_factory=list)
    lead: str = ""
    composer: str = "extractive"
    refused: bool = False
    refusal_reason: str = ""
    interventions: list[RecommendedIntervention] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. "may not be funded", with source
    notes: list[str] = field(default_factory=list)
    unsupported_terms: list[str] = field(default_factory=list)  # named in the answer
    notices: list[str] = field(default_factory=list)  # said before the answer itself
    premise: dict = field(default_factory=dict)  # a stated value the sources contradict
    # values the question states that no retrieved sentence repeats (set by the composer)
    unconfirmed: list[str] = field(default_factory=list)
    trace: dict = field(default_factory=dict)  # why it was routed, refused or rejected
    signals: dict[str, float] = field(default_factory=dict)  # inputs of the refusal model
    timings_ms: dict[str, float] = field(default_factory=dict)

    def citations(self) -> list[Citation]:
        return [Citation.from_hit(i, h) for i, h in enumerate(self.sources, 1)]
