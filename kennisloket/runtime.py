"""Opening the knowledge base for a command: settings, first-start seeding, progress.

A first start (empty data directory) loads the curated cards. With the default embedding
model the shipped starter store (kb/starter_store.py) is unpacked first, so only the catalog,
the sentence vectors and the lexical index are written: under a second. Otherwise the cards
are inserted with the shipped vectors (kb/vector_pack.py), a few seconds; texts the pack does
not hold (another embedding model, cards changed since the pack was built) must be embedded,
which is slow. The screen says which case it is, why, and how long it expects.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from kb.knowledge_base import ChunkRecord, KnowledgeBase, chunk_records
from kb.settings import Settings
from kb.store import StoredChunk

_STARTED = time.perf_counter()  # fallback for process_seconds() off Linux


def progress_bar(console: Console, remaining: bool = False) -> Progress:
    columns = [TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn()]
    if remaining:  # estimated from the measured progress so far
        columns += [TextColumn("nog"), TimeRemainingColumn()]
    return Progress(*columns, console=console, transient=False)


def process_seconds() -> float:
    """Wall time since this process started (imports included)."""
    try:
        import os

        with open("/proc/self/stat", encoding="ascii") as fh:
            start_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, AttributeError):
        return time.perf_counter() - _STARTED


def duration(seconds: float) -> str:
    """'8 s', '45 s', '3 min' (Dutch)."""
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    return f"{round(seconds / 60)} min"


@dataclass
class SeedPlan:
    """What a first start has to do: ``missing`` of ``texts`` are not in the shipped pack;
    ``restored``: the shipped starter store was unpacked (its chunks need no insert)."""

    cards: int
    texts: int
    missing: list[str]
    no_pack: bool  # nothing shipped for this embedding model
    restored: bool = False

    def reason(self, model_id: str) -> str:
        head = f"Eerste start: {self.cards} kenniskaarten in de kennisbank laden"
        if self.restored and not self.missing:
            return (f"Eerste start: de meegeleverde kennisbank met {self.cards} kenniskaarten "
                    "is uitgepakt; catalogus en zoekindex worden nu aangemaakt (enkele "
                    "seconden).")
        if not self.missing:
            return (f"{head} met de meegeleverde vectoren (er hoeft niets te worden "
                    "ingebed); dit duurt enkele seconden.")
        if self.no_pack:
            return (f"{head}. Voor embeddingmodel {model_id} zijn geen vectoren meegeleverd, "
                    f"dus worden alle {self.texts} teksten nu ingebed (eenmalig).")
        return (f"{head}. {len(self.missing)} van de {self.texts} teksten staan niet in de "
                "meegeleverde vectoren (kaarten nieuw of gewijzigd sinds die zijn gebouwd; "
                "bijwerken met: kennisloket vectors build) en worden nu ingebed (eenmalig).")


@dataclass
class StarterCards:
    """The cards a first start loads, chunked once: ``records`` by document key."""

    docs: list
    records: dict[str, list[ChunkRecord]]
    restored: bool = False  # the shipped starter store holds exactly these chunks

    @classmethod
    def load(cls, settings: Settings) -> StarterCards:
        from kb.cards import load_cards
        from kb.chunking import HeadingChunker

        chunker = HeadingChunker(settings.chunk_chars, settings.chunk_overlap)
        docs = [card.to_document() for card in load_cards(settings.cards_dir)]
        return cls(docs, {doc.key: chunk_records(chunker, doc) for doc in docs})

    def flat(self) -> list[ChunkRecord]:
        return [r for doc in self.docs for r in self.records[doc.key]]


def plan_seed(kb: KnowledgeBase, cards: StarterCards) -> SeedPlan:
    """The texts a first start embeds (chunks and their sentences; only the sentences when
    the starter store was unpacked) and which of them the shipped vectors lack; no model is
    loaded."""
    from kb.vector_pack import PASSAGE

    texts = [t for r in cards.flat()
             for t in ([] if cards.restored else [r.text]) + r.sentences]
    pack = getattr(kb.embeddings, "pack", None)
    if pack is None:  # a bare model (tests, plug-ins): everything is embedded
        return SeedPlan(len(cards.docs), len(texts), texts, no_pack=True,
                        restored=cards.restored)
    missing = [t for t in texts if not pack.has(PASSAGE, t)]
    return SeedPlan(len(cards.docs), len(texts), missing, no_pack=len(pack) == 0,
                    restored=cards.restored)


def restore_starter_store(settings: Settings) -> StarterCards | None:
    """On an empty data directory: the cards to load, with the shipped starter store
    unpacked when it holds exactly their chunks (kb/starter_store.py); else None."""
    from kb import starter_store
    from kb.embeddings import model_id_for

    if not starter_store.fresh_data_dir(settings):
        return None
    cards = StarterCards.load(settings)
    cards.restored = starter_store.restore(settings, model_id_for(settings), cards.flat())
    return cards


def measure_embedding(kb: KnowledgeBase, texts: list[str], per_lane: int = 8
                      ) -> tuple[float, float] | None:
    """(texts per second, expected seconds for ``texts``), timed on a spread sample after
    loading the model; None when there are too few texts to be worth a measurement."""
    model = getattr(kb.embeddings, "model", kb.embeddings)  # the model behind the pack
    size = per_lane * getattr(model, "lanes", 1)  # every engine lane busy, as in the load
    if len(texts) <= 2 * size:
        return None
    probe = texts[:: len(texts) // size][:size]  # short and long texts alike
    started = time.perf_counter()
    model.embed_documents(probe)
    rate = len(probe) / max(time.perf_counter() - started, 1e-3)
    return rate, len(texts) / rate


@contextmanager
def _catalog_held_open(kb: KnowledgeBase):
    """One extra read connection to the catalog while the cards load. SQLite checkpoints the
    WAL into the database file (with fsyncs) whenever the *last* connection to it closes,
    and the catalog opens a connection per write: 426 cards cost ~4 s of checkpoints, ~0.2 s
    with this one open. Closing it afterwards checkpoints once."""
    import sqlite3

    conn = sqlite3.connect(kb.registry.path, timeout=30)
    try:
        conn.execute("SELECT COUNT(*) FROM documents").fetchone()  # takes its shared lock
        yield
    finally:
        conn.close()


def seed_cards(kb: KnowledgeBase, console: Console, cards: StarterCards | None = None
               ) -> SeedPlan:
    """First start: load the curated cards into the empty store, saying why it waits."""
    started = time.perf_counter()
    cards = cards or StarterCards.load(kb.settings)
    plan = plan_seed(kb, cards)
    console.print(plan.reason(kb.store.model_id))
    if plan.missing:
        with console.status("Embeddingmodel laden en snelheid meten …"):
            measured = measure_embedding(kb, plan.missing)
        console.print(f"Gemeten: {measured[0]:.0f} teksten per seconde; verwachte duur ca. "
                      f"{duration(measured[1])}." if measured else
                      "Het zijn er weinig: dit duurt enkele seconden extra.")
    with _catalog_held_open(kb), progress_bar(console, remaining=bool(plan.missing)) as bar:
        task = bar.add_task("Kenniskaarten laden (eerste start)", total=len(cards.docs))
        # Nothing to embed: large batches (Chroma took 2.8 s for the pack's 1,720 chunks in
        # batches of ~500 against 3.7 s in batches of ~64); else small ones keep the bar live.
        written: list[StoredChunk] = []
        kb.upsert_many(cards.docs, progress=lambda n: bar.advance(task, n),
                       batch_docs=16 if plan.missing else 128, written=written,
                       records=cards.records, in_store=cards.restored)
    # Chunks the catalog does not name (an interrupted earlier start) make the count differ;
    # only then read the whole store back to remove them. Otherwise the chunks just written
    # are the whole store and the lexical index is built from them without a read-back.
    expected = sum(row[3] or 0 for row in kb.registry.counts())
    if kb.store.count() != expected:
        kb.gc()
    else:
        kb.retriever.adopt(written)
    console.print(f"Kennisbank klaar: {len(cards.docs)} kaarten, {expected} fragmenten in "
                  f"{time.perf_counter() - started:.1f} s.")
    return plan


def open_kb(settings: Settings, console: Console, seed: bool = True) -> KnowledgeBase:
    """Open the store; on first start (empty store) load the curated cards with a bar."""
    cards = restore_starter_store(settings) if seed else None  # before Chroma opens
    kb = KnowledgeBase(settings)
    if seed and kb.is_empty():
        seed_cards(kb, console, cards)
        kb.registry.set_meta("cards_fingerprint", kb.cards_fingerprint())
    elif seed and kb.cards_changed():  # the starter pack was updated since this data dir
        total = kb.card_count()
        with progress_bar(console) as bar:
            task = bar.add_task("Kenniskaarten bijwerken (nieuwe versie)", total=total)
            kb.sync_cards(progress=lambda n: bar.advance(task, n))
    if seed and not kb.sentence_vectors_complete():
        missing = kb.missing_sentence_vectors()
        with progress_bar(console) as bar:
            task = bar.add_task("Zinnen van de kennisbank inbedden (eenmalig na een update)",
                                total=len(missing))
            kb.add_sentence_vectors(missing, progress=lambda n: bar.advance(task, n))
    return kb
