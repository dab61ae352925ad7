"""GET /healthz and GET /metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from kb.consistency import store_sync
from service.api.deps import ServicesDep
from service.api.schemas import HealthResponse

router = APIRouter(tags=["beheer"])


@router.get("/healthz", response_model=HealthResponse, response_model_exclude_none=True,
            summary="Gezondheid van de dienst")
def healthz(services: ServicesDep) -> dict:
    """``status`` is ``ok``, or ``degraded`` with a Dutch ``detail`` when the vector store
    and the catalog disagree on the number of chunks (answers still only use what the
    catalog names). An unreachable store answers 503."""
    kb = services.kb
    kb.retriever.refresh()  # take in what other processes wrote (reopens embedded Chroma)
    sync = store_sync(kb.store, kb.registry)  # raises StoreUnavailable → 503
    body = {"status": "ok" if sync.in_step else "degraded", "chunks": sync.chroma_chunks,
            "catalog_chunks": sync.catalog_chunks, "embedding_model": kb.store.model_id,
            "documents": sum(d for _, _, d, _ in kb.registry.counts())}
    if not sync.in_step:
        body["detail"] = sync.message()
    return body


@router.get("/metrics", response_class=PlainTextResponse, summary="Prometheus-metrieken")
def metrics(request: Request) -> Response:
    return Response(generate_latest(request.app.state.metrics.registry),
                    media_type=CONTENT_TYPE_LATEST)
