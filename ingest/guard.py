"""SSRF guard: decide *before any connection* whether a URL may be requested.

Rules, in order:
1. only ``http``/``https``;
2. the origin must be one the caller allows (the profile's public origin, or its mirror);
   anything else is refused without even a DNS lookup;
3. the host's addresses (IP literal, or every address DNS returns) must be public: loopback,
   private, link-local (e.g. 169.254.169.254 cloud metadata), multicast, reserved and
   unspecified ranges are refused, unless the origin is the explicitly configured mirror.

Known limit: between our lookup and httpx's own lookup DNS could change (rebinding); the
allow-list of origins in rule 2 is what keeps that window small.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

Resolver = Callable[[str], list[str]]


class BlockedURL(Exception):
    """The URL may not be requested; ``str(exc)`` is the Dutch reason."""


def system_resolver(host: str) -> list[str]:
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({info[4][0] for info in infos})


def is_public_ip(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
                or ip.is_reserved or ip.is_unspecified or not ip.is_global)


class Guard:
    def __init__(self, allowed_origins: Iterable[str], trusted_origins: Iterable[str] = (),
                 resolver: Resolver = system_resolver) -> None:
        """``allowed_origins``: where requests may go. ``trusted_origins``: the subset that
        may resolve to a private or loopback address (explicitly configured mirrors)."""
        self.allowed = {o.lower() for o in allowed_origins}
        self.trusted = {o.lower() for o in trusted_origins}
        self._resolve = resolver
        self._checked: dict[str, None | str] = {}

    def check(self, url: str) -> None:
        """Raise :class:`BlockedURL` unless ``url`` may be requested."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise BlockedURL(f"geen http(s)-adres: {url}")
        host = (parts.hostname or "").lower()
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        if not host or origin not in self.allowed:
            raise BlockedURL(f"buiten de toegestane site: {origin or url}")
        if origin in self.trusted:
            return
        if host not in self._checked:
            self._checked[host] = self._address_problem(host)
        problem = self._checked[host]
        if problem:
            raise BlockedURL(problem)

    def _address_problem(self, host: str) -> str | None:
        try:
            addresses = [str(ipaddress.ip_address(host.strip("[]")))]
        except ValueError:
            try:
                addresses = self._resolve(host)
            except OSError as exc:
                return f"host {host} niet gevonden ({exc})"
        if not addresses:
            return f"host {host} niet gevonden"
        for address in addresses:
            if not is_public_ip(address):
                return f"host {host} wijst naar een intern adres ({address})"
        return None
