"""The ingest benchmark runs end to end (tiny size; the real figures come from 500 pages),
and its figures hang together: rates from counts and time, the ratio from the two rates."""

import pytest

from evals.bench_ingest import run


def test_bench_smoke(tmp_path):
    figures = run(tmp_path / "data", pages=4)
    assert figures["pages"] == 5 and figures["errors"] == 0
    assert figures["chunks"] >= figures["pages"]  # every page gave at least one chunk
    close = {"rel": 0.02, "abs": 0.011}  # each figure is rounded on its own
    assert figures["crawl_s"] > 0
    assert figures["pages_per_s"] == pytest.approx(figures["pages"] / figures["crawl_s"],
                                                   **close)
    assert figures["chunks_per_s"] == pytest.approx(figures["chunks"] / figures["crawl_s"],
                                                    **close)
    before, after = figures["bare_embed_before_after"]
    assert before > 0 and after > 0  # measured before and after the crawl, averaged
    assert figures["bare_embed_chunks_per_s"] == pytest.approx((before + after) / 2, **close)
    assert figures["ratio"] == pytest.approx(
        figures["chunks_per_s"] / figures["bare_embed_chunks_per_s"], **close)
    assert figures["cpu_ratio"] > 0 and figures["goal"] == 0.8
