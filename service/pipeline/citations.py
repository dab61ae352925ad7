"""Stage 5: every ``[n]`` must point at a given source; anything else is dropped."""

from __future__ import annotations

from dataclasses import replace

from service.pipeline.types import AnswerState, Statement


class CitationCheck:
    def __call__(self, state: AnswerState) -> AnswerState:
        valid = set(range(1, len(state.sources) + 1))
        kept: list[Statement] = []
        for st in state.statements:
            sources = tuple(n for n in st.sources if n in valid)
            if sources:  # a statement without a valid source is not said at all
                kept.append(replace(st, sources=sources))
        state.statements = kept
        used = sorted({n for st in kept for n in st.sources})
        if used != sorted(valid):  # renumber so the cited sources are exactly 1..m
            remap = {old: new for new, old in enumerate(used, 1)}
            state.sources = [state.sources[old - 1] for old in used]
            state.statements = [replace(st, sources=tuple(remap[n] for n in st.sources))
                                for st in kept]
        return state
