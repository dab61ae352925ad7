"""Benchmarks behind ``kennisloket bench`` (figures as a dict; the CLI prints and saves them).

(a) floor: one query embedding + one Chroma query, and ``ask`` (extractive) p50/p95 as a
    ratio to it, on the gold questions, interleaved so machine noise hits both alike.
(b) ingest rate vs the bare encode rate of the configured embedder: ``evals/bench_ingest``
    (crawl of a synthetic 500-page site) when present, else the cards through
    ``KnowledgeBase.upsert_many`` vs ``embed_documents`` on the same chunk texts.
(c) retrieval latency at 1k/10k/50k chunks: synthetic chunks (method in ``scale_latency``).
(d) RSS of ``kennisloket serve`` after warm-up, from /proc/<pid>/status; with ``--load``
    the same server then takes the load test (evals/load.py).
(e) main-text extraction on the fixture corpus: the crawler's extractor and plain
    trafilatura side by side (``evals/bench_extraction``: shingle F1, dates, ms per page).
(f) cold paths (``evals/bench_cold``): first start vs warm start and a command-line ``ask``
    vs ``status``, each its own process, wall and CPU time; ``serve`` first vs warm start.
"""

from __future__ import annotations

import os
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from evals import bench_cold
from evals.load import cpu_seconds, percentile, rss_mb, server_process, warm_up

if TYPE_CHECKING:
    from kb.knowledge_base import KnowledgeBase
    from kb.settings import Settings

Log = Callable[[str], None]


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def _stats(values: list[float]) -> dict:
    return {"p50": round(percentile(values, 50), 2), "p95": round(percentile(values, 95), 2),
            "n": len(values)}


def extraction_figures() -> dict:
    """(e), or why it was skipped (the corpus lives in tests/, absent from an install)."""
    from evals import bench_extraction

    if not (bench_extraction.CORPUS / "index.json").exists():
        return {"skipped": f"geen extractiecorpus in {bench_extraction.CORPUS}"}
    return bench_extraction.run()


# -- (a) floor vs ask -------------------------------------------------------------------
def floor_vs_ask(services, questions: list[str]) -> dict:
    kb = services.kb
    n = kb.settings.candidates
    for q in questions[:3]:  # warm: lexical index, model, caches
        services.pipeline.run(q)
    floor, ask, embed, query = [], [], [], []
    for q in questions:
        t = time.perf_counter()
        vector = kb.embeddings.embed_query(q)
        t_embed = _ms(t)
        t2 = time.perf_counter()
        kb.store.query(vector, n)
        query.append(_ms(t2))
        floor.append(_ms(t))
        embed.append(t_embed)
        t = time.perf_counter()
        services.pipeline.run(q)
        ask.append(_ms(t))
    f, a = _stats(floor), _stats(ask)
    return {"floor_ms": f, "embed_ms": _stats(embed), "chroma_query_ms": _stats(query),
            "ask_ms": a,
            "ratio_p50": round(a["p50"] / f["p50"], 2) if f["p50"] else None,
            "ratio_p95": round(a["p95"] / f["p95"], 2) if f["p95"] else None, "goal": 3.0}


# -- (b) ingest vs bare encode ----------------------------------------------------------
def ingest_vs_encode(settings, embeddings, work: Path, pages: int) -> dict:
    if pages > 0:
        try:
            from evals import bench_ingest
        except ImportError:
            bench_ingest = None
        if bench_ingest is not None:  # it reads the same KENNISLOKET_* settings
            return {"method": f"crawl van synthetische site ({pages} pagina's), "
                              "evals/bench_ingest.py", **bench_ingest.run(work / "crawl", pages)}
    return cards_ingest_vs_encode(settings, embeddings, work / "cards")


def cards_ingest_vs_encode(settings, embeddings, data_dir: Path, max_docs: int = 48) -> dict:
    from kb.cards import load_cards
    from kb.knowledge_base import KnowledgeBase

    docs = [c.to_document() for c in load_cards(settings.cards_dir)[:max_docs]]
    kb = KnowledgeBase(settings.model_copy(update={"data_dir": data_dir,
                                                   "collection": "bench_ingest"}),
                       embeddings=embeddings)
    texts = [c.contextual_text(d.title) for d in docs for c in kb.chunker.split(d)]
    embeddings.embed_documents(texts[:4])  # warm

    def bare() -> float:
        t = time.perf_counter()
        embeddings.embed_documents(texts)
        return len(texts) / (time.perf_counter() - t)

    before = bare()
    t = time.perf_counter()
    report = kb.upsert_many(docs)
    ingest = report.chunks / (time.perf_counter() - t)
    rate = (before + bare()) / 2  # before and after: load changes show, not skew
    return {"method": f"{len(docs)} kenniskaarten via KnowledgeBase.upsert_many",
            "chunks": report.chunks, "chunks_per_s": round(ingest, 2),
            "bare_embed_chunks_per_s": round(rate, 2), "ratio": round(ingest / rate, 3),
            "goal": 0.8}


# -- (c) retrieval at scale ------------------------------------------------------------
SCALE_METHOD = (
    "Synthetische fragmenten: titel en twee zinnen van een echt fragment plus twee zinnen "
    "van andere echte fragmenten (Nederlandse woordenschat en termstatistiek blijven "
    "realistisch); vector = de embedding van dat echte fragment plus ruis (sigma 0,03 per "
    "dimensie, cosinus ~0,86 met het origineel), genormaliseerd. 256 echte fragmenten worden "
    "ingebed; één collectie groeit naar elke grootte. Hybride tijd is inclusief de "
    "query-embedding; recall@10 vergelijkt Chroma met exact zoeken in numpy.")


def synthetic_chunks(base_texts: list[str], base_vectors, count: int, start: int, rng,
                     noise: float = 0.03) -> tuple[list[str], list[str], list[dict], list]:
    """``count`` synthetic chunks near real ones (ids from ``start``), 10 per document.

    Text: the title line and two sentences of a real chunk plus two sentences of other real
    chunks, so the Dutch vocabulary and term statistics stay realistic. Vector: that real
    chunk's embedding plus Gaussian noise (sigma ``noise`` per dimension, cosine ≈ 0.86 to
    the original), normalised; near real vectors without embedding 50k texts.
    """
    import numpy as np

    from kb.chunk_metadata import ChunkMetadata
    from kb.sentences import split_sentences

    pool = [s for t in base_texts for s in split_sentences(t.split("\n", 1)[-1])
            if len(s) > 30]
    ids, texts, metas, vectors = [], [], [], []
    for j in range(start, start + count):
        b = int(rng.integers(len(base_texts)))
        head, _, body = base_texts[b].partition("\n")
        own = split_sentences(body)[:2]
        other = [pool[int(i)] for i in rng.integers(len(pool), size=2)]
        doc = j // 10
        ids.append(f"synth:{doc}#s{doc}#{j % 10}")
        texts.append(f"{head} (synthetisch {doc})\n" + " ".join(own + other))
        metas.append(ChunkMetadata(key=f"synth:{doc}", hash=f"s{doc}",
                                   url=f"https://synthetisch.nl/{doc}", title=f"{head} ({doc})",
                                   site="synthetisch.nl", doc_type="page", chunk=j % 10,
                                   fetched_at="2024-01-01"))
        v = np.asarray(base_vectors[b], dtype=np.float32)
        v = v + rng.normal(0, noise, v.shape[0])
        vectors.append((v / np.linalg.norm(v)).tolist())
    return ids, texts, metas, vectors


def scale_latency(settings, kb, questions: list[str], work: Path,
                  sizes: tuple[int, ...], log: Log) -> dict:
    """Grow one synthetic collection to each size; time dense, lexical and hybrid search.

    Also reports the lexical index rebuild (after a change) and the recall@10 of Chroma's
    approximate search against exact numpy search on the same vectors.
    """
    import numpy as np

    from kb.knowledge_base import KnowledgeBase
    from kb.registry import DocumentRow

    rng = np.random.default_rng(7)
    base = [c.text for c in kb.store.all_chunks()][:256]
    base_vectors = kb.embeddings.embed_documents(base)  # the small set that gets perturbed
    scale_kb = KnowledgeBase(settings.model_copy(update={"data_dir": work,
                                                         "collection": "bench_scale"}),
                             embeddings=kb.embeddings)
    qs = questions[:30]
    qvecs = [kb.embeddings.embed_query(q) for q in qs]
    all_vectors: list = []
    rows, out = 0, {}
    for size in sizes:
        t = time.perf_counter()
        ids, texts, metas, vectors = synthetic_chunks(base, base_vectors, size - rows, rows, rng)
        scale_kb.store.add(ids, texts, metas, vectors)
        scale_kb.registry.put_many(  # the catalog names every synthetic doc
            DocumentRow(f"synth:{d}", f"https://synthetisch.nl/{d}", f"synthetisch {d}",
                        "synthetisch.nl", "page", None, "2024-01-01", f"s{d}", 10, [], [])
            for d in range(rows // 10, size // 10))
        scale_kb.registry.set_meta("generation", f"scale-{size}")
        insert_s = time.perf_counter() - t
        all_vectors += vectors
        rows = size
        t = time.perf_counter()
        scale_kb.retriever.refresh()  # lexical index rebuild after the change
        build_ms = _ms(t)
        dense, lexical, hybrid, recall = [], [], [], []
        matrix = np.asarray(all_vectors, dtype=np.float32)
        for q, v in zip(qs, qvecs):
            t = time.perf_counter()
            got = scale_kb.store.query(v, 10)
            dense.append(_ms(t))
            exact = set(np.argsort(-(matrix @ np.asarray(v, dtype=np.float32)))[:10].tolist())
            recall.append(len({int(i.split("#")[0][6:]) * 10 + int(i.rsplit("#", 1)[1])
                               for i, _ in got} & exact) / 10)
            t = time.perf_counter()
            scale_kb.retriever.lexical.search(q, settings.candidates)
            lexical.append(_ms(t))
            t = time.perf_counter()
            scale_kb.retriever.search(q, k=8)
            hybrid.append(_ms(t))
        out[str(size)] = {"insert_s": round(insert_s, 1), "lexical_build_ms": round(build_ms),
                          "dense_ms": _stats(dense), "lexical_ms": _stats(lexical),
                          "hybrid_ms": _stats(hybrid),
                          "dense_recall_at_10": round(sum(recall) / len(recall), 3)}
        log(f"  {size} fragmenten: hybride p50 {out[str(size)]['hybrid_ms']['p50']} ms")
    out["method"] = SCALE_METHOD
    return out


# -- (d) server process, RSS, load ------------------------------------------------------
def server_figures(settings, questions: list[str], load: bool, clients: int, seconds: float,
                   log: Log) -> dict:
    from evals import load as load_test

    env = {"KENNISLOKET_DATA_DIR": str(Path(settings.data_dir).resolve()),
           "KENNISLOKET_CARDS_DIR": str(Path(settings.cards_dir).resolve()),
           # the load test's clients all come from 127.0.0.1
           "KENNISLOKET_RATE_LIMIT_PER_MINUTE": "10000000"}
    out: dict = {}
    log("Server starten (met webinterface) en opwarmen …")
    with server_process(env) as (url, pid):
        warm_up(url, questions)
        out["rss_after_warmup"] = {**rss_mb(pid), "goal_mb": 1536}
        if load:
            log(f"Belastingstest: {clients} clients, {seconds:.0f} s …")
            cpu = cpu_seconds(pid)
            figures = load_test.run(url, clients=clients, seconds=seconds, questions=questions)
            cpu = cpu_seconds(pid) - cpu
            figures["server_cpu_ms_per_request"] = round(cpu * 1000 / max(figures["ok"], 1), 1)
            figures["server_cores_used"] = round(cpu / figures["seconds"], 2)
            out["load"] = figures
            out["rss_after_load"] = rss_mb(pid)
    return out


# -- all together -----------------------------------------------------------------------
def run(settings, open_kb: Callable[[Settings], KnowledgeBase],
        out_path: Path | None = None, *, load: bool = False, clients: int = 50,
        seconds: float = 60, ingest_pages: int = 500,
        scale_sizes: tuple[int, ...] = (1_000, 10_000, 50_000), log: Log = print) -> dict:
    """Run (a)–(f) (and the load test with ``load``); write JSON to ``out_path``.

    ``open_kb``: opens the knowledge base for ``settings`` (loading the cards on a first
    start); the command line passes its own, which shows progress."""
    import json

    from evals.gold import load_gold
    from service.services import Services

    gold = load_gold()
    questions = [g.question for g in gold]
    result: dict = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                "load_avg_start": list(os.getloadavg())},
                    "embedding_model": settings.embedding_model}
    log("(f) eerste start, warme start, ask, status en serve als eigen processen …")
    result["cold"] = bench_cold.run(settings, questions[0])
    log("Kennisbank openen (laadt de kaarten bij de eerste start) …")
    kb = open_kb(settings)
    services = Services.build(settings, kb=kb)
    result["kb"] = {"chunks": kb.store.count(), "documents": len(kb.registry.all())}
    log("(a) ondergrens en ask …")
    result["floor_vs_ask"] = floor_vs_ask(services, questions)
    with tempfile.TemporaryDirectory(prefix="kennisloket-bench-") as tmp:
        log("(b) ingest tegenover kale embedding …")
        result["ingest"] = ingest_vs_encode(settings, kb.embeddings, Path(tmp), ingest_pages)
        log("(c) retrieval bij oplopend aantal fragmenten …")
        result["scale"] = scale_latency(settings, kb, [g.question for g in gold if g.in_scope],
                                        Path(tmp) / "scale", scale_sizes, log)
    log("(e) hoofdtekst uit HTML: eigen extractor en kale trafilatura …")
    result["extraction"] = extraction_figures()
    log("(d) geheugen van de dienst …")
    result["server"] = server_figures(settings, questions, load, clients, seconds, log)
    result["machine"]["load_avg_end"] = list(os.getloadavg())
    if out_path:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return result
