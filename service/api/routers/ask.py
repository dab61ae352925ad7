"""POST /v1/ask and POST /v1/chat (history, Server-Sent Events streaming)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from fastapi import APIRouter, Request
from sse_starlette.sse import EventSourceResponse

from service.api.deps import ServicesDep
from service.api.schemas import Answer, AskRequest, ChatRequest
from service.pipeline.types import InputRejected, Turn

router = APIRouter(prefix="/v1", tags=["antwoorden"])


def _record(request: Request, answer: Answer) -> None:
    request.app.state.metrics.answers.labels(answer.mode, str(answer.refused),
                                             answer.composer).inc()


@router.post("/ask", response_model=Answer, summary="Beantwoord één vraag")
def ask(body: AskRequest, services: ServicesDep, request: Request) -> Answer:
    answer = services.pipeline.run(body.question, mode=body.mode, filters=body.filters.as_dict())
    _record(request, answer)
    return answer


@router.post("/chat", response_model=Answer,
             summary="Gesprek met vervolgvragen; standaard gestreamd (SSE)",
             responses={200: {"content": {"text/event-stream": {}}, "description": (
                 "Gestreamd (stream=true): events meta, delta en done; done bevat het hele "
                 "antwoord. Anders het antwoord als JSON.")}})
def chat(body: ChatRequest, services: ServicesDep, request: Request):
    if body.messages[-1].role != "user":
        raise InputRejected("Het laatste bericht moet een vraag van de gebruiker zijn.")
    history = [Turn(m.role, m.content) for m in body.messages[:-1]]
    answer = services.pipeline.run(body.messages[-1].content, mode=body.mode, history=history,
                                   filters=body.filters.as_dict())
    _record(request, answer)
    if not body.stream:
        return answer
    return EventSourceResponse(_events(answer), ping=15)


def _events(answer: Answer) -> Iterator[dict]:
    """meta (sources) → delta (text pieces) → done (the whole answer as JSON)."""
    data = answer.to_json()
    yield {"event": "meta", "data": json.dumps(
        {"citations": data["citations"], "refused": answer.refused}, ensure_ascii=False)}
    for piece in re.findall(r"\S+\s*", answer.answer):
        yield {"event": "delta", "data": json.dumps({"text": piece}, ensure_ascii=False)}
    yield {"event": "done", "data": json.dumps(data, ensure_ascii=False)}
