"""Is a text Dutch? A stop-word vote, cheap and good enough to keep English pages out.

Function words make up a large share of any running text, and the Dutch and English lists
barely overlap, so counting them separates the two languages reliably on a paragraph or
more. Short texts fall back to the page's declared ``lang``.
"""

from __future__ import annotations

import re

from kb.analysis import fold, stopwords

ENGLISH = frozenset("""
a about after all also an and any are as at be been but by can could do does for from had
has have he her his how i if in into is it its may more most my no not of on one or other
our out so some such than that the their them then there these they this those through to
under up was we were what when where which while who will with would you your
""".split())
_WORD = re.compile(r"[a-z]+")
MIN_WORDS = 30


def looks_dutch(text: str, declared: str | None = None) -> bool:
    words = _WORD.findall(fold(text))
    if len(words) < MIN_WORDS:
        return not declared or declared.lower().startswith("nl")
    dutch = stopwords()
    nl = sum(w in dutch for w in words)
    en = sum(w in ENGLISH for w in words)
    return nl >= en and nl / len(words) >= 0.12
