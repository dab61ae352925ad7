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
