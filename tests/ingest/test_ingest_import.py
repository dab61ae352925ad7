"""``import``: local HTML, PDF, Markdown, DOCX and text, recursive, deduplicated."""

import shutil
from pathlib import Path

import docx
import pytest

from conftest import FIXTURES, chunk_keys
from ingest.importer import run_import
from ingest.lock import IngestBusy, ingest_lock

BODY = ("De gemeente Voorbeeldstad zet de middelen in voor huiswerkbegeleiding en "
        "zomerscholen, in overleg met de schoolbesturen en de kinderopvang.")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "beleid"
    (root / "sub" / "diep").mkdir(parents=True)
    (root / ".verborgen").mkdir()
    shutil.copy(FIXTURES / "nponderwijs" / "gemeenten.html", root / "pagina.html")
    shutil.copy(FIXTURES / "nponderwijs/documenten/monitor-gemeenten-2024.pdf",
                root / "sub" / "monitor.pdf")
    (root / "notitie.md").write_text(
        f"---\ntitle: Notitie onderwijsbeleid\ndate: 2024-02-20\n---\n# Notitie\n\n{BODY}\n\n"
        "## Vervolg\n\nIn het najaar volgt een evaluatie met alle partners.\n", "utf-8")
    (root / "sub" / "diep" / "verslag.txt").write_text(f"Verslag overleg\n\n{BODY} Extra.",
                                                        "utf-8")
    (root / "kopie.txt").write_text(f"Verslag overleg\n\n{BODY} Extra.", "utf-8")  # duplicate
    (root / "begroting.xlsx").write_bytes(b"PK\x03\x04")
    (root / "kapot.pdf").write_bytes(b"%PDF-1.4 kapot")
    (root / ".verborgen" / "geheim.txt").write_text(BODY, "utf-8")
    document = docx.Document()
    document.core_properties.title = "Lokale aanpak kansengelijkheid"
    document.add_heading("Lokale aanpak kansengelijkheid", level=0)
    document.add_paragraph(BODY)
    document.add_heading("Doelen", level=1)
    document.add_paragraph("Elk kind krijgt een passend aanbod in de voorschoolse periode.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Doel", "Meetbaar resultaat"
    document.save(root / "sub" / "aanpak.docx")
    return root


def test_import_folder(kb, folder):
    report = run_import(kb, [folder], site="gemeente Voorbeeldstad")
    site = report.sites[0]
    rows = {Path(r.url.removeprefix("file://")).name: r for r in kb.registry.all()}
    # kopie.txt and sub/diep/verslag.txt hold the same text: the first in sorted order wins
    assert set(rows) == {"pagina.html", "monitor.pdf", "notitie.md", "kopie.txt",
                         "aanpak.docx"}
    for row in rows.values():
        assert row.doc_type == "local" and row.site == "gemeente Voorbeeldstad"
        assert row.key == "local:" + row.url.removeprefix("file://")
        assert row.url.startswith("file:///")
    assert rows["notitie.md"].title == "Notitie onderwijsbeleid"
    assert rows["notitie.md"].published == "2024-02-20"
    assert rows["monitor.pdf"].published == "2024-01-15"
    assert rows["aanpak.docx"].title == "Lokale aanpak kansengelijkheid"
    assert site.new == 5 and site.skipped == 2 and site.errors == 1
    reasons = " ".join(s["reason"] for s in site.skipped_list)
    assert "dubbel" in reasons and ".xlsx" in reasons
    assert "kapotte PDF" in site.error_list[0]["reason"]
    docx_chunks = [c for c in kb.store.all_chunks() if c.metadata.url.endswith(".docx")]
    assert any(c.metadata.heading == "Doelen" for c in docx_chunks)
    assert chunk_keys(kb) == {r.key: r.chunk_count for r in kb.registry.all()}
    assert Path(report.path).name.startswith("import-")


def test_reimport_only_changed_files(kb, folder):
    run_import(kb, [folder])
    (folder / "notitie.md").write_text(f"# Notitie\n\n{BODY}\n\nNieuw besluit genomen.", "utf-8")
    again = run_import(kb, [folder]).sites[0]
    assert again.changed == 1 and again.unchanged == 4 and again.new == 0


def test_missing_path_and_lock(kb, tmp_path):
    report = run_import(kb, [tmp_path / "bestaat-niet"])
    assert report.sites[0].error_list[0]["reason"] == "bestaat niet"
    with ingest_lock(kb.settings.data_dir):
        with pytest.raises(IngestBusy, match="Er loopt al een crawl of import"):
            run_import(kb, [tmp_path])
