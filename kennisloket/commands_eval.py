"""CLI command `eval`: retrieval, answer, classifier and recommender quality."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from kennisloket.cli import app, err, friendly, kb_for_command, out, settings

PARTS = ("retrieval", "answers", "classifiers", "recommend", "losses")


@app.command("eval")
@friendly
def evaluate(
    part: Annotated[list[str] | None, typer.Option(
        help="retrieval, answers, classifiers, recommend, losses (herhaalbaar)")] = None,
    question_set: Annotated[list[str] | None, typer.Option(
        "--set",
        help="gold, heldout, dev, check, check2…check6, blind "
             "(herhaalbaar; standaard alle)")] = None,
    answers_out: Annotated[Path | None, typer.Option(
        "--answers-out", help="schrijf elke vraag met antwoord en trace naar dit JSON-bestand")]
    = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Meet de kwaliteit op de vragensets in evals/ (blind.jsonl: alleen rapporteren)."""
    from evals.answer_metrics import answer_set_metrics
    from evals.gold import SETS as known
    from evals.gold import load_gold, load_needs
    from evals.metrics import recommend_metrics, retrieval_metrics
    from kb.cards import load_cards
    from service.services import Services

    parts = part or [p for p in PARTS if p != "losses"]  # a diagnosis, asked for by name
    names = question_set or list(known)
    unknown = (set(parts) - set(PARTS)) | (set(names) - set(known))
    if unknown:
        err.print(f"[red]Fout:[/red] onbekend: {', '.join(sorted(unknown))}; kies uit "
                  f"{', '.join(PARTS)} en sets {', '.join(known)}")
        raise typer.Exit(2)
    current = settings()
    services = Services.build(current, kb=kb_for_command())
    sets = {n: load_gold(p) for n, p in known.items() if n in names and p.exists()}
    pack = {str(c.url) for c in load_cards(current.cards_dir)}
    result: dict = {"cards": len(pack)}
    if "retrieval" in parts:
        result["retrieval"] = {n: retrieval_metrics(services.kb.retriever, items,
                                                    modes=("dense", "lexical", "hybrid")
                                                    if n == "gold" else ("hybrid",))
                               for n, items in sets.items()}
    if "answers" in parts:
        result["answers"] = {n: answer_set_metrics(services.pipeline, items, pack,
                                                   keep_answers=answers_out is not None)
                             for n, items in sets.items()}
        if answers_out:
            answers_out.write_text(json.dumps(
                {n: r.pop("answers") for n, r in result["answers"].items()},
                ensure_ascii=False, indent=1), encoding="utf-8")
        else:
            for r in result["answers"].values():
                r.pop("answers")
    if "losses" in parts:
        from evals.answer_metrics import normal_url
        from evals.fact_losses import SETS as DIAGNOSED, losses

        cards = {normal_url(str(c.url)): c.body for c in load_cards(current.cards_dir)}
        # where key facts get lost is a diagnosis for tuning: never on blind
        result["losses"] = {n: dict(losses(services.pipeline, items, cards).most_common())
                            for n, items in sets.items() if n in DIAGNOSED}
    if "classifiers" in parts and services.decisions is not None:
        result["classifiers"] = {c.name: c.held_out_report()
                                 for c in services.decisions.all()}
    if "recommend" in parts and services.recommender is not None:
        result["recommend"] = recommend_metrics(services.recommender, load_needs())
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    _print(result)


def _fmt(value) -> str:
    return "–" if value is None else f"{value:.3f}"


def _print(result: dict) -> None:
    for name, modes in result.get("retrieval", {}).items():
        table = Table("modus", "recall@1", "recall@5", "recall@10", "MRR",
                      title=f"Retrieval op {name} ({result['cards']} kaarten)")
        for mode, m in modes.items():
            table.add_row(mode, *(_fmt(m[k]) for k in ("recall@1", "recall@5", "recall@10",
                                                        "mrr")))
        out.print(table)
    answers = result.get("answers", {})
    if answers:
        table = Table("set", "groep", "n", "beantwoord", "bron geciteerd", "kernfeiten",
                      "afgehandeld", title="Antwoorden (extractief)")
        for name, r in answers.items():
            for group, g in r["groups"].items():
                table.add_row(name, group, str(g["n"]), _fmt(g["answered"]), _fmt(g["cited"]),
                              _fmt(g["key_facts"]), _fmt(g["handled"]))
            interval = r.get("key_facts_interval")
            if interval:
                table.add_row(name, "kernfeiten, 95%-interval", "", "", "",
                              f"{interval[0]:.3f}–{interval[1]:.3f}", "")
            f = r["follow_up"]
            if f["f1"] is not None:
                table.add_row(name, "vervolgvraag-F1", str(f["tp"] + f["fp"] + f["fn"] + f["tn"]),
                              "", "", "", _fmt(f["f1"]))
        out.print(table)
        out.print("[dim]afgehandeld = geweigerd, of de ontbrekende term genoemd "
                  "(onbeantwoordbaar), of de onjuiste aanname gecorrigeerd; "
                  "in_pack/not_in_pack = de verwachte pagina heeft wel/geen kaart.[/dim]")
    for name, tally in result.get("losses", {}).items():
        total = sum(tally.values()) or 1
        table = Table("waar", "kernfeiten", "aandeel",
                      title=f"Waar kernfeiten verloren gaan ({name})")
        for where, n in tally.items():
            table.add_row(where, str(n), f"{n / total:.2f}")
        out.print(table)
    for name, report in result.get("classifiers", {}).items():
        table = Table("klasse", "precisie", "recall", "F1", "n",
                      title=f"Classificatie {name} (achtergehouden voorbeelden, "
                            f"nauwkeurigheid {report['accuracy']:.3f})")
        for label, c in report["classes"].items():
            table.add_row(label, _fmt(c["precision"]), _fmt(c["recall"]), _fmt(c["f1"]),
                          str(c["n"]))
        out.print(table)
    if "recommend" in result:
        r = result["recommend"]
        out.print(f"Interventiewijzer: hit@3 = {r['hit@3']:.3f} op {r['n']} behoeften"
                  + (f"; gemist: {', '.join(r['misses'])}" if r["misses"] else ""))
