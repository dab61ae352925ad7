"""The callable behind ``POST /v1/admin/crawl``: background job, one at a time."""

import pytest

from ingest.admin import CrawlAlreadyRunning, CrawlJobs
from ingest.profiles import ProfileError


@pytest.fixture
def jobs(kb, server, tmp_path):
    profiles = tmp_path / "sites.yaml"
    profiles.write_text(f"""
sites:
  vng.nl:
    base_url: https://vng.nl
    mirror: {server.origin('vng')}
    start_urls: ["/onderwerpenindex/onderwijs"]
    sitemaps: []
    allow: ["/onderwerpenindex"]
    delay_s: 0
""", encoding="utf-8")
    return CrawlJobs(kb, profiles_file=profiles)


def test_background_crawl_reports_when_done(jobs, server):
    server.behaviours[("vng", "/onderwerpenindex/onderwijs")] = {"sleep": 0.5}
    job = jobs.start(sites=["vng.nl"])
    assert job["status"] == "running" and job["sites"] == ["vng.nl"]
    with pytest.raises(CrawlAlreadyRunning, match="Er loopt al een crawl"):
        jobs.start()
    jobs.wait(timeout=60)
    done = jobs.status(job["job_id"])
    assert done["status"] == "finished" and done["finished_at"]
    assert done["report"]["totals"]["new"] == 1
    assert jobs.status() == done  # latest job by default
    assert jobs.status("onbekend") is None


def test_unknown_site_refused_before_starting(jobs):
    with pytest.raises(ProfileError, match="Onbekende site"):
        jobs.start(sites=["evil.example"])
    assert jobs.status() is None
