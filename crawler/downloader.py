"""Scrapy's downloader with per-slot concurrency that holds when requests queue up at once.

Measured with Scrapy 2.19 (tests/test_linkcheck_politeness.py): when many requests for one
host are queued together, for example released at once when that host's robots.txt
arrives, ``Downloader._process_queue`` starts all of them, because the place a download
takes in ``slot.transferring`` is only claimed when its coroutine first runs, after the
loop has already checked for free places. With ``per_host_concurrency = 2`` the server saw
8-10 requests at once. This subclass claims the place before scheduling the download, so a
host never gets more than its share. Everything else is Scrapy's own code.
"""

from __future__ import annotations

from time import monotonic

from scrapy.core.downloader import Downloader, Slot
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro


class PoliteDownloader(Downloader):
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
