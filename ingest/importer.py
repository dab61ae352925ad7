"""``kennisloket import PATH…``: add a municipality's own documents to the knowledge base.

Same metadata as crawled pages (``doc_type='local'``, key ``local:<absolute path>``, URL the
file's ``file://`` URI); files with identical text are imported once; unchanged files cost
nothing on a re-import.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from ingest.extract_html import ExtractionError
from ingest.local_files import FORMATS, collect_files, read_local
from ingest.lock import ingest_lock
from ingest.report import CrawlReport, SiteReport, reports_dir
from kb.documents import SourceDocument, content_hash, utcnow
from kb.knowledge_base import KnowledgeBase
from kb.validation_messages import problems_of, summary

ImportProgress = Callable[[str, int, int], None]  # (stage, done, total)


def run_import(kb: KnowledgeBase, paths: list[Path], *, site: str = "lokaal",
               progress: ImportProgress | None = None) -> CrawlReport:
    report = CrawlReport(kind="import")
    site_report = SiteReport(site)
    report.sites.append(site_report)
    with ingest_lock(kb.settings.data_dir):
        missing = [p for p in paths if not p.expanduser().exists()]
        for path in missing:
            site_report.error(str(path), "bestaat niet")
        files, skipped = collect_files(p for p in paths if p not in missing)
        for path, reason in skipped:
            site_report.skip(str(path), reason)
        docs: list[SourceDocument] = []
        seen_text: dict[str, str] = {}
        for n, path in enumerate(files, start=1):
            if path.suffix.lower() not in FORMATS:
                site_report.skip(str(path), f"bestandstype {path.suffix or '(geen)'} "
                                            "niet ondersteund")
            else:
                _read(path, site, site_report, docs, seen_text)
            if progress:
                progress("lezen", n, len(files))
        site_report.discovered = len(files) + len(skipped)
        done = [0]

        def advance(n: int) -> None:
            done[0] += n
            if progress:
                progress("inbedden", done[0], len(docs))

        upsert = kb.upsert_many(docs, progress=advance)
        for name in ("new", "changed", "unchanged", "chunks"):
            site_report.count(name, getattr(upsert, name))
    site_report.fetched = len(docs)
    site_report.finished_at = report.finished_at = utcnow()
    site_report.status = "finished"
    report.save(reports_dir(kb.settings.data_dir))
    return report


def _read(path: Path, site: str, site_report: SiteReport, docs: list[SourceDocument],
          seen_text: dict[str, str]) -> None:
    try:
        doc = read_local(path, site)
    except (ExtractionError, OSError) as exc:
        site_report.error(str(path), str(exc))
        return
    except ValidationError as exc:
        site_report.error(str(path), f"ongeldig document ({summary(problems_of(exc.errors(), whole='document'), most=2)})")
        return
    digest = content_hash(doc.text)
    if digest in seen_text:
        site_report.skip(str(path), f"dubbel: zelfde inhoud als {seen_text[digest]}")
        return
    seen_text[digest] = str(path)
    docs.append(doc)
