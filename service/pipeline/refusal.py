"""Stage 6: refuse honestly when no source is relevant enough (thresholds in config)."""

from __future__ import annotations

from service.config import RefusalCfg
from service.pipeline.types import AnswerState


class RefusalDecision:
    def __init__(self, cfg: RefusalCfg) -> None:
        self.cfg = cfg

    def __call__(self, state: AnswerState) -> AnswerState:
        reason = ""
        if not state.statements:
            reason = "geen bruikbare zin in de bronnen"
        elif state.top_dense < self.cfg.min_dense:
            reason = f"relevantie {state.top_dense:.3f} < {self.cfg.min_dense}"
        elif state.composer == "extractive" and state.term_overlap < self.cfg.min_overlap:
            reason = f"woordoverlap {state.term_overlap:.2f} < {self.cfg.min_overlap}"
        if reason:
            # Without a relevant source nothing is said; fitting interventions may still be
            # shown (they come from the catalog, with their own links).
            state.refused = not (state.interventions or state.warnings)
            state.refusal_reason = reason
            state.statements, state.sources, state.lead = [], [], ""
        return state
