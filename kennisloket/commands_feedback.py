"""CLI ``feedback export`` and ``feedback purge``: reading feedback is for admins only.

Both open only the SQLite catalog (no vector store, no model), so they start fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from kennisloket.cli import app, err, friendly, settings

feedback_app = typer.Typer(no_args_is_help=True, help=(
    "Feedback van gebruikers (beheer): exporteren en verwijderen na de bewaartermijn."))
app.add_typer(feedback_app, name="feedback")


def _store():
    from kb.registry import Registry
    from service.feedback import FeedbackStore

    return FeedbackStore(Registry(settings().catalog_path))


@feedback_app.command("export")
@friendly
def export(
    out_path: Annotated[Path | None, typer.Option(
        "--out", help="CSV-bestand (alleen leesbaar voor u); zonder --out naar de uitvoer")]
    = None,
) -> None:
    """Exporteer alle feedback als CSV. Bevat vragen en toelichtingen van gebruikers."""
    store = _store()
    if out_path is None:
        for piece in store.iter_csv():
            sys.stdout.write(piece)
        return
    tmp = out_path.with_name(f".{out_path.name}.tmp")
    # Owner-only from the start: the export may hold what users wrote about themselves.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(fd, "w", encoding="utf-8-sig", newline="") as handle:  # ë and € in spreadsheets
        for piece in store.iter_csv():
            handle.write(piece)
    tmp.replace(out_path)
    err.print(f"Feedback geëxporteerd naar {out_path} ({len(store.all())} beoordelingen).")


@feedback_app.command("purge")
@friendly
def purge(
    days: Annotated[int | None, typer.Option(
        "--days", min=1, help="verwijder feedback ouder dan dit aantal dagen (standaard de "
        "bewaartermijn KENNISLOKET_FEEDBACK_RETENTION_DAYS, 180)")] = None,
) -> None:
    """Verwijder feedback die ouder is dan de bewaartermijn."""
    keep = days or settings().feedback_retention_days
    removed = _store().purge(keep)
    err.print(f"{removed} beoordelingen ouder dan {keep} dagen verwijderd.")
