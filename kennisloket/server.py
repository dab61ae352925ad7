"""Build the ASGI app: FastAPI service with the Gradio UI mounted at /ui."""

from __future__ import annotations

import os

# Gradio phones home (version check, analytics, hub telemetry) unless all three are set.
for _name, _value in (("GRADIO_ANALYTICS_ENABLED", "False"), ("HF_HUB_OFFLINE", "1"),
                      ("HF_HUB_DISABLE_TELEMETRY", "1")):
    os.environ.setdefault(_name, _value)

from fastapi import FastAPI  # noqa: E402
from fastapi.responses import RedirectResponse  # noqa: E402

from kb.settings import Settings  # noqa: E402
from service.api.app import create_app  # noqa: E402
from service.privacy import install_log_redaction  # noqa: E402
from service.services import Services  # noqa: E402


def build_app(settings: Settings, services: Services | None = None, with_ui: bool = True
              ) -> FastAPI:
    install_log_redaction()  # no BSN, e-mail, phone or IBAN in any log line (access log too)
    _log_answers()
    services = services or Services.build(settings)
    services.feedback.purge(settings.feedback_retention_days)  # retention, on every start
    if services.crawler is None:
        from ingest.admin import CrawlJobs

        services.crawler = CrawlJobs(services.kb)
    app = create_app(services)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/ui/" if with_ui else "/docs")

    if with_ui:
        import gradio as gr

        from ui.app import build_ui

        app = gr.mount_gradio_app(app, build_ui(services), path="/ui")
    return app


def _log_answers() -> None:
    """Every answer's trace (route, follow-up, kind of question, refusal reason, …) is
    logged at INFO by the ``kennisloket`` loggers; send them to stderr once."""
    import logging

    logger = logging.getLogger("kennisloket")
    if not any(getattr(h, "kennisloket", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        handler.kennisloket = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
