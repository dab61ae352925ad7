"""CLI commands ``crawl`` and ``import`` (thin: the work happens in ``ingest``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from kennisloket.cli import app, err, friendly, out, settings

SHOWN_PROBLEMS = 25
JSON_HELP = ("druk het volledige rapport af als één JSON-object (zoals het opgeslagen rapport; "
             "voortgang op stderr)")


def _ingest_errors() -> tuple[type[Exception], ...]:
    from ingest.lock import IngestBusy
    from ingest.profiles import ProfileError

    return ProfileError, IngestBusy


def _emit(report, title: str, as_json: bool) -> None:
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_report(report, title)


def _print_report(report, title: str) -> None:
    from ingest.report import STATUS_NL, TABLE_COLUMNS, TEXT_COLUMNS

    text_columns = TEXT_COLUMNS if any(s.text_chars for s in report.sites) else []
    table = Table(*[label for _, label in TABLE_COLUMNS + text_columns], title=title)
    for site in report.sites:
        values = [STATUS_NL.get(site.status, site.status) if key == "status" else
                  str(getattr(site, key)) for key, _ in TABLE_COLUMNS]
        values += [_or_dash(getattr(site, key)) for key, _ in text_columns]
        if site.resumed:
            values[1] += " (hervat)"
        table.add_row(*values)
    if len(report.sites) > 1:
        totals = report.totals()
        table.add_row("[bold]totaal[/bold]", "", *[str(totals[key]) for key, _ in
                                                   TABLE_COLUMNS[2:]], *[""] * len(text_columns))
    out.print(table)
    problems = [(s.site, e) for s in report.sites for e in s.error_list]
    for site, problem in problems[:SHOWN_PROBLEMS]:
        out.print(f"[yellow]fout[/yellow] {site}: {problem['url']} — {problem['reason']}")
    if len(problems) > SHOWN_PROBLEMS:
        out.print(f"… en nog {len(problems) - SHOWN_PROBLEMS} fouten (zie het rapport).")
    if report.kind == "import":  # an admin must see which files did not come in, and why
        skipped = [(s.site, e) for s in report.sites for e in s.skipped_list]
        for _, item in skipped[:SHOWN_PROBLEMS]:
            out.print(f"[dim]overgeslagen[/dim] {escape(item['url'])} — {escape(item['reason'])}")
        if len(skipped) > SHOWN_PROBLEMS:
            out.print(f"… en nog {len(skipped) - SHOWN_PROBLEMS} overgeslagen (zie het rapport).")
    _print_short_texts(report)
    if report.path:
        out.print(f"Rapport opgeslagen in {report.path}")


def _or_dash(value) -> str:
    return "–" if value is None else str(value)


def _print_short_texts(report) -> None:
    """Pages whose main text is very short or empty: a sign that a site's layout changed."""
    from ingest.report import SHORT_TEXT_CHARS

    short = [(s.site, p) for s in report.sites for p in s.short_list]
    for site, page in short[:SHOWN_PROBLEMS]:
        what = ("[red]lege tekst[/red]" if not page["chars"] else
                f"[yellow]korte tekst[/yellow] ({page['chars']} tekens)")
        out.print(f"{what} {site}: {page['url']}")
    if len(short) > SHOWN_PROBLEMS:
        out.print(f"… en nog {len(short) - SHOWN_PROBLEMS} pagina's met weinig tekst.")
    if short:
        out.print(f"[dim]Korte tekst: hoofdtekst onder {SHORT_TEXT_CHARS} tekens. Veel korte of "
                  "lege pagina's op één site wijzen meestal op een gewijzigde opmaak van die "
                  "site; geef die site dan een selector in ingest/sites.yaml.[/dim]")


@app.command()
@friendly
def crawl(
    site: Annotated[list[str] | None, typer.Option(
        "--site", help="alleen deze site (herhaalbaar), bv. --site vng.nl")] = None,
    base_url: Annotated[list[str] | None, typer.Option(
        "--base-url", help="haal SITE op bij een spiegel: SITE=URL (herhaalbaar)")] = None,
    max_pages: Annotated[int | None, typer.Option(
        "--max-pages", min=1, help="maximaal aantal pagina's per site in deze run")] = None,
    profiles_file: Annotated[Path | None, typer.Option(
        "--profiles", help="ander siteprofielenbestand dan ingest/sites.yaml")] = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Werk de kennisbank bij vanaf de bronsites (beleefd en incrementeel)."""
    from ingest.crawler import run_crawl
    from ingest.profiles import load_profiles, parse_mirrors, select_profiles
    from kennisloket.runtime import open_kb, progress_bar

    try:
        profiles = select_profiles(load_profiles(profiles_file), site,
                                   parse_mirrors(base_url or []))
        kb = open_kb(settings(), err)
        with progress_bar(err) as bar:
            tasks = {p.name: bar.add_task(p.name, total=None) for p in profiles}
            report = run_crawl(kb, profiles, max_pages=max_pages,
                               progress=lambda name, done, total: bar.update(
                                   tasks[name], completed=done, total=total))
    except _ingest_errors() as exc:
        err.print(f"[red]Fout:[/red] {exc}")
        raise typer.Exit(2) from None
    _emit(report, "Crawlrapport", as_json)
    if any(s.status == "failed" for s in report.sites):
        raise typer.Exit(1)


@app.command(name="import")
@friendly
def import_(
    paths: Annotated[list[Path], typer.Argument(help="bestanden of mappen (recursief)")],
    site_label: Annotated[str, typer.Option(
        "--site-label", help="bronnaam in de kennisbank, bv. 'gemeente Zwolle'")] = "lokaal",
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Voeg eigen documenten toe: HTML, PDF, Markdown, Word (DOCX) en tekst."""
    from ingest.importer import run_import
    from kennisloket.runtime import open_kb, progress_bar

    label = site_label.strip()
    if not label:
        err.print("[red]Fout:[/red] --site-label mag niet leeg zijn.")
        raise typer.Exit(2)
    try:
        kb = open_kb(settings(), err)
        with progress_bar(err) as bar:
            tasks: dict[str, int] = {}

            def progress(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(f"Bestanden {stage}", total=total)
                bar.update(tasks[stage], completed=done, total=total)

            report = run_import(kb, paths, site=label, progress=progress)
    except _ingest_errors() as exc:
        err.print(f"[red]Fout:[/red] {exc}")
        raise typer.Exit(2) from None
    _emit(report, "Importrapport", as_json)
    if report.sites[0].errors and not report.sites[0].fetched:
        raise typer.Exit(1)
