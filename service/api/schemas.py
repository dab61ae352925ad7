"""Request and response bodies of the HTTP API.

Answers, interventions and search results are the service layer's own models
(``service/models.py``): the API returns what the UI and the command line get.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from kb.text_cleaning import clean_input
from service.models import Answer, Mode, RecommendedIntervention, SearchResults

__all__ = ["Answer", "SearchResults"]  # response models of the answer and search routes
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


# -- response bodies of the other routes ----------------------------------------------
class RecommendResponse(BaseModel):
    need: str
    filters: dict[str, str | int] = Field(description="de gebruikte filters")
    interventions: list[RecommendedIntervention]
    notes: list[str] = Field(description="opmerkingen, bv. wat niet uit NPO-geld mag")
    message: str = Field(description="uitleg als er geen passende interventie is")


class FeedbackAck(BaseModel):
    id: int
    detail: str


class SiteSummary(BaseModel):
    site: str
    doc_type: str
    documents: int
    chunks: int


class SourceInfo(BaseModel):
    """The public part of a catalog row (kb/registry.DocumentRow): not its key or hash, as
    the key of an imported file holds its local path."""

    url: str
    title: str
    site: str
    doc_type: str
    published: str | None
    fetched_at: str


class SourcesResponse(BaseModel):
    summary: list[SiteSummary]
    last_update: dict[str, str] = Field(description="per site: laatste bijwerking (ISO)")
    total: int
    documents: list[SourceInfo]


class HealthResponse(BaseModel):
    status: Literal["ok", "degraded"]
    chunks: int
    catalog_chunks: int
    embedding_model: str
    documents: int
    detail: str | None = Field(None, description="uitleg bij 'degraded'")


class ReloadReport(BaseModel):
    new: int
    changed: int
    unchanged: int


class CrawlProgress(BaseModel):
    done: int
    total: int


class CrawlJob(BaseModel):
    job_id: str
    status: Literal["running", "finished", "failed"]
    sites: list[str]
    started_at: str
    finished_at: str | None
    report: dict[str, Any] | None = Field(description="het crawlrapport zodra klaar")
    error: str | None
    progress: dict[str, CrawlProgress]
