"""Is the vector store in step with the catalog? Shown by ``/healthz`` and ``kennisloket status``.

The catalog names every current document and its number of chunks; Chroma holds the
chunks. A process killed mid-write leaves extra chunks (ignored by retrieval, removed by
``kennisloket repair``); chunks deleted behind the catalog's back leave documents without
text. Both are worth a visible warning, although neither makes answers use wrong data.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.registry import Registry
from kb.store import VectorStore


@dataclass(frozen=True)
class StoreSync:
    chroma_chunks: int
    catalog_chunks: int

    @property
    def in_step(self) -> bool:
        return self.chroma_chunks == self.catalog_chunks

    def message(self) -> str:
        """Dutch explanation and what to do; empty when in step."""
        if self.in_step:
            return ""
        head = (f"Let op: de vectoropslag (Chroma) bevat {self.chroma_chunks} fragmenten, de "
                f"catalogus noemt er {self.catalog_chunks}. ")
        if self.chroma_chunks > self.catalog_chunks:
            return head + ("Waarschijnlijk is een crawl of import onderbroken; antwoorden "
                           "gebruiken alleen wat de catalogus noemt. Ruim de rest op met: "
                           "kennisloket repair")
        return head + ("Van sommige documenten ontbreken fragmenten in de vectoropslag. "
                       "Crawl of importeer ze opnieuw, of draai: kennisloket repair")


def store_sync(store: VectorStore, registry: Registry) -> StoreSync:
    catalog = sum(chunks or 0 for _, _, _, chunks in registry.counts())
    return StoreSync(chroma_chunks=store.count(), catalog_chunks=catalog)
