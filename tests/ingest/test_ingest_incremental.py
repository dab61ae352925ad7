"""Incremental crawling: 304s, only changed pages re-embedded, gone pages pruned."""

from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from conftest import chunk_keys, gemeenten_only, make_settings
from kb.knowledge_base import KnowledgeBase

NP = "https://www.nponderwijs.nl"
SLICE = {"/gemeenten", "/gemeenten/financiering", "/gemeenten/bestedingsdoelen",
         "/gemeenten/ondersteuning", "/gemeenten/archief-2022"}


class CountingEmbeddings(Embeddings):
    """The real model, counting how many passages it is asked to embed."""

    def __init__(self, inner):
        self.inner, self.passages = inner, 0
        self.model_id = inner.model_id

    def embed_documents(self, texts):
        self.passages += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


@pytest.fixture
def counting(tmp_path, embeddings):
    spy = CountingEmbeddings(embeddings)
    return spy, KnowledgeBase(make_settings(tmp_path / "data"), embeddings=spy)


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / "nponderwijs" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def embedded_texts(kb, key: str | None = None) -> int:
    """Chunk texts plus sentence texts of the current chunks (of one document)."""
    from kb.sentence_vectors import chunk_sentences

    chunks = [c for c in kb.store.all_chunks() if key is None or c.metadata.key == key]
    return sum(1 + len(chunk_sentences(c.body)) for c in chunks)


def page_requests(server, since: int):
    return [(p, h) for s, p, h, _ in server.requests[since:]
            if s == "nponderwijs" and not p.endswith((".xml", ".txt"))]


def test_unchanged_304_changed_reembedded_gone_pruned(crawl, profiles, server, sites_root,
                                                      counting):
    spy, kb = counting
    profile = gemeenten_only(profiles["nponderwijs.nl"])
    first = crawl([profile], target=kb).sites[0]
    assert {r.url for r in kb.registry.all()} == {NP + p for p in SLICE}
    # every chunk is embedded together with its sentences (kb/sentence_vectors.py)
    assert first.new == 5 and spy.passages == embedded_texts(kb) > first.chunks > 0
    ids_before = {k: sorted(kb.store.ids_for(k)) for k in chunk_keys(kb)}

    # Second run: every page answers 304 to a conditional GET; nothing is embedded.
    spy.passages, mark = 0, len(server.requests)
    second = crawl([profile], target=kb).sites[0]
    requests = page_requests(server, mark)
    assert requests and all("If-None-Match" in h for _, h in requests)
    assert second.unchanged == 5 and second.new == second.changed == 0
    assert spy.passages == 0 and second.chunks == 0

    # One page changes: only that page is re-chunked and re-embedded.
    edit(sites_root, "gemeenten/bestedingsdoelen.html", "zoals onderwijshuisvesting",
         "zoals onderwijshuisvesting en leerlingenvervoer")
    spy.passages = 0
    third = crawl([profile], target=kb).sites[0]
    changed_key = f"page:{NP}/gemeenten/bestedingsdoelen"
    assert third.changed == 1 and third.unchanged == 4
    assert kb.registry.get(changed_key).chunk_count == third.chunks
    assert spy.passages == embedded_texts(kb, changed_key)
    ids_after = {k: sorted(kb.store.ids_for(k)) for k in chunk_keys(kb)}
    assert ids_after[changed_key] != ids_before[changed_key]
    assert {k: v for k, v in ids_after.items() if k != changed_key} == \
        {k: v for k, v in ids_before.items() if k != changed_key}
    assert any("leerlingenvervoer" in c.text for c in kb.store.all_chunks())

    # A page that is removed (404) or gone (410) is pruned at once, chunks included.
    (sites_root / "nponderwijs" / "gemeenten" / "financiering.html").unlink()
    server.behaviours[("nponderwijs", "/gemeenten/ondersteuning")] = {"status": 410}
    fourth = crawl([profile], target=kb).sites[0]
    assert fourth.pruned == 2
    for gone in ("/gemeenten/financiering", "/gemeenten/ondersteuning"):
        assert kb.registry.get(f"page:{NP}{gone}") is None
        assert kb.store.ids_for(f"page:{NP}{gone}") == []
    assert chunk_keys(kb) == {r.key: r.chunk_count for r in kb.registry.all()}


def test_page_missing_from_sitemap_pruned_after_n_runs(crawl, profiles, server, sites_root,
                                                       kb):
    profile = gemeenten_only(profiles["nponderwijs.nl"]).model_copy(
        update={"prune_after_runs": 2})
    crawl([profile])
    key = f"page:{NP}/gemeenten/archief-2022"
    assert kb.registry.get(key) is not None  # only listed in the sitemap, linked nowhere
    edit(sites_root, "sitemap-paginas.xml",
         "<url><loc>https://www.nponderwijs.nl/gemeenten/archief-2022</loc>"
         "<lastmod>2024-04-03</lastmod></url>", "")
    mark = len(server.requests)
    first_miss = crawl([profile]).sites[0]
    assert first_miss.pruned == 0 and kb.registry.get(key) is not None
    second_miss = crawl([profile]).sites[0]
    assert second_miss.pruned == 1 and kb.registry.get(key) is None
    assert kb.store.ids_for(key) == []
    assert "/gemeenten/archief-2022" not in [p for p, _ in page_requests(server, mark)]


def test_sitemap_outage_never_prunes(crawl, profiles, server, kb):
    profile = gemeenten_only(profiles["nponderwijs.nl"]).model_copy(
        update={"prune_after_runs": 1})
    crawl([profile])
    before = {r.key for r in kb.registry.all()}
    for path in ("/sitemap.xml", "/sitemap-paginas.xml", "/sitemap-documenten.xml"):
        server.behaviours[("nponderwijs", path)] = {"status": 500}
    report = crawl([profile]).sites[0]
    assert report.pruned == 0 and {r.key for r in kb.registry.all()} == before


def test_last_modified_only_server(crawl, profiles, server, kb):
    server.behaviours[("nponderwijs", "/gemeenten")] = {"no_etag": True}
    profile = gemeenten_only(profiles["nponderwijs.nl"])
    crawl([profile])
    mark = len(server.requests)
    report = crawl([profile]).sites[0]
    headers = [h for p, h in page_requests(server, mark) if p == "/gemeenten"]
    assert "If-Modified-Since" in headers[0] and "If-None-Match" not in headers[0]
    assert report.unchanged == 5
