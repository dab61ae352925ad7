"""Bench (f), cold paths (issue 13): what a new user and every command-line question meet.

Each figure is its own process, wall time from its start (Python start-up included):

* first start: ``kennisloket ask`` on an empty data directory to its answer (the cards load
  with the shipped vectors), then the same ``ask`` on the now warm directory (warm start),
  interleaved with ``status`` (opens the same knowledge base without answering);
* ``serve`` (with the web interface) on an empty data directory to its first answered
  ``POST /v1/ask``, then again on the now warm one.

CPU time (user + system) of each command is recorded too: on a busy machine it moves less
than wall time. Goals: first start ≤ 2 × warm and ≤ 20 s; ``ask`` ≤ 1.5 × ``status``, ~2 s.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from evals.load import server_process

COLD_METHOD = (
    "Elke meting is een eigen proces (`kennisloket …`), wandkloktijd inclusief het starten van "
    "Python. Eerste start: `ask` op een lege gegevensmap tot het eerste antwoord (de "
    "meegeleverde kennisbank wordt uitgepakt, of de kaarten laden met de meegeleverde "
    "vectoren). Warme start: dezelfde `ask` daarna op de gevulde map. `status` opent dezelfde "
    "kennisbank zonder te antwoorden. Drie rondes (eerste start, status, warme start), elk "
    "op een eigen lege map, medianen; daarnaast de CPU-tijd van elk proces (minder gevoelig "
    "voor een drukke machine).")
COLD_GOALS = {"first_vs_warm": 2.0, "first_start_s": 20.0, "ask_vs_status": 1.5, "ask_s": 2.0}


def cli_command() -> list[str]:
    """The console script next to this interpreter (what a user runs)."""
    script = Path(sys.executable).with_name("kennisloket")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from kennisloket.cli import main; main()"]


def timed_cli(args: list[str], env: dict) -> tuple[float, float]:
    """(wall, CPU) seconds of one ``kennisloket`` process; a failure is an error, not a
    figure. CPU time (user + system) moves less than wall time on a busy machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run([*cli_command(), *args], env=env, capture_output=True, text=True,
                          timeout=1800)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"kennisloket {' '.join(args)} faalde: {done.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cold_paths(settings, question: str, work: Path, repeats: int = 3) -> dict:
    """First start vs warm start, and a command-line ``ask`` vs ``status``; each measured
    ``repeats`` times (a first start on its own empty directory each time), medians."""
    load_start = list(os.getloadavg())
    firsts: list[tuple[float, float]] = []
    asks: list[tuple[float, float]] = []
    statuses: list[tuple[float, float]] = []
    for run in range(repeats):  # interleaved: machine noise hits all three alike
        env = {**os.environ, "KENNISLOKET_DATA_DIR": str(work / f"run{run}"),
               "KENNISLOKET_CARDS_DIR": str(Path(settings.cards_dir).resolve()),
               "KENNISLOKET_EMBEDDING_MODEL": settings.embedding_model}
        firsts.append(timed_cli(["ask", question], env))
        statuses.append(timed_cli(["status"], env))
        asks.append(timed_cli(["ask", question], env))
    first = statistics.median(a for a, _ in firsts)
    warm = statistics.median(a for a, _ in asks)
    status = statistics.median(v for v, _ in statuses)
    first_cpu = statistics.median(c for _, c in firsts)
    warm_cpu = statistics.median(c for _, c in asks)
    status_cpu = statistics.median(c for _, c in statuses)
    return {"first_start_s": round(first, 2), "warm_start_s": round(warm, 2),
            "status_s": round(status, 2), "first_runs_s": [round(a, 2) for a, _ in firsts],
            "ask_runs_s": [round(a, 2) for a, _ in asks],
            "status_runs_s": [round(v, 2) for v, _ in statuses],
            "first_vs_warm": round(first / warm, 2), "ask_vs_status": round(warm / status, 2),
            "cpu_s": {"first_start": round(first_cpu, 2), "warm_start": round(warm_cpu, 2),
                      "status": round(status_cpu, 2),
                      "first_vs_warm": round(first_cpu / warm_cpu, 2),
                      "ask_vs_status": round(warm_cpu / status_cpu, 2)},
            "goals": COLD_GOALS, "question": question,
            "load_avg_start": load_start, "load_avg_end": list(os.getloadavg()),
            "method": COLD_METHOD}


def serve_starts(settings, question: str, work: Path) -> dict:
    """``serve`` started on an empty data directory, then on the same (now warm) one; each
    timed from the process start to its first answered question."""
    import httpx

    env = {"KENNISLOKET_DATA_DIR": str(work),
           "KENNISLOKET_CARDS_DIR": str(Path(settings.cards_dir).resolve()),
           "KENNISLOKET_EMBEDDING_MODEL": settings.embedding_model}
    out: dict = {}
    for label in ("first", "warm"):
        t = time.perf_counter()
        with server_process(env) as (url, _pid):
            out[f"{label}_ready_s"] = round(time.perf_counter() - t, 2)  # /healthz polled
            answer = httpx.post(f"{url}/v1/ask", json={"question": question}, timeout=300,
                                trust_env=False)
            answer.raise_for_status()
            out[f"{label}_start_s"] = round(time.perf_counter() - t, 2)
    out["first_vs_warm"] = round(out["first_start_s"] / out["warm_start_s"], 2)
    return out


def run(settings, question: str, repeats: int = 3) -> dict:
    """(f) in one temporary directory: the command-line figures, then ``serve``."""
    with tempfile.TemporaryDirectory(prefix="kennisloket-cold-") as tmp:
        result = cold_paths(settings, question, Path(tmp) / "data", repeats)
        result["serve"] = serve_starts(settings, question, Path(tmp) / "serve")
    result["load_avg_end"] = list(os.getloadavg())
    return result


if __name__ == "__main__":  # (f) alone: python -m evals.bench_cold ["question"]
    from kb.settings import load_settings

    figures = run(load_settings(), sys.argv[1] if len(sys.argv) > 1 else
                  "Tot wanneer mogen gemeenten de NPO-middelen besteden?")
    print(json.dumps(figures, ensure_ascii=False, indent=2))
