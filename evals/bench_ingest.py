"""Ingest benchmark: crawl a synthetic 500-page Dutch site from a local server.

Measures pages/s and chunks/s of a full crawl into a fresh knowledge base, then the bare
embedding rate on the very same texts that ingest embeds (each chunk and its sentences,
kb/sentence_vectors.py), and reports the ratio in chunks per second (goal ≥ 0.8: the crawler
should add little on top of embedding). ``run()`` is what ``kennisloket bench`` calls.

    .venv/bin/python -m evals.bench_ingest [pages]
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SUBJECTS = ["De gemeente", "Het schoolbestuur", "De kinderopvang", "Het samenwerkingsverband",
            "De leerplichtambtenaar", "Het wijkteam", "De beleidsmedewerker onderwijs",
            "Het lokaal educatief overleg", "De GGD", "Het jongerenwerk"]
VERBS = ["bespreekt", "financiert", "organiseert", "evalueert", "ondersteunt", "plant",
         "versterkt", "coördineert", "monitort", "verbindt"]
OBJECTS = ["de zomerschool", "huiswerkbegeleiding na schooltijd", "de inzet van tutoren",
           "het aanbod voor voorschoolse educatie", "de aanpak van thuiszitters",
           "activiteiten voor sociaal-emotionele ontwikkeling", "de verantwoording via SiSa",
           "ouderbetrokkenheid in de wijk", "de doorgaande leerlijn naar het voortgezet onderwijs",
           "extra ondersteuning voor nieuwkomers"]
REASONS = ["omdat leerlingen daar aantoonbaar baat bij hebben",
           "zodat het aanbod aansluit op het schoolprogramma",
           "om de middelen doelmatig te besteden", "in overleg met de ouders",
           "voor kinderen met een taalachterstand", "binnen de bestedingsdoelen van het programma",
           "met aandacht voor kleinere kernen", "op basis van de schoolscan"]
TOPICS = ["Samenwerking", "Financiering", "Verantwoording", "Aanpak", "Resultaten",
          "Ervaringen", "Planning", "Monitoring"]

PAGE = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>{title} | Kennisbank gemeenten</title>
<link rel="canonical" href="/{slug}"><meta name="dcterms.modified" content="{date}"></head>
<body><div class="cookie-consent">Wij gebruiken cookies. <button>Akkoord</button></div>
<header><a href="/">Kennisbank</a><nav><a href="/">Start</a> <a href="/thema/{theme}">Thema</a></nav></header>
<nav class="breadcrumb"><ol><li><a href="/">Home</a></li><li>{title}</li></ol></nav>
<main><h1>{title}</h1>
{body}
<p>Zie ook <a href="/{prev}">{prev}</a> en <a href="/{next}">{next}</a>.</p></main>
<footer>Synthetische testsite voor de ingest-benchmark van Kennisloket.</footer></body></html>
"""


def _sentence(rng: random.Random) -> str:
    return (f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
            f"{rng.choice(REASONS)}.")


def _paragraph(rng: random.Random, sentences: int) -> str:
    return "<p>" + " ".join(_sentence(rng) for _ in range(sentences)) + "</p>"


def write_synthetic_site(root: Path, pages: int = 500, sections: int = 1, seed: int = 7) -> int:
    """Write ``pages`` original Dutch pages plus robots.txt and a sitemap; returns pages."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    slugs = [f"artikel-{i:04d}" for i in range(pages)]
    for i, slug in enumerate(slugs):
        title = f"{rng.choice(TOPICS)} in gemeente {i}: {rng.choice(OBJECTS)}"
        body = [_paragraph(rng, 3)]
        for _ in range(sections):
            body.append(f"<h2>{rng.choice(TOPICS)} en {rng.choice(OBJECTS)}</h2>")
            body.append(_paragraph(rng, 4))
        html = PAGE.format(title=title, slug=slug, body="\n".join(body),
                           date=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                           theme=i % 10, prev=slugs[i - 1], next=slugs[(i + 1) % pages])
        (root / f"{slug}.html").write_text(html, encoding="utf-8")
    links = "".join(f'<li><a href="/{s}">{s}</a></li>' for s in slugs[:50])
    (root / "index.html").write_text(PAGE.format(
        title="Kennisbank voor gemeenten", slug="", body=f"<p>{_sentence(rng)} "
        f"{_sentence(rng)}</p><ul>{links}</ul>", date="2024-01-01", theme=0,
        prev=slugs[-1], next=slugs[0]), encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /zoeken\n", encoding="utf-8")
    urls = "".join(f"<url><loc>https://www.nji.nl/{s}</loc></url>" for s in slugs)
    (root / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
        f'schemas/sitemap/0.9">{urls}</urlset>', encoding="utf-8")
    return pages


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def send_head(self):  # serve /slug from slug.html, as the real sites do
        if "." not in self.path.rsplit("/", 1)[-1] and self.path != "/":
            self.path = self.path.split("?", 1)[0] + ".html"
        return super().send_head()


def serve(root: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=str(root)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def bench_profile(mirror: str):
    from ingest.profiles import SiteProfile

    return SiteProfile(name="nji.nl", base_url="https://www.nji.nl", sitemaps=["/sitemap.xml"],
                       delay_s=0, concurrency=4, max_pages=100_000, mirror=mirror,
                       # like the shipped profiles: trafilatura finds the main text itself
                       selectors={"breadcrumb": [".breadcrumb"]})


def _chunk_texts(site: Path, profile, kb) -> list[str]:
    """The chunk texts the crawl will embed, computed offline from the same files."""
    from ingest.extract_html import extract_html
    from kb.documents import SourceDocument

    texts: list[str] = []
    for path in sorted(site.glob("*.html")):
        slug = "" if path.stem == "index" else path.stem
        page = extract_html(path.read_bytes(), f"{profile.base_url}/{slug}", profile.selectors)
        doc = SourceDocument(key="x", url=f"{profile.base_url}/{slug}", title=page.title,
                             site=profile.name, doc_type="page", text=page.text)
        texts += [c.contextual_text(doc.title) for c in kb.chunker.split(doc)]
    return texts


def _with_sentences(chunk_texts: list[str]) -> list[str]:
    """Each chunk text and the sentence texts ingest embeds with it."""
    from kb.chunking import Chunk
    from kb.sentence_vectors import texts_for_chunk

    out: list[str] = []
    for text in chunk_texts:
        head, _, body = text.partition("\n")
        title = head.split(" — ", 1)[0]
        out += [text, *texts_for_chunk(title, Chunk(0, "", body))]
    return out


def _embed_rate(kb, chunk_texts: list[str]) -> tuple[float, float]:
    """(chunks per wall-clock second, chunks per CPU second of this process) when nothing
    but their embedding (chunk and sentences) is done."""
    texts = _with_sentences(chunk_texts)
    wall, cpu = time.perf_counter(), time.process_time()
    kb.embeddings.model.embed_documents(texts) if hasattr(kb.embeddings, "model") \
        else kb.embeddings.embed_documents(texts)
    return (len(chunk_texts) / (time.perf_counter() - wall),
            len(chunk_texts) / max(time.process_time() - cpu, 1e-9))


def run(data_dir: Path, pages: int = 500) -> dict:
    """Crawl a fresh synthetic site into a fresh KB under ``data_dir``; return the figures."""
    from ingest.crawler import run_crawl
    from kb.knowledge_base import KnowledgeBase
    from kb.settings import load_settings

    work = Path(tempfile.mkdtemp(prefix="bench-ingest-", dir=data_dir.parent
                                 if data_dir.parent.exists() else None))
    site = work / "site"
    write_synthetic_site(site, pages)
    server, origin = serve(site)
    try:
        empty_cards = work / "cards"
        empty_cards.mkdir()
        settings = load_settings(data_dir=data_dir, cards_dir=empty_cards,
                                 collection="bench_ingest")
        kb = KnowledgeBase(settings)
        kb.embeddings.embed_documents(["opwarmen van het model"])  # load outside the timing
        # (a synthetic site: none of its texts is in the shipped vectors)
        profile = bench_profile(origin)
        # Bare embedding rate on the same chunk texts, measured before and after the crawl
        # so a change in machine load during the run shows up rather than skewing the ratio.
        before = _embed_rate(kb, _chunk_texts(site, profile, kb))
        start, cpu = time.perf_counter(), time.process_time()
        report = run_crawl(kb, [profile])
        crawl_s = time.perf_counter() - start
        crawl_cpu_s = time.process_time() - cpu  # includes the in-process test server
        site_report = report.sites[0]
        texts = [c.text for c in kb.store.all_chunks()]
        after = _embed_rate(kb, texts)
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(work, ignore_errors=True)
    ingest_rate = site_report.chunks / crawl_s if crawl_s else 0.0
    embed_rate = (before[0] + after[0]) / 2
    embed_cpu_rate = (before[1] + after[1]) / 2
    ingest_cpu_rate = site_report.chunks / crawl_cpu_s if crawl_cpu_s else 0.0
    return {
        "pages": site_report.new, "chunks": site_report.chunks, "errors": site_report.errors,
        "crawl_s": round(crawl_s, 2), "pages_per_s": round(site_report.new / crawl_s, 2),
        "chunks_per_s": round(ingest_rate, 2), "bare_embed_chunks_per_s": round(embed_rate, 2),
        "bare_embed_before_after": [round(before[0], 2), round(after[0], 2)],
        "ratio": round(ingest_rate / embed_rate, 3) if embed_rate else 0.0,
        # The same ratio on CPU time: steadier when other work shares the machine.
        "cpu_ratio": round(ingest_cpu_rate / embed_cpu_rate, 3) if embed_cpu_rate else 0.0,
        "goal": 0.8,
    }


def main() -> None:  # pragma: no cover - manual benchmark
    from rich.console import Console
    from rich.table import Table

    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    with tempfile.TemporaryDirectory(prefix="kennisloket-bench-") as tmp:
        figures = run(Path(tmp) / "data", pages)
    table = Table("maat", "waarde", title=f"Ingest-benchmark ({pages} pagina's)")
    for key, value in figures.items():
        table.add_row(key, str(value))
    Console().print(table)


if __name__ == "__main__":  # pragma: no cover
    main()
