"""One writer at a time: crawls and imports on a data directory take an exclusive lock.

``flock`` is released by the kernel when the process dies, even on ``kill -9``, so a crashed
crawl never leaves a stale lock behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no cross-process lock
    fcntl = None  # type: ignore[assignment]


class IngestBusy(RuntimeError):
    """Another crawl or import is writing to this data directory (Dutch message)."""


@contextmanager
def ingest_lock(data_dir: Path) -> Iterator[None]:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "ingest.lock"
    with open(path, "a+") as handle:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise IngestBusy(
                    f"Er loopt al een crawl of import op {data_dir}. Wacht tot die klaar is."
                ) from None
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)
