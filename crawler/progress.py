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
        elapsed = time.monotonic() - self.started
        return (
            f"pages crawled {spider.stats_pages}, queued {queued}, "
            f"links checked {spider.stats_links}, "
            f"pages that could not be fetched {spider.stats_errors}, "
            f"elapsed {elapsed:.0f}s"
        )

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
