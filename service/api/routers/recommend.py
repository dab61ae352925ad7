"""POST /v1/recommend."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from service.api.deps import ServicesDep
from service.api.schemas import RecommendRequest, RecommendResponse

router = APIRouter(prefix="/v1", tags=["interventies"])


@router.post("/recommend", response_model=RecommendResponse,
             summary="Passende interventies van de menukaart")
def recommend(body: RecommendRequest, services: ServicesDep) -> RecommendResponse:
    if services.recommender is None:
        raise HTTPException(503, "De interventiewijzer is niet beschikbaar.")
    filters = body.model_dump(exclude={"need", "k"}, exclude_none=True)
    advice = services.advise(body.need, filters=filters, k=body.k)
    return RecommendResponse(
        need=body.need, filters=filters, interventions=advice.interventions, notes=advice.notes,
        message="" if advice.interventions else services.config.interventions.none_found)
