"""``kennisloket bench`` parts (a) and (c) run end to end at tiny sizes (figures come from
the full run; here only that every part works and its numbers are sane)."""

from __future__ import annotations

from evals.bench import floor_vs_ask, scale_latency
from service.services import Services

QUESTIONS = ["Hoe regelt de gemeente het schoolzwemmen?",
             "Tot wanneer mogen gemeenten de NPO-middelen besteden?",
             "Wat is voorschoolse educatie?"]


def test_floor_and_ask(mini_kb):
    figures = floor_vs_ask(Services.build(mini_kb.settings, kb=mini_kb), QUESTIONS)
    assert 0 < figures["embed_ms"]["p50"] <= figures["floor_ms"]["p50"]
    assert figures["ask_ms"]["p50"] > 0 and figures["ratio_p50"] > 0


def test_scale_latency_grows_one_collection(mini_kb, tmp_path):
    figures = scale_latency(mini_kb.settings, mini_kb, QUESTIONS, tmp_path / "scale",
                            (100, 250), lambda _: None)
    for size in ("100", "250"):
        assert figures[size]["hybrid_ms"]["p50"] > 0
        assert figures[size]["lexical_ms"]["p50"] > 0
        assert figures[size]["dense_recall_at_10"] >= 0.9  # near-exact at this size


def test_cold_paths_time_separate_processes(make_settings, tmp_path):
    from evals.bench_cold import cold_paths

    figures = cold_paths(make_settings(), QUESTIONS[2], tmp_path / "cold", repeats=1)
    assert (tmp_path / "cold" / "kennisloket.sqlite3").exists()  # the first start seeded it
    assert figures["first_start_s"] > 0 and figures["warm_start_s"] > 0
    assert figures["status_s"] > 0 and figures["ask_vs_status"] > 0
    assert figures["first_vs_warm"] == round(figures["first_start_s"]
                                             / figures["warm_start_s"], 2)
    assert len(figures["ask_runs_s"]) == len(figures["status_runs_s"]) == 1


def test_serve_starts_first_then_warm(make_settings, tmp_path):
    from evals.bench_cold import serve_starts

    figures = serve_starts(make_settings(), QUESTIONS[2], tmp_path / "serve")
    for label in ("first", "warm"):
        assert 0 < figures[f"{label}_ready_s"] <= figures[f"{label}_start_s"]
    assert figures["first_vs_warm"] > 0
