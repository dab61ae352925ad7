"""A real Chroma server (``chroma run``) on a free loopback port, for scale-out and fault tests.

Network safety: the server binds 127.0.0.1 only and clients are pointed at 127.0.0.1.
``ChromaServer`` can be stopped and started again on the same port and data path, which is
how the fault tests simulate an outage and its recovery.

Fixtures defined here are imported by name into the test modules that use them.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

HOST = "127.0.0.1"
READY_TIMEOUT_S = 30.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def chroma_executable() -> list[str]:
    """The ``chroma`` console script next to this interpreter (the project's venv)."""
    script = Path(sys.executable).with_name("chroma")
    if script.exists():
        return [str(script)]
    found = shutil.which("chroma")
    if found:
        return [found]
    pytest.skip("het commando 'chroma' (chromadb) is niet geïnstalleerd")
    raise AssertionError  # unreachable; keeps type checkers quiet


class ChromaServer:
    """One ``chroma run`` process; ``stop()`` and ``start()`` keep port and data path."""

    def __init__(self, path: Path, port: int | None = None) -> None:
        self.path = path
        self.port = port or free_port()
        self.host = HOST
        self.proc: subprocess.Popen | None = None
        self.log_path = path.parent / f"chroma-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> ChromaServer:
        assert self.proc is None, "server draait al"
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "NO_COLOR": "1"}
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [*chroma_executable(), "run", "--path", str(self.path), "--host", self.host,
             "--port", str(self.port)],
            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        self._log = log
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"chroma run stopte meteen; zie {self.log_path}")
            try:
                if httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"chroma run werd niet binnen {READY_TIMEOUT_S:.0f} s gereed")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        self._log.close()
        # The port must really be free before a restart on the same port.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((self.host, self.port), timeout=0.2):
                    time.sleep(0.1)
            except OSError:
                return


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory) -> ChromaServer:
    """A Chroma server shared by the tests of one module."""
    server = ChromaServer(tmp_path_factory.mktemp("chroma") / "db").start()
    yield server
    server.stop()


@pytest.fixture
def own_chroma_server(tmp_path) -> ChromaServer:
    """A Chroma server for one test (which may stop and restart it)."""
    server = ChromaServer(tmp_path / "chroma-db").start()
    yield server
    server.stop()
