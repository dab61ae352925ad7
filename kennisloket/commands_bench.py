"""CLI command `bench`: speed, scale, memory, extraction and cold-path figures
(evals/bench.py), optional load test."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kennisloket.cli import app, err, friendly, out, settings


def _scale_sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(sorted({int(part) for part in text.split(",") if part.strip()}))
    except ValueError:
        sizes = ()
    if not sizes or sizes[0] < 100 or sizes[-1] > 200_000 or any(s % 10 for s in sizes):
        err.print("[red]Fout:[/red] --scale verwacht bv. 1000,10000,50000 "
                  "(veelvouden van 10, tussen 100 en 200000).")
        raise typer.Exit(2)
    return sizes


@app.command()
@friendly
def bench(
    load: Annotated[bool, typer.Option("--load/--no-load", help=(
        "ook de belastingstest: een server op 127.0.0.1 en CLIENTS gelijktijdige vragen"))]
    = False,
    as_json: Annotated[bool, typer.Option("--json", help="alleen JSON afdrukken")] = False,
    out_path: Annotated[Path | None, typer.Option("--out", help=(
        "JSON-bestand met de cijfers (standaard: <data_dir>/bench.json)"))] = None,
    clients: Annotated[int, typer.Option(min=1, max=500, help="clients bij --load")] = 50,
    seconds: Annotated[float, typer.Option(min=1, max=600, help="duur bij --load")] = 60,
    ingest_pages: Annotated[int, typer.Option(
        "--ingest-pages", min=0, max=5000,
        help="pagina's van de synthetische site voor (b); 0 = kaarten in plaats van een crawl")]
    = 500,
    scale: Annotated[str, typer.Option(help="aantallen fragmenten voor (c)")]
    = "1000,10000,50000",
) -> None:
    """Meet snelheid, schaal en geheugen (en met --load: 50 gelijktijdige clients)."""
    from evals.bench import run
    from evals.load import LoadError
    from kennisloket.runtime import open_kb

    current = settings()
    target = out_path or current.data_dir / "bench.json"
    log = (lambda _: None) if as_json else (lambda text: err.print(f"[dim]{text}[/dim]"))
    try:
        result = run(current, lambda s: open_kb(s, err), target, load=load, clients=clients,
                     seconds=seconds, ingest_pages=ingest_pages,
                     scale_sizes=_scale_sizes(scale), log=log)
    except LoadError as exc:
        err.print(f"[red]Fout:[/red] {exc}")
        raise typer.Exit(2) from None
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    _print(result)
    out.print(f"Cijfers opgeslagen in {target}")


def _goal(ok: bool) -> str:
    return "[green]ja[/green]" if ok else "[red]nee[/red]"


def _extraction_rows(table: Table, e: dict | None) -> None:
    """(e): the crawler's extractor and plain trafilatura on the same corpus, same run."""
    if not e:
        return
    if "skipped" in e:
        table.add_row("(e) hoofdtekstextractie", f"overgeslagen: {e['skipped']}", "", "")
        return
    goals = e["goals"]
    for key, label in (("project", "eigen extractor"), ("trafilatura", "kale trafilatura")):
        x = e[key]
        ok = x["f1"] >= goals["f1"] and x["median_ms"] <= goals["median_ms"]
        table.add_row(f"(e) hoofdtekst: {label}",
                      f"F1 {x['f1']:.3f} · precisie {x['precision']:.3f} · recall "
                      f"{x['recall']:.3f} · mediaan {x['median_ms']:.0f} ms/pagina "
                      f"(p95 {x['p95_ms']:.0f}) · datum goed {x['date_accuracy']:.2f}",
                      f"F1 ≥ {goals['f1']}, ≤ {goals['median_ms']:.0f} ms" if key == "project"
                      else "vergelijking", _goal(ok) if key == "project" else "")


def _cold_rows(table: Table, c: dict | None) -> None:
    """(f): first start and command-line figures, each its own process, in the same run."""
    if not c:
        return
    g = c["goals"]
    cpu = c.get("cpu_s", {})
    table.add_row("(f) eerste start: lege map → eerste antwoord",
                  f"{c['first_start_s']:.1f} s · {c['first_vs_warm']}× de warme start"
                  f" (CPU-tijd {cpu.get('first_vs_warm', '?')}×)",
                  f"≤ {g['first_vs_warm']:g}× en ≤ {g['first_start_s']:.0f} s",
                  _goal(c["first_vs_warm"] <= g["first_vs_warm"]
                        and c["first_start_s"] <= g["first_start_s"]))
    table.add_row("(f) warme start: kennisloket ask (gevulde map)",
                  f"{c['warm_start_s']:.1f} s · status {c['status_s']:.1f} s · "
                  f"{c['ask_vs_status']}× status (CPU-tijd {cpu.get('ask_vs_status', '?')}×)",
                  f"≤ {g['ask_vs_status']:g}× status; ± {g['ask_s']:g} s op 2 vrije cores",
                  _goal(c["ask_vs_status"] <= g["ask_vs_status"]))
    if "serve" in c:
        v = c["serve"]
        table.add_row("(f) serve: eerste start → eerste antwoord",
                      f"{v['first_start_s']:.1f} s (gereed {v['first_ready_s']:.1f} s) · warm "
                      f"{v['warm_start_s']:.1f} s (gereed {v['warm_ready_s']:.1f} s) · "
                      f"{v['first_vs_warm']}×",
                      f"≤ {g['first_vs_warm']:g}× en ≤ {g['first_start_s']:.0f} s",
                      _goal(v["first_vs_warm"] <= g["first_vs_warm"]
                            and v["first_start_s"] <= g["first_start_s"]))


def _print(r: dict) -> None:
    a, b, srv = r["floor_vs_ask"], r["ingest"], r["server"]
    table = Table("meting", "waarde", "doel", "gehaald",
                  title=f"Kennisloket bench ({r['kb']['chunks']} fragmenten, "
                        f"{r['machine']['cpus']} cores, model {r['embedding_model']})")
    table.add_row("(a) ondergrens: embedding + Chroma-query",
                  f"p50 {a['floor_ms']['p50']:.1f} ms · p95 {a['floor_ms']['p95']:.1f} ms", "", "")
    table.add_row("(a) ask (extractief)",
                  f"p50 {a['ask_ms']['p50']:.1f} ms · p95 {a['ask_ms']['p95']:.1f} ms", "", "")
    table.add_row("(a) ask / ondergrens", f"p50 {a['ratio_p50']}× · p95 {a['ratio_p95']}×",
                  "≤ 3×", _goal(max(a["ratio_p50"] or 99, a["ratio_p95"] or 99) <= 3))
    table.add_row("(b) ingest / kale embedding",
                  f"{b['ratio']} ({b['chunks_per_s']} tegen {b['bare_embed_chunks_per_s']} "
                  "fragmenten/s)", "≥ 0.8", _goal(b["ratio"] >= 0.8))
    for size, s in r["scale"].items():
        if size == "method":
            continue
        table.add_row(f"(c) retrieval bij {int(size):,} fragmenten".replace(",", "."),
                      f"hybride p50 {s['hybrid_ms']['p50']} ms · dense {s['dense_ms']['p50']} ms"
                      f" · lexicaal {s['lexical_ms']['p50']} ms · recall@10 "
                      f"{s['dense_recall_at_10']} · index {s['lexical_build_ms']} ms", "", "")
    _extraction_rows(table, r.get("extraction"))
    _cold_rows(table, r.get("cold"))
    rss = srv["rss_after_warmup"]["rss_mb"]
    table.add_row("(d) geheugen dienst na opwarmen", f"{rss} MB", "≤ 1536 MB",
                  _goal(rss is not None and rss <= 1536))
    if "load" in srv:
        ld = srv["load"]
        lat = ld["latency_ms"]
        table.add_row(f"belasting: {ld['clients']} clients, {ld['seconds']} s",
                      f"{ld['throughput_rps']} verzoeken/s · p50 {lat['p50']:.0f} · p95 "
                      f"{lat['p95']:.0f} · p99 {lat['p99']:.0f} ms · fouten {ld['errors']} · "
                      f"{ld['server_cpu_ms_per_request']} ms CPU per vraag",
                      "0 fouten, p95 ≤ 1000 ms",
                      _goal(ld["errors"] == 0 and lat["p95"] <= 1000))
    out.print(table)
    out.print(f"[dim](b) {b['method']}. (c) {r['scale']['method']}[/dim]")
    if "method" in r.get("extraction", {}):
        out.print(f"[dim](e) {r['extraction']['method']}; datum: nieuwste van publicatie- en "
                  "wijzigingsdatum[/dim]")
    if "cold" in r:
        c = r["cold"]
        out.print(f"[dim](f) {c['method']} Load average tijdens (f): "
                  f"{c['load_avg_start'][0]:.1f} → {c['load_avg_end'][0]:.1f}.[/dim]")
    start, end = r["machine"]["load_avg_start"][0], r["machine"]["load_avg_end"][0]
    out.print(f"[dim]Systeembelasting (load average) bij begin {start:.1f}, einde {end:.1f}: "
              "andere processen op de machine beïnvloeden de tijden.[/dim]")
