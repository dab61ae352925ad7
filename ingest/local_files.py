"""Read a municipality's own files as documents: HTML, PDF, Markdown, DOCX and plain text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

import yaml

from ingest.dates import parse_date
from ingest.extract_html import MIN_TEXT_CHARS, ExtractionError, extract_html
from ingest.extract_pdf import extract_pdf
from ingest.profiles import Selectors
from kb.documents import SourceDocument

FORMATS = {".html": "html", ".htm": "html", ".xhtml": "html", ".pdf": "pdf", ".md": "markdown",
           ".markdown": "markdown", ".docx": "docx", ".txt": "text", ".text": "text"}
MAX_FILE_BYTES = 50_000_000
GENERIC = Selectors(content=["main", "article", "[role=main]", "#content", ".content"],
                    title=["h1"], date=["time[datetime]"])
_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


def iter_files(paths: Iterable[Path]) -> list[Path]:
    """Files under ``paths`` (folders recursively), hidden files and folders left out."""
    found: list[Path] = []
    for path in paths:
        path = path.expanduser().resolve()
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.is_file() and not any(
                part.startswith(".") for part in p.relative_to(path).parts))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date(str(value)) if value else None


def _markdown(text: str, stem: str) -> tuple[str, str, date | None]:
    meta: dict = {}
    match = _FRONT.match(text)
    if match:
        try:
            loaded = yaml.safe_load(match.group(1))
            meta = loaded if isinstance(loaded, dict) else {}
        except yaml.YAMLError:
            meta = {}
        text = text[match.end():]
    heading = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), "")
    title = str(meta.get("title") or heading or stem)
    published = _as_date(meta.get("published") or meta.get("date") or meta.get("updated"))
    return title, text.strip(), published


def _docx(path: Path) -> tuple[str, str, date | None]:
    import docx  # python-docx; imported here because only imports need it

    document = docx.Document(str(path))
    blocks: list[str] = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "").lower()
        level = re.search(r"(heading|kop)\s*(\d)", style)
        if style in ("title", "titel"):
            blocks.append(f"# {text}")
        elif level:
            blocks.append("#" * min(int(level.group(2)) + 1, 3) + " " + text)
        elif "list" in style or "lijst" in style:
            blocks.append(f"- {text}")
        else:
            blocks.append(text)
    for table in document.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells]
            if any(cells):
                blocks.append(" | ".join(cells))
    props = document.core_properties
    title = (props.title or "").strip() or next(
        (b.lstrip("# ") for b in blocks if b.startswith("# ")), path.stem)
    return title, "\n\n".join(blocks), _as_date(props.modified or props.created)


def read_local(path: Path, site: str = "lokaal") -> SourceDocument:
    """One file as a ``doc_type='local'`` document; raises ExtractionError with a reason."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ExtractionError(f"bestandstype {path.suffix or '(geen)'} niet ondersteund")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ExtractionError(f"bestand te groot (max {MAX_FILE_BYTES // 1_000_000} MB)")
    published: date | None = None
    if kind == "pdf":
        pdf = extract_pdf(path.read_bytes(), fallback_title=path.stem)
        title, text, published = pdf.title, pdf.text, pdf.published
    elif kind == "html":
        page = extract_html(path.read_bytes(), path.as_uri(), GENERIC)
        title, text, published = page.title or path.stem, page.text, page.published
    elif kind == "docx":
        try:
            title, text, published = _docx(path)
        except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on bad files
            raise ExtractionError(f"kapot Word-bestand ({type(exc).__name__})") from exc
    elif kind == "markdown":
        title, text, published = _markdown(_decode(path.read_bytes()), path.stem)
    else:
        text = _decode(path.read_bytes()).strip()
        title = next((line.strip() for line in text.splitlines() if line.strip()), path.stem)
    if len(text.strip()) < MIN_TEXT_CHARS:
        raise ExtractionError("te weinig tekst")
    return SourceDocument(key=f"local:{path}", url=path.as_uri(), title=title[:300],
                          site=site, doc_type="local", text=text, published=published)
