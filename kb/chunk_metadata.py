"""The metadata every stored chunk carries, as one typed record.

Chroma stores metadata as a flat mapping of scalars, so the record is flattened on the way
in (``to_chroma``) and read back on the way out (``from_chroma``): lists become a
comma-joined ``topics`` string and one ``aud_<audience>: True`` flag per audience (Chroma's
``where`` filter can test a flag, not list membership). Everything above the store reads
the typed fields; only the store and the saved lexical index see the flat form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kb.documents import SourceDocument

AUDIENCE_PREFIX = "aud_"


@dataclass(frozen=True)
class ChunkMetadata:
    key: str = ""  # the document's catalog key (``card:…``, ``page:…``, ``local:…``)
    hash: str = ""  # the document's content hash when the chunk was written
    url: str = ""
    title: str = ""
    site: str = ""
    doc_type: str = ""  # card, page, pdf, local
    heading: str = ""  # heading path below the title; "" for the lead
    chunk: int = 0  # position of the chunk in its document
    published: str = ""  # ISO date, "" when unknown
    fetched_at: str = ""
    topics: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()

    @classmethod
    def for_chunk(cls, doc: SourceDocument, digest: str, heading: str, index: int
                  ) -> ChunkMetadata:
        """``digest``: the document's content hash, computed once per document."""
        return cls(key=doc.key, hash=digest, url=doc.url, title=doc.title,
                   site=doc.site, doc_type=doc.doc_type, heading=heading, chunk=index,
                   published=doc.published.isoformat() if doc.published else "",
                   fetched_at=doc.fetched_at, topics=tuple(doc.topics),
                   audience=tuple(dict.fromkeys(doc.audience)))

    def to_chroma(self) -> dict:
        flat: dict = {"key": self.key, "hash": self.hash, "url": self.url,
                      "title": self.title, "site": self.site, "doc_type": self.doc_type,
                      "heading": self.heading, "chunk": self.chunk,
                      "published": self.published, "fetched_at": self.fetched_at,
                      "topics": ",".join(self.topics)}
        flat.update({f"{AUDIENCE_PREFIX}{a}": True for a in self.audience})
        return flat

    @classmethod
    def from_chroma(cls, flat: Mapping) -> ChunkMetadata:
        return cls(key=flat.get("key", ""), hash=flat.get("hash", ""),
                   url=flat.get("url", ""), title=flat.get("title", ""),
                   site=flat.get("site", ""), doc_type=flat.get("doc_type", ""),
                   heading=flat.get("heading", ""), chunk=flat.get("chunk", 0),
                   published=flat.get("published") or "",
                   fetched_at=flat.get("fetched_at", ""),
                   topics=tuple(t for t in (flat.get("topics") or "").split(",") if t),
                   # sorted: Chroma gives the flags back in its own order
                   audience=tuple(sorted(k[len(AUDIENCE_PREFIX):] for k, v in flat.items()
                                         if k.startswith(AUDIENCE_PREFIX) and v)))
