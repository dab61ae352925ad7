"""POST /v1/feedback."""

from __future__ import annotations

from fastapi import APIRouter

from service.api.deps import ServicesDep
from service.api.schemas import FeedbackAck, FeedbackRequest

router = APIRouter(prefix="/v1", tags=["feedback"])


@router.post("/feedback", status_code=201, response_model=FeedbackAck,
             summary="Duim omhoog/omlaag bij een antwoord")
def feedback(body: FeedbackRequest, services: ServicesDep) -> FeedbackAck:
    fid = services.feedback.add(body.question, body.answer, body.mode, body.rating,
                                body.comment, body.sources)
    return FeedbackAck(id=fid, detail="Bedankt voor uw feedback.")
