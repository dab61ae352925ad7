"""CLI commands `ask`, `recommend` and `serve`."""

from __future__ import annotations

import json
import os
from typing import Annotated

import typer

from kennisloket.cli import app, err, friendly, kb_for_command, out, settings

# uvicorn trusts X-Forwarded-For from 127.0.0.1 by default; the app applies the operator's
# own setting (KENNISLOKET_FORWARDED_ALLOW_IPS) itself, so uvicorn must leave it alone.
PROXY_HEADERS_OFF = {"proxy_headers": False, "forwarded_allow_ips": ""}


@app.command()
@friendly
def ask(
    question: str,
    mode: Annotated[str, typer.Option(help="official, helpdesk of facilitator")] = "official",
    site: Annotated[str | None, typer.Option(help="alleen bronnen van deze site")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Beantwoord een vraag met bronvermelding (of een eerlijke weigering)."""
    from service.services import Services

    services = Services.build(settings(), kb=kb_for_command())
    answer = services.pipeline.run(question, mode=mode,  # type: ignore[arg-type]
                                   filters={"site": site} if site else None)
    if as_json:
        print(json.dumps(answer.to_json(), ensure_ascii=False))
        return
    out.print(answer.answer, markup=False, highlight=False)
    if mode == "official" and answer.citations:
        out.print("\nBronnen:")
        for c in answer.citations:
            out.print(f"[{c.n}] {c.title} ({c.site}, {c.published or 'datum onbekend'})"
                      f"\n    {c.url}", markup=False, highlight=False)


@app.command()
@friendly
def serve(
    host: Annotated[str, typer.Option(help="adres")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="poort")] = 8000,
    workers: Annotated[int, typer.Option(help="aantal werkprocessen")] = 1,
    no_ui: Annotated[bool, typer.Option("--no-ui", help="alleen de API")] = False,
) -> None:
    """Start de API met de webinterface op /ui."""
    import time

    import uvicorn

    from kb.embeddings import usable_cores
    from kennisloket.runtime import process_seconds

    t = time.perf_counter()
    kb = kb_for_command()  # first start: load the cards before the workers come up
    opened = time.perf_counter() - t
    err.print(f"Kennisloket draait op http://{host}:{port}/ui/ (API-documentatie: "
              f"http://{host}:{port}/docs)")
    if workers > 1:
        # every worker runs its own embedding lanes: share the cores, do not oversubscribe
        os.environ.setdefault("KENNISLOKET_EMBEDDING_THREADS",
                              str(max(1, usable_cores() // workers)))
        err.print(f"Voorbereiding klaar na {process_seconds():.1f} s (kennisbank {opened:.1f} s);"
                  f" nu starten {workers} werkprocessen.")
        uvicorn.run("kennisloket.asgi:app", host=host, port=port, workers=workers,
                    log_level="warning", **PROXY_HEADERS_OFF)
        return
    from kennisloket.server import build_app
    from service.services import Services

    t = time.perf_counter()
    services = Services.build(kb.settings, kb=kb)
    built = time.perf_counter() - t
    t = time.perf_counter()
    asgi = build_app(kb.settings, services=services, with_ui=not no_ui)
    app_s = time.perf_counter() - t
    err.print(f"Opstarten duurde {process_seconds():.1f} s (kennisbank {opened:.1f} s, "
              f"diensten {built:.1f} s, {'API' if no_ui else 'API en webinterface'} "
              f"{app_s:.1f} s).")
    uvicorn.run(asgi, host=host, port=port, log_level="warning", **PROXY_HEADERS_OFF)


@app.command()
@friendly
def recommend(
    need: str,
    level: Annotated[str | None, typer.Option(help="voorschool, po, vo, so, vso, mbo")] = None,
    domain: Annotated[str | None, typer.Option(help="cognitief, executief, ...")] = None,
    max_cost: Annotated[int | None, typer.Option(min=1, max=5, help="1 (laag) – 5")] = None,
    min_evidence: Annotated[int | None, typer.Option(min=1, max=5)] = None,
    k: Annotated[int, typer.Option("-k", min=1, max=20)] = 5,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Passende interventies van de NP Onderwijs-menukaart voor een beschreven situatie."""
    from rich.markup import escape

    from service.pipeline.render import effect_text, has_effects
    from service.services import Services

    services = Services.build(settings(), kb=kb_for_command())
    filters = {"level": level, "domain": domain, "max_cost": max_cost,
               "min_evidence": min_evidence}
    try:
        advice = services.advise(need, filters=filters, k=k)
    except ValueError as exc:  # an empty need (InputRejected) or an unknown filter
        err.print(f"[red]Fout:[/red] {exc}")
        raise typer.Exit(2) from None
    if as_json:
        print(json.dumps(advice.to_json(), ensure_ascii=False))
        return
    texts = services.config.interventions
    items, notes = advice.interventions, advice.notes
    if not items:
        out.print(texts.none_found)
    for i, item in enumerate(items, 1):
        out.print(f"[bold]{i}. {escape(item.name)}{effect_text(item)}[/bold] "
                  f"({escape(item.doelgebied_name)})\n   {escape(item.headline)}\n"
                  f"   {escape(item.why)}\n   {escape(item.links[0].url)}")
    if has_effects(items):
        out.print(f"[dim]{texts.effect_note}[/dim]")
    for note in notes:
        out.print(f"[yellow]{note}[/yellow]")
