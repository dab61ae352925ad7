"""The crawl of one site: frontier, outcomes, batched writes and pruning.

Runs on the driver's (main) thread; only :meth:`discover` and :meth:`process` run in worker
threads. Crash safety: documents are committed to the knowledge base first (atomic per
document), then one SQLite transaction records the batch's outcomes and marks its queue
items done. A kill between the two only means the next run fetches those pages again and
finds their content unchanged.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Callable

from ingest.fetcher import SiteFetcher
from ingest.page_work import PageWork, fetch_page
from ingest.report import SiteReport
from ingest.sitemaps import Discovery, discover
from ingest.state import CrawlState, PageState
from kb.documents import SourceDocument, content_hash, utcnow
from kb.knowledge_base import KnowledgeBase

SiteProgress = Callable[[str, int, int], None]  # (site, done, total)
PREFETCH = 8  # pages fetched ahead while the main thread embeds
FLUSH_EVERY_S = 5.0


class SiteCrawl:
    def __init__(self, kb: KnowledgeBase, state: CrawlState, fetcher: SiteFetcher, *,
                 max_pages: int, batch_docs: int = 16,
                 progress: SiteProgress | None = None) -> None:
        self.kb, self.state, self.fetcher = kb, state, fetcher
        self.profile = fetcher.profile
        self.max_pages = max_pages
        self.batch_docs = batch_docs
        self.progress = progress
        # Enough pages in flight to fill the next batch while the current one is embedded.
        self.max_inflight = self.profile.concurrency + max(PREFETCH, batch_docs)
        self.inflight = 0
        self.ready = False  # discovery done
        self.sitemap_ok = True
        self.pending: deque[tuple[str, int]] = deque()
        self.known: set[str] = set()
        self.processed = 0
        self.keys_seen: dict[str, str] = {}  # doc key → URL that supplied it in this run
        self.texts_seen: dict[str, str] = {}  # text hash → doc key
        self._clear_buffers()
        self._last_flush = time.monotonic()

    def _clear_buffers(self) -> None:
        self.docs: list[tuple[PageWork, SourceDocument]] = []
        self.rows: list[PageState] = []
        self.seen: list[str] = []
        self.deleted: list[str] = []
        self.done: list[str] = []
        self.new_items: list[tuple[str, int, str | None]] = []

    # -- start ---------------------------------------------------------------------------
    def start(self) -> None:
        self.run = self.state.open_run(self.profile.name)
        self.report = SiteReport(self.profile.name, self.run.run_id, self.run.started_at,
                                 resumed=self.run.resumed)
        if self.run.resumed:
            self.report.load_counters(self.run.counts)
            self.report.error_list = list(self.run.errors)
            self.report.text_chars = list(self.run.counts.get("text_chars", []))
            self.report.short_list = list(self.run.counts.get("short_list", []))
            self.sitemap_ok = bool(self.run.counts.get("sitemap_ok", True))
        self.pages = self.state.pages(self.profile.name)
        self.hashes = self.kb.registry.current_hashes()

    def discover(self) -> Discovery | None:
        """Worker thread: robots.txt and sitemaps (skipped when resuming after discovery)."""
        self.fetcher.robots()
        if self.run.discovered:
            return None
        return discover(self.fetcher)

    def discovered(self, found: Discovery | None) -> None:
        if self.fetcher.robots_problem:
            self.report.error(self.profile.base_url + "/robots.txt", self.fetcher.robots_problem)
        if found is not None:
            for url, reason in found.errors:
                self.report.error(url, reason)
            self.sitemap_ok = not self.profile.sitemaps or found.sitemaps_read > 0
            items = [(self.profile.absolute(u), 0, None) for u in self.profile.start_urls]
            for entry in found.entries:
                public = self.profile.to_public(entry.url)
                if public and self.profile.in_scope(public):
                    items.append((public, 0, entry.lastmod.isoformat() if entry.lastmod
                                  else None))
            self.state.enqueue(self.run, items)
            self.state.mark_discovered(self.run)
        pending, self.known, self.processed = self.state.queue(self.run)
        self.pending.extend(pending)
        self.report.discovered = len(self.known)
        self.ready = True

    # -- frontier ------------------------------------------------------------------------
    def can_submit(self) -> bool:
        return (self.ready and bool(self.pending) and self.inflight < self.max_inflight
                and self.processed + self.inflight < self.max_pages)

    def next_task(self) -> tuple[str, int, str | None, str | None]:
        url, depth = self.pending.popleft()
        self.inflight += 1
        page = self.pages.get(url)
        if page and page.doc_key and self.hashes.get(page.doc_key) == page.content_hash:
            return url, depth, page.etag, page.last_modified  # safe to ask for a 304
        return url, depth, None, None

    def process(self, url: str, depth: int, etag: str | None, modified: str | None) -> PageWork:
        return fetch_page(self.fetcher, url, depth, etag, modified)

    def _follow(self, links: list[str], depth: int) -> None:
        if not self.profile.follow_links or depth + 1 > self.profile.max_depth:
            return
        for link in links:
            if link not in self.known and self.profile.in_scope(link):
                self.known.add(link)
                self.pending.append((link, depth + 1))
                self.new_items.append((link, depth + 1, None))
        self.report.discovered = len(self.known)

    # -- outcomes ------------------------------------------------------------------------
    def handle(self, work: PageWork) -> None:
        self.inflight -= 1
        self.processed += 1
        self.done.append(work.url)
        result, report = work.fetch, self.report
        if result is not None and result.public_url != work.url:
            self.known.add(result.public_url)
        if work.text_chars is not None:
            report.main_text(work.url, work.text_chars)
        outcome = result.outcome if result else "error"
        if outcome in ("ok", "not_modified", "gone"):
            report.count("fetched")
        if work.error:
            report.error(work.url, work.error)
            self._mark_seen(work.url)  # a broken page keeps its last good version
        elif outcome == "ok":
            self._follow(work.links, work.depth)
            if work.skip_reason:
                report.skip(work.url, work.skip_reason)
            elif work.doc is not None:
                self._accept(work, work.doc)
        elif outcome == "not_modified":
            report.count("unchanged")
            self._mark_seen(work.url)
            if work.url in self.pages and self.pages[work.url].doc_key:
                self.keys_seen.setdefault(self.pages[work.url].doc_key, work.url)
            self._follow(self.pages[work.url].links if work.url in self.pages else [],
                         work.depth)
        elif outcome == "gone":
            self._gone(work.url, result.reason)
        elif outcome == "robots":
            report.skip(work.url, result.reason, robots=True)
        elif outcome == "error":
            report.error(work.url, result.reason)
            self._mark_seen(work.url)
        else:  # blocked, skipped
            report.skip(work.url, result.reason)
        if self.progress:
            self.progress(self.profile.name, self.processed,
                          min(len(self.known), self.max_pages))

    def _mark_seen(self, url: str) -> None:
        if url in self.pages:
            self.seen.append(url)

    def _accept(self, work: PageWork, doc: SourceDocument) -> None:
        text_hash = content_hash(doc.text)
        duplicate_of = self.keys_seen.get(doc.key) or self.texts_seen.get(text_hash)
        if duplicate_of:
            self.report.skip(work.url, f"dubbel: zelfde inhoud als {duplicate_of}")
            self._row(work, doc.key, self.hashes.get(doc.key))
            return
        self.keys_seen[doc.key] = work.url
        self.texts_seen[text_hash] = doc.key
        self.docs.append((work, doc))

    def _row(self, work: PageWork, key: str, digest: str | None) -> None:
        result = work.fetch
        self.rows.append(PageState(
            url=work.url, site=self.profile.name, doc_key=key,
            etag=result.etag if result else None,
            last_modified=result.last_modified if result else None, content_hash=digest,
            last_seen_run=self.run.run_id, missing_runs=0, status="ok",
            fetched_at=utcnow(), links=work.links))

    def _gone(self, url: str, reason: str) -> None:
        page = self.pages.get(url)
        if page is None:
            self.report.skip(url, f"{reason} (dode link)")
            return
        self._prune([page])

    def _prune(self, pages: list[PageState]) -> None:
        """Forget these URLs; drop a document once no URL of the site leads to it."""
        rows = {**self.pages, **{r.url: r for r in self.rows}}
        refs = Counter(p.doc_key for url, p in rows.items() if url not in self.deleted)
        for page in pages:
            if page.doc_key:
                refs[page.doc_key] -= 1
                if refs[page.doc_key] <= 0 and self.kb.remove(page.doc_key):
                    self.report.count("pruned")
                    self.hashes.pop(page.doc_key, None)
            self.deleted.append(page.url)
            self.pages.pop(page.url, None)

    # -- writing -------------------------------------------------------------------------
    def should_flush(self) -> bool:
        pending = len(self.done) + len(self.deleted)
        return (len(self.docs) >= self.batch_docs or (pending and self.inflight == 0)
                or (pending and time.monotonic() - self._last_flush > FLUSH_EVERY_S))

    def flush(self) -> None:
        if self.docs:
            upsert = self.kb.upsert_many([d for _, d in self.docs], batch_docs=len(self.docs))
            for name in ("new", "changed", "unchanged", "chunks"):
                self.report.count(name, getattr(upsert, name))
            for work, doc in self.docs:
                self._row(work, doc.key, doc.content_hash)
                self.hashes[doc.key] = doc.content_hash
        self.run.counts = self._run_counts()
        self.run.errors = self.report.error_list
        self.state.commit(self.run, self.rows, self.seen, self.deleted, self.done,
                          self.new_items)
        for row in self.rows:
            self.pages[row.url] = row
        self._clear_buffers()
        self._last_flush = time.monotonic()

    def _run_counts(self) -> dict:
        """What a resumed run needs back: counters and the main-text measurements."""
        return {**self.report.counters(), "sitemap_ok": self.sitemap_ok,
                "text_chars": self.report.text_chars, "short_list": self.report.short_list}

    def finish(self) -> SiteReport:
        self.flush()
        truncated = bool(self.pending)
        healthy = self.sitemap_ok and not self.fetcher.robots_problem and (
            self.report.fetched > 0)
        if not truncated and healthy:
            stale = [p for p in self.state.age_unseen(self.run)
                     if p.missing_runs >= self.profile.prune_after_runs]
            if stale:
                self._prune(stale)
                self.flush()
        status = "truncated" if truncated else "finished" if self.report.fetched else "failed"
        self.run.counts = self._run_counts()
        self.report.finished_at = self.state.finish_run(self.run, status)
        self.report.status = status
        return self.report
