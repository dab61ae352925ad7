"""Extract text from a PDF with pypdf: one ``## Pagina n`` section per page.

Page sections make citations findable in the PDF and give the chunker natural boundaries.
Encrypted, broken and image-only PDFs raise :class:`~ingest.extract_html.ExtractionError`
with a Dutch reason, so the crawl reports them and goes on.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from datetime import date

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from ingest.extract_html import MIN_TEXT_CHARS, ExtractionError

MAX_PAGES = 500
_HYPHEN_BREAK = re.compile(r"(\w)-\n(\w)")

# pypdf logs every recoverable oddity of real-world PDFs as a warning; we report outcomes.
logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass
class ExtractedPdf:
    title: str
    text: str
    published: date | None
    pages: int


def _clean_page(text: str) -> str:
    text = _HYPHEN_BREAK.sub(r"\1\2", text.replace("\r", "\n"))
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _pdf_date(reader: PdfReader) -> date | None:
    """Modification date, else creation date, as pypdf parses them (``D:YYYYMMDD…``)."""
    meta = reader.metadata
    if meta is None:
        return None
    for name in ("modification_date", "creation_date"):
        try:
            stamp = getattr(meta, name)
        except (ValueError, TypeError):  # a malformed date string in the PDF
            continue
        if stamp is not None:
            return stamp.date()
    return None


def extract_pdf(content: bytes, fallback_title: str = "") -> ExtractedPdf:
    if not content.lstrip().startswith(b"%PDF"):
        raise ExtractionError("geen PDF (kop %PDF ontbreekt)")
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise ExtractionError("PDF is versleuteld")
        sections: list[str] = []
        for number, page in enumerate(reader.pages[:MAX_PAGES], start=1):
            page_text = _clean_page(page.extract_text() or "")
            if page_text:
                sections.append(f"## Pagina {number}\n\n{page_text}")
        meta = reader.metadata or {}
        published = _pdf_date(reader)
        page_count = len(reader.pages)
    except ExtractionError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError,
            IndexError, RecursionError, OSError) as exc:
        raise ExtractionError(f"kapotte PDF ({type(exc).__name__}: {exc})"[:300]) from exc
    text = "\n\n".join(sections)
    if len(text) < MIN_TEXT_CHARS:
        raise ExtractionError("PDF zonder tekst (gescand of leeg)")
    title = str(meta.get("/Title") or "").strip()
    if not title or title.lower() in ("untitled", "naamloos", "microsoft word"):
        title = fallback_title or next(
            line for line in text.splitlines() if line and not line.startswith("## "))
    return ExtractedPdf(title=title[:200], text=text, published=published, pages=page_count)
