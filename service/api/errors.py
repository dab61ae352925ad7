"""Every error is JSON with a Dutch ``detail``."""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kb.errors import KNOWN_ERRORS
from kb.retrieval import FilterError
from kb.store import StoreUnavailable
from kb.validation_messages import problems_of
from service.pipeline.types import InputRejected

log = logging.getLogger("kennisloket")

_STATUS_NL = {400: "Ongeldig verzoek.", 401: "Niet geautoriseerd.", 403: "Geen toegang.",
              404: "Niet gevonden.", 405: "Methode niet toegestaan.",
              413: "Verzoek te groot.", 415: "Niet-ondersteund inhoudstype.",
              429: "Te veel verzoeken.", 500: "Interne fout.", 503: "Dienst niet beschikbaar."}



# English details that FastAPI itself raises (not our routes), in Dutch.
_DETAIL_NL = {"There was an error parsing the body":
              "De inhoud van het verzoek kon niet worden gelezen; stuur geldige JSON."}


def install(app: FastAPI) -> None:
    async def _known(_: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503)

    # Registered per type (not only via the catch-all below): Starlette hands catch-all
    # handlers to its outermost middleware, which logs a traceback and re-raises, and the
    # metrics then count a 500. The more specific handlers below override these.
    for error_type in KNOWN_ERRORS:
        app.add_exception_handler(error_type, _known)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = problems_of(exc.errors(), whole="verzoek")
        return JSONResponse({"detail": "Ongeldige invoer. " + "; ".join(problems)[:1000]},
                            status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail
        if not isinstance(detail, str) or detail == HTTPStatus(exc.status_code).phrase:
            detail = _STATUS_NL.get(exc.status_code, "Fout.")  # Starlette's English default
        detail = _DETAIL_NL.get(detail, detail)
        return JSONResponse({"detail": detail}, status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(InputRejected)
    @app.exception_handler(FilterError)
    async def _bad_input(_: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(StoreUnavailable)
    async def _store(_: Request, exc: StoreUnavailable) -> JSONResponse:
        log.warning("store unavailable: %s", exc)
        return JSONResponse({"detail": "De kennisbank is tijdelijk niet bereikbaar. Probeer "
                             "het over enkele ogenblikken opnieuw."}, status_code=503,
                            headers={"Retry-After": "5"})

    @app.exception_handler(Exception)
    async def _any(_: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, KNOWN_ERRORS):
            return JSONResponse({"detail": str(exc)}, status_code=503)
        log.exception("unhandled error")
        return JSONResponse({"detail": "Er ging iets mis aan onze kant. Probeer het later "
                             "opnieuw of neem contact op met de beheerder."}, status_code=500)
