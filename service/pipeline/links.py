"""Web addresses in source sentences: one check, used by both composers.

A sentence that names an address on a host none of the sources is on is never quoted: a
poisoned page must not become a link to anywhere."""

from __future__ import annotations

import re
from urllib.parse import urlparse

URL = re.compile(r"(?:https?://|www\.)[^\s)\]>\"']+", re.I)


def host(url: str) -> str:
    url = url if "://" in url else f"https://{url}"
    return (urlparse(url.rstrip(".,;:")).hostname or "").removeprefix("www.")


def foreign_urls(text: str, allowed_hosts: set[str]) -> list[str]:
    """The addresses in ``text`` whose host is not one of ``allowed_hosts``."""
    return [u for u in URL.findall(text) if host(u) not in allowed_hosts]
