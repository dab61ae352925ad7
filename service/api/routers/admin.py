"""Admin routes behind the API key: crawl, reload cards, feedback export."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import StreamingResponse

from service.api.deps import ServicesDep, require_admin
from service.api.schemas import CrawlJob, CrawlRequest, ReloadReport

router = APIRouter(prefix="/v1/admin", tags=["beheer"], dependencies=[Depends(require_admin)])


@router.post("/crawl", status_code=202, response_model=CrawlJob,
             summary="Start een crawl op de achtergrond")
def start_crawl(body: CrawlRequest, services: ServicesDep) -> dict:
    if services.crawler is None:
        raise HTTPException(503, "De crawler is in deze installatie niet ingeschakeld.")
    try:
        return services.crawler.start(sites=body.sites or None, max_pages=body.max_pages)
    except ValueError as exc:  # unknown or invalid site profile
        raise HTTPException(422, str(exc)) from exc
    except RuntimeError as exc:  # a crawl is already running on this data directory
        raise HTTPException(409, str(exc)) from exc


@router.get("/crawl/{job_id}", response_model=CrawlJob, summary="Status van een crawl")
def crawl_status(job_id: str, services: ServicesDep) -> dict:
    job = services.crawler.status(job_id) if services.crawler else None
    if job is None:
        raise HTTPException(404, "Onbekende crawl-opdracht.")
    return job


@router.post("/reload-cards", response_model=ReloadReport,
             summary="Laad de kenniskaarten opnieuw")
def reload_cards(services: ServicesDep) -> ReloadReport:
    report = services.kb.load_cards()
    return ReloadReport(new=report.new, changed=report.changed, unchanged=report.unchanged)


@router.get("/feedback.csv", summary="Exporteer feedback als CSV",
            response_class=StreamingResponse,
            responses={200: {"content": {"text/csv": {}}}})
def feedback_csv(services: ServicesDep) -> StreamingResponse:
    # Streamed per request from the catalog: no export file is written anywhere.
    return StreamingResponse(services.feedback.iter_csv(), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": "attachment; filename=feedback.csv"})
