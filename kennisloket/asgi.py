"""ASGI entry for multi-worker servers: ``uvicorn kennisloket.asgi:app --workers 4``.

Settings come from the environment; workers are stateless and can share one Chroma server
(KENNISLOKET_CHROMA_HOST).
"""

from kb.settings import load_settings
from kennisloket.server import build_app

app = build_app(load_settings())
