"""ASGI entry for multi-worker servers:
``uvicorn kennisloket.asgi:app --workers 4 --no-proxy-headers``.

Settings come from the environment; workers are stateless and can share one Chroma server
(KENNISLOKET_CHROMA_HOST). The app handles ``X-Forwarded-For`` itself, trusting only the
proxies in KENNISLOKET_FORWARDED_ALLOW_IPS; ``--no-proxy-headers`` stops uvicorn from also
trusting 127.0.0.1 (its default). Without it the rate limit still cannot be dodged with
invented addresses: untrusted forwarded requests share one bucket.
"""

from kb.settings import load_settings
from kennisloket.server import build_app

app = build_app(load_settings())
