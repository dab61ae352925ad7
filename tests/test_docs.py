"""The user documentation agrees with the code and with itself: one truth per fact.

README.md, docs/crawling.md and docs/operations.md are read as a user reads them: every
setting in the README table exists with its real default (and every setting is there),
every ``kennisloket`` command line they show runs on the real CLI, the README's test
command is the one CI runs, one crawl schedule, every crawled site named, and Dutch prose.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import typer.main
import yaml

from kb.settings import Settings
from kennisloket.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
USER_DOCS = [README, ROOT / "docs" / "crawling.md", ROOT / "docs" / "operations.md"]
CODE_BLOCK = re.compile(r"```[a-z]*\n(.*?)```", re.S)
SHELL_OPERATORS = {"&&", "||", "|", ";", "&", ">", ">>", "2>&1", "<"}


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def section(markdown: str, heading: str) -> str:
    start = markdown.index(f"\n## {heading}\n")
    end = markdown.find("\n## ", start + 1)
    return markdown[start:end if end > 0 else None]


# -- settings ---------------------------------------------------------------------------
def documented_default(value) -> str:
    """How the README writes a default: `value` in code, or 'leeg' for no value."""
    if value is None:
        return "leeg"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, Path):
        return f"`{value.relative_to(ROOT)}`" if value.is_absolute() else f"`./{value}`"
    return f"`{value}`"


def settings_table() -> dict[str, str]:
    rows = re.findall(r"^\| `KENNISLOKET_([A-Z0-9_]+)` \| ([^|]+) \|",
                      section(text(README), "Instellingen"), re.M)
    names = [name.lower() for name, _ in rows]
    assert len(names) == len(set(names)), "a setting has two rows"
    return {name.lower(): default.strip() for name, default in rows}


def test_readme_settings_table_is_settings():
    table = settings_table()
    fields = Settings.model_fields
    assert sorted(set(table) - set(fields)) == [], "rows for settings that do not exist"
    assert sorted(set(fields) - set(table)) == [], "settings missing from the README table"
    for name, field in fields.items():
        assert table[name] == documented_default(field.default), name


def test_other_docs_state_the_same_defaults():
    """Where another doc repeats a setting's default ("…, standaard 120"), it is the real
    one."""
    checked = 0
    for path in USER_DOCS[1:]:
        for name, field in Settings.model_fields.items():
            if field.default is None or isinstance(field.default, (Path, bool)):
                continue
            pattern = rf"KENNISLOKET_{name.upper()}\b[^.]{{0,40}}?\b(?:standaard|default)\w*:? (\S+)"
            for found in re.findall(pattern, text(path), re.I):
                assert found.strip("`),.;:") == str(field.default), (path.name, name, found)
                checked += 1
    assert checked >= 2  # operations.md: rate limit and feedback retention


# -- command lines ----------------------------------------------------------------------
def cli_tree():
    return typer.main.get_command(app)


def command_paths(group=None, prefix=()):
    group = group or cli_tree()
    for name, command in group.commands.items():
        yield (*prefix, name)
        if hasattr(command, "commands"):
            yield from command_paths(command, (*prefix, name))


def invocations(markdown: str) -> list[list[str]]:
    """The words after ``kennisloket`` on every command line in code blocks and inline
    code, up to a shell operator or comment."""
    lines = [line for block in CODE_BLOCK.findall(markdown) for line in block.splitlines()]
    prose = CODE_BLOCK.sub("", markdown)
    lines += re.findall(r"`((?:[\w/.]*/bin/)?kennisloket [^`]+)`", prose)
    found = []
    for line in lines:
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            continue
        starts = [i for i, w in enumerate(words)
                  if w == "kennisloket" or re.search(r"(^|[=/])bin/kennisloket$", w)]
        for start in starts:
            rest = []
            for word in words[start + 1:]:
                if word in SHELL_OPERATORS or word.startswith((">", "2>")):
                    break
                rest.append(word)
            found.append(rest)
    return found


def check_invocation(words: list[str]) -> tuple[str, ...]:
    """Resolve the command path and check every option against the real command."""
    command, path = cli_tree(), []
    while words and hasattr(command, "commands") and words[0] in command.commands:
        command = command.commands[words[0]]
        path.append(words.pop(0))
    assert path, f"no such command: kennisloket {' '.join(words)}"
    assert not hasattr(command, "commands"), f"incomplete: kennisloket {' '.join(path)}"
    known = {"--help"} | {opt for p in command.params for opt in (*p.opts, *p.secondary_opts)}
    for word in words:
        option = word.strip("[]").split("=", 1)[0]
        if option.startswith("-") and option not in ("-", "--"):
            assert option in known, f"kennisloket {' '.join(path)}: unknown option {option}"
    return tuple(path)


@pytest.mark.parametrize("doc", USER_DOCS, ids=lambda p: p.name)
def test_every_documented_command_line_runs_on_the_real_cli(doc):
    lines = invocations(text(doc))
    assert lines, f"{doc.name} shows no kennisloket command"
    for words in lines:
        check_invocation(list(words))


def test_readme_shows_every_command_and_the_serve_options():
    shown = {check_invocation(list(words)) for words in invocations(text(README))}
    assert sorted(set(command_paths()) - shown - {("feedback",), ("vectors",)}) == []
    serve = [w for words in invocations(text(README)) if words[:1] == ["serve"] for w in words]
    for option in ("--host", "--port", "--workers", "--no-ui"):
        assert option in serve, option


def test_readme_test_command_is_what_ci_runs():
    ci = [line.strip() for line in text(ROOT / ".ci" / "run").splitlines()
          if line.strip() and not line.strip().startswith("#")]
    test_command = ci[-1]
    assert "pytest" in test_command  # CI ends with the test command
    readme = text(README)
    assert f"Het testcommando is `{test_command}`" in readme
    install_and_test = next(line for block in CODE_BLOCK.findall(readme)
                            for line in block.splitlines() if "[test]" in line)
    steps = [step.strip() for step in install_and_test.split("&&")]
    assert steps[-1] == test_command
    ci_steps = {re.sub(r"\s-q\b", "", line) for line in ci}
    for step in steps[:-1]:  # the same installation, only quieter in CI
        assert step in ci_steps, step


def test_readme_start_command_starts_the_service():
    start = next(line for block in CODE_BLOCK.findall(text(README))
                 for line in block.splitlines() if line.endswith("kennisloket serve"))
    assert start.split(" && ")[:2] == ["python3 -m venv .venv", ".venv/bin/pip install -e ."]
    pyproject = text(ROOT / "pyproject.toml")
    assert 'kennisloket = "kennisloket.cli:app"' in pyproject


@pytest.mark.parametrize("doc", USER_DOCS, ids=lambda p: p.name)
def test_docs_do_not_assume_sudo(doc):
    assert not re.search(r"\bsudo\b", text(doc))


# -- one truth per fact -----------------------------------------------------------------
def test_one_crawl_schedule():
    schedules = [line for doc in USER_DOCS
                 for block in re.findall(r"```cron\n(.*?)```", text(doc), re.S)
                 for line in block.splitlines() if line.strip() and not line.startswith("#")]
    assert len(schedules) == 1, schedules  # in docs/crawling.md; the README links to it
    timer = re.search(r"OnCalendar=\*-\*-\* (\d\d):(\d\d)", text(USER_DOCS[1]))
    minute, hour = schedules[0].split()[:2]
    assert (int(hour), int(minute)) == (int(timer[1]), int(timer[2]))  # cron = systemd


def test_crawling_doc_names_every_site_profile():
    profiles = yaml.safe_load(text(ROOT / "ingest" / "sites.yaml"))["sites"]
    crawling = text(USER_DOCS[1])
    for name, profile in profiles.items():
        assert f"`{name}`" in crawling, name
        host = re.sub(r"^https?://", "", profile["base_url"])
        assert host in crawling, host


ENGLISH = {"the", "and", "of", "with", "which", "when", "this", "that", "to", "are", "be",
           "it", "for", "from", "not", "only", "each", "every", "or"}
DUTCH = {"de", "het", "een", "en", "van", "met", "die", "dat", "voor", "niet", "wordt",
         "worden", "op", "bij", "als", "ook", "of"}


@pytest.mark.parametrize("doc", USER_DOCS, ids=lambda p: p.name)
def test_user_docs_are_dutch(doc):
    prose = re.sub(r"`[^`]*`", " ", CODE_BLOCK.sub(" ", text(doc)))
    prose = re.sub(r"\([^)]*https?://[^)]*\)", " ", prose)  # link targets
    words = re.findall(r"[a-z]+", prose.lower())
    english = [w for w in words if w in ENGLISH - DUTCH]
    dutch = [w for w in words if w in DUTCH]
    assert len(english) <= 0.02 * len(dutch), sorted(set(english))
