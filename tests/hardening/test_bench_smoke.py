"""``kennisloket bench`` parts (a), (c) and (f) run end to end at tiny sizes. The figures
themselves come from the full run; here every part must work and its numbers must hang
together: percentiles in order, ratios computed from their parts, a figure for every size."""

from __future__ import annotations

import pytest

from evals.bench import floor_vs_ask, scale_latency
from service.services import Services

QUESTIONS = ["Hoe regelt de gemeente het schoolzwemmen?",
             "Tot wanneer mogen gemeenten de NPO-middelen besteden?",
             "Wat is voorschoolse educatie?"]


def ratio_of(value, numerator, denominator) -> None:
    """``value`` is numerator / denominator, up to the rounding of the three figures."""
    assert numerator > 0 and denominator > 0
    assert value == pytest.approx(numerator / denominator, rel=0.02, abs=0.011)


def assert_percentiles(stats: dict, n: int) -> None:
    assert stats["n"] == n
    assert 0 < stats["p50"] <= stats["p95"]


def test_floor_and_ask(mini_kb):
    figures = floor_vs_ask(Services.build(mini_kb.settings, kb=mini_kb), QUESTIONS)
    for key in ("floor_ms", "embed_ms", "chroma_query_ms", "ask_ms"):
        assert_percentiles(figures[key], len(QUESTIONS))
    # the floor is one embedding plus one query, timed around both: never below either part
    for part in ("embed_ms", "chroma_query_ms"):
        for p in ("p50", "p95"):
            assert figures[part][p] <= figures["floor_ms"][p]
    ratio_of(figures["ratio_p50"], figures["ask_ms"]["p50"], figures["floor_ms"]["p50"])
    ratio_of(figures["ratio_p95"], figures["ask_ms"]["p95"], figures["floor_ms"]["p95"])
    assert figures["goal"] == 3.0


def test_scale_latency_grows_one_collection(mini_kb, tmp_path):
    sizes = (100, 250)
    figures = scale_latency(mini_kb.settings, mini_kb, QUESTIONS, tmp_path / "scale",
                            sizes, lambda _: None)
    assert set(figures) == {*map(str, sizes), "method"} and figures["method"]
    for size in map(str, sizes):  # every figure for every size
        s = figures[size]
        for key in ("dense_ms", "lexical_ms", "hybrid_ms"):
            assert_percentiles(s[key], len(QUESTIONS))
        assert s["insert_s"] >= 0 and s["lexical_build_ms"] >= 0
        assert 0.9 <= s["dense_recall_at_10"] <= 1.0  # near-exact at this size
    # the collection grew: the second size was not built on an empty store
    from kb.knowledge_base import KnowledgeBase

    grown = KnowledgeBase(mini_kb.settings.model_copy(update={
        "data_dir": tmp_path / "scale", "collection": "bench_scale"}),
        embeddings=mini_kb.embeddings)
    assert grown.store.count() == sizes[-1]


def test_cold_paths_time_separate_processes(make_settings, tmp_path):
    from evals.bench_cold import COLD_GOALS, cold_paths

    figures = cold_paths(make_settings(), QUESTIONS[2], tmp_path / "cold", repeats=1)
    assert (tmp_path / "cold" / "run0" / "kennisloket.sqlite3").exists()  # first start seeded
    assert figures["first_runs_s"] == [figures["first_start_s"]]  # one run: it is the median
    assert figures["ask_runs_s"] == [figures["warm_start_s"]]
    assert figures["status_runs_s"] == [figures["status_s"]]
    ratio_of(figures["first_vs_warm"], figures["first_start_s"], figures["warm_start_s"])
    ratio_of(figures["ask_vs_status"], figures["warm_start_s"], figures["status_s"])
    cpu = figures["cpu_s"]
    ratio_of(cpu["first_vs_warm"], cpu["first_start"], cpu["warm_start"])
    ratio_of(cpu["ask_vs_status"], cpu["warm_start"], cpu["status"])
    assert figures["goals"] == COLD_GOALS and figures["question"] == QUESTIONS[2]
    assert len(figures["load_avg_start"]) == len(figures["load_avg_end"]) == 3


def test_serve_starts_first_then_warm(make_settings, tmp_path):
    from evals.bench_cold import serve_starts

    figures = serve_starts(make_settings(), QUESTIONS[2], tmp_path / "serve")
    for label in ("first", "warm"):
        assert 0 < figures[f"{label}_ready_s"] <= figures[f"{label}_start_s"]
    ratio_of(figures["first_vs_warm"], figures["first_start_s"], figures["warm_start_s"])
