"""Fit the extractive composer's sentence weights on the tuning sets (never on blind).

For every in-scope question of the tuning sets the pipeline runs up to the composer; each
candidate sentence is labelled by whether it holds one of the question's key facts. A
logistic regression over the composer's signals (compose_extractive.FEATURES) is fitted,
cross-validated by question (no question in both train and test folds), and its weights,
scaled so that ``lex`` stays near 1, are printed as YAML for ``answering.yaml``.
"""

from __future__ import annotations

import numpy as np

from evals.answer_metrics import fact_found, normal_text
from evals.gold import GoldQuestion
from service.pipeline.compose_extractive import FEATURES, ExtractiveComposer
from service.pipeline.types import Turn


def sentence_rows(pipeline, items: list[GoldQuestion]
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels and question index of every candidate sentence."""
    composer = pipeline.stage(ExtractiveComposer)
    xs, ys, groups = [], [], []
    for qi, item in enumerate(i for i in items if i.in_scope and i.facts):
        state = pipeline.state_before(composer, item.question, item.mode,
                                      [Turn("user", h) for h in item.history])
        cands, _, _ = composer.candidates(state)
        for cand in (c for c in cands if c.alone):
            text = normal_text(cand.text)
            xs.append([cand.features[f] for f in FEATURES])
            ys.append(any(fact_found(f.match, text) for f in item.facts))
            groups.append(qi)
    return np.asarray(xs), np.asarray(ys, dtype=int), np.asarray(groups)


def top_hit_rate(scores: np.ndarray, y: np.ndarray, groups: np.ndarray, k: int = 3) -> float:
    """Share of questions (with any positive sentence) whose top-k sentences hold a fact."""
    hits = total = 0
    for g in np.unique(groups):
        mask = groups == g
        if not y[mask].any():
            continue
        order = np.argsort(-scores[mask])[:k]
        hits += bool(y[mask][order].any())
        total += 1
    return hits / max(total, 1)


def fit_weights(x: np.ndarray, y: np.ndarray, groups: np.ndarray, c: float = 1.0) -> dict:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    folds = GroupKFold(n_splits=5)
    cv_scores = np.zeros(len(y))
    for train, test in folds.split(x, y, groups):
        model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
        model.fit(x[train], y[train])
        cv_scores[test] = model.decision_function(x[test])
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced").fit(x, y)
    coef = model.coef_[0]
    scale = abs(coef[FEATURES.index("lex")]) or 1.0
    return {"weights": {f: round(float(w / scale), 3) for f, w in zip(FEATURES, coef)},
            "cv_top1": round(top_hit_rate(cv_scores, y, groups, 1), 3),
            "cv_top3": round(top_hit_rate(cv_scores, y, groups, 3), 3),
            "positives": int(y.sum()), "sentences": int(len(y)),
            "questions": int(len(np.unique(groups)))}


def current_rate(x: np.ndarray, y: np.ndarray, groups: np.ndarray, weights: dict) -> dict:
    w = np.asarray([weights.get(f, 0.0) for f in FEATURES])
    scores = x @ w
    return {"top1": round(top_hit_rate(scores, y, groups, 1), 3),
            "top3": round(top_hit_rate(scores, y, groups, 3), 3)}
