"""Crawl and import reports: counters per site, reasons for every error, saved as JSON.

Per site the report also measures the main text of the HTML pages it extracted: their
median length and the pages whose main text is very short or empty, so a layout change on
a live site (the extractor suddenly finding little or nothing) shows up in the next report.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kb.documents import utcnow

COUNTERS = ("fetched", "new", "changed", "unchanged", "pruned", "robots_skipped", "skipped",
            "errors", "chunks")
MAX_LISTED = 200  # reasons kept per site in a report; the counters stay exact
SHORT_TEXT_CHARS = 250  # main text shorter than this is listed as "very short" (0: empty)


@dataclass
class SiteReport:
    site: str
    run_id: str = ""
    started_at: str = field(default_factory=utcnow)
    finished_at: str | None = None
    status: str = "running"  # finished | truncated | failed
    resumed: bool = False
    discovered: int = 0  # URLs known to this run (start URLs, sitemaps, links)
    fetched: int = 0  # HTTP answers received (200, 304, 404/410)
    new: int = 0
    changed: int = 0
    unchanged: int = 0  # 304 or same content hash
    pruned: int = 0
    robots_skipped: int = 0
    skipped: int = 0  # outside allowed paths, wrong type, too large, not Dutch, duplicate
    errors: int = 0
    chunks: int = 0  # chunks embedded
    error_list: list[dict] = field(default_factory=list)  # {"url", "reason"}
    skipped_list: list[dict] = field(default_factory=list)
    text_chars: list[int] = field(default_factory=list)  # main-text length per HTML page
    short_list: list[dict] = field(default_factory=list)  # {"url", "chars"}, 0 = empty

    def count(self, name: str, n: int = 1) -> None:
        setattr(self, name, getattr(self, name) + n)

    def error(self, url: str, reason: str) -> None:
        self.errors += 1
        if len(self.error_list) < MAX_LISTED:
            self.error_list.append({"url": url, "reason": reason})

    def skip(self, url: str, reason: str, robots: bool = False) -> None:
        self.count("robots_skipped" if robots else "skipped")
        if len(self.skipped_list) < MAX_LISTED:
            self.skipped_list.append({"url": url, "reason": reason})

    def main_text(self, url: str, chars: int) -> None:
        """Record the main-text length of an extracted HTML page (0: none found)."""
        self.text_chars.append(chars)
        if chars < SHORT_TEXT_CHARS and len(self.short_list) < MAX_LISTED:
            self.short_list.append({"url": url, "chars": chars})

    @property
    def median_text_chars(self) -> int | None:
        return round(statistics.median(self.text_chars)) if self.text_chars else None

    @property
    def short_text(self) -> int:
        return sum(0 < n < SHORT_TEXT_CHARS for n in self.text_chars)

    @property
    def empty_text(self) -> int:
        return sum(n == 0 for n in self.text_chars)

    def text_summary(self) -> dict:
        return {"text_pages": len(self.text_chars), "median_text_chars": self.median_text_chars,
                "short_text": self.short_text, "empty_text": self.empty_text,
                "short_text_chars": SHORT_TEXT_CHARS}

    def counters(self) -> dict:
        return {name: getattr(self, name) for name in COUNTERS}

    def load_counters(self, counts: dict) -> None:
        for name in COUNTERS:
            setattr(self, name, int(counts.get(name, 0)))


@dataclass
class CrawlReport:
    kind: str = "crawl"  # crawl | import
    started_at: str = field(default_factory=utcnow)
    finished_at: str | None = None
    sites: list[SiteReport] = field(default_factory=list)
    path: str | None = None  # where the JSON copy was saved

    def totals(self) -> dict:
        return {name: sum(getattr(s, name) for s in self.sites) for name in COUNTERS}

    def to_dict(self) -> dict:
        data = asdict(self)
        for site, row in zip(self.sites, data["sites"]):
            del row["text_chars"]  # the lengths themselves, summarised:
            row.update(site.text_summary())
        data["totals"] = self.totals()
        return data

    def save(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        stamp = (self.finished_at or utcnow()).replace(":", "").replace("+0000", "Z")
        path = directory / f"{self.kind}-{stamp}.json"
        n = 1
        while path.exists():
            n += 1
            path = directory / f"{self.kind}-{stamp}-{n}.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2), "utf-8")
        tmp.replace(path)
        self.path = str(path)
        return path


def reports_dir(data_dir: Path) -> Path:
    return data_dir / "crawl-reports"


# Dutch column headers for the printed table, in order.
TABLE_COLUMNS = [("site", "site"), ("status", "status"), ("fetched", "opgehaald"),
                 ("new", "nieuw"), ("changed", "gewijzigd"), ("unchanged", "ongewijzigd"),
                 ("pruned", "verwijderd"), ("robots_skipped", "robots"),
                 ("skipped", "overgeslagen"), ("errors", "fouten"), ("chunks", "fragmenten")]
# Main-text columns (per site only, no total): median length and very short/empty pages.
TEXT_COLUMNS = [("median_text_chars", "mediaan tekst"), ("short_text", "korte tekst"),
                ("empty_text", "lege tekst")]
STATUS_NL = {"finished": "klaar", "truncated": "afgekapt (max. pagina's)",
             "failed": "mislukt", "running": "bezig"}
