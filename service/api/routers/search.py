"""GET /v1/search and GET /v1/sources."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from service.api.deps import ServicesDep
from service.api.schemas import SearchResults, SourcesResponse
from service.source_search import search_sources

router = APIRouter(prefix="/v1", tags=["bronnen"])


@router.get("/search", response_model=SearchResults, summary="Zoek bronnen (één per pagina)")
def search(services: ServicesDep, q: Annotated[str, Query(max_length=4000)],
           k: Annotated[int, Query(ge=1, le=50)] = 10,
           site: Annotated[str | None, Query(max_length=100)] = None,
           doc_type: Annotated[str | None, Query(max_length=20)] = None,
           audience: Annotated[str | None, Query(max_length=50)] = None) -> SearchResults:
    return search_sources(services.kb, q, k=k, filters={"site": site, "doc_type": doc_type,
                                                         "audience": audience})


@router.get("/sources", response_model=SourcesResponse, summary="Wat de kennisbank bevat")
def sources(services: ServicesDep,
            site: Annotated[str | None, Query(max_length=100)] = None,
            limit: Annotated[int, Query(ge=1, le=1000)] = 200,
            offset: Annotated[int, Query(ge=0)] = 0) -> dict:
    rows = [r for r in services.kb.registry.all() if not site or r.site == site]
    summary = [{"site": s, "doc_type": t, "documents": d, "chunks": c or 0}
               for s, t, d, c in services.kb.registry.counts()]
    last = {}
    for r in rows:
        last[r.site] = max(last.get(r.site, ""), r.fetched_at)
    return {"summary": summary, "last_update": last, "total": len(rows),
            "documents": [{"url": r.url, "title": r.title, "site": r.site,
                           "doc_type": r.doc_type, "published": r.published,
                           "fetched_at": r.fetched_at} for r in rows[offset:offset + limit]]}
