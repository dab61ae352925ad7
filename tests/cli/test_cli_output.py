"""Answers saved to a file (``kennisloket ask … > briefing.md``): the console script in a
subprocess with stdout to a pipe and no COLUMNS, as a shell redirect or cron runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

EXE = Path(sys.executable).with_name("kennisloket")
TERMINAL_HINTS = ("COLUMNS", "LINES", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")
QUESTION = "Tot wanneer mogen gemeenten de NPO-middelen besteden?"


def run_to_pipe(settings, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in TERMINAL_HINTS}
    env.update({"KENNISLOKET_DATA_DIR": str(settings.data_dir),
                "KENNISLOKET_CARDS_DIR": str(settings.cards_dir)})
    result = subprocess.run([str(EXE), *args], capture_output=True, text=True, env=env,
                            stdin=subprocess.DEVNULL, timeout=300)
    assert result.returncode == 0, result.stderr
    return result


def test_saved_answer_keeps_urls_and_lines_whole(mini_kb):
    body = json.loads(run_to_pipe(mini_kb.settings, "ask", QUESTION, "--json").stdout)
    printed = run_to_pipe(mini_kb.settings, "ask", QUESTION).stdout
    assert body["citations"]
    assert printed.startswith(body["answer"] + "\n")  # the answer exactly, not re-wrapped
    lines = printed.splitlines()
    for c in body["citations"]:
        assert f"    {c['url']}" in lines  # each source URL whole, on its own line
        assert any(line.startswith(f"[{c['n']}] {c['title']} (") for line in lines)
    assert max(len(line) for line in lines) > 80  # wider than Rich's old fallback


def test_saved_briefing_is_the_markdown_unchanged(mini_kb):
    args = ("ask", "Hoe verantwoorden gemeenten de NPO-middelen?", "--mode", "facilitator")
    body = json.loads(run_to_pipe(mini_kb.settings, *args, "--json").stdout)
    printed = run_to_pipe(mini_kb.settings, *args).stdout
    assert body["answer"].startswith("# Sessiebriefing")
    assert max(len(line) for line in body["answer"].splitlines()) > 80
    assert printed == body["answer"] + "\n"
