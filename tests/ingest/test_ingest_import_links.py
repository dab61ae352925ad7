"""``import`` reads regular files inside the given folder only.

Symbolic links are never followed out of a folder (to ``/etc/passwd``, to a file elsewhere,
to ``/proc/self/environ`` whose environment may hold the admin key, to a folder elsewhere),
and a link inside the folder to a file inside is skipped too: that file is imported under
its own path, so nothing is lost and nothing hidden (e.g. in a dot-folder) comes in through
a side door. Every skipped path is in the report with a Dutch reason. Sizes are checked by
reading with a byte cap, since procfs files report a size of 0.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest.extract_html import ExtractionError
from ingest.importer import run_import

BODY = ("De gemeente Voorbeeldstad zet de middelen in voor huiswerkbegeleiding en "
        "zomerscholen, in overleg met de schoolbesturen en de kinderopvang.")
SECRET = "geheimzinnigewaarde"


@pytest.fixture
def linked_folder(tmp_path: Path) -> Path:
    root = tmp_path / "beleid"
    (root / "sub").mkdir(parents=True)
    (root / ".verborgen").mkdir()
    (root / "notitie.txt").write_text(f"Notitie\n\n{BODY}", "utf-8")
    elsewhere = tmp_path / "elders"
    (elsewhere / "map").mkdir(parents=True)
    (elsewhere / "geheim.txt").write_text(f"Geheim\n\n{SECRET} {BODY}", "utf-8")
    (elsewhere / "map" / "ook-geheim.txt").write_text(f"Ook geheim\n\n{SECRET} {BODY}", "utf-8")
    (root / ".verborgen" / "privé.txt").write_text(f"Privé\n\n{SECRET} {BODY} Verborgen.",
                                                    "utf-8")
    links = {"passwd.txt": "/etc/passwd", "omgeving.txt": "/proc/self/environ",
             "sub/geheim.txt": elsewhere / "geheim.txt", "buiten-map": elsewhere / "map",
             "kopie-notitie.txt": root / "notitie.txt",
             "via-link.txt": root / ".verborgen" / "privé.txt",
             "omweg.txt": "../elders/geheim.txt", "kapot.txt": root / "bestaat-niet.txt"}
    for name, target in links.items():
        os.symlink(target, root / name)
    return root


def test_import_skips_links_and_reports_each(kb, linked_folder):
    report = run_import(kb, [linked_folder])
    site = report.sites[0]
    urls = {r.url for r in kb.registry.all()}
    assert urls == {(linked_folder / "notitie.txt").as_uri()}
    texts = " ".join(c.text for c in kb.store.all_chunks())
    assert SECRET not in texts and "root:" not in texts and "PATH=" not in texts
    skipped = {Path(s["url"]).name: s["reason"] for s in site.skipped_list}
    for name in ("passwd.txt", "omgeving.txt", "geheim.txt", "buiten-map", "omweg.txt",
                 "kopie-notitie.txt", "via-link.txt", "kapot.txt"):
        assert "symbolische koppeling" in skipped[name], (name, skipped)
    assert "buiten de map" in skipped["passwd.txt"]
    assert "binnen de map" in skipped["kopie-notitie.txt"]
    assert site.new == 1 and site.errors == 0


def test_search_finds_nothing_from_outside(kb, linked_folder):
    run_import(kb, [linked_folder])
    for query in (SECRET, "root bin bash", "PATH HOME KENNISLOKET_API_KEY"):
        for hit in kb.retriever.search(query, k=10).hits:
            assert hit.url == (linked_folder / "notitie.txt").as_uri()


def test_reading_is_capped_even_when_the_size_says_zero(tmp_path):
    from ingest.local_files import read_capped

    assert os.stat("/proc/self/environ").st_size == 0
    with pytest.raises(ExtractionError, match="te groot"):
        read_capped(Path("/proc/self/environ"), max_bytes=5)
    big = tmp_path / "groot.txt"
    big.write_bytes(b"x" * 100)
    with pytest.raises(ExtractionError, match="te groot"):
        read_capped(big, max_bytes=99)
    assert read_capped(big, max_bytes=100) == b"x" * 100


def test_special_files_are_not_read(kb, tmp_path):
    root = tmp_path / "map"
    root.mkdir()
    os.mkfifo(root / "pijp.txt")  # reading a FIFO would block the import forever
    (root / "notitie.txt").write_text(f"Notitie\n\n{BODY}", "utf-8")
    site = run_import(kb, [root]).sites[0]
    assert site.new == 1
    assert any(Path(s["url"]).name == "pijp.txt" and "geen gewoon bestand" in s["reason"]
               for s in site.skipped_list)


def test_cli_import_names_every_skipped_link(tmp_path, linked_folder):
    import subprocess
    import sys

    (tmp_path / "geen-kaarten").mkdir()
    env = {**os.environ, "COLUMNS": "250", "NO_COLOR": "1",
           "KENNISLOKET_DATA_DIR": str(tmp_path / "data"),
           "KENNISLOKET_CARDS_DIR": str(tmp_path / "geen-kaarten")}
    exe = Path(sys.executable).with_name("kennisloket")
    r = subprocess.run([str(exe), "import", str(linked_folder)], capture_output=True,
                       text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    out = " ".join(r.stdout.split())
    assert "passwd.txt" in out and "/etc/passwd buiten de map" in out
    assert "omgeving.txt" in out and "/proc/" in out and "kopie-notitie.txt" in out
