"""Hybrid retrieval over real Chroma with Dutch BM25."""

from __future__ import annotations

import numpy as np
import pytest

from kb.analysis import DutchAnalyzer
from kb.documents import SourceDocument
from kb.retrieval import FilterError


def test_dutch_analyzer_stems_folds_and_drops_stop_words():
    tokens = DutchAnalyzer()("Wat zijn de financiën van gemeenten?")
    assert tokens == ["financien", "gemeent"]


def test_left_out_compound_head_is_completed_only_from_known_words():
    analyze = DutchAnalyzer()
    known = set(analyze("zomerscholen voorschoolse")).__contains__
    assert analyze("zomer- en lentescholen", known) == analyze("zomerscholen lentescholen")
    assert analyze("voor- en vroegschoolse educatie", known) == analyze(
        "voorschoolse vroegschoolse educatie")
    # no known compound to complete, or no collection to know one: as written
    assert analyze("basis- en voortgezet onderwijs", known) == analyze(
        "basis voortgezet onderwijs")
    assert analyze("zomer- en lentescholen") == analyze("zomer lentescholen")
    # a hyphenated right-hand word already gives its head as a token
    assert analyze("po- en vo-scholen", known) == analyze("po vo scholen")


def test_question_finds_the_compound_a_source_coordinates(tmp_path):
    from kb.chunk_metadata import ChunkMetadata
    from kb.lexical import LexicalIndex
    from kb.store import StoredChunk

    chunks = [StoredChunk(f"c{i}", text, ChunkMetadata(url=f"https://x.nl/{i}"))
              for i, text in enumerate([
                  "Zomer- en lentescholen hebben een klein effect van 2 maanden.",
                  "Zomerscholen organiseren is relatief duur.",
                  "Lentescholen vinden plaats in de meivakantie.",
                  "De gemeente stelt een doelgroepdefinitie vast.",
                  "Het NPO-geld mocht tot en met 2025 worden besteed.",
                  "Peuters krijgen 960 uur voorschoolse educatie."])]
    index = LexicalIndex(chunks)
    assert index.scores("zomerscholen")[0] > 0  # it never says "zomerscholen" itself
    assert index.scores("zomerscholen")[3] == 0
    index.save(tmp_path / "lex.npz", "g1")  # a loaded index completes queries the same way
    loaded = LexicalIndex.load(tmp_path / "lex.npz", "g1")
    assert loaded is not None
    assert np.array_equal(loaded.scores("zomer- en lentescholen"),
                          index.scores("zomer- en lentescholen"))
    assert loaded.analyze("zomer- of lentescholen") == index.analyze("zomerscholen lentescholen")


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_each_mode_finds_the_answering_card(mini_kb, mode):
    hits = mini_kb.retriever.search("hoeveel uur voorschoolse educatie krijgen peuters",
                                    k=3, mode=mode).hits
    assert hits[0].url == "https://goab.eu/thema-s/voorschoolse-educatie/"


def test_filters_on_site_and_audience(mini_kb):
    hits = mini_kb.retriever.search("gemeenten", k=10, filters={"site": "vng.nl"}).hits
    assert hits and {h.site for h in hits} == {"vng.nl"}
    hits = mini_kb.retriever.search("gemeenten", k=10, filters={"audience": "kinderopvang"}).hits
    assert {h.url for h in hits} == {"https://goab.eu/thema-s/voorschoolse-educatie/"}


def test_unknown_filter_key_or_value_is_a_clear_error(mini_kb):
    with pytest.raises(FilterError, match="Onbekende waarde 'nope.nl'"):
        mini_kb.retriever.search("gemeenten", filters={"site": "nope.nl"})
    with pytest.raises(FilterError, match="Onbekend filter"):
        mini_kb.retriever.search("gemeenten", filters={"kleur": "rood"})


def test_at_most_two_chunks_per_url(mini_kb):
    text = "\n\n".join(f"## Deel {i}\nDe leerplichtambtenaar en het thuiszitterspact, deel {i}."
                       for i in range(6))
    mini_kb.upsert_many([SourceDocument(key="page:https://vng.nl/lang", url="https://vng.nl/lang",
                                        title="Lange pagina", site="vng.nl", doc_type="page",
                                        text=text)])
    hits = mini_kb.retriever.search("leerplichtambtenaar thuiszitterspact", k=10).hits
    assert sum(h.url == "https://vng.nl/lang" for h in hits) == 2
    hits = mini_kb.retriever.search("leerplichtambtenaar thuiszitterspact", k=10,
                                    per_url_cap=1).hits
    assert len({h.url for h in hits}) == len(hits)


def test_further_hits_follow_the_k_without_changing_them(starter_kb):
    question = "Welke doelgebieden kent de menukaart van het NP Onderwijs?"
    plain = starter_kb.retriever.search(question, k=4)
    wider = starter_kb.retriever.search(question, k=4, more=6)
    assert [h.chunk.id for h in wider.hits] == [h.chunk.id for h in plain.hits]
    assert len(wider.more) == 6 and plain.more == []
    assert not {h.chunk.id for h in wider.more} & {h.chunk.id for h in wider.hits}
    assert [h.chunk.id for h in starter_kb.retriever.search(question, k=10).hits] == \
        [h.chunk.id for h in [*wider.hits, *wider.more]]


def test_lexical_index_is_rebuilt_only_when_the_store_changes(mini_kb):
    retriever = mini_kb.retriever
    retriever.search("leerplicht")
    index = retriever.lexical
    retriever.search("thuiszitters")
    assert retriever.lexical is index
    mini_kb.upsert_many([SourceDocument(key="page:https://vng.nl/n", url="https://vng.nl/n",
                                        title="Nieuw", site="vng.nl", doc_type="page",
                                        text="Een nieuwe pagina over schoolzwemmen.")])
    assert retriever.search("schoolzwemmen", mode="lexical").hits[0].url == "https://vng.nl/n"
    assert retriever.lexical is not index


def test_starter_pack_answers_the_headline_question_first(starter_kb):
    hits = starter_kb.retriever.search("tot wanneer mogen gemeenten NPO-geld uitgeven",
                                       k=5, per_url_cap=1).hits
    assert hits[0].url.startswith("https://www.nponderwijs.nl/gemeenten/")


def _crawled(published):
    return SourceDocument(
        key="page:https://vng.nl/thuiszitterspact", url="https://vng.nl/thuiszitterspact",
        title="Thuiszitterspact (gecrawld)", site="vng.nl", doc_type="page", published=published,
        text="Het Thuiszitterspact is in 2016 gesloten; de gecrawlde pagina meldt nieuwe "
             "afspraken over thuiszitters voor 2026.")


def test_crawled_page_supersedes_card_only_when_newer(mini_kb):
    from datetime import date

    query = "Thuiszitterspact afspraken thuiszitters"
    mini_kb.upsert_many([_crawled(date(2015, 1, 1))])  # older than the card (2016)
    hits = [h for h in mini_kb.retriever.search(query, k=10).hits
            if h.url == "https://vng.nl/thuiszitterspact"]
    assert hits and {h.chunk.metadata.doc_type for h in hits} == {"card"}
    mini_kb.upsert_many([_crawled(date(2026, 1, 1))])
    hits = [h for h in mini_kb.retriever.search(query, k=10).hits
            if h.url == "https://vng.nl/thuiszitterspact"]
    assert hits and {h.chunk.metadata.doc_type for h in hits} == {"page"}
    keys = {r.key for r in mini_kb.registry.all()}  # both stay attributable in the store
    assert {"card:vng-test-thuiszitterspact", "page:https://vng.nl/thuiszitterspact"} <= keys


def test_lexical_scores_equal_rank_bm25(mini_kb):
    from rank_bm25 import BM25Okapi

    index = mini_kb.retriever.lexical
    reference = BM25Okapi([index.analyze(c.text) or ["_"] for c in index.chunks])
    for query in ("schoolzwemmen gemeente", "NPO-middelen besteden besteden",
                  "voorschoolse educatie peuters", "woord-dat-nergens-voorkomt", ""):
        expected = reference.get_scores(index.analyze(query))
        assert np.allclose(index.scores(query), expected), query
    ranked = index.search("voorschoolse educatie peuters", k=3)
    assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)
    assert ranked and all(s > 0 for _, s in ranked)
