"""The ``crawl``, ``import`` and ``status`` commands, in-process against the fixture server."""

import json

import pytest
from typer.testing import CliRunner

from conftest import VNG_PROFILE
from kennisloket.cli import app

runner = CliRunner()


@pytest.fixture
def env(tmp_path, monkeypatch):
    (tmp_path / "no-cards").mkdir()
    monkeypatch.setenv("KENNISLOKET_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KENNISLOKET_CARDS_DIR", str(tmp_path / "no-cards"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path


def test_crawl_then_status(env, server):
    profiles = env / "sites.yaml"
    profiles.write_text(VNG_PROFILE, encoding="utf-8")
    result = runner.invoke(app, ["crawl", "--profiles", str(profiles),
                                 "--base-url", f"vng.nl={server.origin('vng')}"])
    assert result.exit_code == 0, result.output
    assert "Crawlrapport" in result.output and "vng.nl" in result.output
    assert "Rapport opgeslagen in" in result.output
    assert "mediaan tekst" in result.output  # main-text length per site
    assert set(server.paths("vng")) <= {"/robots.txt", "/onderwerpenindex/onderwijs",
                                        "/artikelen/thuiszitterspact-aanpak"}
    status = runner.invoke(app, ["status"])
    assert status.exit_code == 0, status.output
    assert "Crawls" in status.output and "vng.nl" in status.output


@pytest.mark.parametrize("args,message", [
    (["crawl", "--site", "onbekend.nl"], "Onbekende site"),
    (["crawl", "--base-url", "vng.nl"], "SITE=URL"),
    (["crawl", "--base-url", "vng.nl=http://127.0.0.1:1/pad"], "adres zonder pad"),
])
def test_crawl_input_errors_are_dutch(env, args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output


def test_import_command(env):
    doc = env / "notities"
    doc.mkdir()
    (doc / "a.md").write_text("# Overleg\n\nDe gemeente en de scholen spraken af om samen "
                              "een zomerschool te organiseren voor groep 7 en 8.", "utf-8")
    result = runner.invoke(app, ["import", str(doc), "--site-label", "gemeente Test"])
    assert result.exit_code == 0, result.output
    assert "Importrapport" in result.output and "gemeente Test" in result.output
    reports = list((env / "data" / "crawl-reports").glob("import-*.json"))
    assert json.loads(reports[0].read_text("utf-8"))["totals"]["new"] == 1
    empty = runner.invoke(app, ["import", str(doc), "--site-label", " "])
    assert empty.exit_code == 2 and "mag niet leeg" in empty.output


def test_report_lists_short_and_empty_main_text(env, capsys):
    from ingest.report import CrawlReport, SiteReport
    from kennisloket.commands_ingest import _print_report

    site = SiteReport("nji.nl", status="finished")
    for url, chars in (("https://www.nji.nl/leeg", 0), ("https://www.nji.nl/kort", 90),
                       ("https://www.nji.nl/artikel", 1800)):
        site.main_text(url, chars)
    _print_report(CrawlReport(sites=[site]), "Crawlrapport")
    printed = capsys.readouterr().out
    assert "lege tekst nji.nl: https://www.nji.nl/leeg" in printed
    assert "korte tekst (90 tekens) nji.nl: https://www.nji.nl/kort" in printed
    assert "artikel" not in printed.split("Crawlrapport")[1].split("lege tekst nji.nl")[1]
