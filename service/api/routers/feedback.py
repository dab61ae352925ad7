"""POST /v1/feedback."""

from __future__ import annotations

from fastapi import APIRouter

from service.api.deps import ServicesDep
from service.api.schemas import FeedbackRequest

router = APIRouter(prefix="/v1", tags=["feedback"])


@router.post("/feedback", status_code=201, summary="Duim omhoog/omlaag bij een antwoord")
def feedback(body: FeedbackRequest, services: ServicesDep) -> dict:
    fid = services.feedback.add(body.question, body.answer, body.mode, body.rating,
                                body.comment, body.sources)
    return {"id": fid, "detail": "Bedankt voor uw feedback."}
