"""What retrieval hands on: ranked hits, and how several rankings become one.

Reciprocal-rank fusion of dense and lexical rankings (of one or more phrasings of a
question), then at most one version of a page and a cap on chunks per page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kb.store import StoredChunk

Ranking = tuple[list[StoredChunk], list[tuple[StoredChunk, float]]]  # dense, lexical


@dataclass(frozen=True)
class Hit:
    chunk: StoredChunk
    score: float  # fused score (RRF) or the single retriever's score
    dense_score: float | None
    lexical_score: float | None

    @property
    def url(self) -> str:
        return self.chunk.metadata.url

    @property
    def title(self) -> str:
        return self.chunk.metadata.title

    @property
    def site(self) -> str:
        return self.chunk.metadata.site

    @property
    def published(self) -> str | None:
        return self.chunk.metadata.published or None

    @property
    def heading(self) -> str:
        return self.chunk.metadata.heading

    @property
    def text(self) -> str:
        """The chunk's own text, without the title and heading line."""
        return self.chunk.body


@dataclass
class Retrieval:
    hits: list[Hit]
    top_dense: float  # best cosine similarity of any chunk to the query (refusal signal)
    timings_ms: dict[str, float] = field(default_factory=dict)
    more: list[Hit] = field(default_factory=list)  # the next hits after the k, when asked


def fuse(rankings: list[Ranking], dense_weight: float, lexical_weight: float,
         rrf_k: int) -> list[Hit]:
    """Reciprocal-rank fusion of every phrasing's dense and lexical ranking; a hit keeps
    the scores of the first phrasing that found it."""
    fused: dict[str, float] = {}
    chunks: dict[str, StoredChunk] = {}
    dense_score: dict[str, float] = {}
    lex_score: dict[str, float] = {}
    for dense, lexical in rankings:
        for rank, chunk in enumerate(dense):
            fused[chunk.id] = fused.get(chunk.id, 0.0) + dense_weight / (rrf_k + rank + 1)
            chunks.setdefault(chunk.id, chunk)
            dense_score.setdefault(chunk.id, chunk.score)
        for rank, (chunk, score) in enumerate(lexical):
            fused[chunk.id] = fused.get(chunk.id, 0.0) + lexical_weight / (rrf_k + rank + 1)
            chunks.setdefault(chunk.id, chunk)
            lex_score.setdefault(chunk.id, score)
    order = sorted(fused, key=lambda cid: -fused[cid])
    return [Hit(chunks[c], fused[c], dense_score.get(c), lex_score.get(c)) for c in order]


def newest_version_per_url(hits: list[Hit]) -> list[Hit]:
    """A crawled page supersedes the curated card for the same URL only when it is newer
    (by its own publication date); otherwise the card stays. Both remain in the store and
    stay attributable; only the superseded one is left out of this result."""
    keys: dict[str, dict[str, Hit]] = {}
    for hit in hits:
        keys.setdefault(hit.url, {}).setdefault(hit.chunk.metadata.key, hit)
    chosen: dict[str, str] = {}
    for url, by_key in keys.items():
        if len(by_key) == 1:
            continue
        cards = [h for h in by_key.values() if h.chunk.metadata.doc_type == "card"]
        others = [h for h in by_key.values() if h.chunk.metadata.doc_type != "card"]
        newest_card = max((h.published or "" for h in cards), default="")
        newer = [h for h in others if (h.published or "") > newest_card]
        if cards and not newer:
            chosen[url] = "card"
        elif newer:
            chosen[url] = max(newer, key=lambda h: h.published or "").chunk.metadata.key
    if not chosen:
        return hits
    return [h for h in hits if h.url not in chosen
            or (chosen[h.url] == "card" and h.chunk.metadata.doc_type == "card")
            or h.chunk.metadata.key == chosen[h.url]]


def cap_per_url(hits: list[Hit], cap: int) -> list[Hit]:
    seen: dict[str, int] = {}
    out: list[Hit] = []
    for hit in hits:
        if seen.get(hit.url, 0) < cap:
            seen[hit.url] = seen.get(hit.url, 0) + 1
            out.append(hit)
    return out
