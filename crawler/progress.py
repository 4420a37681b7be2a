"""Live progress: one updating line on a terminal, a log line every few seconds in CI."""

from __future__ import annotations

import sys
import time
from typing import Any

from scrapy import signals
from twisted.internet import task


class Progress:
    def __init__(self, crawler: Any, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.tty = sys.stderr.isatty()
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None
        self.timeout = float(crawler.settings.getfloat("DOWNLOAD_TIMEOUT", 20.0))
        self.last_counts: tuple[int, int] = (-1, -1)
        self.still_since = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Any) -> Progress:
        interval = crawler.settings.getfloat("AUDIT_PROGRESS_INTERVAL", 5.0)
        ext = cls(crawler, interval)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self) -> None:
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.report)
        self.loop.start(0.5 if self.tty else self.interval, now=False)

    def line(self) -> str:
        spider = self.crawler.spider
        engine = self.crawler.engine
        scheduler = getattr(engine, "scheduler", None) if engine else None
        try:
            queued = len(scheduler) if scheduler is not None else 0  # type: ignore[arg-type]
        except TypeError:
            queued = 0
        now = time.monotonic()
        counts = (spider.stats_pages, spider.stats_links)
        if counts != self.last_counts:
            self.last_counts, self.still_since = counts, now
        downloader = getattr(engine, "downloader", None) if engine else None
        in_flight = len(getattr(downloader, "active", ()) or ())
        text = (
            f"pages crawled {spider.stats_pages}, queued {queued}, "
            f"links checked {spider.stats_links}, pages that failed {spider.stats_errors}, "
            f"elapsed {now - self.started:.0f}s"
        )
        if in_flight and now - self.still_since >= 3:
            # nothing moved for a while: say why, rather than look frozen (with requests
            # queued too: they wait for the places the slow answers hold)
            text += f"; waiting for {in_flight} slow answer{'s' if in_flight != 1 else ''}"
            others = getattr(downloader, "other_hosts_in_flight", 0)
            if others:  # PoliteDownloader: link checks to other sites, at most their share
                text += f", {others} of them from other sites"
            text += f" (each gives up after {self.timeout:.0f}s)"
        return text

    def report(self) -> None:
        try:
            text = self.line()
        except Exception:  # progress must never break the crawl
            return
        if self.tty:
            sys.stderr.write("\r\x1b[2K" + text)
        else:
            sys.stderr.write(text + "\n")
        sys.stderr.flush()

    def closed(self) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
        if self.tty:
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()
