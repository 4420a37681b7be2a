"""The crawl frontier (crawler.frontier): which pages and link targets the crawl asks for,
each once, and which it leaves. Pure code: no crawl, no Twisted."""

from __future__ import annotations

import asyncio
import sys

from content_audit.core.config import SiteConfig
from content_audit.crawler.frontier import PAUSE, Frontier, paced

SITE = "https://www.example-trust.nhs.uk"


def frontier(**site) -> Frontier:
    return Frontier(SiteConfig(start_urls=[SITE + "/"], **site))


def test_a_page_is_admitted_once_by_its_normalised_address():
    f = frontier()
    assert f.admit_page(SITE + "/a?utm_source=mail", 1) == SITE + "/a"
    assert f.admit_page(SITE + "/a", 1) is None
    assert f.admit_page(SITE + "/A", 1) == SITE + "/A"  # paths are case-sensitive
    assert f.pages_scheduled == 2 and f.trap_skipped == f.limit_skipped == 0


def test_depth_and_page_limits():
    f = frontier(max_depth=2, max_pages=3)
    assert f.admit_page(SITE + "/deep", 3) is None and f.limit_skipped == 1
    assert f.admit_page(SITE + "/deep", 2) is not None  # not marked seen when refused
    assert f.admit_page(SITE + "/start", 9, force=True) is not None  # a start URL
    assert f.admit_page(SITE + "/b", 1) is not None
    assert f.admit_page(SITE + "/c", 1) is None  # the fourth page
    assert f.admit_page(SITE + "/d", 0, force=True) is None  # the limit holds for all
    assert f.limit_skipped == 3 and f.page_limit_skipped == 2 and f.full


def test_traps_are_left():
    f = frontier(max_query_variants=2)
    assert f.admit_page(SITE + "/a/b/a/b/a/b/a/b/a/b", 1) is None  # repeating segments
    assert f.admit_page(SITE + "/calendar?month=1", 1)
    assert f.admit_page(SITE + "/calendar?month=2", 1)
    assert f.admit_page(SITE + "/calendar?month=3", 1) is None  # a third query string
    assert f.admit_page(SITE + "/calendar", 1)  # the path itself is not a variant
    assert f.trap_skipped == 2


def test_link_targets_share_the_seen_set_with_pages():
    f = frontier()
    assert f.admit_target(SITE + "/leaflet.pdf")
    assert not f.admit_target(SITE + "/leaflet.pdf")
    assert f.admit_page(SITE + "/leaflet.pdf", 1) is None
    assert f.scope.may_crawl(SITE + "/x") and not f.scope.may_crawl("https://other.example/")


def test_paced_lets_the_loop_run_at_each_pause():
    async def collect() -> list:
        return [x async for x in paced([1, PAUSE, 2, PAUSE, PAUSE, 3])]

    assert asyncio.run(collect()) == [1, 2, 3]


def test_the_frontier_needs_no_twisted_or_scrapy():
    import subprocess

    code = ("import sys, content_audit.crawler.frontier\n"
            "print(sorted(m for m in ('twisted', 'scrapy') if m in sys.modules))\n")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
