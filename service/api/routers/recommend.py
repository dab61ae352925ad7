"""POST /v1/recommend."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from service.api.deps import ServicesDep
from service.api.schemas import RecommendRequest
from service.pipeline.types import InputRejected

router = APIRouter(prefix="/v1", tags=["interventies"])


@router.post("/recommend", summary="Passende interventies van de menukaart")
def recommend(body: RecommendRequest, services: ServicesDep) -> dict:
    if services.recommender is None:
        raise HTTPException(503, "De interventiewijzer is niet beschikbaar.")
    if not body.need:  # only invisible characters
        raise InputRejected("Beschrijf de situatie of behoefte in woorden.")
    filters = body.model_dump(exclude={"need", "k"}, exclude_none=True)
    advice = services.advise(body.need, filters=filters, k=body.k)
    return {"need": body.need, "filters": filters, "interventions": advice.interventions,
            "notes": advice.notes,
            "message": "" if advice.interventions
            else "Geen passende interventie gevonden op de menukaart."}
