"""The shipped starter store: the Chroma files of the starter pack, unpacked on a first start.

With the shipped vectors (kb/vector_pack.py) a first start embeds nothing, but inserting the
pack's ~1,800 chunks into Chroma still costs about a second of CPU that holds the GIL: Chroma
writes every metadata value as an indexed row, and neither a schema without indexes nor
fewer keys changes much (see docs/operations.md). So `kennisloket vectors build` also fills a
store the ordinary way and ships its Chroma directory as one archive
(``kb/data/vectors/<model>.store.tar.xz``, ~2 MB) with a manifest. A first start with that
embedding model, embedded Chroma, the same collection name, chromadb version and exactly the
same chunks (a signature over every chunk's id, text and metadata: a changed card or a
chunker change shows) unpacks it into the empty data directory; the catalog, the sentence
vectors and the lexical index are then written as always. Anything else — another model, an
edited card, a Chroma server, a damaged archive — takes the ordinary insert.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import shutil
import tarfile
import tempfile
from collections.abc import Iterable
from pathlib import Path

from kb.settings import Settings
from kb.vector_pack import PACK_DIR, pack_path

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
CHROMA_MEMBER = "chroma"
RESTORE_PREFIX = ".chroma-restore-"


def archive_path(model_id: str, folder: Path = PACK_DIR) -> Path:
    pack = pack_path(model_id, folder)
    return pack.with_name(f"{pack.stem}.store.tar.xz")


def chroma_version() -> str:
    from importlib.metadata import version

    return version("chromadb")


def signature(records: Iterable) -> str:
    """sha256 over every chunk record's id, text and stored metadata, in order."""
    digest = hashlib.sha256()
    for record in records:
        line = json.dumps([record.id, record.text, record.metadata.to_chroma()],
                          ensure_ascii=False, sort_keys=True)
        digest.update(line.encode() + b"\n")
    return digest.hexdigest()


def manifest_for(settings: Settings, model_id: str, records: list) -> dict:
    from kb.store import collection_metadata

    return {"model_id": model_id, "chromadb": chroma_version(),
            "collection": settings.collection,
            "collection_metadata": collection_metadata(model_id),
            "chunks": len(records), "signature": signature(records)}


def read_manifest(path: Path) -> dict | None:
    """The archive's manifest (its first member: only the start is decompressed), or None
    when the archive is missing or unreadable."""
    try:
        with tarfile.open(path, "r:xz") as tar:
            member = tar.next()
            if member is None or member.name != MANIFEST:
                return None
            handle = tar.extractfile(member)
            return json.loads(handle.read()) if handle else None
    except (OSError, tarfile.TarError, EOFError, ValueError) as exc:
        log.warning("Meegeleverde kennisbank %s onleesbaar: %s", path, exc)
        return None


def write_archive(chroma_dir: Path, manifest: dict, path: Path) -> int:
    """Archive a closed Chroma directory with its manifest first; the archive's size."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tarfile.open(tmp, "w:xz", preset=6) as tar:
        data = json.dumps(manifest, indent=1, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
        for file in sorted(p for p in chroma_dir.rglob("*") if p.is_file()):
            tar.add(file, arcname=f"{CHROMA_MEMBER}/{file.relative_to(chroma_dir)}",
                    recursive=False)
    tmp.replace(path)
    return path.stat().st_size


def fresh_data_dir(settings: Settings) -> bool:
    """No catalog and no Chroma files yet: nothing of the user's can be overwritten."""
    chroma = settings.chroma_dir
    return not settings.catalog_path.exists() and not (chroma.exists() and any(chroma.iterdir()))


def restore(settings: Settings, model_id: str, records: list,
            archive: Path | None = None) -> bool:
    """Unpack the shipped store into an empty data directory when it holds exactly
    ``records``; False (nothing written) when it does not apply or cannot be read."""
    if settings.chroma_host or not fresh_data_dir(settings):
        return False
    for leftover in settings.data_dir.glob(f"{RESTORE_PREFIX}*"):  # an interrupted restore
        shutil.rmtree(leftover, ignore_errors=True)
    archive = archive or archive_path(model_id)
    if not archive.exists():
        return False
    manifest = read_manifest(archive)
    if manifest is None or manifest != manifest_for(settings, model_id, records):
        return False
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=RESTORE_PREFIX, dir=settings.data_dir))
    try:
        with tarfile.open(archive, "r:xz") as tar:
            members = [m for m in tar.getmembers()
                       if m.name.startswith(f"{CHROMA_MEMBER}/") and m.isfile()]
            tar.extractall(tmp, members=members, filter="data")
        if settings.chroma_dir.exists():  # empty (checked above)
            settings.chroma_dir.rmdir()
        (tmp / CHROMA_MEMBER).rename(settings.chroma_dir)
        return True
    # TypeError: a Python before 3.11.4 has no extraction filter; it takes the ordinary insert
    except (OSError, tarfile.TarError, EOFError, ValueError, TypeError) as exc:
        log.warning("Meegeleverde kennisbank %s niet uitgepakt (%s); de kaarten worden "
                    "gewoon ingevoegd.", archive, exc)
        return False
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
