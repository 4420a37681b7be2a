"""Scrapy imported through crawler.scrapy_private: the same classes, inspect put back."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

from content_audit.crawler.scrapy_private import cheap_stack


def _caller_of_caller() -> tuple[object, object]:
    """What Scrapy's create_deprecated_class reads: stack()[0][0] and stack()[1][0]."""
    stack = inspect.stack()
    return stack[0][0], stack[1][0]


def test_the_quick_stack_gives_the_frames_scrapy_reads() -> None:
    real = _caller_of_caller()
    with cheap_stack():
        quick = _caller_of_caller()
    assert [f.f_code.co_name for f in quick] == [f.f_code.co_name for f in real]
    assert quick[1] is sys._getframe(0)
    assert inspect.getmodule(quick[1]) is sys.modules[__name__]


def test_inspect_stack_is_put_back_even_after_an_error() -> None:
    real = inspect.stack
    try:
        with cheap_stack():
            assert inspect.stack is not real
            raise KeyError("boom")
    except KeyError:
        pass
    assert inspect.stack is real
    assert len(inspect.stack()) > 2  # the real one: every frame


def test_a_fresh_import_names_scrapys_deprecated_aliases_by_their_modules() -> None:
    """In a fresh interpreter (here Scrapy is imported already): Scrapy's import never
    walks the stack, the aliases it makes still say which module made them, and
    inspect.stack is the real one afterwards."""
    code = (
        "import inspect, sys; walks = []\n"
        "def real(context=1):\n"
        "    walks.append(1)\n"
        "    return inspect.getouterframes(sys._getframe(1), context)\n"
        "inspect.stack = real\n"
        "import content_audit.crawler.runner\n"
        "from scrapy.core.downloader import contextfactory, tls\n"
        "assert inspect.stack is real\n"
        "assert not walks, 'importing Scrapy walked the stack'\n"
        "print(contextfactory.ScrapyClientContextFactory.__module__,"
        " contextfactory.AcceptableProtocolsContextFactory.__module__,"
        " tls.ScrapyClientTLSOptions.__module__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    assert done.stdout.split() == [
        "scrapy.core.downloader.contextfactory",
        "scrapy.core.downloader.contextfactory",
        "scrapy.core.downloader.tls",
    ]


# The Scrapy source crawler/scrapy_private.py relies on, as read for Scrapy 2.19. When a
# Scrapy upgrade changes any of it, this fails: re-read the new source, adjust
# scrapy_private.py, then record the new digests here.
RELIED_ON = {
    "scrapy.core.downloader:Downloader._process_queue": "872b81a4bbb4cb1a",
    "scrapy.core.downloader:Downloader._wait_for_download": "35ca6793c8795004",
    "scrapy.core.downloader:Downloader._latercall": "a63f8c948b8cc3b8",
    "scrapy.core.downloader:Downloader._download": "a05f219045c8eb55",
    "scrapy.utils.defer:_schedule_coro": "559a320e3737e7cb",
    "scrapy.core.downloader:Downloader.fetch": "302384ee47a94e2c",
    "scrapy.pqueues:DownloaderAwarePriorityQueue.pop": "934036079ca58170",
    "scrapy.pqueues:DownloaderAwarePriorityQueue._next_slot": "eccf9ea05c576779",
    "scrapy.pqueues:DownloaderAwarePriorityQueue.push": "dd64547aed261973",
    "scrapy.pqueues:DownloaderInterface": "e007d2a2ac8bcde2",
    "scrapy.core.downloader.contextfactory:_ScrapyClientContextFactory": "085006475ebfad71",
    "scrapy.utils.deprecate:create_deprecated_class": "e7a139fd7e7ca206",
}


@pytest.mark.parametrize("where", sorted(RELIED_ON))
def test_the_private_scrapy_source_we_rely_on_is_unchanged(where):
    import hashlib
    import importlib
    import inspect

    module_name, _, attr = where.partition(":")
    obj = importlib.import_module(module_name)
    for part in attr.split("."):
        obj = getattr(obj, part)
    digest = hashlib.sha256(inspect.getsource(obj).encode()).hexdigest()[:16]
    assert digest == RELIED_ON[where], (
        f"{where} changed in this Scrapy version: re-read it, adjust "
        "crawler/scrapy_private.py, then update RELIED_ON"
    )


def test_twisted_still_asks_a_trust_root_to_add_its_certificates():
    from twisted.internet._sslverify import IOpenSSLTrustRoot

    assert "_addCACertsToContext" in IOpenSSLTrustRoot.names()


def test_the_scheduler_and_the_downloader_name_the_same_slot():
    """DownloaderAwarePriorityQueue asks Downloader.get_slot_key when a request is
    scheduled, before LinkPolicyMiddleware has set the slot: both must say host:port, or
    the queue sees nothing in flight for the site (the starvation found in issue 24)."""
    from scrapy.http import Request

    from content_audit.crawler.middlewares import LinkPolicyMiddleware
    from content_audit.crawler.scrapy_private import PoliteDownloader

    class Bare(PoliteDownloader):
        def __init__(self) -> None:  # no crawler needed to name a slot
            pass

    for url in ("http://127.0.0.1:8080/a.html", "https://Example.org/b", "http://[::1]:9/x"):
        scheduled = Bare().get_slot_key(Request(url))
        request = Request(url)
        LinkPolicyMiddleware([]).process_request(request)
        assert scheduled == request.meta["download_slot"] == Bare().get_slot_key(request)
    assert Bare().get_slot_key(Request("http://127.0.0.1:8080/")) == "127.0.0.1:8080"
