"""Surface features of a question for the classifiers (service/classifiers.py).

Regular expressions may remain as *features*: the decision itself is learned from the
labelled examples. An example set names the features it uses (``extra_features``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

_WORDS = re.compile(r"\w+")
_STARTERS = re.compile(r"^\s*(en|of|maar|ook|dus|dan|wat als|hoe zit het|geldt dat|"
                       r"en als|zelfde)\b", re.I)
_LEANING = re.compile(r"\b(dat|die|dit|deze|daar\w*|hier\w*|het geld|ze|zij|hun|dezelfde|"
                      r"ook|nog)\b", re.I)
_SWITCH = re.compile(r"^\s*(los (daarvan|van het vorige)|(een )?andere (vraag|kwestie)|ander "
                     r"onderwerp|nieuwe? (vraag|onderwerp)|(nog )?iets (heel )?anders|apart "
                     r"daarvan|dan (nog )?iets anders|(een )?tweede vraag)\b", re.I)
_NOT_ON_LIST = re.compile(r"\b(niet|geen|buiten)\b[^.?!]{0,30}\bmenukaart", re.I)

# name -> f(text, previous, context) -> list of values; context supplies the lexical
# overlap and the names of catalog items (service/decisions.py)
FeatureFn = Callable[[str, str, "FeatureContext"], list[float]]


@dataclass
class FeatureContext:
    overlap: Callable[[str, str], float] = lambda a, b: 0.0
    item_match: Callable[[str], list[float]] = lambda text: []


SURFACE: dict[str, FeatureFn] = {
    "short": lambda t, p, c: [1.0 / max(len(_WORDS.findall(t)), 1)],
    "starter": lambda t, p, c: [float(bool(_STARTERS.search(t)))],
    "leaning": lambda t, p, c: [float(bool(_LEANING.search(t)))],
    "overlap": lambda t, p, c: [c.overlap(t, p) if p else 0.0],
    "question_mark": lambda t, p, c: [float("?" in t)],
    "switch": lambda t, p, c: [float(bool(_SWITCH.search(t)))],
    "not_on_list": lambda t, p, c: [float(bool(_NOT_ON_LIST.search(t)))],
    "item_names": lambda t, p, c: c.item_match(t),
}


def surface_features(names: Sequence[str], text: str, previous: str,
                     context: FeatureContext) -> list[float]:
    return [v for name in names for v in SURFACE[name](text, previous, context)]
