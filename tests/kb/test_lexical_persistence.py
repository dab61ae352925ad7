"""The lexical index saved next to the catalog: loaded when the generation matches, rebuilt
when it changed or the file is damaged (issue 13)."""

from __future__ import annotations

import numpy as np
import pytest

from kb.documents import SourceDocument
from kb.knowledge_base import KnowledgeBase
from kb.lexical import LexicalIndex


def _reopen(kb: KnowledgeBase, embeddings, monkeypatch) -> tuple[KnowledgeBase, list[int]]:
    """A second process on the same data directory, counting its reads of all chunks."""
    other = KnowledgeBase(kb.settings, embeddings=embeddings)
    calls: list[int] = []
    real = other.store.all_chunks

    def counted():
        calls.append(1)
        return real()

    monkeypatch.setattr(other.store, "all_chunks", counted)
    return other, calls


def _urls(kb: KnowledgeBase, query: str, mode: str = "hybrid") -> list[str]:
    return [h.url for h in kb.retriever.search(query, k=5, mode=mode).hits]


def test_saved_index_is_used_when_the_generation_matches(mini_kb, embeddings, monkeypatch):
    expected = _urls(mini_kb, "hoeveel uur voorschoolse educatie")
    path = mini_kb.retriever.index_path
    assert path.exists() and path.parent == mini_kb.settings.data_dir
    other, calls = _reopen(mini_kb, embeddings, monkeypatch)
    assert _urls(other, "hoeveel uur voorschoolse educatie") == expected
    assert calls == []  # not one read of the whole store
    old, new = mini_kb.retriever.lexical, other.retriever.lexical
    assert [c.id for c in new.chunks] == [c.id for c in old.chunks]
    assert new.chunks[0].metadata == old.chunks[0].metadata
    for query in ("voorschoolse educatie peuters", "NPO NPO gemeenten", "onbekendwoord", ""):
        assert np.array_equal(new.scores(query), old.scores(query)), query
    assert new.term_weights("gemeenten leerplicht") == old.term_weights("gemeenten leerplicht")
    assert other.retriever.known_values == mini_kb.retriever.known_values


def test_index_is_rebuilt_when_the_generation_changes(mini_kb, embeddings, monkeypatch):
    mini_kb.retriever.refresh()
    mini_kb.upsert_many([SourceDocument(key="page:https://vng.nl/n", url="https://vng.nl/n",
                                        title="Nieuw", site="vng.nl", doc_type="page",
                                        text="Een nieuwe pagina over schoolzwemmen.")])
    other, calls = _reopen(mini_kb, embeddings, monkeypatch)
    assert _urls(other, "schoolzwemmen", mode="lexical")[0] == "https://vng.nl/n"
    assert calls == [1]
    key = other.retriever._index_key(mini_kb.registry.generation())
    saved = LexicalIndex.load(other.retriever.index_path, key)  # saved for the new generation
    assert saved is not None and any(c.metadata.key == "page:https://vng.nl/n"
                                     for c in saved.chunks)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "wrong_shape"])
def test_damaged_file_is_rebuilt_without_error(mini_kb, embeddings, monkeypatch, damage):
    expected = _urls(mini_kb, "leerplicht thuiszitters")
    path = mini_kb.retriever.index_path
    raw = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"dit is geen index" * 50)
    elif damage == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    else:  # a valid file whose matrix does not fit its chunks
        with np.load(path) as data:
            parts = dict(data)
        parts["indices"] = parts["indices"] + 10_000
        with path.open("wb") as fh:
            np.savez(fh, **parts)
    other, calls = _reopen(mini_kb, embeddings, monkeypatch)
    assert _urls(other, "leerplicht thuiszitters") == expected
    assert calls == [1]
    key = other.retriever._index_key(mini_kb.registry.generation())
    assert LexicalIndex.load(path, key) is not None  # written again, whole


def test_file_of_another_format_or_key_is_ignored(mini_kb, monkeypatch):
    import kb.lexical as lexical

    mini_kb.retriever.refresh()
    path = mini_kb.retriever.index_path
    key = mini_kb.retriever._index_key(mini_kb.registry.generation())
    assert LexicalIndex.load(path, key) is not None
    assert LexicalIndex.load(path, key + "-other") is None
    assert LexicalIndex.load(path.with_name("missing.npz"), key) is None
    monkeypatch.setattr(lexical, "FORMAT", lexical.FORMAT + 1)
    assert LexicalIndex.load(path, key) is None


def test_unwritable_data_dir_still_answers(mini_kb, embeddings, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError("alleen-lezen")

    monkeypatch.setattr("kb.lexical.tempfile.mkstemp", refuse)
    mini_kb.retriever.index_path.unlink(missing_ok=True)
    other = KnowledgeBase(mini_kb.settings, embeddings=embeddings)
    assert _urls(other, "leerplicht")
    assert not other.retriever.index_path.exists()


def test_first_start_indexes_the_chunks_it_wrote_without_reading_them_back(
        make_settings, embeddings, monkeypatch):
    from rich.console import Console

    from kennisloket.runtime import seed_cards

    kb = KnowledgeBase(make_settings(), embeddings=embeddings)
    monkeypatch.setattr(kb.store, "all_chunks", lambda: pytest.fail("read the store back"))
    seed_cards(kb, Console(file=open("/dev/null", "w")))
    kb.retriever.refresh()  # loads the index the first start saved
    monkeypatch.undo()
    adopted = kb.retriever.lexical
    rebuilt = LexicalIndex(kb.store.all_chunks())  # what a read-back would have indexed
    assert sorted(c.id for c in adopted.chunks) == sorted(c.id for c in rebuilt.chunks)
    by_id = {c.id: c for c in rebuilt.chunks}
    assert all(c.text == by_id[c.id].text and c.metadata == by_id[c.id].metadata
               for c in adopted.chunks)
    assert _urls(kb, "hoeveel uur voorschoolse educatie")
