"""Everything that relies on Scrapy's or Twisted's private code, in one place.

Scrapy is pinned to the minor version these were written against (pyproject.toml), and
``tests/test_scrapy_private.py`` fails when the private source any of them relies on
changes, so an upgrade is a deliberate step: re-read that source, adjust, update the test.

1. ``cheap_stack`` stands in for ``inspect.stack`` while Scrapy's modules are imported,
   relying on what ``scrapy.utils.deprecate.create_deprecated_class`` reads of it.
2. ``PoliteDownloader`` overrides ``Downloader._process_queue`` (and calls
   ``_wait_for_download``, ``_latercall`` and ``scrapy.utils.defer._schedule_coro``);
   ``BudgetQueue`` overrides ``DownloaderAwarePriorityQueue.pop`` (and reads its
   ``pqueues``, ``_downloader_interface`` and ``_next_slot``).
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

**BudgetQueue: separate budgets for the site and for other hosts.** Scrapy has one
budget, ``CONCURRENT_REQUESTS``, for every request in the downloader, and a request holds
its place from the moment it leaves the scheduler: while its host's name is looked up,
while its host's robots.txt is fetched, while it waits for its host's slot. Scrapy's
DownloaderAwarePriorityQueue hands out places to the slot with the fewest requests in
flight, and every new host has none, so on a page that links to hundreds of other sites
the link checks to them take every place, and when those hosts are slow or their names
do not resolve, the site's own pages wait behind them (issue 23, item 9: 116 pages of
the Python documentation in 380 s). Here requests to hosts other than the audited site's
may hold at most ``crawl.other_hosts_share`` of ``crawl.concurrency`` (half by default);
the rest is kept for the site's pages. The other direction needs no rule: the queue
already prefers the slot with the fewest requests in flight, which is usually another
host's, so link checks get a place as soon as one is free (``tests/test_host_budgets.py``
measures both directions).

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
from scrapy.pqueues import DownloaderAwarePriorityQueue  # noqa: E402
from scrapy.utils.asyncio import call_later  # noqa: E402
from scrapy.utils.defer import _schedule_coro  # noqa: E402
from scrapy.utils.httpobj import urlparse_cached  # noqa: E402

from content_audit.core.urls import Scope  # noqa: E402
from content_audit.crawler.middlewares import slot_key  # noqa: E402
from content_audit.crawler.responses import STARTED  # noqa: E402

# --- 2. per-slot concurrency that holds when requests queue up at once ------------------


def other_hosts_limit(concurrency: int, share: float) -> int:
    """Requests to other hosts allowed in flight at once: ``share`` of ``concurrency``,
    at least one, and at most one less than ``concurrency`` (a place for the site's
    pages) unless there is only one place. 0 means no limit (no global limit either)."""
    if concurrency <= 0:
        return 0
    if concurrency == 1:
        return 1
    return min(concurrency - 1, max(1, int(concurrency * share)))


class PoliteDownloader(Downloader):
    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.scope = Scope(
            list(settings.getlist("AUDIT_SITE_ORIGINS")),
            list(settings.getlist("AUDIT_SITE_HOSTS")),
        )
        self.other_hosts_limit = other_hosts_limit(
            self.total_concurrency, settings.getfloat("AUDIT_OTHER_HOSTS_SHARE", 0.5)
        )
        self.other_hosts_in_flight = 0  # requests to other hosts in the downloader now

    def fetch(self, request: Any, spider: Any = None) -> Any:
        """Scrapy's fetch, counting the requests to other hosts from the moment they
        leave the scheduler (address look-up and robots.txt included) until they end."""
        if self.scope.is_site(request.url):
            return super().fetch(request)
        self.other_hosts_in_flight += 1
        done = super().fetch(request)
        done.addBoth(self._other_host_done)
        return done

    def _other_host_done(self, result: Any) -> Any:
        self.other_hosts_in_flight -= 1
        return result

    def other_hosts_full(self) -> bool:
        return 0 < self.other_hosts_limit <= self.other_hosts_in_flight

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
            # how long a fetch took counts from here, not from the request's making: on a
            # big site a page waits in the scheduler for minutes (crawler.responses). Each
            # transfer stamps it anew: a retry or a redirect waits in the scheduler too
            request.meta[STARTED] = now
            _schedule_coro(self._wait_for_download(slot, request, queue_dfd))
            if delay:
                self._process_queue(slot)
                break


class BudgetQueue(DownloaderAwarePriorityQueue):
    """Scrapy's DownloaderAwarePriorityQueue that, while other hosts hold their share of
    the places (``PoliteDownloader.other_hosts_full``), hands out the site's requests
    only. Returning None with requests still queued is allowed: the engine asks again
    whenever a download ends (and on its 5-second heartbeat)."""

    def __init__(self, crawler: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(crawler, *args, **kwargs)
        downloader = crawler.engine.downloader
        self.downloader = downloader if isinstance(downloader, PoliteDownloader) else None
        self.site_slots: dict[str, bool] = {}  # slot key -> the audited site's?

    def push(self, request: Any) -> None:
        if self.downloader is not None:
            slot = self._downloader_interface.get_slot_key(request)
            if slot not in self.site_slots:
                self.site_slots[slot] = self.downloader.scope.is_site(request.url)
        super().push(request)

    def pop(self) -> Any:
        if self.downloader is None or not self.downloader.other_hosts_full():
            return super().pop()
        site = [slot for slot in self.pqueues if self.site_slots.get(slot, False)]
        stats = self._downloader_interface.stats(site)
        if not stats:
            return None  # only other hosts' requests wait, and they have their share
        slot = self._next_slot(stats, update_state=True)
        queue = self.pqueues[slot]
        request = queue.pop()
        if len(queue) == 0:  # as Scrapy's pop, less the JOBDIR folder (no JOBDIR here)
            del self.pqueues[slot]
            queue.close()
        return request


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


__all__ = [
    "BudgetQueue",
    "BundleContextFactory",
    "CrawlerProcess",
    "PoliteDownloader",
    "cheap_stack",
    "other_hosts_limit",
]
