"""Feedback on answers, stored in the data directory's SQLite file.

Every text is cleaned (``kb.text_cleaning.clean_input``) and stripped of personal data
(``service.privacy.redact_personal_data``) before it is stored, whichever way it came in (API,
UI). Rows older than the retention period (setting ``feedback_retention_days``) are purged
when the service starts and with ``kennisloket feedback purge``. Reading and exporting is an
admin function: ``GET /v1/admin/feedback.csv`` (API key) and ``kennisloket feedback export``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

from kb.documents import utcnow
from kb.registry import Registry
from kb.text_cleaning import clean_input
from service.privacy import redact_personal_data

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  created_at TEXT NOT NULL,
  question TEXT NOT NULL,
  answer TEXT NOT NULL,
  mode TEXT NOT NULL,
  rating INTEGER NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  sources TEXT NOT NULL DEFAULT '[]'
)
"""
FIELDS = ("id", "created_at", "question", "answer", "mode", "rating", "comment", "sources")


def _safe(text: str, multiline: bool = False) -> str:
    return redact_personal_data(clean_input(text or "", keep_newlines=multiline))


class FeedbackStore:
    def __init__(self, registry: Registry) -> None:
        self._registry = registry
        with registry.connect() as conn:
            conn.execute(_SCHEMA)

    def add(self, question: str, answer: str, mode: str, rating: int, comment: str = "",
            sources: list[str] | None = None) -> int:
        sources = [clean_input(s) for s in sources or []]
        with self._registry.connect() as conn:
            cur = conn.execute(
                "INSERT INTO feedback (created_at, question, answer, mode, rating, comment, "
                "sources) VALUES (?,?,?,?,?,?,?)",
                (utcnow(), _safe(question), _safe(answer, multiline=True), mode, rating,
                 _safe(comment, multiline=True), json.dumps(sources, ensure_ascii=False)))
            return int(cur.lastrowid)

    def all(self) -> list[dict]:
        with self._registry.connect() as conn:
            rows = conn.execute(f"SELECT {', '.join(FIELDS)} FROM feedback ORDER BY id").fetchall()
        return [dict(zip(FIELDS, r)) for r in rows]

    def iter_csv(self) -> Iterator[str]:
        """The export, a line at a time (streamed by the API, written by the CLI)."""
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=FIELDS)
        writer.writeheader()
        for row in self.all():
            writer.writerow({k: _no_formula(v) for k, v in row.items()})
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
        yield buf.getvalue()

    def to_csv(self) -> str:
        return "".join(self.iter_csv())

    def purge(self, older_than_days: int) -> int:
        """Delete rows older than ``older_than_days`` days; returns how many went."""
        cutoff = (datetime.now(timezone.utc) - timedelta(days=older_than_days)
                  ).replace(microsecond=0).isoformat()
        with self._registry.connect() as conn:
            return conn.execute("DELETE FROM feedback WHERE created_at < ?", (cutoff,)).rowcount


def _no_formula(value):
    """Spreadsheet apps run cells starting with = + - @ as formulas; neutralise them."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
