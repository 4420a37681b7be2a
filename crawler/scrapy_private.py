"""Everything that relies on Scrapy's or Twisted's private code, in one place.

Scrapy is pinned to the minor version these were written against (pyproject.toml), and
``tests/test_scrapy_private.py`` fails when the private source any of them relies on
changes, so an upgrade is a deliberate step: re-read that source, adjust, update the test.

1. ``cheap_stack`` stands in for ``inspect.stack`` while Scrapy's modules are imported,
   relying on what ``scrapy.utils.deprecate.create_deprecated_class`` reads of it.
2. ``PoliteDownloader`` overrides ``Downloader._process_queue`` (and calls
   ``_wait_for_download``, ``_latercall`` and ``scrapy.utils.defer._schedule_coro``).
3. ``BundleContextFactory`` subclasses ``_ScrapyClientContextFactory`` and implements
   Twisted's ``IOpenSSLTrustRoot`` (``twisted.internet._sslverify``).

**cheap_stack.** Scrapy, imported without the cost of its deprecation shims.

Scrapy 2.19 makes three deprecated aliases as it is imported (``create_deprecated_class``
in ``scrapy.core.downloader.contextfactory`` and ``.tls``). Each calls ``inspect.stack()``
only to name the module that made it, and ``inspect.stack()`` reads the source file of
every frame on the import stack and searches ``sys.modules`` for each: 0.1-0.15 s of CPU
at every start of an audit, a nightly re-run's critical path (measured with
``python -X importtime``). While these modules are imported, ``inspect.stack`` answers
with the two frames Scrapy reads (its own and its caller's); everything else about the
import is Scrapy's own, and ``inspect.stack`` is put back as soon as it is done.

Import Scrapy's crawler from here (``content_audit.crawler.runner`` does) so that this runs first.

**PoliteDownloader.** Scrapy's downloader with per-slot concurrency that holds when requests queue up at once.

Measured with Scrapy 2.19 (tests/test_linkcheck_politeness.py): when many requests for one
host are queued together, for example released at once when that host's robots.txt
arrives, ``Downloader._process_queue`` starts all of them, because the place a download
takes in ``slot.transferring`` is only claimed when its coroutine first runs, after the
loop has already checked for free places. With ``per_host_concurrency = 2`` the server saw
8-10 requests at once. This subclass claims the place before scheduling the download, so a
host never gets more than its share. Everything else is Scrapy's own code.

**BundleContextFactory.** For a site behind a private CA, ``links.ca_bundle`` adds that
bundle to the platform trust store (see ``content_audit.crawler.tls``).
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from time import monotonic
from types import FrameType
from typing import Any

from twisted.internet._sslverify import IOpenSSLTrustRoot
from twisted.internet.ssl import optionsForClientTLS
from zope.interface import implementer

# --- 1. Scrapy imported without its deprecation shims' stack walks ----------------------


def _two_frames(context: int = 1) -> list[tuple[FrameType, ...]]:
    """What ``create_deprecated_class`` reads of ``inspect.stack()``: [its frame, its
    caller's frame], each as the first item of a tuple, as a FrameInfo has it."""
    frame = sys._getframe(1)
    caller = frame.f_back
    return [(frame,), (caller,)] if caller is not None else [(frame,)]


@contextmanager
def cheap_stack() -> Iterator[None]:
    """``inspect.stack`` answers from the frames alone while the block runs."""
    real: Any = inspect.stack
    inspect.stack = _two_frames  # type: ignore[assignment]
    try:
        yield
    finally:
        inspect.stack = real


with cheap_stack():
    import scrapy.core.downloader.contextfactory  # two of the three aliases
    import scrapy.core.downloader.tls  # noqa: F401  (the third)
    from scrapy.crawler import CrawlerProcess

from scrapy.core.downloader import Downloader, Slot  # noqa: E402  (after the shim above)
from scrapy.core.downloader.contextfactory import _ScrapyClientContextFactory  # noqa: E402
from scrapy.utils.asyncio import call_later  # noqa: E402
from scrapy.utils.defer import _schedule_coro  # noqa: E402
from scrapy.utils.httpobj import urlparse_cached  # noqa: E402

from content_audit.crawler.middlewares import slot_key  # noqa: E402

# --- 2. per-slot concurrency that holds when requests queue up at once ------------------


class PoliteDownloader(Downloader):
    def get_slot_key(self, request: Any) -> str:
        """Host and port, as LinkPolicyMiddleware names the slot: the scheduler asks this
        before any middleware has run, and must get the key the downloader will use."""
        meta_slot = request.meta.get(self.DOWNLOAD_SLOT)
        if meta_slot is not None:
            return str(meta_slot)
        parsed = urlparse_cached(request)
        return slot_key((parsed.hostname or "").lower(), parsed.port)

    def _process_queue(self, slot: Slot) -> None:
        if slot.latercall:
            return  # a delayed call will process the queue
        now = monotonic()
        delay = slot.download_delay()
        if delay:
            penalty = delay - now + slot.lastseen
            if penalty > 0:
                slot.latercall = call_later(penalty, self._latercall, slot)
                return
        while slot.queue and slot.free_transfer_slots() > 0:
            slot.lastseen = now
            request, queue_dfd = slot.queue.popleft()
            slot.transferring.add(request)  # claim the place now; _download adds it again
            _schedule_coro(self._wait_for_download(slot, request, queue_dfd))
            if delay:
                self._process_queue(slot)
                break


# --- 3. a CA bundle on top of the platform's trust store --------------------------------


@implementer(IOpenSSLTrustRoot)
class PlatformPlusBundle:
    """The platform's trusted CAs plus the certificates in one PEM bundle."""

    def __init__(self, bundle: str) -> None:
        self.bundle = bundle

    def _addCACertsToContext(self, context: Any) -> None:
        context.set_default_verify_paths()
        context.load_verify_locations(self.bundle)


class BundleContextFactory(_ScrapyClientContextFactory):
    """Verifies every certificate against the platform store plus AUDIT_CA_BUNDLE."""

    bundle: str = ""

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> BundleContextFactory:
        factory = super().from_crawler(crawler, *args, **kwargs)
        factory.bundle = crawler.settings.get("AUDIT_CA_BUNDLE") or ""
        return factory

    def creatorForNetloc(self, hostname: bytes, port: int) -> Any:
        if not self.bundle:
            return super().creatorForNetloc(hostname, port)
        return optionsForClientTLS(
            hostname=hostname.decode("ascii"),
            trustRoot=PlatformPlusBundle(self.bundle),
            extraCertificateOptions=self._get_cert_options_kwargs(),
        )


__all__ = ["BundleContextFactory", "CrawlerProcess", "PoliteDownloader", "cheap_stack"]
