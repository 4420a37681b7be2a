"""Per-host politeness: at most N requests at once and a minimum delay per host, while a
slow host does not hold up the rest; timeouts on link checks get fewer retries."""

from __future__ import annotations

import itertools

import pytest

from content_audit.sample.servers import SampleServers
from tests.link_server import PoliteServer
from tests.test_linkcheck_crawl import run_audit, write_page

pytestmark = pytest.mark.e2e  # a real crawl, server or browser: not in the fast tier

CONFIG = """
[site]
use_sitemap = false
[crawl]
timeout = 1
retries = 2
concurrency = 16
per_host_concurrency = {per_host}
delay = {delay}
[links]
timeout_retries = {timeout_retries}
cache = "{cache}"
"""


def _site(tmp, partner: PoliteServer, n: int, extra: str = "") -> None:
    items = "".join(f'<li><a href="{partner.url}/p{i}">Partner page {i}</a></li>' for i in range(n))
    write_page(tmp / "site", "/index.html", "Home", f"<ul>{items}</ul>{extra}")


def test_at_most_n_requests_at_once_per_host(tmp_path):
    partner = PoliteServer(answer_after=0.3).start()
    try:
        _site(tmp_path, partner, 10)
        config = CONFIG.format(per_host=2, delay=0, timeout_retries=0, cache=tmp_path / "c.db")
        with SampleServers(site_dir=tmp_path / "site") as servers:
            run_audit(servers.site_url, tmp_path, config)
        assert len(partner.paths("/p")) == 10
        assert partner.max_active == 2
    finally:
        partner.stop()


def test_minimum_delay_between_requests_to_one_host(tmp_path):
    partner = PoliteServer(answer_after=0.0).start()
    try:
        _site(tmp_path, partner, 5)
        config = CONFIG.format(per_host=4, delay=0.4, timeout_retries=0, cache=tmp_path / "c.db")
        with SampleServers(site_dir=tmp_path / "site") as servers:
            run_audit(servers.site_url, tmp_path, config)
        starts = sorted(t for t, path in partner.starts if path.startswith("/p"))
        assert len(starts) == 5
        gaps = [b - a for a, b in itertools.pairwise(starts)]
        assert min(gaps) >= 0.3, gaps
    finally:
        partner.stop()


def test_timeouts_on_link_checks_are_retried_less_than_pages(tmp_path):
    partner = PoliteServer(answer_after=0.3).start()  # /sleep answers after 6 s
    try:
        extra = f'<p><a href="{partner.url}/sleep">Sleepy partner</a></p>'
        _site(tmp_path, partner, 0, extra)
        config = CONFIG.format(per_host=2, delay=0, timeout_retries=1, cache=tmp_path / "c.db")
        with SampleServers(site_dir=tmp_path / "site") as servers:
            findings, _, _ = run_audit(servers.site_url, tmp_path, config)
        assert partner.paths("/sleep") == ["/sleep", "/sleep"]  # 1 try + 1 retry, not 1 + 2
        sleepy = [f for f in findings if f.get("target") == partner.url + "/sleep"]
        assert [(f["rule"], f["details"]["reason"]) for f in sleepy] == [("link-broken", "timeout")]
        assert "more than 1 s" in sleepy[0]["message"]
    finally:
        partner.stop()


def test_a_site_that_serves_its_404_page_as_200(tmp_path):
    from tests.link_server import TemplateSite

    site = TemplateSite().start()
    try:
        config = CONFIG.format(per_host=2, delay=0, timeout_retries=0, cache=tmp_path / "c.db")
        findings, _, _ = run_audit(site.url, tmp_path, config)
    finally:
        site.stop()
    soft = [(f["url"], f["target"]) for f in findings if f["rule"] == "link-soft-404"]
    assert soft == [(site.url + "/index.html", site.url + "/old-clinic.html")]
    assert any(p.startswith("/content-audit-check-") for p in site.paths)  # the probe
