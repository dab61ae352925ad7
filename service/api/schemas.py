"""Request and response bodies of the HTTP API."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from kb.text_cleaning import clean_input

Mode = Literal["official", "helpdesk", "facilitator"]
# Free text from users: the one cleaning rule (invisible characters out) before any use.
CleanText = Annotated[str, AfterValidator(clean_input)]


class RequestModel(BaseModel):
    """Every request body: an unknown field is an error (422), never silently dropped, so a
    caller cannot believe that e.g. ``base_url`` in a crawl request had an effect."""

    model_config = ConfigDict(extra="forbid")


class ErrorDetail(BaseModel):
    """Every error response: one Dutch sentence or two in ``detail``."""

    detail: str


# Documented on every route, so the OpenAPI schema matches what errors really look like
# (FastAPI would otherwise document its English list-shaped 422 body).
ERROR_RESPONSES: dict = {
    "4XX": {"model": ErrorDetail, "description": "Fout in het verzoek (Nederlandse uitleg)"},
    "5XX": {"model": ErrorDetail, "description": "Dienst (tijdelijk) niet beschikbaar"},
}


class Filters(RequestModel):
    site: str | None = Field(None, max_length=100)
    doc_type: Literal["card", "page", "pdf", "local"] | None = None
    audience: str | None = Field(None, max_length=50)

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in self.model_dump().items() if v}


class AskRequest(RequestModel):
    question: str = Field(max_length=4000, description="De vraag (na opschonen max. 500 tekens)")
    mode: Mode = "official"
    filters: Filters = Field(default_factory=Filters)


class Message(RequestModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=8000)


class ChatRequest(RequestModel):
    messages: list[Message] = Field(min_length=1, max_length=40)
    mode: Mode = "official"
    stream: bool = True
    filters: Filters = Field(default_factory=Filters)


class Citation(BaseModel):
    n: int
    title: str
    url: str
    site: str
    published: str | None
    snippet: str


class AnswerResponse(BaseModel):
    question: str
    mode: str
    answer: str
    refused: bool
    citations: list[Citation]
    interventions: list[dict]
    timings_ms: dict[str, float]
    composer: str
    search_query: str
    trace: dict = Field(default_factory=dict, description=(
        "Waarom het antwoord zo is: route, vervolgvraag, soort antwoord, niet gevonden "
        "termen, reden van weigering of van het afwijzen van een taalmodelantwoord"))


class SearchResult(BaseModel):
    url: str
    title: str
    site: str
    score: float
    published: str | None
    text: str


class SearchResponse(BaseModel):
    query: str
    results: list[SearchResult]


class FeedbackRequest(RequestModel):
    question: str = Field(min_length=1, max_length=4000)
    answer: str = Field(max_length=20000)
    mode: Mode = "official"
    rating: Literal[1, -1]
    comment: str = Field("", max_length=2000)
    sources: list[str] = Field(default_factory=list, max_length=20)


class RecommendRequest(RequestModel):
    need: CleanText = Field(min_length=1, max_length=4000)
    level: str | None = Field(None, max_length=20)
    domain: str | None = Field(None, max_length=40)
    max_cost: int | None = Field(None, ge=1, le=5)
    min_evidence: int | None = Field(None, ge=1, le=5)
    doelgebied: str | None = Field(None, max_length=1)
    k: int = Field(5, ge=1, le=20)


class CrawlRequest(RequestModel):
    sites: list[str] = Field(default_factory=list, max_length=10)
    max_pages: int | None = Field(None, ge=1, le=100_000)
