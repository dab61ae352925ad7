"""Bounded load test of ``POST /v1/ask``: N concurrent clients for S seconds, loopback only.

Each client sends a question, waits for the answer, and sends the next (closed loop, no
think time), rotating through the gold questions so retrieval sees varied input. Loops are
bounded by the deadline and by a hard cap on requests; each request has a timeout.

    .venv/bin/python -m evals.load --url http://127.0.0.1:8000 --clients 50 --seconds 60

The server's rate limit must allow the load (``KENNISLOKET_RATE_LIMIT_PER_MINUTE``): all
clients come from one address. ``kennisloket bench --load`` sets that up itself, with
``server_process`` below (``kennisloket serve`` as a subprocess on a free loopback port).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx

HOST = "127.0.0.1"
LOOPBACK = {HOST, "localhost", "::1"}
MAX_REQUESTS_PER_CLIENT_SECOND = 200  # hard cap, far above what one server can serve


class LoadError(ValueError):
    """The load test cannot run (Dutch message)."""


def check_loopback(base_url: str) -> str:
    parts = urlsplit(base_url)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK:
        raise LoadError(f"De belastingstest mag alleen een lokale dienst benaderen "
                        f"(http://127.0.0.1:POORT), niet {base_url!r}.")
    return base_url.rstrip("/")


def default_questions() -> list[str]:
    from evals.gold import load_gold

    return [g.question for g in load_gold()]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0 for an empty list."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


async def _client(client: httpx.AsyncClient, index: int, questions: list[str], deadline: float,
                  cap: int, latencies: list[float], errors: Counter) -> None:
    for n in range(cap):
        if time.monotonic() >= deadline:
            return
        question = questions[(index * 7 + n) % len(questions)]
        start = time.perf_counter()
        try:
            response = await client.post("/v1/ask", json={"question": question})
            kind = None if response.status_code == 200 else f"HTTP {response.status_code}"
        except httpx.HTTPError as exc:
            kind = type(exc).__name__
        elapsed_ms = (time.perf_counter() - start) * 1000
        if kind:
            errors[kind] += 1
        else:
            latencies.append(elapsed_ms)


async def _run(base_url: str, clients: int, seconds: float, questions: list[str],
               timeout_s: float, warmup: int) -> dict:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, timeout=timeout_s, limits=limits,
                                 trust_env=False) as client:
        for question in questions[:warmup]:  # not counted: first-use costs
            await client.post("/v1/ask", json={"question": question})
        latencies: list[float] = []
        errors: Counter = Counter()
        cap = max(1, int(seconds * MAX_REQUESTS_PER_CLIENT_SECOND))
        start = time.monotonic()
        deadline = start + seconds
        await asyncio.wait_for(
            asyncio.gather(*(_client(client, i, questions, deadline, cap, latencies, errors)
                             for i in range(clients))),
            timeout=seconds + timeout_s + 5)  # in-flight requests end within their timeout
        wall = time.monotonic() - start
    done = len(latencies) + sum(errors.values())
    return {
        "url": base_url, "clients": clients, "seconds": round(wall, 1),
        "requests": done, "ok": len(latencies), "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        "throughput_rps": round(len(latencies) / wall, 2) if wall else 0.0,
        "latency_ms": {"p50": round(percentile(latencies, 50), 1),
                       "p95": round(percentile(latencies, 95), 1),
                       "p99": round(percentile(latencies, 99), 1),
                       "max": round(max(latencies, default=0.0), 1),
                       "mean": round(sum(latencies) / len(latencies), 1) if latencies else 0.0},
        "goal": {"errors": 0, "p95_ms": 1000},
    }


def run(base_url: str, clients: int = 50, seconds: float = 60, questions: list[str] | None = None,
        timeout_s: float = 30.0, warmup: int = 5) -> dict:
    """Run the load test against a loopback URL and return the figures."""
    base_url = check_loopback(base_url)
    if not 1 <= clients <= 500 or not 0 < seconds <= 600:
        raise LoadError("Kies 1–500 clients en een duur van 0–600 seconden.")
    questions = questions or default_questions()
    return asyncio.run(_run(base_url, clients, seconds, questions, timeout_s, warmup))


# -- a server to load: ``kennisloket serve`` as a subprocess on loopback -------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (from /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> dict:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = round(int(value.split()[0]) / 1024, 1)
    return {"rss_mb": fields.get("VmRSS"), "peak_rss_mb": fields.get("VmHWM")}


@contextmanager
def server_process(env_overrides: dict, with_ui: bool = True, start_timeout_s: float = 600):
    """``kennisloket serve`` on a free loopback port; yields (base_url, pid)."""
    port = free_port()
    env = {**os.environ, **env_overrides}
    cmd = [sys.executable, "-c", "from kennisloket.cli import main; main()", "serve",
           "--host", HOST, "--port", str(port), *([] if with_ui else ["--no-ui"])]
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + start_timeout_s
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise LoadError("kennisloket serve stopte: "
                                   + log.read().decode(errors="replace")[-2000:])
            try:
                if httpx.get(f"{url}/healthz", timeout=2, trust_env=False).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise LoadError("kennisloket serve werd niet op tijd gereed")
            time.sleep(0.2)  # bench (f) times the start to the first answer
        yield url, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)
        log.close()


def warm_up(url: str, questions: list[str], n: int = 30) -> None:
    with httpx.Client(base_url=url, timeout=60, trust_env=False) as client:
        for q in questions[:n]:
            client.post("/v1/ask", json={"question": q})
        client.get("/v1/search", params={"q": questions[0]})
        client.get("/ui/")


def table(result: dict):
    from rich.table import Table

    lat = result["latency_ms"]
    out = Table("maat", "waarde", "doel",
                title=f"Belastingstest /v1/ask: {result['clients']} clients, "
                      f"{result['seconds']} s")
    out.add_row("verzoeken (geslaagd)", f"{result['requests']} ({result['ok']})", "")
    out.add_row("doorvoer", f"{result['throughput_rps']} verzoeken/s", "")
    out.add_row("fouten", str(result["errors"]) + (f" {result['error_kinds']}"
                                                   if result["errors"] else ""), "0")
    for key in ("p50", "p95", "p99", "max"):
        out.add_row(f"latentie {key}", f"{lat[key]:.0f} ms", "≤ 1000 ms" if key == "p95" else "")
    return out


def main(argv: list[str] | None = None) -> int:
    from rich.console import Console

    parser = argparse.ArgumentParser(description="Belastingstest van POST /v1/ask (lokaal).")
    parser.add_argument("--url", required=True, help="bv. http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--json", action="store_true", help="alleen JSON afdrukken")
    args = parser.parse_args(argv)
    try:
        result = run(args.url, args.clients, args.seconds)
    except LoadError as exc:
        Console(stderr=True).print(f"[red]Fout:[/red] {exc}")
        return 2
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        Console().print(table(result))
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
