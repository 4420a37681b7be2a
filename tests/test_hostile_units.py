"""Hostile input, in process (issue 23): addresses, URLs, headers and settings that once
crashed, hung or slipped past a guard."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request

from content_audit.core.urls import normalise, origin, url_problem
from content_audit.crawler import address_guard
from content_audit.crawler.address_guard import AddressGuardMiddleware, is_public, refusal

ip = ipaddress.ip_address


@pytest.mark.parametrize(
    "written",
    [
        "::ffff:169.254.169.254",
        "::ffff:a9fe:a9fe",
        "64:ff9b::a9fe:a9fe",  # NAT64
        "2002:a9fe:a9fe::1",  # 6to4
        "fd00:ec2::254",
    ],
)
def test_every_form_of_the_metadata_address_is_refused_whatever_the_setting(written):
    reason = refusal(written, [ip(written)], block_private=False)
    assert reason is not None and "metadata" in reason


@pytest.mark.parametrize("written", ["::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:7f00:1"])
def test_mapped_private_addresses_are_private(written):
    assert not is_public(ip(written))
    assert "private" in (refusal(written, [ip(written)], block_private=True) or "")


def test_public_addresses_stay_public():
    assert is_public(ip("::ffff:8.8.8.8")) and is_public(ip("2a00:1450:4009:81f::200e"))
    assert refusal("www.nhs.uk", [ip("2a00:1450:4009:81f::200e")], block_private=True) is None


def _run(coro):
    return asyncio.run(coro)


def test_a_redirect_to_the_mapped_metadata_address_is_refused():
    guard = AddressGuardMiddleware(False, frozenset({"http://127.0.0.1:8000"}))
    request = Request("http://[::ffff:169.254.169.254]/latest/meta-data/")
    with pytest.raises(IgnoreRequest, match="metadata"):
        _run(guard.process_request(request))


def test_malformed_addresses_are_named_in_plain_words():
    assert "99999" in url_problem("http://www.example.org:99999/")
    assert "'abc'" in url_problem("http://www.example.org:abc/")
    assert "[" in url_problem("http://[::1")
    assert url_problem("http://[::1]:8080/") == "" and url_problem("https://www.nhs.uk/") == ""
    # none of them makes the URL helpers raise
    assert origin("http://[::1") == "" and normalise("http://[::1") == "http://[::1"


def test_ipv6_literals_keep_their_brackets():
    assert origin("http://[::1]:8080/a") == "http://[::1]:8080"
    assert normalise("HTTP://[::1]:80/a#b") == "http://[::1]/a"


@pytest.mark.parametrize(
    "junk", ["\u00b2", "\u0663", b"\xb2", "1e9", "-5", "soon", "\x00", "Fri, 31 Dec 99999"]
)
def test_junk_retry_after_means_no_wait_was_asked_for(junk):
    from content_audit.crawler.retry_after import parse_retry_after

    assert parse_retry_after(junk) is None


def test_binary_sent_as_html_is_told_from_a_page_in_the_wrong_charset():
    import random

    from content_audit.crawler.spider import looks_binary

    noise = random.Random(5).randbytes(5000).decode("utf-8", "replace")
    assert looks_binary(noise)
    assert not looks_binary("<p>Caf\ufffd opening times: 9am to 5pm.</p>\n" * 50)
    assert not looks_binary("")


def test_a_dead_domain_costs_one_lookup_a_run(monkeypatch):
    import socket
    import time

    from scrapy.exceptions import CannotResolveHostError

    calls: list[str] = []

    def dead(host, port):
        calls.append(host)
        time.sleep(0.05)  # slow enough that every request below asks while it runs
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(address_guard, "resolve", dead)
    guard = AddressGuardMiddleware(False, frozenset({"http://127.0.0.1:8000"}), dns_timeout=5)

    async def ask_all():
        requests = [Request(f"http://gone.example/{n}") for n in range(20)]
        requests += [Request("https://gone.example/secure"), Request("http://gone.example:81/")]
        return await asyncio.gather(
            *(guard.process_request(r) for r in requests), return_exceptions=True
        )

    started = time.monotonic()
    answers = _run(ask_all())
    answers += _run(ask_all())  # later in the run: still no new lookup
    assert calls == ["gone.example"]
    assert all(isinstance(a, CannotResolveHostError) for a in answers), answers
    assert time.monotonic() - started < 2


def test_a_lookup_that_hangs_is_bounded_and_remembered(monkeypatch):
    import threading
    import time

    from scrapy.exceptions import CannotResolveHostError

    release = threading.Event()
    calls: list[str] = []

    def hangs(host, port):
        calls.append(host)
        release.wait(5)
        return [ip("192.0.2.1")]

    monkeypatch.setattr(address_guard, "resolve", hangs)
    guard = AddressGuardMiddleware(False, frozenset(), dns_timeout=0.2)

    async def twice():
        answers = []
        for _ in range(2):
            try:
                await guard.process_request(Request("http://slow-dns.example/"))
            except CannotResolveHostError as exc:
                answers.append(exc)
        release.set()  # the thread may end now; the run did not wait for it
        return answers

    started = time.monotonic()
    assert len(_run(twice())) == 2
    assert calls == ["slow-dns.example"]
    assert time.monotonic() - started < 2


def test_sitemaps_are_asked_once_each_and_no_more_than_the_limit(tmp_path, monkeypatch):
    """An index of indexes generated without end (each lists a new one) stops at the
    limit, and the stop is reported on the sitemap that went past it."""
    from content_audit.core.config import Config
    from content_audit.core.store import RunStore
    from content_audit.crawler import sitemaps
    from content_audit.crawler.spider import AuditSpider

    monkeypatch.setattr(sitemaps, "MAX_SITEMAPS", 5)
    config = Config()
    config.site.start_urls = ["https://www.example-trust.nhs.uk/"]
    config.links.check_external = False
    store = RunStore(tmp_path / "run.sqlite", fresh=True)
    spider = AuditSpider(config=config, store=store)
    site = "https://www.example-trust.nhs.uk"
    asked = [
        spider.sitemaps.request(f"{site}/sitemap-{n}.xml", listed_in=f"{site}/sitemap-{n - 1}.xml")
        for n in range(1, 20)
    ]
    again = spider.sitemaps.request(f"{site}/sitemap-1.xml", listed_in=f"{site}/sitemap-3.xml")
    store.commit()
    assert sum(r is not None for r in asked) == 5 and again is None
    problems = {f.url: f.error_detail for f in store.fetches() if f.error == "sitemap"}
    assert "past 5" in problems[f"{site}/sitemap-5.xml"]
    assert "loop" in problems[f"{site}/sitemap-3.xml"]
    store.close()


def test_a_resolver_that_fails_for_a_moment_is_asked_again(monkeypatch):
    """ "Temporary failure in name resolution" (EAI_AGAIN) is not a dead domain: the next
    request for the host (a retry) asks again, and gets through when the resolver does."""
    import socket

    from scrapy.exceptions import CannotResolveHostError

    answers = [socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")]

    def flaky(host, port):
        if answers:
            raise answers.pop()
        return [ip("192.0.2.1")]

    monkeypatch.setattr(address_guard, "resolve", flaky)
    guard = AddressGuardMiddleware(False, frozenset(), dns_timeout=5)

    async def twice():
        outcomes = []
        for _ in range(2):
            try:
                outcomes.append(await guard.process_request(Request("http://www.nhs.example/")))
            except CannotResolveHostError as exc:
                outcomes.append(exc)
        return outcomes

    first, second = _run(twice())
    assert isinstance(first, CannotResolveHostError)
    assert second is None  # resolved and allowed
    assert "www.nhs.example" not in guard.failed
