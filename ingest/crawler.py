"""``run_crawl``: crawl several sites at once into the knowledge base.

Sites run side by side on one thread pool (each site paced by its own fetcher), so a slow
or strict site does not hold up the others. Fetching and extraction happen in worker
threads; embedding and every write happen on the calling thread, in batches, so ingest
runs close to the bare embedding rate.
"""

from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

import httpx

from ingest.fetcher import SiteFetcher
from ingest.guard import Resolver, system_resolver
from ingest.lock import ingest_lock
from ingest.profiles import SiteProfile
from ingest.report import CrawlReport, reports_dir
from ingest.site_crawl import SiteCrawl, SiteProgress
from ingest.sitemaps import Discovery
from ingest.state import CrawlState
from kb.knowledge_base import KnowledgeBase

__all__ = ["run_crawl", "SiteProgress"]


def run_crawl(kb: KnowledgeBase, profiles: list[SiteProfile], *, max_pages: int | None = None,
              progress: SiteProgress | None = None,
              transport: httpx.BaseTransport | None = None,
              resolver: Resolver = system_resolver, retries: int = 3,
              backoff_s: float = 1.0, batch_docs: int = 16) -> CrawlReport:
    """Crawl ``profiles`` incrementally; resumes an interrupted run of a site.

    ``transport``/``resolver`` are the network edges (tests pass loopback-only doubles).
    The report is also saved as JSON in ``<data_dir>/crawl-reports/``.
    """
    report = CrawlReport(kind="crawl")
    with ingest_lock(kb.settings.data_dir):
        state = CrawlState(kb.registry)
        if state.interrupted_runs():
            kb.gc()  # chunks a killed run wrote but never committed
        fetchers = [SiteFetcher(p, transport=transport, resolver=resolver, retries=retries,
                                backoff_s=backoff_s) for p in profiles]
        crawls = [SiteCrawl(kb, state, f, max_pages=min(max_pages or f.profile.max_pages,
                                                        f.profile.max_pages),
                            batch_docs=batch_docs, progress=progress) for f in fetchers]
        pool = ThreadPoolExecutor(max_workers=max(1, sum(c.max_inflight for c in crawls)),
                                  thread_name_prefix="crawl")
        try:
            _drive(crawls, pool)
            for crawl in crawls:
                report.sites.append(crawl.finish())
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            for fetcher in fetchers:
                fetcher.close()
    report.finished_at = report.sites[-1].finished_at if report.sites else None
    report.save(reports_dir(kb.settings.data_dir))
    return report


def _drive(crawls: list[SiteCrawl], pool: ThreadPoolExecutor) -> None:
    inflight: dict[Future, tuple[SiteCrawl, bool]] = {}
    for crawl in crawls:
        crawl.start()
        inflight[pool.submit(crawl.discover)] = (crawl, True)
    while True:
        for crawl in crawls:
            while crawl.can_submit():
                inflight[pool.submit(crawl.process, *crawl.next_task())] = (crawl, False)
        if not inflight:
            break
        done, _ = wait(inflight, timeout=1.0, return_when=FIRST_COMPLETED)
        for future in done:
            crawl, is_discovery = inflight.pop(future)
            if is_discovery:
                try:
                    found = future.result()
                except Exception as exc:  # noqa: BLE001 - report and crawl the start URLs
                    found = Discovery(errors=[(crawl.profile.base_url,
                                               f"ontdekken mislukt ({exc})")])
                crawl.discovered(found)
            else:
                crawl.handle(future.result())  # fetch_page never raises
        for crawl in crawls:
            if crawl.ready and crawl.should_flush():
                crawl.flush()
