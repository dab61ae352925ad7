"""A full crawl of the fixture sites through the real local HTTP server."""

import json
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import (FIXTURES, LoopbackOnly, chunk_keys, make_settings, mirrored_profiles,
                      no_dns, start_server)
from ingest.crawler import run_crawl
from ingest.state import last_crawls
from kb.documents import SourceDocument
from kb.knowledge_base import KnowledgeBase

NP = "https://www.nponderwijs.nl"
EXPECTED = {"/", "/gemeenten", "/gemeenten/financiering", "/gemeenten/bestedingsdoelen",
            "/gemeenten/ondersteuning", "/gemeenten/archief-2022", "/po-en-vo/menukaart",
            "/actueel/nieuws", "/actueel/nieuws/2024/03/04/verlenging-looptijd", "/over-ons",
            "/druk", "/rommelig", "/documenten/monitor-gemeenten-2024.pdf"}


CARD = SourceDocument(
    key="card:npo-gemeenten-rol", url=f"{NP}/gemeenten", title="Rol van gemeenten (kaart)",
    site="nponderwijs.nl", doc_type="card", published=date(2023, 1, 10),
    text="Gemeenten verbinden partners rond het Nationaal Programma Onderwijs. " * 4)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, embeddings):
    """One crawl of both fixture sites (with a card for one URL), shared by this module."""
    import shutil

    root = tmp_path_factory.mktemp("crawl")
    shutil.copytree(FIXTURES, root / "sites")
    server = start_server(root / "sites")
    transport = LoopbackOnly()
    kb = KnowledgeBase(make_settings(root / "data"), embeddings=embeddings)
    kb.upsert_many([CARD])
    profiles = mirrored_profiles(server)
    report = run_crawl(kb, [profiles["nponderwijs.nl"], profiles["vng.nl"]],
                       transport=transport, resolver=no_dns, retries=2, backoff_s=0.01)
    yield report, kb, server, transport
    server.close()
    transport.inner.close()
    assert not transport.violations


def test_full_crawl_of_two_sites(crawled):
    report, kb, server, transport = crawled
    np_report, vng_report = report.sites
    keys = {row.key for row in kb.registry.all()}

    assert {f"page:{NP}{path}" for path in EXPECTED} <= keys
    assert len([k for k in keys if k.startswith("page:https://vng.nl/")]) == 4
    assert "card:npo-gemeenten-rol" in keys
    assert np_report.status == vng_report.status == "finished"
    assert np_report.new == len(EXPECTED) and vng_report.new == 4

    # robots.txt: the disallowed page was never requested
    assert "/intern/concepten" not in server.paths("nponderwijs")
    assert np_report.robots_skipped == 1
    # only the two loopback mirrors were ever contacted (the fixture also fences DNS)
    origins = {f"http://{urlsplit(u).netloc}" for u in transport.sent}
    assert origins == {server.origin("nponderwijs"), server.origin("vng")}
    # robots Crawl-delay: 1 on vng spaces its requests even while nponderwijs runs
    times = [t for site, _, _, t in server.requests if site == "vng"]
    assert min(b - a for a, b in zip(times, times[1:])) >= 0.95

    # broken things are reported with reasons, and the crawl went on
    reasons = {e["url"]: e["reason"] for e in np_report.error_list}
    assert "kapotte PDF" in reasons[f"{NP}/documenten/kapot-rapport.pdf"]
    assert "onleesbare HTML" in reasons[f"{NP}/kapot"]
    assert "HTTP 500" in reasons[f"{NP}/storing"]
    skipped = {s["url"]: s["reason"] for s in np_report.skipped_list}
    assert "niet Nederlandstalig" in skipped[f"{NP}/en/about"]
    assert "169.254.169.254" in skipped[f"{NP}/naar-buiten"]
    # The redirect and its target are one document: whichever is fetched second (fetches
    # run concurrently, so the order varies) is reported as a duplicate, never stored twice.
    duplicates = [u for u in (f"{NP}/oud-adres", f"{NP}/gemeenten/financiering")
                  if "dubbel" in skipped.get(u, "")]
    assert len(duplicates) == 1
    assert f"page:{NP}/gemeenten/financiering" in keys
    assert f"page:{NP}/oud-adres" not in keys and f"page:{NP}/kapot" not in keys

    # the store is consistent: registry chunk counts match Chroma, nothing orphaned
    in_store = chunk_keys(kb)
    assert in_store == {row.key: row.chunk_count for row in kb.registry.all()}


def test_documents_carry_metadata_and_clean_text(crawled):
    kb = crawled[1]
    row = kb.registry.get(f"page:{NP}/gemeenten")
    assert row.published == "2024-04-03" and row.site == "nponderwijs.nl"
    assert row.doc_type == "page" and row.url == f"{NP}/gemeenten"
    assert kb.registry.get(f"page:{NP}/over-ons").published is None
    pdf = kb.registry.get(f"page:{NP}/documenten/monitor-gemeenten-2024.pdf")
    assert pdf.doc_type == "pdf" and pdf.published == "2024-01-15" and pdf.chunk_count >= 2

    chunks = kb.store.all_chunks()
    texts = [c.text for c in chunks]
    assert not any("negeer" in t.lower() for t in texts)  # poisoned hidden text dropped
    assert not any("cookie" in t.lower() for t in texts)
    assert any("212 gemeenten" in c.text for c in chunks if c.metadata.doc_type == "pdf")
    headings = {c.metadata.heading for c in chunks if c.metadata.url == f"{NP}/gemeenten"}
    assert "Verbinden en faciliteren > Samen met schoolbesturen" in headings


def test_report_saved_and_status_rows(crawled):
    report, kb = crawled[:2]
    saved = json.loads(Path(report.path).read_text(encoding="utf-8"))
    assert Path(report.path).parent == kb.settings.data_dir / "crawl-reports"
    assert saved["totals"]["new"] == report.sites[0].new + report.sites[1].new
    assert saved["sites"][0]["error_list"]
    row, vng = last_crawls(kb.registry)
    assert row["site"] == "nponderwijs.nl" and row["finished_at"] and vng["site"] == "vng.nl"
    assert row["new"] == report.sites[0].new and row["errors"] == report.sites[0].errors
    assert row["robots_skipped"] == 1


def test_max_pages_truncates(crawl, profiles, kb, server):
    report = crawl([profiles["nponderwijs.nl"]], max_pages=3)
    site = report.sites[0]
    assert site.status == "truncated"
    pages = [p for p in server.paths("nponderwijs") if not p.endswith((".xml", ".txt"))]
    assert len(pages) <= 4  # three pages, one of which may be a retried 429
    assert len(kb.registry.all()) <= 3


def test_card_and_crawled_page_stay_side_by_side(crawled):
    kb = crawled[1]
    rows = [r for r in kb.registry.all() if r.url == f"{NP}/gemeenten"]
    assert {r.doc_type for r in rows} == {"card", "page"}
    page = next(r for r in rows if r.doc_type == "page")
    assert page.published > "2023-01-10"  # the newer date retrieval uses to prefer the page


def test_report_measures_main_text(crawled):
    """Per site: median main-text length and the pages with very short or empty text."""
    from ingest.report import SHORT_TEXT_CHARS

    report = crawled[0]
    np_report = report.sites[0]
    assert len(np_report.text_chars) >= 10 and np_report.median_text_chars > SHORT_TEXT_CHARS
    saved = json.loads(Path(report.path).read_text(encoding="utf-8"))["sites"][0]
    assert "text_chars" not in saved  # summarised, not every length
    assert saved["median_text_chars"] == np_report.median_text_chars
    assert saved["text_pages"] == len(np_report.text_chars)
    assert saved["short_text"] + saved["empty_text"] == len(saved["short_list"])
    assert f"{NP}/actueel/nieuws" in {p["url"] for p in np_report.short_list}  # a listing page


def test_main_text_measurements_survive_a_resume():
    from ingest.report import SiteReport

    report = SiteReport("vng.nl")
    for url, chars in (("/leeg", 0), ("/kort", 120), ("/lang", 2400), ("/middel", 800)):
        report.main_text(url, chars)
    assert (report.empty_text, report.short_text, report.median_text_chars) == (1, 1, 460)
    assert [p["url"] for p in report.short_list] == ["/leeg", "/kort"]
