"""CLI command `eval`: retrieval, answer and recommender quality on the gold sets."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from kennisloket.cli import app, err, friendly, kb_for_command, out, settings

PARTS = ("retrieval", "answers", "recommend")


@app.command("eval")
@friendly
def evaluate(
    part: Annotated[list[str] | None, typer.Option(help="retrieval, answers, recommend")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Meet de kwaliteit op de gouden vragensets in evals/."""
    from evals.gold import HELDOUT, load_gold, load_needs
    from evals.metrics import answer_metrics, recommend_metrics, retrieval_metrics
    from service.services import Services

    parts = part or list(PARTS)
    unknown = set(parts) - set(PARTS)
    if unknown:
        err.print(f"[red]Fout:[/red] onbekend onderdeel {', '.join(unknown)}; kies uit {PARTS}")
        raise typer.Exit(2)
    services = Services.build(settings(), kb=kb_for_command())
    gold = load_gold()
    heldout = load_gold(HELDOUT)
    result: dict = {}
    if "retrieval" in parts:
        result["retrieval"] = retrieval_metrics(services.kb.retriever, gold)
        result["retrieval_heldout"] = retrieval_metrics(services.kb.retriever, heldout,
                                                        modes=("hybrid",))
    if "answers" in parts:
        result["answers"] = answer_metrics(services.pipeline, gold)
        result["answers_heldout"] = answer_metrics(services.pipeline, heldout)
    if "recommend" in parts and services.recommender is not None:
        result["recommend"] = recommend_metrics(services.recommender, load_needs())
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    if "retrieval" in result:
        table = Table("modus", "recall@1", "recall@5", "recall@10", "MRR", "ms/vraag",
                      title=f"Retrieval ({sum(g.in_scope for g in gold)} vragen)")
        rows = [*result["retrieval"].items(),
                *((f"{m} (heldout, {sum(g.in_scope for g in heldout)})", v)
                  for m, v in result["retrieval_heldout"].items())]
        for mode, m in rows:
            table.add_row(mode, *(f"{m[k]:.3f}" for k in ("recall@1", "recall@5", "recall@10",
                                                          "mrr")), f"{m['ms_per_query']:.1f}")
        out.print(table)
    if "answers" in result:
        a, h = result["answers"], result["answers_heldout"]
        table = Table("maat", "gold", "heldout", "doel", title="Antwoorden")
        for key, label, goal in (("answered_in_scope", "beantwoord (binnen bereik)", "≥ 0.95"),
                                 ("refused_out_of_scope", "geweigerd (buiten bereik)", "≥ 0.90"),
                                 ("citation_validity", "geldige \\[n]-verwijzingen", "1.00"),
                                 ("citation_hit", "verwachte bron geciteerd", "≥ 0.85"),
                                 ("key_facts", "kernfeiten aanwezig", "≥ 0.85")):
            table.add_row(label, f"{a[key]:.3f}", f"{h[key]:.3f}", goal)
        out.print(table)
        failures = a["failures"] + h["failures"]
        if failures:
            err.print("[dim]Afwijkingen: " + ", ".join(failures[:60]) + "[/dim]")
    if "recommend" in result:
        r = result["recommend"]
        out.print(f"Interventiewijzer: hit@3 = {r['hit@3']:.3f} op {r['n']} behoeften (doel ≥ 0.85)"
                  + (f"; gemist: {', '.join(r['misses'])}" if r["misses"] else ""))
