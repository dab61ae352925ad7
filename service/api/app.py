"""The FastAPI application factory."""

from __future__ import annotations

from fastapi import FastAPI
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from service.api import errors
from service.api.limits import LimitsMiddleware
from service.api.metrics import Metrics, MetricsMiddleware
from service.api.routers import admin, ask, feedback, health, recommend, search
from service.api.schemas import ERROR_RESPONSES
from service.services import Services

DESCRIPTION = (
    "Kennisloket beantwoordt vragen over NP Onderwijs, GOAB en voorschoolse educatie met "
    "bronvermelding, of zegt eerlijk dat er geen bron is. Alle foutmeldingen zijn JSON met "
    "een Nederlandstalig veld `detail`."
)


def create_app(services: Services) -> FastAPI:
    app = FastAPI(title="Kennisloket", version="0.1.0", description=DESCRIPTION)
    app.state.services = services
    app.state.metrics = Metrics()
    for router in (ask.router, search.router, feedback.router, recommend.router,
                   admin.router, health.router):
        app.include_router(router, responses=ERROR_RESPONSES)
    errors.install(app)
    settings = services.settings
    app.add_middleware(LimitsMiddleware, per_minute=settings.rate_limit_per_minute,
                       max_bytes=settings.max_request_bytes,
                       trust_forwarded=bool(settings.forwarded_allow_ips))
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    if settings.forwarded_allow_ips:  # outermost: the limits see the real client address
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips)
    return app
