"""Crawler-side link helpers and the link cache, without a crawl."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime

import pytest

from content_audit.core.linkcache import LinkCache, cache_kind
from content_audit.core.model import Fetch, FetchFacts, LinkProblem
from content_audit.crawler.address_guard import is_public, refusal
from content_audit.crawler.linkcheck import says_not_found, wants_body, youtube_watch_url
from content_audit.crawler.retry_after import parse_retry_after

OEMBED = "https://www.youtube.com/oembed"


def test_retry_after_parsing():
    now = datetime(2026, 11, 24, 9, 0, 0, tzinfo=UTC)
    assert parse_retry_after(b"5") == 5.0
    assert parse_retry_after("Tue, 24 Nov 2026 09:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("Tue, 24 Nov 2026 08:00:00 GMT", now=now) == 0.0
    assert parse_retry_after(None) is None
    assert parse_retry_after(b"soon") is None


@pytest.mark.parametrize(
    ("url", "watch"),
    [
        ("https://www.youtube.com/watch?v=abcDEF12345", "https://www.youtube.com/watch?v=abcDEF12345"),
        ("https://youtu.be/abcDEF12345", "https://www.youtube.com/watch?v=abcDEF12345"),
        ("https://www.youtube.com/embed/abcDEF12345", "https://www.youtube.com/watch?v=abcDEF12345"),
        ("https://m.youtube.com/watch?v=abcDEF12345&t=3", "https://www.youtube.com/watch?v=abcDEF12345"),
        ("https://www.youtube.com/channel/UC123", None),
        ("https://www.example.com/watch?v=abcDEF12345", None),
    ],
)  # fmt: skip
def test_youtube_urls(url, watch):
    assert youtube_watch_url(url, OEMBED) == watch


def test_youtube_test_stand_in():
    oembed = "http://127.0.0.1:8001/youtube/oembed"
    url = "http://127.0.0.1:8001/youtube/watch?v=REMOVED1"
    assert youtube_watch_url(url, oembed) == url
    assert youtube_watch_url("http://127.0.0.1:9999/youtube/watch?v=X", oembed) is None


@pytest.mark.parametrize(
    ("title", "h1", "expected"),
    [
        ("Page not found", "", True),
        ("Page not found - Northdale NHS", "", True),
        ("", "Sorry, we could not find that page", True),
        ("404 | Example", "", True),
        ("Error 404", "", True),
        ("", "This page does not exist", True),
        ("Not found", "", True),
        ("Lost property: what to do if you have not found your item", "Lost property", False),
        ("Physiotherapy", "Physiotherapy", False),
        ("Help finding a GP", "Find a GP", False),
        ("Oops! 404", "", True),
        ("404 - Page not found", "", True),
        ("Service page 404", "Service page 404", False),
        ("Bus route 404: getting to the hospital", "", False),
    ],
)
def test_not_found_pages(title, h1, expected):
    assert says_not_found(title, h1) is expected


def test_wants_body():
    assert wants_body("a", "https://x.example/page")
    assert wants_body("iframe", "https://x.example/embed")
    assert not wants_body("a", "https://x.example/leaflet.pdf")
    assert not wants_body("img", "https://x.example/logo")
    assert not wants_body("script", "https://x.example/app.js")


def test_address_refusals():
    public = [ipaddress.ip_address("93.184.216.34")]
    private = [ipaddress.ip_address("10.0.0.5")]
    assert refusal("partner.example", public, block_private=True) is None
    assert "private" in refusal("intranet.example", private, block_private=True)
    assert refusal("intranet.example", private, block_private=False) is None
    metadata = [ipaddress.ip_address("169.254.169.254")]
    assert refusal("169.254.169.254", metadata, block_private=False)  # never, whatever the setting
    for address in ("127.0.0.1", "::1", "169.254.1.1", "192.168.1.1", "fc00::1", "0.0.0.0",
                    "::ffff:10.0.0.1"):  # fmt: skip
        assert not is_public(ipaddress.ip_address(address)), address


def test_cache_keeps_healthy_and_redirect_results_for_their_age(tmp_path):
    ok = Fetch(url="https://a.example/", final_url="https://a.example/", status=200)
    moved = Fetch(url="https://b.example/", final_url="https://b.example/new", status=200,
                  redirects=[("https://b.example/", 301)])  # fmt: skip
    gone = Fetch(url="https://c.example/", final_url="https://c.example/", status=404)
    soft = Fetch(url="https://d.example/", final_url="https://d.example/", status=200,
                 facts=FetchFacts(problem=LinkProblem.SOFT_404))  # fmt: skip
    assert [cache_kind(f) for f in (ok, moved, gone, soft)] == ["ok", "redirect", None, None]
    cache = LinkCache(tmp_path / "c.sqlite", days_ok=7, days_redirect=3)
    for f in (ok, moved, gone, soft):
        cache.put(f)
    cache.close()

    fresh = LinkCache(tmp_path / "c.sqlite", days_ok=7, days_redirect=3)
    assert fresh.get(ok.url).status == 200
    assert fresh.get(moved.url).final_url == "https://b.example/new"
    assert fresh.get(gone.url) is None and fresh.get(soft.url) is None
    assert fresh.get(ok.url).facts.cached
    fresh.age_all(4 * 86400)  # four days later: the redirect is due again, the 200 is not
    assert fresh.get(moved.url) is None and fresh.get(ok.url) is not None
    fresh.age_all(4 * 86400)
    assert fresh.get(ok.url) is None
    fresh.close()

    forced = LinkCache(tmp_path / "c.sqlite", recheck_all=True)
    assert forced.get(ok.url) is None


def test_a_failure_removes_the_cached_success(tmp_path):
    cache = LinkCache(tmp_path / "c.sqlite")
    cache.put(Fetch(url="https://a.example/", final_url="https://a.example/", status=200))
    cache.put(Fetch(url="https://a.example/", final_url="https://a.example/", status=500))
    assert cache.get("https://a.example/") is None


def _retry_mw(**settings):
    from scrapy.utils.test import get_crawler

    from content_audit.crawler.retry_after import RetryAfterMiddleware

    crawler = get_crawler(settings_dict={"RETRY_TIMES": 2, "AUDIT_RETRY_AFTER_MAX": 5, **settings})
    crawler.spider = crawler._create_spider("test")
    return RetryAfterMiddleware.from_crawler(crawler)


def _answer(status: int, retry_after: str | None = None, method: str = "GET", kind: str = "link"):
    from scrapy.http import HtmlResponse, Request

    request = Request("https://partner.example/x", method=method, meta={"audit_kind": kind})
    headers = {"Retry-After": retry_after} if retry_after else {}
    return request, HtmlResponse(request.url, status=status, headers=headers, request=request)


def test_retry_after_within_budget_retries():
    import asyncio

    from scrapy.http import Request

    request, response = _answer(429, "0")
    result = asyncio.run(_retry_mw().process_response(request, response))
    assert isinstance(result, Request) and result.meta["retry_times"] == 1


def test_retry_after_beyond_budget_gives_up_at_once():
    import asyncio

    request, response = _answer(503, "3600")
    result = asyncio.run(_retry_mw().process_response(request, response))
    assert result is response and "retry-after-too-long:3600" in result.flags


def test_head_link_checks_are_not_retried_the_get_fallback_is():
    import asyncio

    request, response = _answer(503, "0", method="HEAD")
    assert asyncio.run(_retry_mw().process_response(request, response)) is response


def test_link_timeouts_retry_fewer_times():
    from scrapy.exceptions import DownloadTimeoutError

    mw = _retry_mw(AUDIT_LINK_TIMEOUT_RETRIES=0)
    link, _ = _answer(200)
    page, _ = _answer(200, kind="page")
    assert mw.process_exception(link, DownloadTimeoutError("slow")) is None
    assert mw.process_exception(page, DownloadTimeoutError("slow")) is not None


def test_waiting_is_bounded_per_host():
    import asyncio

    from scrapy.http import Request

    mw = _retry_mw(AUDIT_RETRY_AFTER_MAX=5)  # budget: 15 s of waiting per host
    mw.waited["partner.example"] = 14.0
    request, response = _answer(429, "2")
    result = asyncio.run(mw.process_response(request, response))
    assert result is response and "retry-after-too-long:2" in result.flags
    request, response = _answer(429, "0")  # no wait asked: still retried
    assert isinstance(asyncio.run(mw.process_response(request, response)), Request)


def test_http_links_to_other_sites_probe_https():
    from types import SimpleNamespace

    from scrapy.http import HtmlResponse, Request

    from content_audit.core.config import Config
    from content_audit.crawler import linkcheck

    spider = SimpleNamespace(config=Config(), link_cache=None)
    plain = Fetch(url="http://partner.example/page", final_url="http://partner.example/page",
                  status=200)  # fmt: skip
    (probe,) = linkcheck._maybe_probe_https(spider, plain, internal=False)
    assert isinstance(probe, Request)
    assert (probe.method, probe.url) == ("HEAD", "https://partner.example/page")
    answer = HtmlResponse(probe.url, status=200, request=probe)
    (item,) = linkcheck._on_https_probe(answer, spider, plain)
    assert item["fetch"].facts.https == "https://partner.example/page"
    # already redirected to https: no probe needed; loopback and internal: never probed
    moved = Fetch(url="http://partner.example/a", final_url="https://partner.example/a",
                  status=200, redirects=[("http://partner.example/a", 301)])  # fmt: skip
    (item,) = linkcheck._maybe_probe_https(spider, moved, internal=False)
    assert item["fetch"].facts.https == "https://partner.example/a"
    local = Fetch(url="http://127.0.0.1:8000/", final_url="http://127.0.0.1:8000/", status=200)
    assert "fetch" in next(iter(linkcheck._maybe_probe_https(spider, local, internal=False)))
