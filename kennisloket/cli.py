"""Command-line entry point (composition root): ``kennisloket …``.

Heavy libraries are imported inside the commands that need them, so ``search`` and
``status`` start quickly.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from kennisloket.console import CommandConsole, dutch_cli_texts

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode="markdown",
                  help="Kennisloket: kennisassistent over NP Onderwijs, GOAB en VE.")
# Every command prints through these two. On a terminal they behave like Rich's defaults;
# into a file, pipe or log they never wrap or cut a line and print tables without box
# drawing (kennisloket/console.py).
out = CommandConsole()
err = CommandConsole(stderr=True)
dutch_cli_texts()  # help screens and usage errors in Dutch


def friendly(fn: Callable) -> Callable:
    """Turn the project's known errors and rejected input (a question or search the service
    cannot take) into a clear Dutch message and exit code 2."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        from kb.errors import KNOWN_ERRORS

        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            # InputRejected is only raised by the answer service: when it was never imported,
            # the exception cannot be one (status and search stay free of the service).
            types = sys.modules.get("service.pipeline.types")
            rejected = (types.InputRejected,) if types else ()
            if not isinstance(exc, (*KNOWN_ERRORS, *rejected)):
                raise
            err.print(f"[red]Fout:[/red] {exc}")
            raise typer.Exit(2) from None

    return wrapper


def settings(**overrides):
    from kb.settings import load_settings

    return load_settings(**overrides)


def kb_for_command(seed: bool = True):
    from kennisloket.runtime import open_kb

    return open_kb(settings(), err, seed=seed)


@app.command()
@friendly
def search(
    query: str,
    k: Annotated[int, typer.Option("-k", min=1, max=50, help="aantal bronnen")] = 5,
    site: Annotated[str | None, typer.Option(help="alleen deze site, bv. vng.nl")] = None,
    doc_type: Annotated[str | None, typer.Option("--type", help="card, page, pdf, local")] = None,
    audience: Annotated[str | None, typer.Option(help="gemeente, school, ...")] = None,
    mode: Annotated[str, typer.Option(help="hybrid, dense of lexical")] = "hybrid",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Zoek bronnen in de kennisbank (één resultaat per pagina)."""
    from service.source_search import search_sources

    found = search_sources(kb_for_command(), query, k=k, mode=mode,  # type: ignore[arg-type]
                           filters={"site": site, "doc_type": doc_type, "audience": audience})
    if as_json:
        print(json.dumps(found.to_json(), ensure_ascii=False))
        return
    table = Table("#", "titel", "site", "datum", "score")
    for i, r in enumerate(found.results, 1):
        # Titles come from crawled pages: escape them so they cannot inject Rich markup.
        table.add_row(str(i), f"{escape(r.title)}\n[dim]{escape(r.url)}[/dim]",
                      r.site, r.published or "", f"{r.score:.4f}")
    out.print(table)
    err.print(f"[dim]zoektijd {found.timings_ms['retrieval_ms']:.1f} ms[/dim]")


@app.command()
@friendly
def status() -> None:
    """Toon wat de kennisbank bevat, per site en type."""
    kb = kb_for_command()
    table = Table("site", "type", "documenten", "fragmenten", title="Kennisbank")
    for site, doc_type, docs, chunks in kb.registry.counts():
        table.add_row(site, doc_type, str(docs), str(chunks or 0))
    out.print(table)
    out.print(f"Embeddingmodel: {kb.store.model_id} · fragmenten in Chroma: {kb.store.count()}"
              f" · map: {kb.settings.data_dir}")
    _warn_out_of_step(kb)
    _print_crawl_status(kb)


def _warn_out_of_step(kb) -> None:
    from kb.consistency import store_sync

    sync = store_sync(kb.store, kb.registry)
    if not sync.in_step:
        out.print(f"[bold yellow]{escape(sync.message())}[/bold yellow]")


def _print_crawl_status(kb) -> None:
    try:
        from ingest.state import last_crawls
    except ImportError:
        return
    rows = last_crawls(kb.registry)
    if rows:
        table = Table("site", "laatste crawl", "nieuw", "gewijzigd", "fouten", title="Crawls")
        for r in rows:
            table.add_row(r["site"], r["finished_at"], str(r["new"]), str(r["changed"]),
                          str(r["errors"]))
        out.print(table)


@app.command()
@friendly
def reindex() -> None:
    """Bouw de vectorindex opnieuw op met het ingestelde embeddingmodel.

    Nodig na het wisselen van KENNISLOKET_EMBEDDING_MODEL: alle fragmenten in de kennisbank
    worden opnieuw ingebed; er wordt niets opnieuw gecrawld of geïmporteerd."""
    from kennisloket.maintenance import reindex as run

    run(settings(), err)


@app.command()
@friendly
def repair() -> None:
    """Controleer de catalogus en de vectoropslag en herstel wat niet klopt.

    Een beschadigde catalogus wordt opzijgezet (naam met .corrupt-) en opnieuw opgebouwd uit
    de vectoropslag; fragmenten die de catalogus niet kent, worden verwijderd."""
    from kennisloket.maintenance import repair as run

    run(settings(), err)


def main() -> None:  # pragma: no cover - console script shim
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())

# Commands of the other layers register themselves on `app` (kept in their own modules).
from kennisloket import (  # noqa: E402,F401
    commands_answer,
    commands_bench,
    commands_eval,
    commands_feedback,
    commands_vectors,
    commands_ingest,
)
