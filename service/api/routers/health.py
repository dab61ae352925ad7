"""GET /healthz and GET /metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from service.api.deps import ServicesDep

router = APIRouter(tags=["beheer"])


@router.get("/healthz", summary="Gezondheid van de dienst")
def healthz(services: ServicesDep) -> dict:
    chunks = services.kb.store.count()  # raises StoreUnavailable → 503
    return {"status": "ok", "chunks": chunks, "embedding_model": services.kb.store.model_id,
            "documents": sum(d for _, _, d, _ in services.kb.registry.counts())}


@router.get("/metrics", summary="Prometheus-metrieken")
def metrics(request: Request) -> Response:
    return Response(generate_latest(request.app.state.metrics.registry),
                    media_type=CONTENT_TYPE_LATEST)
