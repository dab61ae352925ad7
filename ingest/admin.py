"""Background crawls for the admin API (``POST /v1/admin/crawl``; routed in ``service/``).

Usage in a route::

    jobs = CrawlJobs(kb)                    # once, at app start
    job = jobs.start(sites=["vng.nl"])      # 202 with job; CrawlAlreadyRunning → 409,
    jobs.status(job["job_id"])              # ProfileError → 422

Mirror mapping is deliberately not accepted here: a mirror may point at private addresses,
so only the operator (CLI, profiles file) may configure one, never an HTTP caller.
"""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

from ingest.crawler import run_crawl
from ingest.lock import IngestBusy
from ingest.profiles import load_profiles, select_profiles
from kb.documents import utcnow
from kb.knowledge_base import KnowledgeBase


class CrawlAlreadyRunning(RuntimeError):
    """A crawl or import is already running on this data directory (Dutch message)."""


class CrawlJobs:
    def __init__(self, kb: KnowledgeBase, profiles_file: Path | None = None,
                 keep: int = 20) -> None:
        self.kb = kb
        self.profiles_file = profiles_file
        self.keep = keep
        self._jobs: dict[str, dict] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self, sites: list[str] | None = None, max_pages: int | None = None) -> dict:
        """Validate the request, start the crawl in a thread and return the job record.

        Raises ``ProfileError`` for unknown sites and :class:`CrawlAlreadyRunning` while
        another crawl runs."""
        profiles = select_profiles(load_profiles(self.profiles_file), sites)
        with self._lock:
            if self._thread and self._thread.is_alive():
                raise CrawlAlreadyRunning("Er loopt al een crawl; probeer het later opnieuw.")
            job = {"job_id": uuid.uuid4().hex[:12], "status": "running",
                   "sites": [p.name for p in profiles], "started_at": utcnow(),
                   "finished_at": None, "report": None, "error": None, "progress": {}}
            self._jobs[job["job_id"]] = job
            for old in list(self._jobs)[:-self.keep]:
                self._jobs.pop(old)
            self._thread = threading.Thread(target=self._run, args=(job, profiles, max_pages),
                                            name=f"crawl-{job['job_id']}", daemon=True)
            self._thread.start()
            return dict(job)

    def _run(self, job: dict, profiles, max_pages: int | None) -> None:
        def progress(site: str, done: int, total: int) -> None:
            job["progress"][site] = {"done": done, "total": total}

        try:
            report = run_crawl(self.kb, profiles, max_pages=max_pages, progress=progress)
            job.update(status="finished", report=report.to_dict())
        except IngestBusy as exc:
            job.update(status="failed", error=str(exc))
        except Exception as exc:  # noqa: BLE001 - the job record must say what went wrong
            job.update(status="failed", error=f"{type(exc).__name__}: {exc}")
        finally:
            job["finished_at"] = utcnow()

    def status(self, job_id: str | None = None) -> dict | None:
        """One job (or the latest) as a JSON-ready dict; None when unknown."""
        with self._lock:
            if job_id is None:
                job_id = next(reversed(self._jobs), None)
            job = self._jobs.get(job_id) if job_id else None
            return dict(job) if job else None

    def wait(self, timeout: float | None = None) -> None:
        """Block until the running crawl ends (tests, graceful shutdown)."""
        thread = self._thread
        if thread:
            thread.join(timeout)
