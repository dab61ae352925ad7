"""Mode templates: turn verified statements into the text each user group needs.

The texts (salutations, headings, notes) are in ``service/config/answering.yaml``
(``modes`` and ``interventions``); this module only arranges them.
"""

from __future__ import annotations

import re

from kb.dutch_dates import dutch_date
from service.config import AnsweringConfig, InterventionsCfg
from service.models import RecommendedIntervention
from service.pipeline.types import AnswerState, Statement


def source_lines(state: AnswerState) -> list[str]:
    return [f"[{c.n}] {c.title} ({c.site}, {dutch_date(c.published)}): {c.url}"
            for c in state.citations()]


def effect_text(item: RecommendedIntervention) -> str:
    months = item.effect_months
    return "" if months is None else f" (+{months} maanden)" if months >= 0 \
        else f" ({months} maanden)"


def has_effects(items: list[RecommendedIntervention]) -> bool:
    """Whether the effect note belongs under a list (some item has an effect in months)."""
    return any(item.effect_months is not None for item in items)


def intervention_lines(items: list[RecommendedIntervention], cfg: InterventionsCfg
                       ) -> list[str]:
    lines = []
    for i, item in enumerate(items, 1):
        lines.append(f"{i}. {item.name}{effect_text(item)} — {item.headline}. {item.why}"
                     + (f" ({item.links[0].url})" if item.links else ""))
    if has_effects(items):
        lines.append(cfg.effect_note)
    return lines


# what ties a list item to the next one: "…;", "…, en", "… of"
_LIST_ITEM_END = re.compile(r"(\s*[;,])?(\s+(en|of))?\s*$")


class Renderer:
    def __init__(self, config: AnsweringConfig) -> None:
        self.cfg = config

    def body(self, state: AnswerState) -> str:
        """Lead sentence on its own line, then one paragraph per source. Items of a list
        quoted after their introduction ("… blijken drie problemen:") show as a list."""
        paragraphs: list[list[str]] = []  # the lines of each paragraph
        last = None
        for st, listed in zip(state.statements, _list_items(state.statements)):
            if st.paragraph != last:
                paragraphs.append([])
                last = st.paragraph
            lines = paragraphs[-1]
            if listed:  # under its introduction, also when that one leads the answer
                (lines if lines or len(paragraphs) < 2 else paragraphs[-2]).append(
                    f"- {_as_item(st).render()}")
            elif lines and not lines[-1].startswith("- "):
                lines[-1] += f" {st.render()}"
            else:  # after a list a blank line: in Markdown it would join the last item
                lines += ["", st.render()] if lines else [st.render()]
        if state.lead and paragraphs:
            paragraphs[0][0] = f"{state.lead} {paragraphs[0][0]}"
        return "\n\n".join("\n".join(lines) for lines in paragraphs if lines)

    def preamble(self, state: AnswerState) -> list[str]:
        """What is said before the answer: notes on unsupported terms, funding warnings."""
        return [*state.notices, *state.warnings]

    def __call__(self, state: AnswerState) -> str:
        return getattr(self, f"_{state.mode}")(state)

    def interventions(self, state: AnswerState) -> list[str]:
        return intervention_lines(state.interventions, self.cfg.interventions)

    def _official(self, state: AnswerState) -> str:
        o = self.cfg.modes.official
        text = self.cfg.refusal.message if state.refused else \
            self.cfg.refusal.partial if _withheld(state) else self.body(state)
        preamble = self.preamble(state)
        if preamble:
            text = "\n".join(preamble) + ("\n\n" + text if text else "")
        if state.interventions:
            text = (text + "\n\n" if text else "") + o.interventions_heading + "\n" \
                + "\n".join(self.interventions(state))
        return text.strip()

    def _helpdesk(self, state: AnswerState) -> str:
        h = self.cfg.modes.helpdesk
        body = h.refusal_body if state.refused else \
            h.partial_body if _withheld(state) else self.body(state)
        parts = [h.salutation, "", h.opening, "", *self.preamble(state), body]
        if state.interventions:
            parts += ["", h.interventions_heading, *self.interventions(state)]
        if state.sources:
            parts += ["", h.sources_heading, *source_lines(state)]
        parts += ["", h.closing, "", h.signature]
        return "\n".join(parts)

    def _facilitator(self, state: AnswerState) -> str:
        f = self.cfg.modes.facilitator
        question = state.question.strip()
        if len(question.split()) <= f.max_theme_words and not question.endswith("?"):
            theme = question.rstrip(". ")
            title, intro = f.title.format(theme=theme), f.intro.format(theme=theme)
        else:
            theme = f.theme_for_question
            question += "" if question[-1] in ".?!" else "."
            title, intro = f.question_title, f.question_intro.format(question=question)
        parts = [f"# {title}", "", intro, "", f"## {f.facts_heading}"]
        parts += [f"- {line}" for line in self.preamble(state)]
        if state.refused or not state.statements:
            # no key facts: the refusal is said as such, not listed as if it were a fact
            parts.append(self.cfg.refusal.message if state.refused
                         else self.cfg.refusal.partial)
        else:
            if state.lead:
                parts.append(f"- {state.lead}")
            parts += [f"  - {_as_item(st).render()}" if listed else f"- {st.render()}"
                      for st, listed in zip(state.statements, _list_items(state.statements))]
        parts += ["", f"## {f.interventions_heading}"]
        parts += self.interventions(state) or [f"- {self.cfg.interventions.none_found}"]
        parts += ["", f"## {f.questions_heading}"]
        parts += [f"{i}. {q.format(theme=theme)}"
                  for i, q in enumerate(f.discussion_questions, 1)]
        parts += ["", f"## {f.sources_heading}"]
        parts += [f"- {line}" for line in source_lines(state)] or [f"- {f.no_sources}"]
        return "\n".join(parts)


def _list_items(statements: list[Statement]) -> list[bool]:
    """Per statement: an item of the list the statement before it introduces ("… blijken
    drie problemen:"), marked as one or continuing that sentence in lower case. A list does
    not run on into the next paragraph."""
    flags: list[bool] = []
    last, previous, listing = None, "", False
    for st in statements:
        if st.paragraph != last:
            last, listing = st.paragraph, False
        listing = ((listing or previous.rstrip().endswith(":"))
                   and (st.item or st.text[:1].islower()))
        flags.append(listing)
        previous = st.text
    return flags


def _as_item(st: Statement) -> Statement:
    """A list item without what tied it to the next one ("…;", "…, en")."""
    return Statement(_LIST_ITEM_END.sub("", st.text), st.sources)


def _withheld(state: AnswerState) -> bool:
    """The sources did not support an answer, but interventions or a funding note from the
    catalog are still shown: the reader must not take those for the answer itself."""
    return bool(state.refusal_reason) and not state.statements

