"""The console script, run as a user runs it (subprocess, real data directory)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXE = Path(sys.executable).with_name("kennisloket")


def run(*args: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "COLUMNS": "200", **(env or {})}
    return subprocess.run([str(EXE), *args], capture_output=True, text=True, env=full_env,
                          timeout=timeout)


@pytest.fixture(scope="module")
def env(starter_kb):
    return {"KENNISLOKET_DATA_DIR": str(starter_kb.settings.data_dir),
            "KENNISLOKET_CARDS_DIR": str(starter_kb.settings.cards_dir)}


def test_search_json_puts_the_right_page_first(env):
    r = run("search", "tot wanneer mogen gemeenten NPO-geld uitgeven", "--json", "-k", "5",
            env=env)
    assert r.returncode == 0, r.stderr
    body = json.loads(r.stdout)
    results = body["results"]
    assert len(results) == 5 and len({x["url"] for x in results}) == 5
    assert results[0]["url"].startswith("https://www.nponderwijs.nl/gemeenten/")
    assert {"url", "title", "site", "score", "text"} <= set(results[0])
    assert body["timings_ms"]["retrieval_ms"] > 0


def test_ask_json_and_helpdesk_draft(env):
    r = run("ask", "Hoe verantwoorden gemeenten de NPO-middelen?", "--json", env=env)
    body = json.loads(r.stdout)
    # the same JSON as /v1/ask (service/models.Answer)
    assert set(body) == {"question", "mode", "answer", "refused", "citations",
                         "interventions", "timings_ms", "trace", "search_query", "composer"}
    assert body["trace"]["route"] == "antwoord" and body["trace"]["follow_up"] is False
    assert not body["refused"] and "jaarrekening" in body["answer"]
    assert "https://www.nponderwijs.nl/gemeenten/betaling-en-verantwoording" in {
        c["url"] for c in body["citations"]}
    r = run("ask", "Hoe verantwoorden gemeenten de NPO-middelen?", "--mode", "helpdesk",
            env=env)
    assert r.returncode == 0
    assert r.stdout.startswith("Geachte heer/mevrouw,")
    assert "https://www.nponderwijs.nl/gemeenten/betaling-en-verantwoording" in r.stdout


def test_recommend_json(env):
    r = run("recommend", "begrijpend lezen, groep 6, weinig budget", "--json", env=env)
    items = json.loads(r.stdout)["interventions"]
    assert items[0]["id"] == "begrijpend-lezen"


def test_status_shows_counts_per_site(env):
    r = run("status", env=env)
    assert r.returncode == 0
    for site in ("nponderwijs.nl", "vng.nl", "nji.nl", "goab.eu"):
        assert site in r.stdout


@pytest.mark.parametrize("args, phrase", [
    (("search", ""), "leeg"),
    (("search", "x" * 10_000), "maximaal 500"),
    (("search", "leerplicht", "--site", "example.org"), "Onbekende waarde"),
    (("ask", ""), "leeg"),
    (("ask", "vraag", "--mode", "piraat"), "Onbekende modus"),
])
def test_bad_input_gets_a_clear_message_not_a_traceback(env, args, phrase):
    r = run(*args, env=env)
    assert r.returncode == 2
    assert phrase in " ".join(r.stderr.split())
    assert "Traceback" not in r.stderr


def test_corrupt_card_file_is_reported(tmp_path):
    cards = tmp_path / "cards"
    cards.mkdir()
    (cards / "vng-kapot.md").write_text("---\nid: vng-kapot\ntitle: [onaf\n---\ntekst",
                                        encoding="utf-8")
    r = run("status", env={"KENNISLOKET_DATA_DIR": str(tmp_path / "data"),
                           "KENNISLOKET_CARDS_DIR": str(cards)})
    assert r.returncode == 2 and "vng-kapot.md" in r.stderr and "Traceback" not in r.stderr


def test_broken_config_is_reported(tmp_path):
    r = run("status", env={"KENNISLOKET_DATA_DIR": str(tmp_path), "KENNISLOKET_RRF_K": "veel"})
    assert r.returncode == 2 and "Ongeldige configuratie" in r.stderr
    assert "rrf_k: moet een geheel getal zijn" in r.stderr and "Input should" not in r.stderr


def test_eval_losses_diagnoses_tuning_sets_and_never_blind(env):
    r = run("eval", "--part", "losses", "--set", "heldout", "--set", "blind", "--json",
            env=env, timeout=600)
    assert r.returncode == 0, r.stderr
    losses = json.loads(r.stdout)["losses"]
    assert list(losses) == ["heldout"]
    assert losses["heldout"]["in het antwoord"] > sum(losses["heldout"].values()) / 2
