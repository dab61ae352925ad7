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
    if not x_api_key or not secrets.compare_digest(x_api_key, expected):
        raise HTTPException(401, "Ongeldige of ontbrekende API-sleutel (header X-API-Key).")
