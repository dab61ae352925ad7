"""A real HTTP server on 127.0.0.1 serving the fixture sites, with programmable behaviour.

One ``ThreadingHTTPServer`` per site (own port), so root-relative links work exactly as on
the real site. Files: ``/a/b`` is served from ``a/b``, ``a/b.html`` or ``a/b/index.html``.
Every response carries an ETag (content hash) and Last-Modified (file mtime) and honours
``If-None-Match`` / ``If-Modified-Since`` with 304. ``behaviours[(site, path)]`` overrides a
path: ``{"status": 410}``, ``{"redirect": "/x", "code": 301}``, ``{"status": 429,
"times": 1}`` (then normal), ``{"sleep": 2.0}``, ``{"no_validators": True}``,
``{"no_etag": True}``, ``{"content_type": "..."}``.
"""

from __future__ import annotations

import hashlib
import threading
import time
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

TYPES = {".html": "text/html", ".pdf": "application/pdf", ".xml": "application/xml",
         ".txt": "text/plain", ".gz": "application/gzip"}


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a client that timed out and hung up is part of the tests, not a failure


class FixtureServer:
    def __init__(self, root: Path, sites: list[str]) -> None:
        self.root = root
        self.behaviours: dict[tuple[str, str], dict] = {}
        self.requests: list[tuple[str, str, dict, float]] = []  # site, path, headers, time
        self.delay_s = 0.0
        self._lock = threading.Lock()
        self._servers: dict[str, ThreadingHTTPServer] = {}
        for site in sites:
            server = _QuietServer(("127.0.0.1", 0), self._handler(site))
            self._servers[site] = server
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def origin(self, site: str) -> str:
        return f"http://127.0.0.1:{self._servers[site].server_address[1]}"

    def paths(self, site: str | None = None) -> list[str]:
        with self._lock:
            return [p for s, p, _, _ in self.requests if site is None or s == site]

    def count(self) -> int:
        with self._lock:
            return len(self.requests)

    def close(self) -> None:
        for server in self._servers.values():
            server.shutdown()
            server.server_close()

    def _file(self, site: str, path: str) -> Path | None:
        base = self.root / site
        rel = path.strip("/")
        for candidate in ([base / "index.html"] if not rel else
                          [base / rel, base / f"{rel}.html", base / rel / "index.html"]):
            if candidate.is_file() and base.resolve() in candidate.resolve().parents:
                return candidate
        return None

    def _handler(self, site: str):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server API
                path = urlsplit(self.path).path
                with server._lock:
                    server.requests.append((site, path, dict(self.headers), time.monotonic()))
                    rule = server.behaviours.get((site, path), {})
                    if rule.get("times") is not None:
                        if rule["times"] <= 0:
                            rule = {}
                        else:
                            rule["times"] -= 1
                if server.delay_s:
                    time.sleep(server.delay_s)
                if rule.get("sleep"):
                    time.sleep(rule["sleep"])
                if "redirect" in rule:
                    return self._send(rule.get("code", 301), b"", {"Location": rule["redirect"]})
                if rule.get("status"):
                    headers = {"Retry-After": "0"} if rule["status"] == 429 else {}
                    return self._send(rule["status"], b"fout", headers)
                file = server._file(site, path)
                if file is None:
                    return self._send(404, b"<h1>Niet gevonden</h1>", {})
                body = file.read_bytes()
                ctype = rule.get("content_type") or TYPES.get(file.suffix, "text/html")
                headers = {"Content-Type": ctype}
                if not rule.get("no_validators"):
                    etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                    modified = int(file.stat().st_mtime)
                    headers["Last-Modified"] = formatdate(modified, usegmt=True)
                    if not rule.get("no_etag"):
                        headers["ETag"] = etag
                    if self.headers.get("If-None-Match") == etag:
                        return self._send(304, b"", headers)
                    since = self.headers.get("If-Modified-Since")
                    if since and not self.headers.get("If-None-Match"):
                        if parsedate_to_datetime(since).timestamp() >= modified:
                            return self._send(304, b"", headers)
                return self._send(200, body, headers)

            def _send(self, status: int, body: bytes, headers: dict) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status != 304:
                    try:
                        self.wfile.write(body)
                    except (BrokenPipeError, ConnectionResetError):
                        pass

        return Handler
