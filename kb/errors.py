"""The project's known, user-facing error types (messages are Dutch and say what to do)."""

from __future__ import annotations

from kb.cards import CardError
from kb.embeddings import EmbeddingError
from kb.registry import RegistryError
from kb.retrieval import FilterError
from kb.settings import SettingsError
from kb.store import StoreError

KNOWN_ERRORS: tuple[type[Exception], ...] = (
    CardError, EmbeddingError, RegistryError, FilterError, SettingsError, StoreError,
)
