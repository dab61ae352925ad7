"""Fit the refusal model (service/pipeline/refusal.py) on the tuning sets (never on blind).

Every question of the tuning sets runs through the pipeline up to the refusal stage; its
signals are labelled 1 when the question is answerable from the sources (in scope) and 0
when it is not (out of scope, unanswerable). False-premise questions are left out: they
should be answered with a correction. A logistic regression is fitted on standardised
signals, cross-validated by question, and printed in the units of ``answering.yaml``.
"""

from __future__ import annotations

import numpy as np

from evals.gold import GoldQuestion
from service.pipeline.refusal import SIGNALS, RefusalDecision, signals
from service.pipeline.types import Turn


def signal_rows(pipeline, items: list[GoldQuestion]) -> tuple[np.ndarray, np.ndarray]:
    refusal = pipeline.stage(RefusalDecision)
    xs, ys = [], []
    for item in items:
        if item.category == "false_premise":
            continue
        state = pipeline.state_before(refusal, item.question, item.mode,
                                      [Turn("user", h) for h in item.history])
        if not state.statements:  # refused whatever the model says
            values = {k: 0.0 for k in SIGNALS}
        else:
            values = signals(state)
        xs.append([values[k] for k in SIGNALS])
        ys.append(int(item.in_scope))
    return np.asarray(xs), np.asarray(ys)


def fit_refusal(x: np.ndarray, y: np.ndarray, c: float = 1.0) -> dict:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mean) / std
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    cv = cross_val_predict(model, z, y, cv=StratifiedKFold(5, shuffle=True, random_state=0),
                           method="predict_proba")[:, 1]
    model.fit(z, y)
    weights = model.coef_[0] / std
    intercept = float(model.intercept_[0] - np.sum(model.coef_[0] * mean / std))
    return {"weights": {k: round(float(w), 4) for k, w in zip(SIGNALS, weights)},
            "intercept": round(intercept, 4), "cv_probabilities": cv}


def rates(p: np.ndarray, y: np.ndarray, threshold: float) -> dict:
    answered = p >= threshold
    return {"threshold": threshold,
            "answered_in_scope": round(float(answered[y == 1].mean()), 3),
            "refused_not_answerable": round(float((~answered)[y == 0].mean()), 3)}
