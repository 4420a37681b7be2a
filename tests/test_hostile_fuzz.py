"""A small, seeded fuzz of what a hostile page or server controls (issue 23): link
addresses, HTML, Retry-After values and sitemap bodies go through the functions that read
them, and no exception may escape. Seeded, so a failure is reproducible; bounded in time."""

from __future__ import annotations

import random
import time

import pytest

from content_audit.core.model import Page
from content_audit.core.urls import Scope, host_of, is_http, normalise, origin, url_problem
from content_audit.crawler.extract import extract_page
from content_audit.crawler.retry_after import parse_retry_after

SEEDS = range(3)
BUDGET_S = 1.5  # seconds per test: the fast tier stays fast
PIECES = ["[", "]", ":", "::1", "%", "%zz", "@", "#", "?", "/", "\\", " ", "\t", "99999",
          ":abc", "\u00b2", "\u0663", "\u2028", "\x00", "xn--", "b\u00fccher", "..", "//",
          "http://", "HTTPS://", "[::ffff:169.254.169.254]", "user:pass@", ";jsessionid=1",
          "'", '"', "<", ">", "&amp;", "\ufffd"]  # fmt: skip
GOOD = ["https://www.example-trust.nhs.uk/services/physio/?a=1#top",
        "http://[::1]:8080/a", "/relative/path", "mailto:clinic@example.org"]  # fmt: skip


def mutate(rng: random.Random, text: str) -> str:
    """``text`` with a few pieces inserted, deleted or replaced at random places."""
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        where = rng.randint(0, len(chars))
        action = rng.random()
        if action < 0.5:
            chars[where:where] = list(rng.choice(PIECES))
        elif action < 0.8 and chars:
            del chars[min(where, len(chars) - 1)]
        else:
            chars[where:where] = [chr(rng.randint(0, 0x2FFF))]
    return "".join(chars)


def until_budget(seed: int):
    """Cases for one seed, for at most BUDGET_S / len(SEEDS) seconds."""
    rng = random.Random(seed)
    stop = time.monotonic() + BUDGET_S / len(SEEDS)
    while time.monotonic() < stop:
        yield rng


@pytest.mark.parametrize("seed", SEEDS)
def test_url_helpers_never_raise(seed):
    scope = Scope(["https://www.example-trust.nhs.uk/"], ["nhs.example"])
    for rng in until_budget(seed):
        url = mutate(rng, rng.choice(GOOD))
        problem = url_problem(url)
        assert isinstance(problem, str)
        normalise(url, ("utm_*",))
        origin(url)
        host_of(url)
        is_http(url)
        scope.is_site(url)
        scope.may_crawl(url)


@pytest.mark.parametrize("seed", SEEDS)
def test_extraction_of_hostile_html_never_raises(seed):
    base = (
        "<!doctype html><html lang='en-GB'><head><title>Clinic</title>"
        "<base href='https://www.example-trust.nhs.uk/'></head><body><main><h1>Clinic</h1>"
        "<p>Call 0113 843 1909 or email clinic@example.org.</p>"
        "<a href='/a'>A</a> <a href='http://[::1'>B</a> <a href='https://x.org:99999/'>C</a>"
        "</main></body></html>"
    )
    for rng in until_budget(seed):
        page = Page(url="https://www.example-trust.nhs.uk/p", final_url="", status=200)
        extract_page(page, mutate(rng, base))
        for link in page.links:
            url_problem(link.url)
            normalise(link.url)


@pytest.mark.parametrize("seed", SEEDS)
def test_retry_after_junk_never_raises(seed):
    headers = ["120", "Wed, 21 Oct 2015 07:28:00 GMT", "0", ""]
    for rng in until_budget(seed):
        value = mutate(rng, rng.choice(headers))
        wait = parse_retry_after(value)
        assert wait is None or wait >= 0
        parse_retry_after(value.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("seed", SEEDS)
def test_the_crawl_takes_any_link_without_raising(seed, tmp_path):
    """Every link a hostile page holds becomes a request, a finding or nothing; none stops
    the page's other links (issue 23: one bad port once did)."""
    from content_audit.core.config import Config
    from content_audit.core.store import RunStore
    from content_audit.crawler.spider import AuditSpider

    config = Config()
    config.site.start_urls = ["https://www.example-trust.nhs.uk/"]
    config.report.out = str(tmp_path)
    store = RunStore(tmp_path / "run.sqlite", fresh=True)
    spider = AuditSpider(config=config, store=store)
    tags = ["a", "img", "script", "iframe", "link"]
    try:
        for rng in until_budget(seed):
            links = [(mutate(rng, rng.choice(GOOD)), rng.choice(tags)) for _ in range(20)]
            links.append(("https://www.example-trust.nhs.uk/after-the-bad-ones", "a"))
            outputs = list(spider._links_of(links, depth=1))
            assert "https://www.example-trust.nhs.uk/after-the-bad-ones" in spider.seen
            assert all(output is not None for output in outputs)
            spider.seen.discard("https://www.example-trust.nhs.uk/after-the-bad-ones")
            spider.taken.discard("https://www.example-trust.nhs.uk/after-the-bad-ones")
    finally:
        if spider.link_cache is not None:
            spider.link_cache.close()
        store.close()


def test_every_check_takes_hostile_links_without_failing(tmp_path, caplog):
    """Pages whose links are mutated at random go through every check, with answers for
    their links; no check may fail on a page (a failing check loses its findings there).
    Issue 23: an unclosed "[" once stopped the insecure-link and duplicate-link checks."""
    import logging
    from datetime import date

    from content_audit.checks import load_all
    from content_audit.checks.engine.registry import CheckContext
    from content_audit.checks.engine.runner import run_checks
    from content_audit.core.config import ChecksConfig, Config
    from content_audit.core.model import Fetch
    from content_audit.core.store import RunStore

    load_all()
    rng = random.Random(23)
    site = "https://www.example-trust.nhs.uk"
    store = RunStore(tmp_path / "run.sqlite", fresh=True)
    results: dict[str, Fetch] = {}
    hrefs = [*GOOD, "https://www.youtube.com/watch?v=abcdefgh", "http://partner.example/",
             "/services/physio/#referral", "https://x.org:99999/", "http://[::1"]  # fmt: skip
    for n in range(40):
        links = " ".join(
            f"<a href='{mutate(rng, rng.choice(hrefs))}'>Link {i}</a>" for i in range(12)
        )
        page = Page(url=f"{site}/p{n}", final_url=f"{site}/p{n}", status=200)
        extract_page(page, f"<html><title>P{n}</title><main><h1>P{n}</h1><p>{links}</p></main>")
        store.add_page(page)
        for link in page.links:
            key = normalise(link.url)
            status = rng.choice([200, 404, 301, 0])
            results[key] = Fetch(
                url=key, final_url=key, status=status, content_type="text/html",
                error="invalid-url" if status == 0 else "",
                redirects=[(key, 301)] if status == 301 else [],
            )  # fmt: skip
    store.commit()
    ctx = CheckContext(
        config=ChecksConfig(), today=date(2026, 11, 24), site_origin=site,
        full_config=Config(today="2026-11-24"), link_results=results,
    )  # fmt: skip
    with caplog.at_level(logging.ERROR):
        list(run_checks(store, ctx))
    store.close()
    failed = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert not failed, failed
