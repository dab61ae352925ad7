"""Maintenance: rebuild the vector index with another model, repair a broken catalog."""

from __future__ import annotations

import time
from collections import Counter

from rich.console import Console

from kb.embeddings import make_embeddings
from kb.registry import DocumentRow, Registry, RegistryError
from kb.settings import Settings
from kb.store import MAX_BATCH, VectorStore, make_client, split_text


def _raw_chunks(client, name: str) -> tuple[list[str], list[str], list[dict]]:
    col = client.get_collection(name)
    ids: list[str] = []
    docs: list[str] = []
    metas: list[dict] = []
    for offset in range(0, col.count(), MAX_BATCH):
        got = col.get(limit=MAX_BATCH, offset=offset, include=["documents", "metadatas"])
        ids += got["ids"]
        for document, metadata in zip(got["documents"], got["metadatas"]):
            text, meta = split_text(document, metadata)
            docs.append(text)
            metas.append(meta)
    return ids, docs, metas


def reindex(settings: Settings, console: Console) -> int:
    """Re-embed every stored chunk with the configured model (no re-crawl needed)."""
    client = make_client(settings)
    names = {getattr(c, "name", c) for c in client.list_collections()}
    if settings.collection not in names:
        console.print("Er is nog geen index; niets om opnieuw op te bouwen.")
        return 0
    ids, docs, metas = _raw_chunks(client, settings.collection)
    embeddings = make_embeddings(settings)
    t = time.perf_counter()
    vectors = embeddings.embed_documents(docs) if docs else []
    client.delete_collection(settings.collection)
    store = VectorStore(settings, embeddings, client=client)
    store.add(ids, docs, metas, vectors)
    from kb.knowledge_base import KnowledgeBase

    kb = KnowledgeBase(settings, embeddings=embeddings, client=client)
    sentences = kb.add_sentence_vectors(kb.missing_sentence_vectors())
    kb.gc()
    Registry(settings.catalog_path).set_meta("generation", f"reindex-{time.time()}")
    console.print(f"{len(ids)} fragmenten ({sentences} met hun zinnen) opnieuw ingebed met "
                  f"{store.model_id} in {time.perf_counter() - t:.1f} s.")
    return len(ids)


def repair(settings: Settings, console: Console) -> None:
    """Rebuild a corrupt or missing catalog from the chunk metadata, then drop orphans."""
    path = settings.catalog_path
    try:
        registry = Registry(path)
        console.print("Catalogus is in orde.")
    except RegistryError:
        backup = path.with_suffix(f".corrupt-{int(time.time())}")
        path.rename(backup)
        for extra in ("-wal", "-shm"):
            side = path.with_name(path.name + extra)
            if side.exists():
                side.unlink()
        console.print(f"Beschadigde catalogus verplaatst naar {backup}; opnieuw opbouwen.")
        registry = Registry(path)
        client = make_client(settings)
        _, _, metas = _raw_chunks(client, settings.collection)
        counts = Counter((m["key"], m["hash"]) for m in metas)
        newest: dict[str, dict] = {}
        for m in metas:  # if a key has two versions, keep the newest fetch
            if m["key"] not in newest or m["fetched_at"] > newest[m["key"]]["fetched_at"]:
                newest[m["key"]] = m
        for key, m in newest.items():
            registry.put(DocumentRow(
                key=key, url=m["url"], title=m["title"], site=m["site"],
                doc_type=m["doc_type"], published=m.get("published") or None,
                fetched_at=m["fetched_at"], content_hash=m["hash"],
                chunk_count=counts[(key, m["hash"])],
                topics=[t for t in m.get("topics", "").split(",") if t],
                audience=[k[4:] for k in m if k.startswith("aud_")]))
        console.print(f"{len(newest)} documenten hersteld uit de vectoropslag.")
    from kb.knowledge_base import KnowledgeBase

    kb = KnowledgeBase(settings)
    removed = kb.gc()
    kb.add_sentence_vectors(kb.missing_sentence_vectors())
    registry.set_meta("generation", f"repair-{time.time()}")
    console.print(f"{removed} verweesde fragmenten verwijderd.")
