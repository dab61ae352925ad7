"""Crawl state in the catalog's SQLite file: pages, runs and the resumable frontier.

Tables live beside ``documents`` (kb.registry) so one file holds everything a user keeps.

* ``crawl_pages``: per fetched URL the validators (ETag, Last-Modified), the content hash
  of the stored document, and when it was last seen (for pruning).
* ``crawl_runs``: one row per site per run; ``status='running'`` after a crash means the
  next run resumes it. Counters are saved with every batch so a resumed run reports whole.
* ``crawl_queue``: the frontier of a run; an item is marked done only in the same
  transaction that records its outcome, after its document is committed to the store.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from kb.documents import utcnow
from kb.registry import Registry

_SCHEMA = """
CREATE TABLE IF NOT EXISTS crawl_pages (
  url TEXT PRIMARY KEY,
  site TEXT NOT NULL,
  doc_key TEXT,
  etag TEXT,
  last_modified TEXT,
  content_hash TEXT,
  last_seen_run TEXT,
  missing_runs INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL,
  fetched_at TEXT,
  links TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS crawl_pages_site ON crawl_pages(site);
CREATE TABLE IF NOT EXISTS crawl_runs (
  run_id TEXT PRIMARY KEY,
  site TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL,
  discovered INTEGER NOT NULL DEFAULT 0,
  counts TEXT NOT NULL DEFAULT '{}',
  errors TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS crawl_runs_site ON crawl_runs(site, started_at);
CREATE TABLE IF NOT EXISTS crawl_queue (
  run_id TEXT NOT NULL,
  url TEXT NOT NULL,
  depth INTEGER NOT NULL,
  lastmod TEXT,
  done INTEGER NOT NULL DEFAULT 0,
  seq INTEGER NOT NULL,
  PRIMARY KEY (run_id, url)
);
"""
MAX_STORED_ERRORS = 500


@dataclass
class PageState:
    url: str
    site: str
    doc_key: str | None
    etag: str | None
    last_modified: str | None
    content_hash: str | None
    last_seen_run: str | None
    missing_runs: int
    status: str
    fetched_at: str | None
    links: list[str]  # outlinks, so a 304 answer still leads to the pages it links to


@dataclass
class RunState:
    run_id: str
    site: str
    started_at: str
    resumed: bool
    discovered: bool
    counts: dict
    errors: list


class CrawlState:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        with registry.connect() as conn:
            conn.executescript(_SCHEMA)

    # -- runs ----------------------------------------------------------------------------
    def open_run(self, site: str) -> RunState:
        """The interrupted run of ``site`` if there is one (resume), else a new run."""
        with self.registry.connect() as conn:
            row = conn.execute(
                "SELECT run_id, started_at, discovered, counts, errors FROM crawl_runs "
                "WHERE site = ? AND status = 'running' ORDER BY started_at DESC LIMIT 1",
                (site,)).fetchone()
            if row:
                return RunState(row[0], site, row[1], True, bool(row[2]), json.loads(row[3]),
                                json.loads(row[4]))
            run = RunState(uuid.uuid4().hex[:16], site, utcnow(), False, False, {}, [])
            conn.execute("INSERT INTO crawl_runs (run_id, site, started_at, status) "
                         "VALUES (?, ?, ?, 'running')", (run.run_id, site, run.started_at))
            return run

    def interrupted_runs(self) -> int:
        with self.registry.connect() as conn:
            return conn.execute(
                "SELECT COUNT(*) FROM crawl_runs WHERE status = 'running'").fetchone()[0]

    def finish_run(self, run: RunState, status: str) -> str:
        finished = utcnow()
        with self.registry.connect() as conn:
            conn.execute("UPDATE crawl_runs SET finished_at = ?, status = ?, counts = ?, "
                         "errors = ? WHERE run_id = ?",
                         (finished, status, json.dumps(run.counts),
                          json.dumps(run.errors[-MAX_STORED_ERRORS:]), run.run_id))
            conn.execute("DELETE FROM crawl_queue WHERE run_id = ?", (run.run_id,))
        return finished

    def mark_discovered(self, run: RunState) -> None:
        run.discovered = True
        with self.registry.connect() as conn:
            conn.execute("UPDATE crawl_runs SET discovered = 1 WHERE run_id = ?", (run.run_id,))

    # -- frontier ------------------------------------------------------------------------
    def enqueue(self, run: RunState, items: Iterable[tuple[str, int, str | None]]) -> None:
        with self.registry.connect() as conn:
            self._enqueue(conn, run, list(items))

    @staticmethod
    def _enqueue(conn, run: RunState, items: list[tuple[str, int, str | None]]) -> None:
        start = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM crawl_queue WHERE run_id = ?",
                             (run.run_id,)).fetchone()[0]
        conn.executemany(
            "INSERT OR IGNORE INTO crawl_queue (run_id, url, depth, lastmod, seq) "
            "VALUES (?, ?, ?, ?, ?)",
            [(run.run_id, url, depth, lastmod, start + i + 1)
             for i, (url, depth, lastmod) in enumerate(items)])

    def queue(self, run: RunState) -> tuple[list[tuple[str, int]], set[str], int]:
        """(pending items in order, every queued URL, number already done)."""
        with self.registry.connect() as conn:
            rows = conn.execute("SELECT url, depth, done FROM crawl_queue WHERE run_id = ? "
                                "ORDER BY seq", (run.run_id,)).fetchall()
        pending = [(url, depth) for url, depth, done in rows if not done]
        return pending, {r[0] for r in rows}, sum(r[2] for r in rows)

    # -- pages ---------------------------------------------------------------------------
    def pages(self, site: str) -> dict[str, PageState]:
        with self.registry.connect() as conn:
            rows = conn.execute("SELECT * FROM crawl_pages WHERE site = ?", (site,)).fetchall()
        return {r[0]: PageState(*r[:10], links=json.loads(r[10])) for r in rows}

    def commit(self, run: RunState, pages: list[PageState], seen: list[str],
               deleted: list[str], done: list[str],
               enqueue: list[tuple[str, int, str | None]] = ()) -> None:
        """Record outcomes of a batch in one transaction (the crash-safety point)."""
        with self.registry.connect() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO crawl_pages VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [(p.url, p.site, p.doc_key, p.etag, p.last_modified, p.content_hash,
                  p.last_seen_run, p.missing_runs, p.status, p.fetched_at,
                  json.dumps(p.links)) for p in pages])
            if enqueue:
                self._enqueue(conn, run, enqueue)
            conn.executemany("UPDATE crawl_pages SET last_seen_run = ?, missing_runs = 0 "
                             "WHERE url = ?", [(run.run_id, url) for url in seen])
            conn.executemany("DELETE FROM crawl_pages WHERE url = ?", [(u,) for u in deleted])
            conn.executemany("UPDATE crawl_queue SET done = 1 WHERE run_id = ? AND url = ?",
                             [(run.run_id, url) for url in done])
            conn.execute("UPDATE crawl_runs SET counts = ?, errors = ? WHERE run_id = ?",
                         (json.dumps(run.counts), json.dumps(run.errors[-MAX_STORED_ERRORS:]),
                          run.run_id))

    def age_unseen(self, run: RunState) -> list[PageState]:
        """Count one more missed run for the site's pages not seen in ``run`` and return
        them (the caller prunes those past the profile's ``prune_after_runs``)."""
        with self.registry.connect() as conn:
            conn.execute("UPDATE crawl_pages SET missing_runs = missing_runs + 1 "
                         "WHERE site = ? AND (last_seen_run IS NULL OR last_seen_run != ?)",
                         (run.site, run.run_id))
        return [p for p in self.pages(run.site).values() if p.last_seen_run != run.run_id]


def last_crawls(registry: Registry) -> list[dict]:
    """The most recent finished crawl per site, for ``kennisloket status``."""
    with registry.connect() as conn:
        conn.executescript(_SCHEMA)
        rows = conn.execute(
            "SELECT site, finished_at, status, counts, errors FROM crawl_runs r "
            "WHERE finished_at = (SELECT MAX(finished_at) FROM crawl_runs WHERE site = r.site) "
            "ORDER BY site").fetchall()
    out = []
    for site, finished_at, status, counts, errors in rows:
        c = json.loads(counts)
        out.append({"site": site, "finished_at": finished_at, "status": status,
                    **{k: c.get(k, 0) for k in ("fetched", "new", "changed", "unchanged",
                                                 "pruned", "robots_skipped", "skipped")},
                    "errors": c.get("errors", len(json.loads(errors)))})
    return out
