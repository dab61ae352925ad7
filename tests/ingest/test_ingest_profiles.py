"""Site profiles: the shipped file is valid, broken files get one clear Dutch message."""

from pathlib import Path

import pytest

from ingest.profiles import (ProfileError, load_profiles, parse_mirrors, select_profiles)

REQUIRED = {"nponderwijs.nl", "onderwijskennis.nl", "kennisrotonde.nl", "nji.nl", "vng.nl"}


def test_shipped_profiles_cover_the_sites():
    profiles = load_profiles()
    assert REQUIRED <= set(profiles)
    assert {"goab.eu", "rijksoverheid.nl"} <= set(profiles)
    assert profiles["nponderwijs.nl"].base_url == "https://www.nponderwijs.nl"
    assert profiles["vng.nl"].base_url == "https://vng.nl"
    for profile in profiles.values():
        assert profile.base_url.startswith("https://")
        assert profile.delay_s >= 1.0, "real sites are crawled politely"
        assert profile.selectors.breadcrumb  # topics; main text is trafilatura's job
        assert not profile.selectors.content, "content selectors only where a site needs one"
        assert profile.max_pages > 0
    assert profiles["nponderwijs.nl"].selectors.date == ["p.article-meta"]
    # optional sites are not crawled by default
    assert {p.name for p in select_profiles(profiles)} == REQUIRED


def test_site_selectors_come_before_the_defaults(tmp_path: Path):
    path = tmp_path / "sites.yaml"
    path.write_text("""
defaults:
  selectors: {breadcrumb: [".kruimelpad"]}
sites:
  a.nl:
    base_url: https://a.nl
    selectors: {breadcrumb: [".crumbs"], remove: [".lees-ook"]}
  b.nl:
    base_url: https://b.nl
""", encoding="utf-8")
    profiles = load_profiles(path)
    assert profiles["a.nl"].selectors.breadcrumb == [".crumbs", ".kruimelpad"]
    assert profiles["a.nl"].selectors.remove == [".lees-ook"]
    assert profiles["b.nl"].selectors.breadcrumb == [".kruimelpad"]
    assert profiles["b.nl"].selectors.content == []


def test_broken_file_lists_every_problem(tmp_path: Path):
    bad = tmp_path / "sites.yaml"
    bad.write_text("""
sites:
  a.nl:
    base_url: ftp://a.nl
  b.nl:
    base_url: https://b.nl
    delay_s: -1
    exclude_patterns: ["(unclosed"]
    allow: ["geen-slash"]
  c.nl:
    base_url: https://c.nl
    onbekend: 1
  d.nl:
    base_url: https://d.nl
    start_urls: ["https://elders.nl/"]
""", encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_profiles(bad)
    message = str(info.value)
    assert message.startswith("Ongeldige siteprofielen")
    for fragment in ("a.nl.base_url: ongeldig adres", "b.nl.delay_s: moet minstens 0",
                     "reguliere expressie", "moet met '/'", "hoort niet bij",
                     "c.nl.onbekend: onbekend veld"):
        assert fragment in message


@pytest.mark.parametrize("text", ["sites: [", "sites: []", "- lijst"])
def test_unreadable_or_empty_file(tmp_path: Path, text: str):
    bad = tmp_path / "sites.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError, match="Siteprofielen"):
        load_profiles(bad)


def test_mirror_mapping_keeps_public_urls():
    profiles = load_profiles()
    mirrors = parse_mirrors(["nji.nl=http://127.0.0.1:8081/"])
    (nji,) = select_profiles(profiles, ["nji.nl"], mirrors)
    assert nji.mirror == "http://127.0.0.1:8081"
    public = nji.absolute("/onderwijs?utm_source=x#boven")
    assert public == "https://www.nji.nl/onderwijs"
    assert nji.to_fetch(public) == "http://127.0.0.1:8081/onderwijs"
    assert nji.to_public("http://127.0.0.1:8081/onderwijs/a") == "https://www.nji.nl/onderwijs/a"
    assert nji.to_public("http://nji.nl/onderwijs") == "https://www.nji.nl/onderwijs"  # alias
    assert nji.to_public("http://127.0.0.1:9999/onderwijs") is None  # other port, other site
    assert nji.to_public("https://evil.example/onderwijs") is None
    assert nji.in_scope("https://www.nji.nl/onderwijs/x")
    assert not nji.in_scope("https://www.nji.nl/winkel")  # outside allowed prefixes
    assert not nji.in_scope("https://www.nji.nl/onderwijs/logo.png")  # excluded pattern


@pytest.mark.parametrize("option", ["nji.nl", "=http://x", "nji.nl="])
def test_bad_base_url_option(option: str):
    with pytest.raises(ProfileError, match="SITE=URL"):
        parse_mirrors([option])


def test_unknown_site_and_bad_mirror():
    profiles = load_profiles()
    with pytest.raises(ProfileError, match="Onbekende site"):
        select_profiles(profiles, ["nieuwsite.nl"])
    with pytest.raises(ProfileError, match="--base-url voor vng.nl"):
        select_profiles(profiles, ["vng.nl"], {"vng.nl": "http://127.0.0.1:8080/pad"})
