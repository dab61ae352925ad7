"""Fetching against the real local server: robots, retries, redirects, limits, 304."""

import pytest

from conftest import no_dns
from ingest.fetcher import ROBOTS_FORBIDDEN, ROBOTS_UNREADABLE, SiteFetcher


@pytest.fixture
def fetcher(profiles, transport):
    made = []

    def make(site="nponderwijs.nl", **update):
        profile = profiles[site].model_copy(update=update)
        f = SiteFetcher(profile, transport=transport, resolver=no_dns, retries=2,
                        backoff_s=0.01)
        made.append(f)
        return f

    yield make
    for f in made:
        f.close()


NP = "https://www.nponderwijs.nl"


def test_robots_disallow_is_honoured_without_a_request(fetcher, server):
    f = fetcher()
    result = f.fetch(NP + "/intern/concepten")
    assert (result.outcome, result.reason) == ("robots", ROBOTS_FORBIDDEN)
    assert f.robots_problem is None
    assert "/intern/concepten" not in server.paths()
    assert server.paths() == ["/robots.txt"]
    assert f.fetch(NP + "/gemeenten").outcome == "ok"


def test_user_agent_identifies_the_crawler(fetcher, server):
    fetcher().fetch(NP + "/gemeenten")
    agents = {headers.get("User-Agent") for _, _, headers, _ in server.requests}
    assert agents and all(a and a.startswith("Kennisloket/") for a in agents)


def test_crawl_delay_from_robots_spaces_requests(fetcher, server):
    f = fetcher("vng.nl", concurrency=2)
    for path in ("/onderwerpenindex/onderwijs", "/nieuws/kansengelijkheid-raadsleden"):
        assert f.fetch("https://vng.nl" + path).outcome == "ok"
    times = [t for site, _, _, t in server.requests if site == "vng"]
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert f.pacer.delay == pytest.approx(1.0)
    assert min(gaps) >= 0.95  # robots.txt says Crawl-delay: 1 (the test profile says 0)


def test_429_once_then_ok(fetcher, server):
    result = fetcher().fetch(NP + "/druk")
    assert result.outcome == "ok" and result.status == 200
    assert server.paths().count("/druk") == 2


def test_server_error_retried_then_reported(fetcher, server):
    result = fetcher().fetch(NP + "/storing")
    assert result.outcome == "error" and "HTTP 500" in result.reason
    assert server.paths().count("/storing") == 3  # 1 + 2 retries


def test_slow_response_times_out(fetcher, server):
    server.behaviours[("nponderwijs", "/traag")] = {"sleep": 1.5}
    f = fetcher(timeout_s=0.3)
    f.retries = 1
    result = f.fetch(NP + "/traag")
    assert result.outcome == "error" and "time-out" in result.reason


def test_redirect_inside_site_followed(fetcher):
    result = fetcher().fetch(NP + "/oud-adres")
    assert result.outcome == "ok"
    assert result.public_url == NP + "/gemeenten/financiering"
    assert result.redirects == [NP + "/oud-adres"]


def test_redirect_to_metadata_address_refused(fetcher, server, transport):
    result = fetcher().fetch(NP + "/naar-buiten")
    assert result.outcome == "blocked" and "169.254.169.254" in result.reason
    assert not any("169.254" in url for url in transport.sent)


def test_redirect_outside_allowed_paths_refused(fetcher, server):
    server.behaviours[("vng", "/artikelen/verhuisd")] = {"redirect": "/winkel/korting"}
    result = fetcher("vng.nl").fetch("https://vng.nl/artikelen/verhuisd")
    assert result.outcome == "skipped" and "toegestane paden" in result.reason
    assert "/winkel/korting" not in server.paths("vng")


def test_content_type_and_size_limits(fetcher, server):
    server.behaviours[("nponderwijs", "/gemeenten")] = {"content_type": "image/png"}
    f = fetcher(max_bytes=2000)
    wrong = f.fetch(NP + "/gemeenten")
    assert wrong.outcome == "skipped" and "image/png" in wrong.reason
    big = f.fetch(NP + "/gemeenten/financiering")
    assert big.outcome == "skipped" and "te groot" in big.reason


def test_conditional_get_gives_304(fetcher, server):
    f = fetcher()
    first = f.fetch(NP + "/gemeenten")
    assert first.etag and first.last_modified
    again = f.fetch(NP + "/gemeenten", etag=first.etag)
    assert again.outcome == "not_modified" and again.content == b""
    by_date = f.fetch(NP + "/gemeenten", last_modified=first.last_modified)
    assert by_date.outcome == "not_modified"


def test_gone_and_unreachable_robots(fetcher, server):
    assert fetcher().fetch(NP + "/archief/regeling-2021").outcome == "gone"
    server.behaviours[("vng", "/robots.txt")] = {"status": 503}
    f = fetcher("vng.nl")
    result = f.fetch("https://vng.nl/onderwerpenindex/onderwijs")
    # RFC 9309: nothing is crawled, but the page is not "forbidden by robots.txt"
    assert (result.outcome, result.reason) == ("skipped", ROBOTS_UNREADABLE)
    assert f.robots_problem.startswith("robots.txt niet op te halen")
    assert "verboden" not in f.robots_problem
    assert "/onderwerpenindex/onderwijs" not in server.paths("vng")


@pytest.mark.parametrize("status", [401, 403])
def test_robots_refused_is_not_reported_as_forbidden(fetcher, server, status):
    server.behaviours[("vng", "/robots.txt")] = {"status": status}
    f = fetcher("vng.nl")
    result = f.fetch("https://vng.nl/onderwerpenindex/onderwijs")
    assert (result.outcome, result.reason) == ("skipped", ROBOTS_UNREADABLE)
    assert f.robots_problem == f"robots.txt niet op te halen (HTTP {status}); site overgeslagen"
    assert server.paths("vng") == ["/robots.txt"]


def test_mirror_without_trust_is_refused(profiles, transport, server):
    profile = profiles["vng.nl"].model_copy(update={"mirror": None,
                                                    "base_url": server.origin("vng")})
    f = SiteFetcher(profile, transport=transport, resolver=no_dns, retries=0)
    result = f.fetch(server.origin("vng") + "/onderwerpenindex/onderwijs")
    f.close()
    assert result.outcome in ("blocked", "skipped") and "verboden" not in result.reason
    assert server.paths("vng") == []  # loopback is only allowed as a configured mirror
