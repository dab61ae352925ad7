"""Admin commands, run as an admin runs them: feedback export/purge and the status warning."""

from __future__ import annotations

import csv
import io
import os
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from kb.chunk_metadata import ChunkMetadata
from kb.documents import SourceDocument
from kb.knowledge_base import KnowledgeBase
from kb.registry import Registry
from kb.settings import load_settings
from service.feedback import FeedbackStore

EXE = Path(sys.executable).with_name("kennisloket")
MINI_CARDS = Path(__file__).resolve().parents[1] / "fixtures" / "cards" / "mini"


def run(*args: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "COLUMNS": "200", "KENNISLOKET_DATA_DIR": str(data_dir),
                "KENNISLOKET_CARDS_DIR": str(MINI_CARDS), **env}
    return subprocess.run([str(EXE), *args], capture_output=True, text=True, env=full_env,
                          timeout=300)


def test_feedback_export_and_purge(tmp_path):
    data_dir = tmp_path / "data"
    registry = Registry(load_settings(data_dir=data_dir).catalog_path)
    store = FeedbackStore(registry)
    store.add("Oude vraag", "antwoord", "official", 1)
    old = (datetime.now(timezone.utc) - timedelta(days=200)).replace(microsecond=0)
    with registry.connect() as conn:
        conn.execute("UPDATE feedback SET created_at = ?", (old.isoformat(),))
    store.add("Nieuwe vraag, mail mij op a.b@example.org", "antwoord", "helpdesk", -1, "=1+1")

    target = tmp_path / "export.csv"
    r = run("feedback", "export", "--out", str(target), data_dir=data_dir)
    assert r.returncode == 0, r.stderr
    assert "geëxporteerd" in r.stderr and "Traceback" not in r.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert [row["question"] for row in rows] == [
        "Oude vraag", "Nieuwe vraag, mail mij op [e-mailadres verwijderd]"]
    assert rows[1]["comment"] == "'=1+1"  # no spreadsheet formulas

    r = run("feedback", "export", data_dir=data_dir)
    assert r.stdout.startswith("id,created_at") and "Oude vraag" in r.stdout

    r = run("feedback", "purge", data_dir=data_dir, KENNISLOKET_FEEDBACK_RETENTION_DAYS="180")
    assert r.returncode == 0 and "1 beoordelingen ouder dan 180 dagen verwijderd" in r.stderr
    assert [row["question"] for row in store.all()] == [rows[1]["question"]]
    r = run("feedback", "--help", data_dir=data_dir)
    assert "exporteren" in r.stdout


def test_status_warns_when_chroma_and_catalog_disagree(tmp_path, embeddings):
    settings = load_settings(data_dir=tmp_path / "data", cards_dir=MINI_CARDS)
    kb = KnowledgeBase(settings, embeddings=embeddings)
    kb.load_cards()
    r = run("status", data_dir=settings.data_dir)
    assert r.returncode == 0 and "Let op" not in r.stdout + r.stderr
    # What a kill between "chunks added" and "catalog row written" leaves behind.
    doc = SourceDocument(key="local:half", url="file:///half.txt", title="Half geschreven",
                         site="lokaal", doc_type="local", text="Half geschreven document.")
    kb.store.add([f"local:half#{doc.content_hash[:12]}#0"], [doc.text],
                 [ChunkMetadata(key=doc.key, hash=doc.content_hash, url=doc.url)])
    r = run("status", data_dir=settings.data_dir)
    text = " ".join((r.stdout + r.stderr).split())
    assert r.returncode == 0
    assert "Let op" in text and "11 fragmenten" in text and "10" in text
    assert "kennisloket repair" in text
