"""Main-text extraction benchmark on the fixture corpus (``tests/fixtures/extraction``).

Each corpus page is an HTML file modelled on a source site's layout, with its expected main
text (``<name>.expected.md``) and its expected dates (``index.json``: ``published`` and
``modified``, null when the page shows none). Two extractors run side by side in one
process, page by page:

- ``project``: ``ingest.extract_html.extract_html`` with the site's profile (hidden-text
  removal, site overrides, trafilatura, htmldate) — what the crawler stores;
- ``trafilatura``: plain ``trafilatura.extract(html, output_format="markdown",
  with_metadata=True)`` with its defaults, without anything of ours around it.

Score (token-shingle F1): both texts are lower-cased and cut into word tokens (``\\w+``, so
Markdown markers do not count); a page's shingles are the multiset of its runs of 3
consecutive tokens (a text of fewer than 3 tokens is one shingle). With E the extracted and
G the expected multiset, precision = |E ∩ G| / |E|, recall = |E ∩ G| / |G| and
F1 = 2PR / (P + R) (0 when nothing matches). Corpus figures are means over the pages.

Date accuracy: the share of pages whose date equals the expected one. The project stores the
newest of publication and modification date (None when the page shows none); trafilatura
looks for the publication date, so it is also scored against ``published``.

Time: wall-clock milliseconds per page (the median of ``repeats`` runs), then the median
and p95 over the pages. ``run()`` is what ``kennisloket bench`` calls.

    .venv/bin/python -m evals.bench_extraction
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "extraction"
SHINGLE = 3
GOALS = {"f1": 0.95, "median_ms": 100.0}


@dataclass(frozen=True)
class CorpusPage:
    name: str
    site: str
    url: str
    layout: str
    html: bytes
    expected: str
    published: date | None
    modified: date | None

    @property
    def newest(self) -> date | None:
        return max((d for d in (self.published, self.modified) if d), default=None)


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def load_corpus(folder: Path = CORPUS) -> list[CorpusPage]:
    entries = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    return [CorpusPage(name=e["name"], site=e["site"], url=e["url"], layout=e["layout"],
                       html=(folder / f"{e['name']}.html").read_bytes(),
                       expected=(folder / f"{e['name']}.expected.md").read_text("utf-8"),
                       published=_day(e.get("published")), modified=_day(e.get("modified")))
            for e in entries]


def shingles(text: str, n: int = SHINGLE) -> Counter:
    tokens = re.findall(r"\w+", text.lower())
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def score(extracted: str, expected: str) -> Score:
    got, want = shingles(extracted), shingles(expected)
    common = sum((got & want).values())
    if not common:
        return Score(0.0, 0.0, 0.0)
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return Score(precision, recall, 2 * precision * recall / (precision + recall))


# -- the two extractors -------------------------------------------------------------------
def project_extractor():
    from ingest.extract_html import ExtractionError, extract_html
    from ingest.profiles import load_profiles

    profiles = load_profiles()

    def extract(page: CorpusPage) -> tuple[str, date | None]:
        try:
            got = extract_html(page.html, page.url, profiles[page.site].selectors)
        except ExtractionError:
            return "", None
        return got.text, got.published

    return extract


def plain_trafilatura(page: CorpusPage) -> tuple[str, date | None]:
    import trafilatura

    out = trafilatura.extract(page.html, url=page.url, output_format="markdown",
                              with_metadata=True) or ""
    header, sep, body = out.partition("\n---\n") if out.startswith("---\n") else ("", "", out)
    found = re.search(r"^date: (\d{4}-\d{2}-\d{2})", header, re.M)
    return (body if sep else out), _day(found.group(1)) if found else None


def _timed(extract, page: CorpusPage, repeats: int) -> tuple[str, date | None, float]:
    times = []
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        text, day = extract(page)
        times.append((time.perf_counter() - start) * 1000)
    return text, day, statistics.median(times)


def _summary(rows: list[dict], key: str) -> dict:
    ms = sorted(r[f"{key}_ms"] for r in rows)
    return {
        "precision": round(statistics.mean(r[key].precision for r in rows), 4),
        "recall": round(statistics.mean(r[key].recall for r in rows), 4),
        "f1": round(statistics.mean(r[key].f1 for r in rows), 4),
        "median_ms": round(statistics.median(ms), 2),
        "p95_ms": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 2),
        "date_accuracy": round(statistics.mean(r[f"{key}_date"] == r["newest"]
                                               for r in rows), 4),
    }


def run(folder: Path = CORPUS, repeats: int = 3) -> dict:
    """Score and time both extractors on the corpus; figures as a dict."""
    pages = load_corpus(folder)
    extractors = {"project": project_extractor(), "trafilatura": plain_trafilatura}
    for extract in extractors.values():  # imports and first-call set-up outside the timing
        extract(pages[0])
    rows = []
    for page in pages:
        row: dict = {"name": page.name, "layout": page.layout, "newest": page.newest,
                     "published": page.published}
        for key, extract in extractors.items():
            text, day, ms = _timed(extract, page, repeats)
            row[key], row[f"{key}_date"], row[f"{key}_ms"] = score(text, page.expected), day, ms
        rows.append(row)
    result = {key: _summary(rows, key) for key in extractors}
    result["trafilatura"]["date_accuracy_published"] = round(statistics.mean(
        r["trafilatura_date"] == r["published"] for r in rows), 4)
    result.update(pages=len(pages), shingle=SHINGLE, repeats=repeats, goals=GOALS,
                  method=f"{len(pages)} fixture pages, word {SHINGLE}-shingle F1 (mean over "
                         f"pages), median of {repeats} runs per page",
                  per_page=[{"name": r["name"], "project_f1": round(r["project"].f1, 3),
                             "trafilatura_f1": round(r["trafilatura"].f1, 3),
                             "project_date_ok": r["project_date"] == r["newest"]}
                            for r in rows])
    return result


def main() -> None:  # pragma: no cover - manual benchmark
    figures = run()
    for key in ("project", "trafilatura"):
        print(key, json.dumps(figures[key]))
    for row in figures["per_page"]:
        print(f"{row['name']:40} project {row['project_f1']:.3f}  trafilatura "
              f"{row['trafilatura_f1']:.3f}  date {'ok' if row['project_date_ok'] else 'FOUT'}")


if __name__ == "__main__":  # pragma: no cover
    main()
