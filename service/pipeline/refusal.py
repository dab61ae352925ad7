"""Stage 6: refuse honestly when the sources do not support an answer.

The decision is a small logistic model over signals of the answer (config ``refusal``):
how close the best chunk and the best sentence are to the question, how much of the
question the sources and the chosen sentences mention, and whether salient terms or the
very value asked for are missing (pipeline/grounding.py). Its weights are fitted on the
gold and dev sets (evals/fit_refusal.py); the threshold trades wrong answers for wrong
refusals.
"""

from __future__ import annotations

import math

from service.config import RefusalCfg
from service.pipeline.grounding import join_terms
from service.pipeline.types import AnswerState

SIGNALS = ("top_dense", "best_sem", "hit_coverage", "answer_coverage", "unsupported_share",
           "value_missing")


def signals(state: AnswerState) -> dict[str, float]:
    values = {"top_dense": state.top_dense, "answer_coverage": state.term_overlap,
              "best_sem": 0.0, "hit_coverage": 0.0, "unsupported_share": 0.0,
              "value_missing": 0.0}
    values.update(state.signals)
    return {k: values[k] for k in SIGNALS}


def support_probability(cfg: RefusalCfg, values: dict[str, float]) -> float:
    z = cfg.intercept + sum(cfg.weights.get(k, 0.0) * v for k, v in values.items())
    return 1.0 / (1.0 + math.exp(-z))


class RefusalDecision:
    def __init__(self, cfg: RefusalCfg, unsupported_note: str = "{terms}") -> None:
        self.cfg = cfg
        self.unsupported_note = unsupported_note  # names what no source supports

    def __call__(self, state: AnswerState) -> AnswerState:
        reason = ""
        if not state.statements:
            reason = "geen bruikbare zin in de bronnen"
        else:
            values = signals(state)
            p = support_probability(self.cfg, values)
            state.trace["support_probability"] = round(p, 3)
            if p < self.cfg.threshold:
                reason = f"te weinig steun in de bronnen (kans {p:.2f} < {self.cfg.threshold})"
                if state.unsupported_terms:
                    reason += "; niet in de bronnen: " + ", ".join(state.unsupported_terms)
        if reason:
            state.trace["refusal_reason"] = reason
            # naming what no source supports says why there is no answer
            state.notices = [self.unsupported_note.format(terms=join_terms(state.unsupported_terms))
                             ] if state.unsupported_terms else []
            # Without a relevant source nothing is said; fitting interventions may still be
            # shown (they come from the catalog, with their own links).
            state.refused = not (state.interventions or state.warnings)
            state.refusal_reason = reason
            state.statements, state.sources, state.lead = [], [], ""
        return state

