"""Per-client rate limit and request size limit (pure ASGI, so streaming stays intact).

Limited: every ``/v1/`` route and every POST to the Gradio app under ``/ui/`` (its API runs
the same answers: ``gradio_api/queue/join``, ``call``, ``run``, ``upload``, …); the page,
its assets and result streams are not. The client is the connecting address; an
``X-Forwarded-For`` header only counts when the operator names the proxy
(``forwarded_allow_ips``, applied by uvicorn's ``ProxyHeadersMiddleware`` in ``create_app``).
Without that setting a request carrying the header may have had its address rewritten by a
server that trusts loopback (uvicorn's default), so all such requests share one bucket:
inventing addresses buys nothing.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

UNTRUSTED_FORWARDED = "forwarded-by-unknown-proxy"


class TokenBucket:
    """``rate`` requests per minute per client, with bursts up to the same number.

    A bucket left alone long enough to be full again is the same as no bucket, so such
    buckets are dropped (every ``prune_every_s``, or sooner when the table grows past
    ``max_clients``): memory stays bounded however many addresses call."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic,
                 prune_every_s: float = 30.0, max_clients: int = 50_000) -> None:
        self.capacity = float(per_minute)
        self.refill = per_minute / 60.0
        self._clock = clock
        self._prune_every_s = prune_every_s
        self._max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()
        self._pruned_at = clock()

    def __len__(self) -> int:
        return len(self._buckets)

    def allow(self, client: str) -> tuple[bool, float]:
        now = self._clock()
        with self._lock:
            if (now - self._pruned_at >= self._prune_every_s
                    or len(self._buckets) >= self._max_clients):
                self._prune(now)
            tokens, last = self._buckets.get(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.refill)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                return True, 0.0
            self._buckets[client] = (tokens, now)
            return False, (1.0 - tokens) / self.refill

    def _prune(self, now: float) -> None:
        self._buckets = {client: (tokens, last) for client, (tokens, last)
                         in self._buckets.items()
                         if tokens + (now - last) * self.refill < self.capacity}
        self._pruned_at = now


async def _reply(send: Send, status: int, detail: str, headers: dict | None = None) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def is_limited(scope: Scope) -> bool:
    path = scope["path"]
    return path.startswith("/v1/") or (path.startswith("/ui/") and scope["method"] == "POST")


def client_key(scope: Scope, trust_forwarded: bool) -> str:
    if not trust_forwarded and any(name == b"x-forwarded-for"
                                   for name, _ in scope.get("headers") or []):
        return UNTRUSTED_FORWARDED
    return (scope.get("client") or ("?", 0))[0]


class LimitsMiddleware:
    def __init__(self, app: ASGIApp, per_minute: int, max_bytes: int,
                 trust_forwarded: bool = False) -> None:
        self.app = app
        self.bucket = TokenBucket(per_minute)
        self.max_bytes = max_bytes
        self.trust_forwarded = trust_forwarded

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_limited(scope):
            await self.app(scope, receive, send)
            return
        ok, wait = self.bucket.allow(client_key(scope, self.trust_forwarded))
        if not ok:
            await _reply(send, 429, "Te veel verzoeken achter elkaar. Wacht even en probeer "
                         "het opnieuw.", {"Retry-After": str(int(wait) + 1)})
            return
        if not scope["path"].startswith("/v1/"):  # Gradio keeps its own upload limits
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await _reply(send, 413, f"Het verzoek is te groot (maximaal {self.max_bytes} bytes).")
            return
        seen = 0

        async def limited() -> dict:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:  # chunked upload without a length header
                raise _TooLarge()
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await _reply(send, 413, f"Het verzoek is te groot (maximaal {self.max_bytes} bytes).")


class _TooLarge(Exception):
    pass
