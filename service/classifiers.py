"""Decisions that depend on meaning, learned from labelled examples instead of word lists.

Each decision (is this a follow-up, does it describe a need for interventions, which kind of
fact does it ask for, does it name an item that may not be funded) is a logistic regression
over the question's e5 embedding plus a few surface features. The examples live in
``service/config/examples/<name>.yaml``; their vectors ship in the vector pack and the
fitted weights in ``service/config/classifiers/<model>.npz`` (keyed by a hash of the
examples), so a process normally fits nothing. With another embedding model or edited
examples the classifier is fitted on first use (scikit-learn, imported only then).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml
from pydantic import BaseModel, Field, model_validator

from service.classifier_features import (  # SURFACE, FeatureContext: also for decisions
    SURFACE,
    FeatureContext,
    surface_features,
)

EXAMPLES_DIR = Path(__file__).resolve().parent / "config" / "examples"
FITTED_DIR = Path(__file__).resolve().parent / "config" / "classifiers"
MIN_EXAMPLES = 40


class ClassifierError(ValueError):
    """An example file is invalid (Dutch message naming the file)."""


class Example(BaseModel):
    text: str = Field(min_length=1)
    previous: str = ""  # follow-up examples: the earlier question


class ExampleSet(BaseModel):
    name: str
    description: str
    paired: bool = False  # examples carry the previous question
    extra_features: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_features(self) -> ExampleSet:
        unknown = set(self.extra_features) - set(SURFACE)
        if unknown:
            raise ValueError(f"onbekende kenmerken {sorted(unknown)}; bekend: {sorted(SURFACE)}")
        return self
    classes: dict[str, list[Example]]

    @model_validator(mode="before")
    @classmethod
    def _strings_are_examples(cls, data: dict) -> dict:
        classes = data.get("classes") or {}
        data["classes"] = {label: [{"text": e} if isinstance(e, str) else e for e in items]
                           for label, items in classes.items()}
        return data

    @property
    def labels(self) -> list[str]:
        return list(self.classes)

    def rows(self) -> list[tuple[Example, str]]:
        return [(e, label) for label, items in self.classes.items() for e in items]

    def digest(self) -> str:
        return hashlib.sha1(json.dumps(self.model_dump(), sort_keys=True).encode()).hexdigest()


def load_example_set(name: str, folder: Path = EXAMPLES_DIR) -> ExampleSet:
    path = folder / f"{name}.yaml"
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~7x faster
        data = ExampleSet(**yaml.load(path.read_text(encoding="utf-8"), Loader=loader))
    except Exception as exc:  # noqa: BLE001 - any problem: one clear message
        raise ClassifierError(f"Ongeldig voorbeeldbestand {path}: {exc}") from exc
    small = [f"{k} ({len(v)})" for k, v in data.classes.items() if len(v) < MIN_EXAMPLES]
    if small:
        raise ClassifierError(f"{path}: minder dan {MIN_EXAMPLES} voorbeelden voor "
                              + ", ".join(small))
    return data


def example_set_names(folder: Path = EXAMPLES_DIR) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.yaml"))


def all_example_texts(folder: Path = EXAMPLES_DIR) -> list[str]:
    """Every example question (and previous question) as the classifiers embed them."""
    texts: list[str] = []
    for name in example_set_names(folder):
        for example, _ in load_example_set(name, folder).rows():
            texts.append(embedding_text(example.text))
            if example.previous:
                texts.append(embedding_text(example.previous))
    return list(dict.fromkeys(texts))


def embedding_text(question: str) -> str:
    """Examples are embedded exactly as live questions are (abbreviations spelled out)."""
    from kb.analysis import spell_out_abbreviations

    return spell_out_abbreviations(question)


@dataclass
class FittedModel:
    labels: list[str]
    coef: np.ndarray  # classes × features (binary: 1 × features)
    intercept: np.ndarray
    digest: str
    model_id: str

    def proba(self, x: np.ndarray) -> np.ndarray:
        z = x @ self.coef.T + self.intercept
        if len(self.labels) == 2:  # sklearn's binary form: one column for labels[1]
            p1 = 1 / (1 + np.exp(-z[:, 0]))
            return np.stack([1 - p1, p1], axis=1)
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


def fit(x: np.ndarray, y: list[str], labels: list[str], c: float = 4.0
        ) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression  # only when fitting

    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    model.fit(x, [labels.index(v) for v in y])
    return model.coef_.astype(np.float32), model.intercept_.astype(np.float32)


@dataclass
class Prediction:
    label: str
    probability: float
    scores: dict[str, float] = field(default_factory=dict)


class EmbeddingClassifier:
    """One decision; ``predict(vector, text, previous)`` → label with its probability."""

    def __init__(self, examples: ExampleSet, embed_queries: Callable[[list[str]], list],
                 model_id: str, context: FeatureContext | None = None,
                 fitted_dir: Path = FITTED_DIR,
                 augment: Callable[[ExampleSet], ExampleSet] | None = None) -> None:
        self.examples = examples
        # extra training examples derived from other data, built only when fitting; the
        # shipped weights are keyed by the source examples (and the augmentation's name)
        self._augment = augment
        self.name = examples.name
        self.labels = examples.labels
        self._embed = embed_queries
        self._model_id = model_id
        self._context = context or FeatureContext()
        self._fitted_dir = fitted_dir
        self._fitted: FittedModel | None = None
        self._lock = threading.Lock()

    # -- features ------------------------------------------------------------------
    def features(self, vectors: np.ndarray, texts: Sequence[str],
                 previous: Sequence[str], previous_vectors: np.ndarray | None) -> np.ndarray:
        parts = [vectors]
        if self.examples.paired and previous_vectors is not None:
            cos = np.sum(vectors * previous_vectors, axis=1, keepdims=True)
            parts.append(cos)
        extra = [surface_features(self.examples.extra_features, t, p, self._context)
                 for t, p in zip(texts, previous)]
        if self.examples.extra_features:
            parts.append(np.asarray(extra, dtype=np.float32))
        return np.hstack(parts).astype(np.float32)

    def example_matrix(self, rows: list[tuple[Example, str]]) -> tuple[np.ndarray, list[str]]:
        texts = [embedding_text(e.text) for e, _ in rows]
        vectors = np.asarray(self._embed(texts), dtype=np.float32)
        prev_vectors = None
        if self.examples.paired:
            prev = [embedding_text(e.previous) if e.previous else "" for e, _ in rows]
            prev_vectors = np.asarray(self._embed([p or "." for p in prev]), dtype=np.float32)
        x = self.features(vectors, [e.text for e, _ in rows],
                          [e.previous for e, _ in rows], prev_vectors)
        return x, [label for _, label in rows]

    # -- fitting --------------------------------------------------------------------
    def fitted_path(self) -> Path:
        from kb.vector_pack import pack_path

        return pack_path(self._model_id, self._fitted_dir).with_name(
            f"{pack_path(self._model_id).stem}-{self.name}.npz")

    def model(self) -> FittedModel:
        if self._fitted is None:
            with self._lock:
                if self._fitted is None:
                    self._fitted = self.load_fitted() or self._fit_all()
        return self._fitted

    def digest(self) -> str:
        extra = getattr(self._augment, "__qualname__", "") if self._augment else ""
        return hashlib.sha1(f"{self.examples.digest()}:{extra}".encode()).hexdigest()

    def training_examples(self) -> ExampleSet:
        return self._augment(self.examples) if self._augment else self.examples

    def load_fitted(self) -> FittedModel | None:
        """The shipped weights, if they were fitted on these examples with this model."""
        path = self.fitted_path()
        if not path.exists():
            return None
        with np.load(path, allow_pickle=False) as data:
            if str(data["digest"]) != self.digest() or str(data["model_id"]) != self._model_id:
                return None
            return FittedModel(list(data["labels"]), data["coef"], data["intercept"],
                               str(data["digest"]), self._model_id)

    def _fit_all(self) -> FittedModel:
        x, y = self.example_matrix(self.training_examples().rows())
        coef, intercept = fit(x, y, self.labels)
        return FittedModel(self.labels, coef, intercept, self.digest(), self._model_id)

    def save(self) -> Path:
        fitted = self._fit_all()
        self._fitted = fitted
        path = self.fitted_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, labels=np.array(fitted.labels), coef=fitted.coef,
                 intercept=fitted.intercept, digest=np.array(fitted.digest),
                 model_id=np.array(self._model_id))
        return path

    # -- use ------------------------------------------------------------------------
    def predict(self, vector: Sequence[float], text: str, previous: str = "",
                previous_vector: Sequence[float] | None = None) -> Prediction:
        v = np.asarray([vector], dtype=np.float32)
        pv = np.asarray([previous_vector], dtype=np.float32) \
            if previous_vector is not None else (np.zeros_like(v) if self.examples.paired
                                                 else None)
        x = self.features(v, [text], [previous], pv)
        p = self.model().proba(x)[0]
        best = int(np.argmax(p))
        return Prediction(self.labels[best], float(p[best]),
                          {label: round(float(s), 4) for label, s in zip(self.labels, p)})

    def held_out_report(self, every: int = 5) -> dict:
        """Fit on 4/5 of each class, measure on the rest (the examples, not the eval sets)."""
        train, test = [], []
        for label, items in self.training_examples().classes.items():
            for i, e in enumerate(items):
                (test if i % every == every - 1 else train).append((e, label))
        xtr, ytr = self.example_matrix(train)
        xte, yte = self.example_matrix(test)
        coef, intercept = fit(xtr, ytr, self.labels)
        model = FittedModel(self.labels, coef, intercept, "", self._model_id)
        predicted = [self.labels[int(i)] for i in np.argmax(model.proba(xte), axis=1)]
        report = {}
        for label in self.labels:
            tp = sum(p == label and t == label for p, t in zip(predicted, yte))
            fp = sum(p == label and t != label for p, t in zip(predicted, yte))
            fn = sum(p != label and t == label for p, t in zip(predicted, yte))
            precision = tp / (tp + fp) if tp + fp else 0.0
            recall = tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            report[label] = {"precision": round(precision, 3), "recall": round(recall, 3),
                             "f1": round(f1, 3), "n": tp + fn}
        accuracy = sum(p == t for p, t in zip(predicted, yte)) / max(len(yte), 1)
        return {"classes": report, "accuracy": round(accuracy, 3), "n_test": len(yte),
                "n_train": len(ytr)}
