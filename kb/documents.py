"""The document model shared by cards, crawled pages and imported files."""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timezone
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, HttpUrl, field_validator

from kb.text_cleaning import strip_invisible

DocType = Literal["card", "page", "pdf", "local"]
_KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _kebab_case(value: str) -> str:
    if not _KEBAB.match(value):
        raise ValueError("id moet kebab-case zijn (a-z, 0-9, '-')")
    return value


KebabId = Annotated[str, AfterValidator(_kebab_case)]  # ids of cards and catalog entries

def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def utcnow() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class SourceDocument(BaseModel):
    """One source (a card, a crawled page, a PDF or a local file) before chunking.

    ``text`` is Markdown-ish: ``#``/``##`` headings are kept so chunks can follow them.
    ``key`` identifies the document in the catalog: a card and a crawled page for the same
    URL are different documents, so both stay attributable.
    """

    key: str = Field(min_length=1)
    url: str = Field(min_length=1)
    title: str = Field(min_length=1)
    site: str = Field(min_length=1)
    doc_type: DocType
    text: str = Field(min_length=1)
    published: date | None = None
    fetched_at: str = Field(default_factory=utcnow)
    topics: list[str] = Field(default_factory=list)
    audience: list[str] = Field(default_factory=list)

    @field_validator("title", "text")
    @classmethod
    def _visible_only(cls, value: str) -> str:
        cleaned = strip_invisible(value)
        if not cleaned:
            raise ValueError("bevat alleen onzichtbare tekens")
        return cleaned

    @field_validator("url")
    @classmethod
    def _url_shape(cls, value: str) -> str:
        if value.startswith(("http://", "https://")):
            HttpUrl(value)  # raises on a malformed URL
        elif not value.startswith("file://"):
            raise ValueError("url moet met http(s):// of file:// beginnen")
        return value

    @property
    def content_hash(self) -> str:
        # Metadata that changes what users see counts too, not only the body.
        return content_hash(
            "\n".join([self.title, self.url, str(self.published or ""), self.text])
        )
