"""Feedback on answers, stored in the data directory's SQLite file."""

from __future__ import annotations

import csv
import io
import json

from kb.documents import utcnow
from kb.registry import Registry

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


class FeedbackStore:
    def __init__(self, registry: Registry) -> None:
        self._registry = registry
        with registry.connect() as conn:
            conn.execute(_SCHEMA)

    def add(self, question: str, answer: str, mode: str, rating: int, comment: str = "",
            sources: list[str] | None = None) -> int:
        with self._registry.connect() as conn:
            cur = conn.execute(
                "INSERT INTO feedback (created_at, question, answer, mode, rating, comment, "
                "sources) VALUES (?,?,?,?,?,?,?)",
                (utcnow(), question, answer, mode, rating, comment,
                 json.dumps(sources or [], ensure_ascii=False)))
            return int(cur.lastrowid)

    def all(self) -> list[dict]:
        with self._registry.connect() as conn:
            rows = conn.execute(f"SELECT {', '.join(FIELDS)} FROM feedback ORDER BY id").fetchall()
        return [dict(zip(FIELDS, r)) for r in rows]

    def to_csv(self) -> str:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=FIELDS)
        writer.writeheader()
        for row in self.all():
            writer.writerow({k: _no_formula(v) for k, v in row.items()})
        return buf.getvalue()


def _no_formula(value):
    """Spreadsheet apps run cells starting with = + - @ as formulas; neutralise them."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
