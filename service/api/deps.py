"""Dependencies declared once: the shared services and the admin key check."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request

from service.services import Services


def get_services(request: Request) -> Services:
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]


def require_admin(services: ServicesDep,
                  x_api_key: Annotated[str | None, Header()] = None) -> None:
    expected = services.settings.api_key
    if not expected:
        raise HTTPException(401, "Beheer is uitgeschakeld: stel KENNISLOKET_API_KEY in.")
    # Compared as bytes: str.compare_digest refuses non-ASCII text (a 500). Starlette
    # decodes header bytes as latin-1, so encoding back gives exactly the bytes sent.
    sent = (x_api_key or "").encode("latin-1", errors="replace")
    if not x_api_key or not secrets.compare_digest(sent, expected.encode("utf-8")):
        raise HTTPException(401, "Ongeldige of ontbrekende API-sleutel (header X-API-Key).")
