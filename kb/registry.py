"""SQLite catalog of documents in the data directory.

The registry is the source of truth for *which* version of a document is current. Chunk ids
in Chroma carry the content hash, so a write is: add new chunks → commit the registry row →
delete the old chunks. A process killed between those steps leaves stale or orphan chunks
that retrieval ignores (it only trusts chunks whose hash the registry names) and that the
next write or ``gc`` removes: the store stays consistent at every instant.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


class RegistryError(RuntimeError):
    """The catalog file is unreadable or corrupt; the message names the repair command."""


class StorageError(RegistryError):
    """The data directory cannot be written (read-only or full); nothing was half-written."""


def storage_error(path: Path, exc: Exception) -> StorageError | None:
    """A clear Dutch error when ``exc`` means 'cannot write here', else None."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    code = getattr(exc, "errno", None)
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")) \
            or code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return StorageError(
            f"De gegevensmap {path.parent} is niet schrijfbaar ({exc}). Controleer de rechten "
            "of kies een andere map met KENNISLOKET_DATA_DIR; er is niets gewijzigd.")
    if name == "SQLITE_FULL" or name.startswith("SQLITE_IOERR") or code == errno.ENOSPC:
        return StorageError(
            f"De schijf van de gegevensmap {path.parent} is vol of gaf een schrijffout ({exc}). "
            "Maak ruimte vrij en probeer het opnieuw; er is niets half weggeschreven.")
    return None


def _raise_storage(path: Path, exc: Exception):
    """Re-raise ``exc`` as a StorageError when it means 'cannot write', else unchanged."""
    error = storage_error(path, exc)
    if error is None:
        raise exc
    raise error from exc


_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
  key TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  title TEXT NOT NULL,
  site TEXT NOT NULL,
  doc_type TEXT NOT NULL,
  published TEXT,
  fetched_at TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  chunk_count INTEGER NOT NULL,
  topics TEXT NOT NULL DEFAULT '[]',
  audience TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS documents_url ON documents(url);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True)
class DocumentRow:
    key: str
    url: str
    title: str
    site: str
    doc_type: str
    published: str | None
    fetched_at: str
    content_hash: str
    chunk_count: int
    topics: list[str]
    audience: list[str]


class Registry:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            _raise_storage(path, exc)
        try:
            with self.connect() as conn:
                conn.executescript(_SCHEMA)
                check = conn.execute("PRAGMA quick_check").fetchone()
                if not check or check[0] != "ok":  # damage inside the file: rows, not raises
                    raise sqlite3.DatabaseError(f"quick_check: {check[0] if check else '?'}")
        except StorageError:
            raise
        except sqlite3.DatabaseError as exc:
            raise RegistryError(
                f"De catalogus {path} is beschadigd ({exc}). "
                "Herstel met: kennisloket repair"
            ) from exc

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = sqlite3.connect(self.path, timeout=30)
        except sqlite3.OperationalError as exc:
            _raise_storage(self.path, exc)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            with conn:  # one transaction: committed whole or rolled back
                yield conn
        except sqlite3.OperationalError as exc:
            _raise_storage(self.path, exc)
        finally:
            conn.close()

    def get(self, key: str) -> DocumentRow | None:
        with self.connect() as conn:
            row = conn.execute("SELECT * FROM documents WHERE key = ?", (key,)).fetchone()
        return _row(row) if row else None

    def all(self) -> list[DocumentRow]:
        with self.connect() as conn:
            rows = conn.execute("SELECT * FROM documents ORDER BY key").fetchall()
        return [_row(r) for r in rows]

    def current_hashes(self) -> dict[str, str]:
        with self.connect() as conn:
            return dict(conn.execute("SELECT key, content_hash FROM documents").fetchall())

    def put(self, row: DocumentRow) -> None:
        self.put_many([row])

    def put_many(self, rows: Iterable[DocumentRow]) -> None:
        """Add or replace rows in one transaction."""
        with self.connect() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [(row.key, row.url, row.title, row.site, row.doc_type, row.published,
                  row.fetched_at, row.content_hash, row.chunk_count,
                  json.dumps(row.topics), json.dumps(row.audience)) for row in rows],
            )

    def delete(self, key: str) -> None:
        with self.connect() as conn:
            conn.execute("DELETE FROM documents WHERE key = ?", (key,))

    def counts(self) -> list[tuple[str, str, int, int]]:
        """(site, doc_type, documents, chunks) per site and type."""
        with self.connect() as conn:
            return conn.execute(
                "SELECT site, doc_type, COUNT(*), SUM(chunk_count) FROM documents "
                "GROUP BY site, doc_type ORDER BY site, doc_type"
            ).fetchall()

    def generation(self) -> str | None:
        """The knowledge base's change counter, read on every query.

        A new connection costs ~0.2 ms, a query on an open one ~5 µs; so each thread keeps
        one read connection, reopened when the file is replaced (``repair``). Writes from
        other processes are seen: every read starts a fresh WAL snapshot."""
        try:
            identity = os.stat(self.path)[1:3]  # (inode, device)
        except OSError:
            return self.get_meta("generation")  # missing file: the usual errors
        cached = getattr(self._local, "reader", None)
        if cached is None or cached[0] != identity:
            if cached is not None:
                cached[1].close()
            try:
                cached = (identity, sqlite3.connect(self.path, timeout=30))
            except sqlite3.OperationalError as exc:
                _raise_storage(self.path, exc)
            self._local.reader = cached
        try:
            row = cached[1].execute("SELECT value FROM meta WHERE name = 'generation'").fetchone()
        except sqlite3.Error:
            cached[1].close()
            self._local.reader = None
            return self.get_meta("generation")  # the usual errors (corrupt, read-only, ...)
        return row[0] if row else None

    def get_meta(self, name: str) -> str | None:
        with self.connect() as conn:
            row = conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def set_meta(self, name: str, value: str) -> None:
        with self.connect() as conn:
            conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))


def _row(r: tuple) -> DocumentRow:
    return DocumentRow(*r[:9], topics=json.loads(r[9]), audience=json.loads(r[10]))
