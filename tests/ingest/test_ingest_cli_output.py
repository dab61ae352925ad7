"""Crawl and import reports as a cron log gets them: the console script in a subprocess,
stdout to a pipe, no COLUMNS; and ``--json`` for both reports."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import VNG_PROFILE
from ingest.fetcher import ROBOTS_UNREADABLE
from ingest.report import TABLE_COLUMNS, TEXT_COLUMNS

EXE = Path(sys.executable).with_name("kennisloket")
TERMINAL_HINTS = ("COLUMNS", "LINES", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")
BOX = re.compile("[\u2500-\u257f]")  # box-drawing characters


@pytest.fixture
def env(tmp_path) -> dict:
    (tmp_path / "no-cards").mkdir()
    return {"KENNISLOKET_DATA_DIR": str(tmp_path / "data"),
            "KENNISLOKET_CARDS_DIR": str(tmp_path / "no-cards")}


def run_to_pipe(env: dict, *args: str) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k not in TERMINAL_HINTS}
    full.update(env)
    return subprocess.run([str(EXE), *args], capture_output=True, text=True, env=full,
                          stdin=subprocess.DEVNULL, timeout=300)


def crawl_args(tmp_path: Path, server, *extra: str) -> list[str]:
    profiles = tmp_path / "sites.yaml"
    profiles.write_text(VNG_PROFILE, encoding="utf-8")
    return ["crawl", "--profiles", str(profiles), "--base-url",
            f"vng.nl={server.origin('vng')}", *extra]


def columns(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


def test_crawl_report_in_a_log_has_whole_headers(env, server, tmp_path):
    r = run_to_pipe(env, *crawl_args(tmp_path, server))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    header = next(line for line in lines if line.startswith("site "))
    assert columns(header) == [label for _, label in TABLE_COLUMNS + TEXT_COLUMNS]
    row = columns(next(line for line in lines if line.startswith("vng.nl ")))
    assert row[:2] == ["vng.nl", "klaar"] and len(row) == len(columns(header))
    assert not BOX.search(r.stdout) and "…" not in r.stdout
    saved = next(line for line in lines if line.startswith("Rapport opgeslagen in "))
    assert len(saved) > 80 and Path(saved.removeprefix("Rapport opgeslagen in ")).is_file()


def test_crawl_json_is_the_saved_report(env, server, tmp_path):
    r = run_to_pipe(env, *crawl_args(tmp_path, server, "--json"))
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)  # stdout holds the JSON object and nothing else
    (site,) = report["sites"]
    assert report["kind"] == "crawl" and site["site"] == "vng.nl" and site["new"] >= 1
    assert report["totals"]["new"] == site["new"]
    saved = json.loads(Path(report["path"]).read_text("utf-8"))
    assert {k: v for k, v in report.items() if k != "path"} == \
        {k: v for k, v in saved.items() if k != "path"}


def test_unreadable_robots_is_not_reported_as_forbidden(env, server, tmp_path):
    server.behaviours[("vng", "/robots.txt")] = {"status": 403}
    r = run_to_pipe(env, *crawl_args(tmp_path, server, "--json"))
    assert r.returncode == 1  # the site failed: a scheduler can alert
    (site,) = json.loads(r.stdout)["sites"]
    assert site["status"] == "failed" and site["robots_skipped"] == 0
    assert site["error_list"] == [{"url": "https://vng.nl/robots.txt",
                                   "reason": "robots.txt niet op te halen (HTTP 403); "
                                             "site overgeslagen"}]
    assert site["skipped_list"] and {s["reason"] for s in site["skipped_list"]} == {
        ROBOTS_UNREADABLE}
    printed = run_to_pipe(env, *crawl_args(tmp_path, server)).stdout
    assert "fout vng.nl: https://vng.nl/robots.txt — robots.txt niet op te halen" in printed
    assert "verboden" not in printed


def test_import_report_keeps_long_paths_whole(env, tmp_path):
    folder = tmp_path / "beleidsstukken" / "onderwijsachterstandenbeleid-2024-2025"
    folder.mkdir(parents=True)
    (folder / "overleg.md").write_text(
        "# Overleg\n\nDe gemeente en de scholen spraken af om samen een zomerschool te "
        "organiseren voor groep 7 en 8.", "utf-8")
    odd = folder / "verslag-lokale-educatieve-agenda-overleg-kinderopvang-en-scholen.xyz"
    odd.write_text("niet te lezen", "utf-8")
    r = run_to_pipe(env, "import", str(tmp_path / "beleidsstukken"))
    assert r.returncode == 0, r.stderr
    line = next(x for x in r.stdout.splitlines() if x.startswith("overgeslagen "))
    assert line.startswith(f"overgeslagen {odd} — ") and len(line) > 80
    header = next(x for x in r.stdout.splitlines() if x.startswith("site "))
    assert columns(header)[:3] == ["site", "status", "opgehaald"]

    r = run_to_pipe(env, "import", str(tmp_path / "beleidsstukken"), "--json")
    assert r.returncode == 0, r.stderr
    (site,) = json.loads(r.stdout)["sites"]
    assert site["site"] == "lokaal" and site["unchanged"] == 1  # imported the first time
    assert [s["url"] for s in site["skipped_list"]] == [str(odd)]
