"""URL hygiene and the SSRF guard (no network: resolvers are fakes)."""

import pytest

from ingest.guard import BlockedURL, Guard, is_public_ip
from ingest.urls import normalize, resolve


def test_normalize_strips_tracking_and_fragments():
    assert normalize("HTTPS://WWW.NPOnderwijs.nl:443/a?utm_source=x&id=3&fbclid=y#top") == \
        "https://www.nponderwijs.nl/a?id=3"
    assert normalize("http://vng.nl") == "http://vng.nl/"
    assert normalize("http://127.0.0.1:8080/x?mtm_campaign=a") == "http://127.0.0.1:8080/x"
    assert resolve("https://vng.nl/a/b", "../c?gclid=1") == "https://vng.nl/c"
    assert resolve("https://vng.nl/", "mailto:x@y.nl") is None
    assert resolve("https://vng.nl/", "javascript:void(0)") is None


class Resolver:
    def __init__(self, table):
        self.table, self.calls = table, []

    def __call__(self, host):
        self.calls.append(host)
        if host not in self.table:
            raise OSError("onbekend")
        return self.table[host]


def test_off_site_refused_without_lookup():
    resolver = Resolver({})
    guard = Guard(["https://www.nponderwijs.nl"], resolver=resolver)
    for url in ["https://evil.example/x", "http://10.0.0.5/", "http://169.254.169.254/latest",
                "https://www.nponderwijs.nl.evil.example/", "http://www.nponderwijs.nl/",
                "file:///etc/passwd", "ftp://www.nponderwijs.nl/"]:
        with pytest.raises(BlockedURL):
            guard.check(url)
    assert resolver.calls == []  # refused before any DNS query, let alone a connection


def test_allowed_host_pointing_inside_is_refused():
    resolver = Resolver({"www.nponderwijs.nl": ["10.0.0.5"], "vng.nl": ["93.184.216.34"],
                         "nji.nl": ["93.184.216.34", "127.0.0.1"]})
    guard = Guard(["https://www.nponderwijs.nl", "https://vng.nl", "https://nji.nl"],
                  resolver=resolver)
    with pytest.raises(BlockedURL, match="intern adres"):
        guard.check("https://www.nponderwijs.nl/gemeenten")
    with pytest.raises(BlockedURL, match="intern adres"):
        guard.check("https://nji.nl/")  # one bad address is enough
    guard.check("https://vng.nl/nieuws")  # public address: fine


def test_ip_literals_and_mirror_trust():
    guard = Guard(["http://127.0.0.1:8080", "http://169.254.169.254", "http://[::1]:81"],
                  trusted_origins=["http://127.0.0.1:8080"], resolver=Resolver({}))
    guard.check("http://127.0.0.1:8080/x")  # the explicitly configured mirror
    with pytest.raises(BlockedURL):
        guard.check("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(BlockedURL):
        guard.check("http://[::1]:81/")
    with pytest.raises(BlockedURL):
        guard.check("http://127.0.0.1:8081/")  # same host, other port: not the mirror


@pytest.mark.parametrize("address,public", [
    ("8.8.8.8", True), ("10.1.2.3", False), ("192.168.1.1", False), ("172.16.0.1", False),
    ("127.0.0.1", False), ("169.254.169.254", False), ("0.0.0.0", False), ("::1", False),
    ("fe80::1", False), ("::ffff:10.0.0.1", False), ("fc00::1", False), ("100.64.0.1", False),
    ("2001:4860:4860::8888", True)])
def test_public_ip(address, public):
    assert is_public_ip(address) is public
