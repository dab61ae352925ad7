"""Opening the knowledge base for a command: settings, first-start seeding, progress."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kb.knowledge_base import KnowledgeBase
from kb.settings import Settings


def progress_bar(console: Console) -> Progress:
    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console, transient=False)


def open_kb(settings: Settings, console: Console, seed: bool = True) -> KnowledgeBase:
    """Open the store; on first start (empty store) load the curated cards with a bar."""
    kb = KnowledgeBase(settings)
    if seed and kb.is_empty():
        total = kb.card_count()
        with progress_bar(console) as bar:
            task = bar.add_task("Kenniskaarten laden (eerste start)", total=total)
            kb.load_cards(progress=lambda n: bar.advance(task, n))
        kb.gc()
    return kb
