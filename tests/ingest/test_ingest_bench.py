"""The ingest benchmark runs end to end (tiny size; the real figures come from 500 pages)."""

from evals.bench_ingest import run


def test_bench_smoke(tmp_path):
    figures = run(tmp_path / "data", pages=4)
    assert figures["pages"] == 5 and figures["errors"] == 0
    assert figures["chunks"] >= 5
    for key in ("pages_per_s", "chunks_per_s", "bare_embed_chunks_per_s", "ratio",
                "cpu_ratio"):
        assert figures[key] > 0
