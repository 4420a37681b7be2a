"""The scheduler's queue holds waiting pages as tuples and gives back the Request the
spider would have made (crawler.queues); anything else passes through untouched."""

from __future__ import annotations

import scrapy

from content_audit.core.config import Config
from content_audit.core.store import RunStore
from content_audit.crawler.queues import PageTupleQueue
from content_audit.crawler.settings import build_settings
from content_audit.crawler.spider import AuditSpider

SITE = "https://www.example-trust.nhs.uk"


def spider(tmp_path) -> AuditSpider:
    config = Config()
    config.site.start_urls = [f"{SITE}/"]
    config.report.out = str(tmp_path)
    return AuditSpider(config=config, store=RunStore(tmp_path / "run.sqlite", fresh=True))


def same(a: scrapy.Request, b: scrapy.Request) -> bool:
    return (
        a.url == b.url
        and a.meta == b.meta
        and dict(a.headers) == dict(b.headers)
        and a.callback == b.callback
        and a.errback == b.errback
        and (a.method, a.priority, a.dont_filter, a.body) == (b.method, b.priority, b.dont_filter, b.body)
    )  # fmt: skip


def test_the_crawl_uses_it():
    settings = build_settings(Config())
    assert settings["SCHEDULER_MEMORY_QUEUE"] == "content_audit.crawler.queues.PageTupleQueue"


def test_pages_wait_as_tuples_and_come_back_as_the_spiders_requests_in_order(tmp_path):
    s = spider(tmp_path)
    queue = PageTupleQueue(s)
    plain = s.request_for(f"{SITE}/back-pain", 2, {})
    conditional = s.request_for(f"{SITE}/knee", 3, {"If-None-Match": 'W/"caf\xe9"'})
    link = scrapy.Request("https://www.nhs.uk/conditions/", meta={"audit_kind": "link"})
    for request in (plain, conditional, link):
        queue.push(request)
    assert [type(item) for item in queue.q] == [tuple, tuple, scrapy.Request]
    assert queue.q[1] == (f"{SITE}/knee", 3, {"If-None-Match": 'W/"caf\xe9"'})
    assert len(queue) == 3
    peeked = queue.peek()
    first = queue.pop()
    assert peeked is first and same(first, plain) and first is not plain
    assert same(queue.pop(), conditional)
    assert queue.pop() is link
    assert queue.pop() is None and queue.peek() is None


def test_a_page_request_that_is_not_the_plain_one_is_kept_whole(tmp_path):
    """Retries, redirects and changed requests carry more than the tuple holds."""
    s = spider(tmp_path)
    queue = PageTupleQueue(s)
    base = s.request_for(f"{SITE}/back-pain", 1, {})
    variants = [
        base.replace(meta={**base.meta, "retry_times": 1}),
        base.replace(priority=-1),
        base.replace(url=f"{SITE}/elsewhere"),
        base.replace(headers={"If-None-Match": '"v1"'}),  # says conditional False
        base.replace(method="HEAD"),
        base.replace(callback=s.page_failed),
        base.replace(
            headers={"If-None-Match": b"\xff"}, meta={**base.meta, "audit_conditional": True}
        ),
    ]
    for request in variants:
        queue.push(request)
    assert all(queue.pop() is request for request in variants)


def test_without_the_audit_spider_it_is_scrapys_fifo(tmp_path):
    queue = PageTupleQueue(object())
    request = spider(tmp_path).request_for(f"{SITE}/a", 1, {})
    queue.push(request)
    assert queue.pop() is request
