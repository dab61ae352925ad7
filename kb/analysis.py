"""Dutch text analysis for the lexical index: folding, tokenising, stop words, stemming."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import Stemmer

_STOPWORDS_FILE = Path(__file__).resolve().parent / "data" / "dutch_stopwords.txt"
_TOKEN = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    words = _STOPWORDS_FILE.read_text(encoding="utf-8").split()
    return frozenset(fold(w) for w in words if not w.startswith("#"))


def fold(text: str) -> str:
    """Lower-case and strip accents (``financiën`` → ``financien``)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class DutchAnalyzer:
    """Snowball (Dutch) stemming tokenizer with Dutch stop words; cheap and thread-safe."""

    def __init__(self) -> None:
        self._stemmer = Stemmer.Stemmer("dutch")
        self._stop = stopwords()

    def __call__(self, text: str) -> list[str]:
        tokens = [t for t in _TOKEN.findall(fold(text)) if t not in self._stop]
        return self._stemmer.stemWords(tokens)
