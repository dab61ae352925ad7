"""The typed data the service layer hands out: to the HTTP API, the web UI, the command line
and the evals alike.

Pydantic models, so the API uses them as its response models (OpenAPI, and the schema
fuzzer, see their whole shape) and ``to_json()`` is the one way they become JSON (API,
Server-Sent Events, ``--json`` on the command line, eval dumps).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from kb.catalog import Source
from kb.hits import Hit

Mode = Literal["official", "helpdesk", "facilitator"]
SNIPPET_CHARS = 280


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """A short quote of a source text: whitespace folded, cut at a word boundary with '…'."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


class Contract(BaseModel):
    def to_json(self) -> dict[str, Any]:
        """The JSON form (plain dicts, lists, strings and numbers)."""
        return self.model_dump(mode="json")


class Citation(Contract):
    """A source an answer cites as ``[n]``."""

    n: int
    title: str
    url: str
    site: str
    published: str | None = Field(description="publicatiedatum (ISO), leeg als onbekend")
    snippet: str

    @classmethod
    def from_hit(cls, n: int, hit: Hit) -> Citation:
        return cls(n=n, title=hit.title, url=hit.url, site=hit.site, published=hit.published,
                   snippet=snippet(hit.text))


class RecommendedIntervention(Contract):
    """A menukaart intervention (or a municipal spending goal) recommended for a need."""

    id: str
    kind: Literal["interventie", "gemeentelijke maatregel"]
    name: str
    doelgebied: str | None = Field(description="A–F; leeg bij een gemeentelijke maatregel")
    doelgebied_name: str
    effect_months: int | None = Field(description="extra maanden leervoortgang; leeg = onbekend")
    evidence: int | None = Field(description="bewijskracht 1–5; leeg = onbekend")
    cost: int | None = Field(description="kosten 1–5; leeg = onbekend")
    headline: str
    why: str = Field(description="waarom deze interventie past bij de omschrijving")
    conditions: list[str]
    description: str
    links: list[Source]
    levels: list[str]
    domains: list[str]
    score: float


class Answer(Contract):
    """An answer to a question, in any mode, with its sources and why it came out so."""

    question: str
    mode: Mode
    answer: str
    refused: bool
    citations: list[Citation]
    interventions: list[RecommendedIntervention]
    timings_ms: dict[str, float]
    composer: str
    search_query: str
    trace: dict[str, Any] = Field(default_factory=dict, description=(
        "Waarom het antwoord zo is: route, vervolgvraag, soort antwoord, niet gevonden "
        "termen, reden van weigering of van het afwijzen van een taalmodelantwoord"))


class Advice(Contract):
    """The recommender's list for a described need, with notes on items that may not be
    funded from NPO money."""

    need: str
    interventions: list[RecommendedIntervention]
    notes: list[str]


class SearchResult(Contract):
    """One source page found by a search (the best chunk of that page)."""

    url: str
    title: str
    site: str
    score: float
    published: str | None
    text: str
    snippet: str = Field(description="de tekst ingekort tot een citaat")

    @classmethod
    def from_hit(cls, hit: Hit) -> SearchResult:
        return cls(url=hit.url, title=hit.title, site=hit.site, score=hit.score,
                   published=hit.published, text=hit.text, snippet=snippet(hit.text))


class SearchResults(Contract):
    query: str
    results: list[SearchResult]
    timings_ms: dict[str, float] = Field(default_factory=dict)
