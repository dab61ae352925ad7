"""The consoles every command prints through, and the Dutch help screens."""

from __future__ import annotations

import io
import re

import pytest
from rich.table import Table
from typer.testing import CliRunner

from kennisloket.cli import app, err, out
from kennisloket.console import CommandConsole, translate_error

BOX = re.compile("[\u2500-\u257f]")  # box-drawing characters
URL = ("https://www.nponderwijs.nl/gemeenten/betaling-en-verantwoording/"
       "specifieke-uitkering-nationaal-programma-onderwijs-gemeenten")
HEADERS = ("site", "status", "opgehaald", "ongewijzigd", "overgeslagen", "mediaan tekst")


def report_table() -> Table:
    table = Table(*HEADERS, title="Crawlrapport")
    table.add_row("nponderwijs.nl", "afgekapt (max. pagina's)", "1200", "1100", "35", "1834")
    return table


def test_file_output_is_never_wrapped_and_tables_are_plain():
    buffer = io.StringIO()
    console = CommandConsole(file=buffer)
    assert not console.is_terminal
    console.print(f"[1] Een lange brontitel die samen met de url breder is dan tachtig tekens\n"
                  f"    {URL}")
    console.print(report_table())
    text = buffer.getvalue()
    assert f"\n    {URL}\n" in text  # the URL on one line, as printed
    assert not BOX.search(text) and "…" not in text
    header = next(line for line in text.splitlines() if line.startswith("site"))
    assert re.split(r"\s{2,}", header.strip()) == list(HEADERS)  # every header whole
    row = next(line for line in text.splitlines() if line.startswith("nponderwijs.nl"))
    assert re.split(r"\s{2,}", row.strip())[:2] == ["nponderwijs.nl",
                                                    "afgekapt (max. pagina's)"]


def test_a_terminal_keeps_rich_layout():
    buffer = io.StringIO()
    console = CommandConsole(file=buffer, force_terminal=True, width=40, color_system=None)
    console.print("woord " * 20)
    console.print(report_table())
    text = buffer.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 40  # wrapped to the terminal
    assert BOX.search(text)  # and tables keep their box drawing


def test_every_command_prints_through_the_command_consoles():
    import kennisloket.commands_ingest as ingest_commands
    import kennisloket.commands_vectors as vector_commands

    assert isinstance(out, CommandConsole) and isinstance(err, CommandConsole)
    assert err.stderr and not out.stderr
    assert ingest_commands.out is out and ingest_commands.err is err
    assert vector_commands.out is out


runner = CliRunner()


def commands(group=None, prefix=()):
    """Every command path of the CLI, groups included."""
    import typer.main

    group = group or typer.main.get_command(app)
    for name, command in group.commands.items():
        yield (*prefix, name)
        if hasattr(command, "commands"):
            yield from commands(command, (*prefix, name))


def test_help_screens_are_dutch():
    paths = list(commands())
    assert ("reindex",) in paths and ("repair",) in paths and ("vectors", "build") in paths
    for path in [(), *paths]:
        result = runner.invoke(app, [*path, "--help"], prog_name="kennisloket",
                               env={"COLUMNS": "100"})
        assert result.exit_code == 0, (path, result.output)
        text = result.output
        assert "Gebruik: kennisloket" in text and "Opties" in text, path
        assert "Toon deze hulp en stop." in text, path
        for english in ("Usage", "Options", "Show this message", "Commands", "Arguments",
                        "[default", "[required]", "[OPTIONS]"):
            assert english not in text, (path, english)


def test_reindex_and_repair_say_what_they_do():
    reindex = runner.invoke(app, ["reindex", "--help"], env={"COLUMNS": "100"}).output
    assert "KENNISLOKET_EMBEDDING_MODEL" in reindex and "niets opnieuw gecrawld" in reindex
    repair = runner.invoke(app, ["repair", "--help"], env={"COLUMNS": "100"}).output
    assert "beschadigde catalogus" in repair


@pytest.mark.parametrize("args, dutch", [
    (["serve", "--port", "abc"], "Ongeldige waarde voor '--port': verwacht een geheel getal"),
    (["serve", "--poort", "8000"], "Onbekende optie: --poort"),
    (["search", "-k", "99", "x"], "mag hoogstens zijn: 50"),
    (["ask"], "Argument 'question' ontbreekt."),
    (["status", "extra"], "Onverwacht extra argument: extra"),
    (["bestaat-niet"], "Onbekende opdracht 'bestaat-niet'."),
])
def test_usage_errors_are_dutch(args, dutch):
    result = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert dutch in text and "Fout" in text
    assert "Usage" not in text and "Try '" not in text


def test_unknown_errors_pass_through_unchanged():
    assert translate_error("Iets heel anders.") == "Iets heel anders."
