"""The originality check finds word runs a card shares with its source page."""

from __future__ import annotations

from evals.originality import load_sources, main, normal_url, shared_runs


def test_shared_run_of_six_words_is_found_and_shorter_ones_are_not():
    source = "De middelen mogen tot en met 31 juli 2025 worden besteed aan herstel."
    assert shared_runs("Gemeenten hebben tot en met 31 juli 2025 worden besteed zo.", source) \
        == ["tot en met 31 juli 2025 worden besteed"]
    assert shared_runs("Gemeenten besteden de middelen tot 31 juli 2025.", source) == []


def test_cards_are_matched_to_their_source_by_url(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text("URL: https://www.vng.nl/x/\nDe leerplichtambtenaar ziet "
                                 "erop toe dat ieder kind naar school gaat.", encoding="utf-8")
    card = tmp_path / "vng-x.md"
    card.write_text("---\nid: vng-x\nurl: https://vng.nl/x\n---\nDe leerplichtambtenaar "
                    "ziet erop toe dat ieder kind onderwijs volgt.", encoding="utf-8")
    assert normal_url("https://www.vng.nl/x/") == "vng.nl/x"
    assert "vng.nl/x" in load_sources(pages)
    assert main(["--cards", str(card), "--sources", str(pages)]) == 1
    card.write_text("---\nid: vng-x\nurl: https://vng.nl/x\n---\nGemeenten controleren met "
                    "leerplichtambtenaren of alle kinderen les krijgen.", encoding="utf-8")
    assert main(["--cards", str(card), "--sources", str(pages)]) == 0
