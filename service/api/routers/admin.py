"""Admin routes behind the API key: crawl, reload cards, feedback export."""

from __future__ import annotations

import threading
import uuid

from fastapi import APIRouter, Depends, HTTPException, Response

from service.api.deps import ServicesDep, require_admin
from service.api.schemas import CrawlRequest

router = APIRouter(prefix="/v1/admin", tags=["beheer"], dependencies=[Depends(require_admin)])


@router.post("/crawl", status_code=202, summary="Start een crawl op de achtergrond")
def start_crawl(body: CrawlRequest, services: ServicesDep) -> dict:
    try:
        from ingest.crawler import run_crawl
        from ingest.profiles import load_profiles
    except ImportError as exc:
        raise HTTPException(503, "De crawler is niet geïnstalleerd.") from exc
    profiles = load_profiles(sites=body.sites or None, base_urls=body.base_urls)
    job_id = uuid.uuid4().hex[:12]
    services.crawl_jobs[job_id] = {"status": "bezig", "report": None}

    def work() -> None:
        try:
            report = run_crawl(services.kb, profiles, max_pages=body.max_pages)
            services.crawl_jobs[job_id] = {"status": "klaar", "report": report.as_dict()}
        except Exception as exc:  # noqa: BLE001 - reported to the caller via the job
            services.crawl_jobs[job_id] = {"status": "mislukt", "report": str(exc)}

    threading.Thread(target=work, name=f"crawl-{job_id}", daemon=True).start()
    return {"job_id": job_id, "status": "bezig"}


@router.get("/crawl/{job_id}", summary="Status van een crawl")
def crawl_status(job_id: str, services: ServicesDep) -> dict:
    if job_id not in services.crawl_jobs:
        raise HTTPException(404, "Onbekende crawl-opdracht.")
    return {"job_id": job_id, **services.crawl_jobs[job_id]}


@router.post("/reload-cards", summary="Laad de kenniskaarten opnieuw")
def reload_cards(services: ServicesDep) -> dict:
    report = services.kb.load_cards()
    return {"new": report.new, "changed": report.changed, "unchanged": report.unchanged}


@router.get("/feedback.csv", summary="Exporteer feedback als CSV")
def feedback_csv(services: ServicesDep) -> Response:
    return Response(services.feedback.to_csv(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=feedback.csv"})
