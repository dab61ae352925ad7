"""Read a municipality's own files as documents: HTML, PDF, Markdown, DOCX and plain text."""

from __future__ import annotations

import errno
import io
import os
import re
import stat
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


def collect_files(paths: Iterable[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Regular files under ``paths`` (folders recursively) and the paths skipped, with a
    Dutch reason. Hidden files and folders are left out silently.

    A folder or file named on the command line is the operator's choice and is taken as
    given (also when it is a link). Inside a folder, symbolic links are never followed:
    one pointing outside would import whatever it names (``/etc/passwd``,
    ``/proc/self/environ``); one pointing inside is skipped as well, since its target is
    imported under its own path (and a link must not bring in a hidden file)."""
    found: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for path in paths:
        path = path.expanduser().resolve()
        if path.is_dir():
            _walk(path, path, found, skipped)
        else:
            found.append(path)
    return sorted(dict.fromkeys(found)), skipped


def _walk(root: Path, folder: Path, found: list[Path], skipped: list[tuple[Path, str]]) -> None:
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            mode = entry.stat(follow_symlinks=False).st_mode  # lstat: the entry itself
            if stat.S_ISLNK(mode):
                skipped.append((path, _link_reason(root, path)))
            elif stat.S_ISDIR(mode):
                _walk(root, path, found, skipped)
            elif stat.S_ISREG(mode):
                found.append(path)
            else:
                skipped.append((path, "geen gewoon bestand (apparaat, pijp of socket); "
                                      "overgeslagen"))


def _link_reason(root: Path, link: Path) -> str:
    target = Path(os.path.realpath(link))
    if target.is_relative_to(root):
        return ("symbolische koppeling binnen de map overgeslagen; het doel wordt alleen "
                "onder zijn eigen pad ingelezen")
    return f"symbolische koppeling naar {target} buiten de map; niet gevolgd"


def read_capped(path: Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes, refusing links, special files and anything over ``max_bytes``.

    The size is checked while reading: ``st_size`` is 0 for procfs files, whatever they
    hold. ``O_NOFOLLOW`` refuses a link swapped in after the folder was listed and
    ``O_NONBLOCK`` keeps a named pipe from blocking the open."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ExtractionError("symbolische koppeling; niet gevolgd") from exc
        raise
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ExtractionError("geen gewoon bestand (apparaat, pijp of socket)")
        raw = handle.read(max_bytes + 1)
    if len(raw) > max_bytes:
        limit = (f"{max_bytes // 1_000_000} MB" if max_bytes >= 1_000_000
                 else f"{max_bytes} bytes")
        raise ExtractionError(f"bestand te groot (max {limit})")
    return raw


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


def _docx(raw: bytes, stem: str) -> tuple[str, str, date | None]:
    import docx  # python-docx; imported here because only imports need it

    document = docx.Document(io.BytesIO(raw))
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
        (b.lstrip("# ") for b in blocks if b.startswith("# ")), stem)
    return title, "\n\n".join(blocks), _as_date(props.modified or props.created)


def read_local(path: Path, site: str = "lokaal") -> SourceDocument:
    """One file as a ``doc_type='local'`` document; raises ExtractionError with a reason."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ExtractionError(f"bestandstype {path.suffix or '(geen)'} niet ondersteund")
    raw = read_capped(path)
    published: date | None = None
    if kind == "pdf":
        pdf = extract_pdf(raw, fallback_title=path.stem)
        title, text, published = pdf.title, pdf.text, pdf.published
    elif kind == "html":
        page = extract_html(raw, path.as_uri(), GENERIC)
        title, text, published = page.title or path.stem, page.text, page.published
    elif kind == "docx":
        try:
            title, text, published = _docx(raw, path.stem)
        except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on bad files
            raise ExtractionError(f"kapot Word-bestand ({type(exc).__name__})") from exc
    elif kind == "markdown":
        title, text, published = _markdown(_decode(raw), path.stem)
    else:
        text = _decode(raw).strip()
        title = next((line.strip() for line in text.splitlines() if line.strip()), path.stem)
    if len(text.strip()) < MIN_TEXT_CHARS:
        raise ExtractionError("te weinig tekst")
    return SourceDocument(key=f"local:{path}", url=path.as_uri(), title=title[:300],
                          site=site, doc_type="local", text=text, published=published)
