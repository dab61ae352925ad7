"""Kennisloket as a real server process (``kennisloket serve`` or plain ``uvicorn``) on a
free loopback port, with its own data directory; stopped by its own process id."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from chroma_server import HOST, free_port

BIN = Path(sys.executable).parent
MINI_CARDS = Path(__file__).resolve().parents[1] / "fixtures" / "cards" / "mini"
READY_TIMEOUT_S = 180.0


def server_env(data_dir: Path, **settings: str) -> dict[str, str]:
    env = {**os.environ, "KENNISLOKET_DATA_DIR": str(data_dir),
           "KENNISLOKET_CARDS_DIR": str(MINI_CARDS), "COLUMNS": "200",
           "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1",
           "HF_HUB_DISABLE_TELEMETRY": "1", "ANONYMIZED_TELEMETRY": "False"}
    env.update({f"KENNISLOKET_{k.upper()}": v for k, v in settings.items()})
    return env


class LiveServer:
    def __init__(self, command: list[str], env: dict[str, str], log_path: Path,
                 port: int) -> None:
        self.url = f"http://{HOST}:{port}"
        self.log_path = log_path
        self._log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(command, env=env, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_ready()

    @classmethod
    def serve(cls, env: dict[str, str], log_path: Path, *extra: str) -> LiveServer:
        port = free_port()
        return cls([str(BIN / "kennisloket"), "serve", "--host", HOST, "--port", str(port),
                    *extra], env, log_path, port)

    @classmethod
    def uvicorn(cls, env: dict[str, str], log_path: Path, *extra: str) -> LiveServer:
        """The ASGI entry under uvicorn's own defaults (which trust X-Forwarded-For from
        127.0.0.1); the store is seeded first, as the operations guide says."""
        subprocess.run([str(BIN / "kennisloket"), "status"], env=env, check=True,
                       capture_output=True, timeout=300)
        port = free_port()
        return cls([str(BIN / "uvicorn"), "kennisloket.asgi:app", "--host", HOST,
                    "--port", str(port), *extra], env, log_path, port)

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server stopte: {self.log_path.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server niet gereed; zie {self.log_path}")

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._log.close()
        return self.log_path.read_text(errors="replace")
