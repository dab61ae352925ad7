"""Originality check for knowledge cards: word runs a card shares with its source page.

Cards are written in the team's own words; a run of six or more words shared with the source
page (names and titles excepted, which a reader judges) means a sentence stayed too close.
The source texts are not part of the repository: point ``--sources`` at a folder of plain
text files whose first line is ``URL: <address>`` (several files may hold parts of one page).

    python -m evals.originality --cards kb/cards --sources /path/to/page-texts [--run 6]
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

_WORD = re.compile(r"[\w€%]+(?:[.,'’-][\w]+)*", re.U)


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).lower()
    return _WORD.findall(text)


def normal_url(url: str) -> str:
    url = url.strip().lower()
    url = re.sub(r"^https?://(www\.)?", "", url)
    return url.rstrip("/")


def shared_runs(card_text: str, source_text: str, run: int = 6) -> list[str]:
    """Maximal word runs of at least ``run`` words that occur in both texts."""
    card = words(card_text)
    source = words(source_text)
    grams = {tuple(source[i:i + run]) for i in range(len(source) - run + 1)}
    hits: list[str] = []
    i = 0
    while i <= len(card) - run:
        if tuple(card[i:i + run]) in grams:
            j = i + run
            while j < len(card) and tuple(card[j - run + 1:j + 1]) in grams:
                j += 1
            hits.append(" ".join(card[i:j]))
            i = j
        else:
            i += 1
    return hits


def load_sources(folder: Path) -> dict[str, str]:
    texts: dict[str, list[str]] = defaultdict(list)
    for path in sorted(folder.rglob("*.txt")):
        raw = path.read_text(encoding="utf-8", errors="replace")
        first, _, rest = raw.partition("\n")
        if first.startswith("URL:"):
            texts[normal_url(first[4:])].append(rest)
    return {url: "\n".join(parts) for url, parts in texts.items()}


def card_body_and_url(path: Path) -> tuple[str, str]:
    raw = path.read_text(encoding="utf-8")
    match = re.search(r"^url:\s*(\S+)", raw, re.M)
    body = raw.split("\n---", 1)[-1]
    return body, match.group(1) if match else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=Path, required=True, help="card file or folder")
    parser.add_argument("--sources", type=Path, required=True, help="folder of page texts")
    parser.add_argument("--run", type=int, default=6, help="shortest shared run reported")
    args = parser.parse_args(argv)
    sources = load_sources(args.sources)
    paths = [args.cards] if args.cards.is_file() else sorted(args.cards.rglob("*.md"))
    unchecked, flagged = [], 0
    for path in paths:
        body, url = card_body_and_url(path)
        source = sources.get(normal_url(url))
        if source is None:
            unchecked.append(path.name)
            continue
        for hit in shared_runs(body, source, args.run):
            flagged += 1
            print(f"{path}: {hit}")
    print(f"{len(paths) - len(unchecked)} kaarten vergeleken, {flagged} gedeelde reeksen van "
          f"≥ {args.run} woorden; zonder brontekst: {len(unchecked)}", file=sys.stderr)
    for name in unchecked:
        print(f"  geen brontekst: {name}", file=sys.stderr)
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
