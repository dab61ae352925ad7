"""The knowledge base: registry + vector store + chunker + retriever behind one object."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from langchain_core.embeddings import Embeddings

from kb.cards import load_cards
from kb.chunk_metadata import ChunkMetadata
from kb.chunking import HeadingChunker
from kb.documents import SourceDocument
from kb.embeddings import make_embeddings
from kb.registry import DocumentRow, Registry
from kb.retrieval import HybridRetriever
from kb.sentence_vectors import SentenceVectors, texts_for_chunk
from kb.settings import Settings
from kb.store import StoredChunk, VectorStore

Outcome = Literal["new", "changed", "unchanged"]
Progress = Callable[[int], None]


@dataclass(frozen=True)
class ChunkRecord:
    """One chunk as it is stored: its id (document key, content hash, position), the
    contextual text that is embedded, its metadata and the texts of its sentences."""

    id: str
    text: str
    metadata: ChunkMetadata
    sentences: list[str]


def chunk_records(chunker: HeadingChunker, doc: SourceDocument) -> list[ChunkRecord]:
    digest = doc.content_hash
    return [ChunkRecord(f"{doc.key}#{digest[:12]}#{chunk.index}",
                        chunk.contextual_text(doc.title),
                        ChunkMetadata.for_chunk(doc, digest, chunk.heading, chunk.index),
                        texts_for_chunk(doc.title, chunk))
            for chunk in chunker.split(doc)]


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
        self.sentences = SentenceVectors(self.registry)
        self.retriever = HybridRetriever(settings, self.store, self.registry, self.embeddings,
                                         self.sentences)

    # -- writing -----------------------------------------------------------------------
    def upsert_many(self, docs: Iterable[SourceDocument], progress: Progress | None = None,
                    batch_docs: int = 16, written: list[StoredChunk] | None = None,
                    records: dict[str, list[ChunkRecord]] | None = None,
                    in_store: bool = False) -> UpsertReport:
        """Add or replace documents; unchanged ones (same content hash) cost nothing.

        Chunks of several documents are embedded in one call, so ingest runs close to the
        bare embedding rate. ``written`` collects the chunks of the documents committed;
        ``records``: chunk records already made, by document key. ``in_store``: the vector
        store already holds exactly these chunks (a restored starter store,
        kb/starter_store.py): only the catalog and the sentence vectors are written.
        """
        report = UpsertReport()
        batch: list[SourceDocument] = []
        fresh: set[str] = set()  # keys with no earlier version: nothing to delete
        for doc in docs:
            previous = self.registry.get(doc.key)
            if previous and previous.content_hash == doc.content_hash:
                report.add("unchanged")
                if progress:
                    progress(1)
                continue
            report.add("changed" if previous else "new")
            if previous is None:
                fresh.add(doc.key)
            batch.append(doc)
            if len(batch) >= batch_docs:
                report.chunks += self._write(batch, progress, fresh, written, records,
                                             in_store)
                batch = []
        if batch:
            report.chunks += self._write(batch, progress, fresh, written, records, in_store)
        return report

    def _write(self, docs: list[SourceDocument], progress: Progress | None,
               fresh: set[str] = frozenset(), written: list[StoredChunk] | None = None,
               records: dict[str, list[ChunkRecord]] | None = None, in_store: bool = False
               ) -> int:
        made: list[ChunkRecord] = []
        per_doc: list[tuple[SourceDocument, int]] = []
        for doc in docs:
            chunks = (records or {}).get(doc.key) or chunk_records(self.chunker, doc)
            made.extend(chunks)
            per_doc.append((doc, len(chunks)))
        ids = [r.id for r in made]
        texts = [r.text for r in made]
        metas = [r.metadata for r in made]
        sentence_texts = [r.sentences for r in made]
        # chunks and their sentences in one call, so the engine stays batched
        flat = [t for group in sentence_texts for t in group]
        embedded = [] if in_store else texts
        vectors = self.embeddings.embed_documents(embedded + flat) if made else []
        if not in_store:
            self.store.add(ids, texts, metas, vectors[: len(texts)])
        self.sentences.put(self.store.model_id,
                           zip(ids, _regroup(vectors[len(embedded):], sentence_texts)))
        for doc, n in per_doc:  # commit point per document, then drop its old chunks
            # a document the catalog never had has no old chunks (an interrupted earlier
            # write may have left some: gc removes chunks the catalog does not name)
            old = [] if doc.key in fresh else [
                i for i in self.store.ids_for(doc.key)
                if not i.startswith(f"{doc.key}#{doc.content_hash[:12]}#")]
            self.registry.put(DocumentRow(
                key=doc.key, url=doc.url, title=doc.title, site=doc.site,
                doc_type=doc.doc_type,
                published=doc.published.isoformat() if doc.published else None,
                fetched_at=doc.fetched_at, content_hash=doc.content_hash, chunk_count=n,
                topics=doc.topics, audience=doc.audience))
            if old:
                self.store.delete(old)
                self.sentences.delete(old)
            if progress:
                progress(1)
        if written is not None:  # as the store gives them back (its flat metadata)
            written.extend(StoredChunk(i, t, ChunkMetadata.from_chroma(m.to_chroma()))
                           for i, t, m in zip(ids, texts, metas))
        self._bump()
        return len(ids)

    def remove(self, key: str) -> bool:
        """Delete a document and its chunks (registry first: retrieval stops trusting them)."""
        if self.registry.get(key) is None:
            return False
        self.registry.delete(key)
        ids = self.store.ids_for(key)
        self.store.delete(ids)
        self.sentences.delete(ids)
        self._bump()
        return True

    def gc(self) -> int:
        """Delete chunks the registry does not name (left by an interrupted write)."""
        current = self.registry.current_hashes()
        chunks = self.store.all_chunks()
        stale = [c.id for c in chunks if current.get(c.metadata.key) != c.metadata.hash]
        self.store.delete(stale)
        live = {c.id for c in chunks} - set(stale)
        self.sentences.delete(sorted(self.sentences.ids() - live))
        if stale:
            self._bump()
        return len(stale)

    def sentence_vectors_complete(self) -> bool:
        """Cheap check for every command start: a row per current chunk."""
        expected = sum(row[3] or 0 for row in self.registry.counts())
        return self.sentences.count(self.store.model_id) >= expected

    def missing_sentence_vectors(self) -> list[StoredChunk]:
        """Current chunks without sentence vectors of this model (a data directory from an
        older version, a repaired catalog, a reindex)."""
        current = self.registry.current_hashes()
        have = self.sentences.ids(self.store.model_id)
        return [c for c in self.store.all_chunks()
                if current.get(c.metadata.key) == c.metadata.hash and c.id not in have]

    def add_sentence_vectors(self, chunks: list[StoredChunk], progress: Progress | None = None,
                             batch: int = 64) -> int:
        for start in range(0, len(chunks), batch):
            part = chunks[start:start + batch]
            groups = [_sentence_texts(c) for c in part]
            flat = [t for g in groups for t in g]
            vectors = self.embeddings.embed_documents(flat) if flat else []
            self.sentences.put(self.store.model_id,
                               zip([c.id for c in part], _regroup(vectors, groups)))
            if progress:
                progress(len(part))
        return len(chunks)

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

    def cards_fingerprint(self) -> str:
        """Changes whenever a card file is added, removed or edited (~20 ms for the pack)."""
        import hashlib

        digest = hashlib.sha256()
        for path in sorted(self.settings.cards_dir.rglob("*.md")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()

    def cards_changed(self) -> bool:
        return self.registry.get_meta("cards_fingerprint") != self.cards_fingerprint()

    def sync_cards(self, progress: Progress | None = None) -> UpsertReport:
        """Bring the store in line with the cards folder (after an update of the starter
        pack): new and edited cards are written, cards that no longer exist removed."""
        cards = load_cards(self.settings.cards_dir)
        report = self.upsert_many((c.to_document() for c in cards), progress)
        keep = {f"card:{c.id}" for c in cards}
        for row in self.registry.all():
            if row.doc_type == "card" and row.key not in keep:
                self.remove(row.key)
        self.registry.set_meta("cards_fingerprint", self.cards_fingerprint())
        return report


def _regroup(vectors: list, groups: list[list[str]]) -> list[list]:
    out, position = [], 0
    for group in groups:
        out.append(vectors[position:position + len(group)])
        position += len(group)
    return out


def _sentence_texts(chunk: StoredChunk) -> list[str]:
    from kb.chunking import Chunk

    body = Chunk(0, chunk.metadata.heading, chunk.body)
    return texts_for_chunk(chunk.metadata.title, body)
