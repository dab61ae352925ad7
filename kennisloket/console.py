"""How the command line prints: a terminal gets Rich's layout, a file or log gets plain lines.

Rich lays text out for a terminal of the detected width, and falls back to 80 columns when
stdout is a pipe or a file. That broke URLs in a saved answer (``ask … > briefing.md``) and
cut the crawl report's column headers in a cron log. ``CommandConsole`` decides at print
time (tests and callers may swap ``sys.stdout``): on a terminal nothing changes; anywhere
else lines are never wrapped or cut and tables are printed without box drawing.

Typer writes its help screens and usage errors in English; the texts a user meets there
are given in Dutch (``dutch_cli_texts``).
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import re
import sys
from collections.abc import Callable
from types import ModuleType

from rich.console import Console, ConsoleDimensions, ConsoleRenderable, RenderHook
from rich.table import Table

# Wider than any line a command prints: nothing is wrapped, cut or ellipsised. Tables take
# their natural width (none of ours expands to the console width).
UNWRAPPED_WIDTH = 100_000


class _PlainTables(RenderHook):
    """Tables printed to a file or log: columns separated by spaces, no box characters."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def process_renderables(self, renderables: list[ConsoleRenderable]
                            ) -> list[ConsoleRenderable]:
        if not self.console.is_terminal:
            for renderable in renderables:
                if isinstance(renderable, Table):
                    renderable.box = None
                    renderable.show_edge = False
                    renderable.pad_edge = False
        return renderables


class CommandConsole(Console):
    """The console every command prints through (``kennisloket.cli.out`` and ``err``)."""

    def __init__(self, **kwargs) -> None:
        self._soft_wrap = False
        super().__init__(**kwargs)
        self.push_render_hook(_PlainTables(self))

    @property
    def size(self) -> ConsoleDimensions:
        size = Console.size.fget(self)
        return size if self.is_terminal else ConsoleDimensions(UNWRAPPED_WIDTH, size.height)

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        Console.size.fset(self, new_size)

    @property
    def soft_wrap(self) -> bool:  # read by Console.print: no word wrapping, no cropping
        return self._soft_wrap or not self.is_terminal

    @soft_wrap.setter
    def soft_wrap(self, value: bool) -> None:
        self._soft_wrap = value


# Typer's English texts on help screens and in usage errors. Typer 0.29 carries its own
# copy of Click (typer._click) with fixed English strings; its panel titles and a few hints
# go through gettext (typer.core, typer.rich_utils).
GETTEXT_NL = {
    "Options": "Opties",
    "Arguments": "Argumenten",
    "Commands": "Opdrachten",
    "[default: {}]": "[standaard: {}]",
    "default: {default}": "standaard: {default}",
    "[required]": "[verplicht]",
    "required": "verplicht",
    "[env var: {}]": "[omgevingsvariabele: {}]",
    "env var: {var}": "omgevingsvariabele: {var}",
    "(dynamic)": "(berekend)",
    "Error": "Fout",
    "Aborted.": "Afgebroken.",
    "Aborted!": "Afgebroken.",
    "Try [blue]'{command_path} {help_option}'[/] for help.":
        "Hulp: [blue]'{command_path} {help_option}'[/]",
}
USAGE_NL = "Gebruik: "
USAGE_PIECES_NL = (("[OPTIONS]", "[OPTIES]"), ("COMMAND [ARGS]...", "OPDRACHT [ARGUMENTEN]..."))
HELP_OPTION_NL = "Toon deze hulp en stop."
# Usage errors, matched on the whole message; what the user typed stays as it was.
ERRORS_NL = [(re.compile(pattern, re.S), dutch) for pattern, dutch in (
    (r"^Missing argument (.+)\.$", r"Argument \1 ontbreekt."),
    (r"^Missing option (.+)\.$", r"Optie \1 ontbreekt."),
    (r"^Missing parameter: (.+)$", r"Parameter \1 ontbreekt."),
    (r"^No such option: (\S+) \(Possible options: (.+)\)$",
     r"Onbekende optie: \1 (bedoelt u: \2)"),
    (r"^No such option: (.+)$", r"Onbekende optie: \1"),
    (r"^No such command (.+)\.$", r"Onbekende opdracht \1."),
    (r"^Missing command\.$", "Geef een opdracht."),
    (r"^Got unexpected extra argument(?:s|\(s\))? \((.+)\)$", r"Onverwacht extra argument: \1"),
    (r"^Option (.+) requires an argument\.$", r"Optie \1 verwacht een waarde."),
    (r"^Invalid value for (.+?): (.+)$", r"Ongeldige waarde voor \1: \2"),
    (r"^Invalid value: (.+)$", r"Ongeldige waarde: \1"),
)]
# Value errors from Typer's type checks (pydantic), inside an "invalid value" message.
VALUE_ERRORS_NL = (
    ("Input should be a valid integer, unable to parse string as an integer",
     "verwacht een geheel getal"),
    ("Input should be a valid integer", "verwacht een geheel getal"),
    ("Input should be a valid number, unable to parse string as a number",
     "verwacht een getal"),
    ("Input should be a valid number", "verwacht een getal"),
    ("Input should be a valid boolean", "verwacht ja of nee (true/false)"),
    ("Input should be greater than or equal to", "moet minstens zijn:"),
    ("Input should be less than or equal to", "mag hoogstens zijn:"),
    ("is not in the range", "ligt niet in het bereik"),
    ("does not exist", "bestaat niet"),
)


def translate_error(message: str) -> str:
    for pattern, dutch in ERRORS_NL:
        if pattern.match(message):
            message = pattern.sub(dutch, message, count=1)
            break
    for english, dutch in VALUE_ERRORS_NL:
        message = message.replace(english, dutch)
    return message


def _gettext_nl(message: str) -> str:
    return GETTEXT_NL.get(message, message)


def dutch_cli_texts() -> None:
    """Give Typer's help screens and usage errors Dutch texts (no Dutch catalog ships).

    ``typer.rich_utils`` (panel titles, the error panel) is imported only to print a help
    screen or a usage error (0.1 s: it loads rich.markdown), so it is translated when it is
    first imported rather than imported here."""
    import typer.core

    try:  # Typer >= 0.2x carries its own copy of Click
        from typer._click import core as click_core
        from typer._click import formatting
    except ImportError:  # older Typer runs on Click itself: same classes, same methods
        from click import core as click_core
        from click import formatting

    typer.core._ = _gettext_nl
    if not getattr(click_core.Command.get_help_option, "dutch", False):
        get_help_option = click_core.Command.get_help_option
        write_usage = formatting.HelpFormatter.write_usage

        def dutch_help_option(self, ctx):
            option = get_help_option(self, ctx)
            if option is not None:
                option.help = HELP_OPTION_NL
            return option

        def dutch_usage(self, prog, args="", prefix=None):
            for english, dutch in USAGE_PIECES_NL:
                args = args.replace(english, dutch)
            return write_usage(self, prog, args, USAGE_NL if prefix is None else prefix)

        dutch_help_option.dutch = True
        click_core.Command.get_help_option = dutch_help_option
        formatting.HelpFormatter.write_usage = dutch_usage
    if RICH_UTILS in sys.modules:
        _translate_rich_utils(sys.modules[RICH_UTILS])
    elif not any(isinstance(f, _AfterImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _AfterImport(RICH_UTILS, _translate_rich_utils))


RICH_UTILS = "typer.rich_utils"


def _translate_rich_utils(module: ModuleType) -> None:
    if getattr(module, "_dutch", False):
        return
    module._dutch = True
    module._ = _gettext_nl
    for name in ("DEFAULT_STRING", "ENVVAR_STRING", "REQUIRED_LONG_STRING",
                 "ARGUMENTS_PANEL_TITLE", "OPTIONS_PANEL_TITLE", "COMMANDS_PANEL_TITLE",
                 "ERRORS_PANEL_TITLE", "ABORTED_TEXT", "RICH_HELP"):
        setattr(module, name, _gettext_nl(getattr(module, name)))
    format_error = module.rich_format_error

    def dutch_format_error(error) -> None:
        english = error.format_message
        error.format_message = lambda: translate_error(english())
        format_error(error)

    module.rich_format_error = dutch_format_error


class _AfterImport(importlib.abc.MetaPathFinder):
    """Runs ``patch`` on module ``name`` right after its first import (once)."""

    def __init__(self, name: str, patch: Callable[[ModuleType], None]) -> None:
        self.name = name
        self.patch = patch

    def find_spec(self, fullname, path, target=None):
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is not None and spec.loader is not None:
            spec.loader = _PatchingLoader(spec.loader, self.patch)
        return spec


class _PatchingLoader(importlib.abc.Loader):
    def __init__(self, inner: importlib.abc.Loader, patch: Callable[[ModuleType], None]):
        self.inner = inner
        self.patch = patch

    def create_module(self, spec):
        return self.inner.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self.inner.exec_module(module)
        self.patch(module)
