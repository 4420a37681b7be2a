"""Extraction in a worker process (crawler.extract_pool) gives the page that extraction in
this process gives, and a dead worker costs time, never a page."""

from __future__ import annotations

import asyncio
import json
import time

from content_audit.core.model import Page
from content_audit.core.records import encode_record, link_pairs
from content_audit.crawler.extract import extract_page
from content_audit.crawler.extract_pool import ExtractPool
from content_audit.crawler.spider import page_facts
from tests.test_rules_on_html import FILLER, REVIEW, SITE, layout

SELECTOR = "main, article, [role=main]"
HTML = layout(
    f"<h1>Back pain</h1>{FILLER}<p>Phone: 0113 843 1909. Email: msk@example.nhs.uk</p>"
    f"<p><a href='/exercises.html#neck'>Neck exercises</a></p>{REVIEW}"
)


def fresh() -> Page:
    url = SITE + "/back-pain.html"
    return Page(url=url, final_url=url, status=200)


def warm(pool: ExtractPool, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not pool._warm and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pool._warm, "the extraction worker did not start"


def test_the_worker_extracts_the_same_page_as_this_process():
    expected = extract_page(fresh(), HTML, SELECTOR)
    pool = ExtractPool()
    sent = fresh()
    try:
        warm(pool)
        page, links, record = asyncio.run(pool.extract(sent, HTML, SELECTOR))
    finally:
        pool.close()
    assert page is not sent  # it came back from the worker
    assert record == encode_record(expected)  # stored as this process would have stored it
    assert json.loads(record.data)["contacts"]["phones"] and expected.next_review_due
    # the crawl's process gets only what it reads: the links to follow, the link facts
    assert links == link_pairs(expected) and (SITE + "/exercises.html", "a") in links
    assert page_facts(page) == page_facts(expected)
    assert not page.sections and not page.main_text and not page.links  # in the record


def test_before_the_worker_is_up_pages_are_extracted_here():
    pool = ExtractPool()
    sent = fresh()
    try:
        page, links, record = asyncio.run(pool.extract(sent, HTML, SELECTOR))  # at once
    finally:
        pool.close()
    assert page is sent and record is None  # filled in here, not sent to a worker starting
    assert links == link_pairs(page) and links
    assert page.to_dict() == extract_page(fresh(), HTML, SELECTOR).to_dict()


def test_a_dead_worker_falls_back_to_this_process():
    pool = ExtractPool()
    warm(pool)
    for process in list(pool._pool._processes.values()):  # type: ignore[union-attr]
        process.kill()
        process.join()
    sent = fresh()
    page, links, record = asyncio.run(pool.extract(sent, HTML, SELECTOR))
    assert page is sent and record is None and links == link_pairs(page)  # extracted here
    assert page.to_dict() == extract_page(fresh(), HTML, SELECTOR).to_dict()
    assert pool._pool is None  # it gave up on the worker; later pages are extracted here
    pool.close()


def test_scrapy_runs_one_item_worker_per_response():
    """Scrapy 2.19 makes CONCURRENT_ITEMS asyncio tasks for every response (default 100);
    on the benchmark site that was about a third of the crawl's CPU. Our one pipeline
    writes synchronously, so more than one buys nothing."""
    from content_audit.core.config import Config
    from content_audit.crawler.settings import build_settings

    assert build_settings(Config())["CONCURRENT_ITEMS"] == 1


def test_the_worker_starts_only_once_enough_pages_are_downloaded(tmp_path, monkeypatch):
    """A nightly re-run takes most pages unchanged, with nothing to extract: they count
    towards the crawl's pages, not towards starting an extraction worker for the few
    changed ones (a worker costs about half a second of CPU to start)."""
    import content_audit.crawler.spider as spider_module
    from content_audit.core.config import PARALLEL_FROM_PAGES, Config
    from content_audit.core.store import RunStore

    started: list[object] = []
    monkeypatch.setattr(spider_module, "ExtractPool", lambda: started.append(1) or "pool")
    config = Config()
    config.site.start_urls = [SITE + "/"]
    spider = spider_module.AuditSpider(config=config, store=RunStore(tmp_path / "run.sqlite"))
    for _ in range(PARALLEL_FROM_PAGES * 3):
        spider._page_counted(downloaded=False)  # taken unchanged from the last run
    assert not started and spider.extractor is None
    for _ in range(PARALLEL_FROM_PAGES):
        spider._page_counted()
    assert started == [1] and spider.extractor == "pool"


def test_the_crawl_loads_no_cookie_middleware():
    """Cookies are off: Scrapy's cookie middleware is not even named in the settings, since
    Scrapy imports every middleware named (also as None), and that one's module imports
    tldextract and requests (0.16 s of every start). Scrapy's other middlewares are kept."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys\n"
        "from scrapy.core.downloader.middleware import DownloaderMiddlewareManager\n"
        "from scrapy.utils.test import get_crawler\n"
        "from content_audit.core.config import Config\n"
        "from content_audit.crawler.settings import build_settings\n"
        "config = Config()\n"
        "config.site.start_urls = ['https://www.example-trust.nhs.uk/']\n"
        "crawler = get_crawler(settings_dict=build_settings(config))\n"
        "manager = DownloaderMiddlewareManager.from_crawler(crawler)\n"
        "print(' '.join(sorted(type(m).__name__ for m in manager.middlewares)))\n"
        "print('tldextract' in sys.modules, 'requests' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True, text=True, cwd=root, env={"PYTHONPATH": str(root)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    names, imported = result.stdout.strip().splitlines()
    assert imported == "False False"
    assert "CookiesMiddleware" not in names.split()
    # RobotsRfcMiddleware: Scrapy's RobotsTxtMiddleware, reading a 5xx as RFC 9309 does
    for kept in ("RobotsRfcMiddleware", "RedirectMiddleware", "HttpCompressionMiddleware",
                 "UserAgentMiddleware", "DownloadTimeoutMiddleware", "AddressGuardMiddleware",
                 "RetryAfterMiddleware"):  # fmt: skip
        assert kept in names.split()
