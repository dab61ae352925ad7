"""The knowledge base: registry + vector store + chunker + retriever behind one object."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from langchain_core.embeddings import Embeddings

from kb.cards import load_cards
from kb.chunking import HeadingChunker
from kb.documents import SourceDocument
from kb.embeddings import make_embeddings
from kb.registry import DocumentRow, Registry
from kb.retrieval import HybridRetriever
from kb.settings import Settings
from kb.store import VectorStore

Outcome = Literal["new", "changed", "unchanged"]
Progress = Callable[[int], None]


@dataclass
class UpsertReport:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    chunks: int = 0

    def add(self, outcome: Outcome) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


class KnowledgeBase:
    def __init__(self, settings: Settings, embeddings: Embeddings | None = None,
                 client=None) -> None:
        self.settings = settings
        self.embeddings = embeddings or make_embeddings(settings)
        self.registry = Registry(settings.catalog_path)
        self.store = VectorStore(settings, self.embeddings, client=client)
        self.chunker = HeadingChunker(settings.chunk_chars, settings.chunk_overlap)
        self.retriever = HybridRetriever(settings, self.store, self.registry, self.embeddings)

    # -- writing -----------------------------------------------------------------------
    def upsert_many(self, docs: Iterable[SourceDocument], progress: Progress | None = None,
                    batch_docs: int = 16) -> UpsertReport:
        """Add or replace documents; unchanged ones (same content hash) cost nothing.

        Chunks of several documents are embedded in one call, so ingest runs close to the
        bare embedding rate.
        """
        report = UpsertReport()
        batch: list[SourceDocument] = []
        for doc in docs:
            previous = self.registry.get(doc.key)
            if previous and previous.content_hash == doc.content_hash:
                report.add("unchanged")
                if progress:
                    progress(1)
                continue
            report.add("changed" if previous else "new")
            batch.append(doc)
            if len(batch) >= batch_docs:
                report.chunks += self._write(batch, progress)
                batch = []
        if batch:
            report.chunks += self._write(batch, progress)
        return report

    def _write(self, docs: list[SourceDocument], progress: Progress | None) -> int:
        ids: list[str] = []
        texts: list[str] = []
        metas: list[dict] = []
        per_doc: list[tuple[SourceDocument, int]] = []
        for doc in docs:
            chunks = self.chunker.split(doc)
            digest = doc.content_hash
            for chunk in chunks:
                ids.append(f"{doc.key}#{digest[:12]}#{chunk.index}")
                texts.append(chunk.contextual_text(doc.title))
                metas.append(self._metadata(doc, digest, chunk.heading, chunk.index))
            per_doc.append((doc, len(chunks)))
        vectors = self.embeddings.embed_documents(texts) if texts else []
        self.store.add(ids, texts, metas, vectors)
        for doc, n in per_doc:  # commit point per document, then drop its old chunks
            old = [i for i in self.store.ids_for(doc.key)
                   if not i.startswith(f"{doc.key}#{doc.content_hash[:12]}#")]
            self.registry.put(DocumentRow(
                key=doc.key, url=doc.url, title=doc.title, site=doc.site,
                doc_type=doc.doc_type,
                published=doc.published.isoformat() if doc.published else None,
                fetched_at=doc.fetched_at, content_hash=doc.content_hash, chunk_count=n,
                topics=doc.topics, audience=doc.audience))
            if old:
                self.store.delete(old)
            if progress:
                progress(1)
        self._bump()
        return len(ids)

    @staticmethod
    def _metadata(doc: SourceDocument, digest: str, heading: str, index: int) -> dict:
        meta = {
            "key": doc.key, "hash": digest, "url": doc.url, "title": doc.title,
            "site": doc.site, "doc_type": doc.doc_type, "heading": heading, "chunk": index,
            "published": doc.published.isoformat() if doc.published else "",
            "fetched_at": doc.fetched_at, "topics": ",".join(doc.topics),
        }
        meta.update({f"aud_{a}": True for a in doc.audience})
        return meta

    def remove(self, key: str) -> bool:
        """Delete a document and its chunks (registry first: retrieval stops trusting them)."""
        if self.registry.get(key) is None:
            return False
        self.registry.delete(key)
        self.store.delete(self.store.ids_for(key))
        self._bump()
        return True

    def gc(self) -> int:
        """Delete chunks the registry does not name (left by an interrupted write)."""
        current = self.registry.current_hashes()
        stale = [c.id for c in self.store.all_chunks()
                 if current.get(c.metadata.get("key")) != c.metadata.get("hash")]
        self.store.delete(stale)
        if stale:
            self._bump()
        return len(stale)

    def _bump(self) -> None:
        self.registry.set_meta("generation", uuid.uuid4().hex)

    # -- reading -----------------------------------------------------------------------
    def is_empty(self) -> bool:
        return not self.registry.all()

    def load_cards(self, progress: Progress | None = None) -> UpsertReport:
        cards = load_cards(self.settings.cards_dir)
        return self.upsert_many((c.to_document() for c in cards), progress)

    def card_count(self) -> int:
        return len(load_cards(self.settings.cards_dir))
