"""What ``kennisloket reindex`` and ``repair`` say: kb/reindex.py does the work and returns a
report, this module turns it into lines for the user."""

from __future__ import annotations

from rich.console import Console

from kb.settings import Settings


def reindex(settings: Settings, console: Console) -> int:
    from kb.reindex import reindex as run

    report = run(settings)
    if not report.found_index:
        console.print("Er is nog geen index; niets om opnieuw op te bouwen.")
    else:
        console.print(f"{report.chunks} fragmenten ({report.sentences} met hun zinnen) "
                      f"opnieuw ingebed met {report.model_id} in {report.seconds:.1f} s.")
    return report.chunks


def repair(settings: Settings, console: Console) -> None:
    from kb.reindex import repair as run

    report = run(settings)
    if report.backup is None:
        console.print("Catalogus is in orde.")
    else:
        console.print(f"Beschadigde catalogus verplaatst naar {report.backup}; opnieuw "
                      "opgebouwd.")
        console.print(f"{report.restored} documenten hersteld uit de vectoropslag.")
    console.print(f"{report.removed} verweesde fragmenten verwijderd.")
