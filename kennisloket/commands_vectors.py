"""CLI command group ``vectors``: build and check the shipped vectors (kb/vector_pack.py)."""

from __future__ import annotations

import time

import typer

from kennisloket.cli import app, err, friendly, out, settings

vectors_app = typer.Typer(help="Meegeleverde vectoren van het starterspakket bouwen of "
                               "controleren.", no_args_is_help=True)
app.add_typer(vectors_app, name="vectors")


def shipped_texts(current) -> dict[str, list[str]]:
    """What ships and is embedded, by kind: passages (cards, catalog), queries (examples)."""
    from kb.vector_pack import PASSAGE, QUERY, card_passages
    from service.shipped import catalog_passages, example_queries

    return {PASSAGE: card_passages(current.cards_dir, current.chunk_chars,
                                   current.chunk_overlap) + catalog_passages(),
            QUERY: example_queries()}


@vectors_app.command("check")
@friendly
def check() -> None:
    """Controleer of de meegeleverde vectoren en classificatiegewichten actueel zijn."""
    from kb.embeddings import model_id_for
    from kb.vector_pack import VectorPack, pack_path

    current = settings()
    model_id = model_id_for(current)
    pack = VectorPack(pack_path(model_id), model_id)
    missing = {kind: sum(not pack.has(kind, t) for t in set(texts))
               for kind, texts in shipped_texts(current).items()}
    total = sum(missing.values())
    out.print(f"Vectorpakket {pack.path.name}: {len(pack)} vectoren; ontbrekend: "
              + ", ".join(f"{kind} {n}" for kind, n in missing.items()))
    stale = _stale_classifiers(model_id)
    if stale:
        out.print("Classificatiegewichten horen niet bij de voorbeelden: " + ", ".join(stale))
    store = _stale_store(current, model_id)
    if store:
        out.print(f"Meegeleverde kennisbank: {store}")
    if total or stale or store:
        err.print("[red]Verouderd:[/red] draai `kennisloket vectors build`.")
        raise typer.Exit(1)


def _stale_store(current, model_id: str) -> str | None:
    """Why the shipped starter store does not fit the cards in the repository, or None."""
    from kb import starter_store
    from kennisloket.runtime import StarterCards

    path = starter_store.archive_path(model_id)
    manifest = starter_store.read_manifest(path)
    if manifest is None:
        return f"{path.name} ontbreekt of is onleesbaar"
    expected = starter_store.manifest_for(current, model_id,
                                          StarterCards.load(current).flat())
    differ = sorted(k for k in expected if manifest.get(k) != expected[k])
    return f"{path.name} verschilt in: {', '.join(differ)}" if differ else None


def _stale_classifiers(model_id: str) -> list[str]:
    """Classifiers whose shipped weights were fitted on other examples (no model needed)."""
    from service.decisions import Decisions

    class _NoModel:  # only the id is read: nothing is embedded to check freshness
        pass

    probe = _NoModel()
    probe.model_id = model_id
    return [c.name for c in Decisions(probe).all() if c.load_fitted() is None]


@vectors_app.command("build")
@friendly
def build() -> None:
    """Bereken de vectoren van kaarten, catalogus en voorbeeldvragen opnieuw (alleen nieuwe
    teksten worden ingebed) en schrijf het vectorpakket."""
    from kb.embeddings import make_model, model_id_for
    from kb.vector_pack import PASSAGE, VectorPack, pack_path, write_pack

    current = settings()
    model_id = model_id_for(current)
    path = pack_path(model_id)
    old = VectorPack(path, model_id)
    model = make_model(current)
    t = time.perf_counter()
    entries = []
    for kind, texts in shipped_texts(current).items():
        unique = list(dict.fromkeys(texts))
        todo = [s for s in unique if not old.has(kind, s)]
        if kind == PASSAGE:
            fresh = model.embed_documents(todo) if todo else []
        else:
            fresh = [model.embed_query(s) for s in todo]
        new = dict(zip(todo, fresh))
        entries += [(kind, s, new[s] if s in new else old.get(kind, s)) for s in unique]
        err.print(f"{kind}: {len(unique)} teksten, {len(todo)} nieuw ingebed")
    count = write_pack(path, model_id, entries)
    out.print(f"{count} vectoren geschreven naar {path} "
              f"({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.0f} s.")
    _fit_classifiers(current)
    _build_starter_store(current, model_id)


def _build_starter_store(current, model_id: str) -> None:
    """Fill a store the ordinary way from the new pack in a temporary data directory and
    ship its Chroma files (kb/starter_store.py)."""
    import tempfile
    from pathlib import Path

    from chromadb.api.shared_system_client import SharedSystemClient

    from kb import starter_store
    from kb.knowledge_base import KnowledgeBase
    from kennisloket.runtime import StarterCards

    path = starter_store.archive_path(model_id)
    with tempfile.TemporaryDirectory(prefix="kennisloket-store-") as tmp:
        scratch = current.model_copy(update={"data_dir": Path(tmp) / "data",
                                             "chroma_host": None})
        cards = StarterCards.load(scratch)
        manifest = starter_store.manifest_for(scratch, model_id, cards.flat())
        if starter_store.read_manifest(path) == manifest:  # same chunks, same everything:
            out.print(f"Meegeleverde kennisbank {path.name} is actueel.")  # no new bytes
            return
        kb = KnowledgeBase(scratch)
        kb.upsert_many(cards.docs, batch_docs=128, records=cards.records)
        SharedSystemClient.clear_system_cache()  # stops the client: its files are complete
        size = starter_store.write_archive(scratch.chroma_dir, manifest, path)
    out.print(f"Meegeleverde kennisbank: {len(cards.docs)} kaarten in {path.name} "
              f"({size / 1e6:.1f} MB)")


def _fit_classifiers(current) -> None:
    """Fit the classifiers on their examples (vectors from the new pack) and ship the
    weights next to the examples."""
    from kb.embeddings import make_embeddings
    from service.decisions import Decisions

    decisions = Decisions(make_embeddings(current))
    for classifier in decisions.all():
        path = classifier.save()
        out.print(f"Classificatie {classifier.name}: gewichten in {path.name}")
