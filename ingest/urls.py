"""URL hygiene: normalisation, tracking-parameter stripping, origins.

Every URL the crawler stores or compares goes through :func:`normalize`, so the same page
reached with ``?utm_source=…``, a ``#fragment`` or an upper-case host is one page.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that only say where a visitor came from; they never change the content.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "_ga",
    "_gl", "yclid", "igshid", "ref", "ref_src", "s_cid", "sc_cid", "piwik_campaign",
    "piwik_kwd", "pk_campaign", "pk_kwd", "pk_source", "pk_medium", "mtm_campaign",
    "mtm_source", "mtm_medium", "mtm_content", "mtm_keyword", "hsctatracking",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def normalize(url: str) -> str:
    """Canonical form: lower-case scheme and host, no default port, no fragment, no
    tracking parameters, ``/`` for an empty path. Raises ``ValueError`` on a bad URL."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError(f"geen http(s)-adres: {url}")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise ValueError(f"adres zonder host: {url}")
    port = parts.port  # raises ValueError on a malformed port
    netloc = host if ":" not in host else f"[{host}]"
    if port and port != DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not is_tracking(k)])
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def origin(url: str) -> str:
    """``scheme://host[:port]`` of a normalised URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def resolve(base: str, href: str) -> str | None:
    """Absolute, normalised form of ``href`` on page ``base``; None for non-web links."""
    href = (href or "").strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    try:
        return normalize(urljoin(base, href))
    except ValueError:
        return None


def replace_origin(url: str, new_origin: str) -> str:
    parts = urlsplit(url)
    target = urlsplit(new_origin)
    return urlunsplit((target.scheme, target.netloc, parts.path, parts.query, ""))
