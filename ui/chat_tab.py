"""Tab 'Vraag stellen' for officials: a conversation with sources beside every answer."""

from __future__ import annotations

import logging
import re
import time

import gradio as gr

from service.pipeline.types import InputRejected, Turn
from ui.feedback import FeedbackPanel
from ui.format import (answer_markdown, interventions_html, md_text, notice_html,
                       refusal_text, sources_html)

log = logging.getLogger(__name__)

EXAMPLES = [
    "Hoeveel NPO-geld krijgen gemeenten en hoe wordt het betaald?",
    "Hoe verantwoordt de gemeente de NPO-middelen?",
    "Wat mag een gemeente met GOAB-geld betalen?",
    "Wat is de rol van de gemeente bij thuiszitters?",
]
GENERIC_ERROR = ("Er ging iets mis bij het beantwoorden van uw vraag. Probeer het opnieuw; "
                 "blijft het misgaan, meld het dan bij de beheerder.")
SOURCES_HINT = "Stel een vraag; hier verschijnen dan de bronnen bij het antwoord."
PLACEHOLDER = ("**Welkom bij Kennisloket.** Stel een vraag over het Nationaal Programma "
               "Onderwijs, GOAB of voorschoolse educatie. Elk antwoord noemt zijn bronnen "
               "met een nummer, zoals [1]; u kunt doorvragen op het vorige antwoord.")
SEARCHING = "_Even zoeken in de bronnen…_"
STREAM_STEPS = 16  # pieces the answer appears in; the pipeline itself answers in one go
STREAM_PAUSE_S = 0.025


def stream_prefixes(text: str, steps: int = STREAM_STEPS) -> list[str]:
    """Growing prefixes of ``text``, cut at word boundaries, ending with the whole text."""
    cuts = [m.end() for m in re.finditer(r"\S+\s*", text)]
    if not cuts:
        return [text]
    stride = max(1, len(cuts) // steps)
    picks = cuts[stride - 1::stride]
    if not picks or picks[-1] != len(text):
        picks.append(len(text))
    return [text[:cut] for cut in picks]


def _constant(value):
    return lambda: value


def build_chat_tab(services) -> None:
    with gr.Tab("Vraag stellen", id="chat", elem_id="tab-chat"):
        turns = gr.State([])  # raw texts of the conversation, for follow-up questions
        last = gr.State(None)  # the latest Answer, rated by the feedback panel
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=420):
                chatbot = gr.Chatbot(
                    label="Gesprek", show_label=False, elem_id="chat-log", height=460,
                    placeholder=PLACEHOLDER, layout="bubble", buttons=["copy"],
                    feedback_options=None, autoscroll=True)
                error = gr.HTML("", elem_id="chat-error")
                with gr.Row(equal_height=True):
                    question = gr.Textbox(
                        label="Uw vraag", show_label=False, lines=1, max_lines=4, scale=5,
                        placeholder="Stel uw vraag over NP Onderwijs, GOAB of voorschoolse "
                                    "educatie en druk op Enter",
                        elem_id="chat-input", autofocus=True)
                    send = gr.Button("Vraag stellen", variant="primary", scale=1,
                                     min_width=130, elem_id="chat-send")
                gr.Markdown("**Voorbeeldvragen** (klik om te stellen):",
                            elem_classes=["examples-label"])
                with gr.Row(elem_classes=["examples"]):
                    example_buttons = [
                        gr.Button(text, size="sm", elem_id=f"chat-example-{i}",
                                  elem_classes=["example"])
                        for i, text in enumerate(EXAMPLES, 1)]
                new = gr.Button("Nieuw gesprek beginnen", size="sm", elem_id="chat-new",
                                scale=0, min_width=200)
            with gr.Column(scale=2, min_width=320):
                sources = gr.HTML(sources_html([], empty_hint=SOURCES_HINT),
                                  elem_id="chat-sources")
                FeedbackPanel(services, "chat", last)

    def respond(message: str, messages: list, history: list):
        before = list(messages or [])
        # Show the question at once; an LLM composer can take seconds.
        shown = [*before, {"role": "user", "content": md_text(message)},
                 {"role": "assistant", "content": SEARCHING}]
        yield shown, "", gr.skip(), history, gr.skip(), ""
        try:
            answer = services.pipeline.run(
                message or "", mode="official",
                history=[Turn(t["role"], t["content"]) for t in history or []])
        except InputRejected as exc:
            yield before, message, gr.skip(), history, gr.skip(), notice_html(str(exc), "warn")
            return
        except Exception:
            log.exception("chat answer failed")
            yield before, message, gr.skip(), history, gr.skip(), notice_html(
                GENERIC_ERROR, "error")
            return
        turn = len(history or []) // 2 + 1
        panel = sources_html(answer.citations, refusal=refusal_text(services, answer),
                             empty_hint=SOURCES_HINT, turn=turn) + \
            interventions_html(answer.interventions)
        for prefix in stream_prefixes(answer.answer)[:-1]:
            shown[-1] = {"role": "assistant",
                         "content": answer_markdown(prefix, answer.citations) + " ▌"}
            yield shown, "", gr.skip(), history, gr.skip(), ""
            time.sleep(STREAM_PAUSE_S)
        shown[-1] = {"role": "assistant",
                     "content": answer_markdown(answer.answer, answer.citations)}
        history = [*(history or []), {"role": "user", "content": answer.question},
                   {"role": "assistant", "content": answer.answer}]
        yield shown, "", panel, history, answer, ""

    outputs = [chatbot, question, sources, turns, last, error]
    inputs = [question, chatbot, turns]
    question.submit(respond, inputs, outputs)
    send.click(respond, inputs, outputs)
    for button, text in zip(example_buttons, EXAMPLES):
        button.click(_constant(text), outputs=question).then(respond, inputs, outputs)
    new.click(lambda: ([], "", sources_html([], empty_hint=SOURCES_HINT), [], None, ""),
              outputs=outputs)
    # The chat's own bin icon empties the messages; forget the conversation with them.
    chatbot.clear(lambda: (sources_html([], empty_hint=SOURCES_HINT), [], None, ""),
                  outputs=[sources, turns, last, error])
