"""Run one crawl in this process and say how it went."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass

from content_audit.core.config import Config
from content_audit.core.previous import PreviousRun
from content_audit.core.side_by_side import Abandoned, SideBySide
from content_audit.core.store import RunStore
from content_audit.crawler.revalidate import Revalidation, revalidate
from content_audit.crawler.scrapy_private import (
    CrawlerProcess,  # Scrapy's first import: at less cost
)
from content_audit.crawler.settings import build_settings
from content_audit.crawler.spider import AuditSpider

log = logging.getLogger(__name__)


@dataclass(slots=True)
class CrawlOutcome:
    pages_crawled: int
    links_checked: int
    finish_reason: str
    trap_skipped: int
    limit_skipped: int
    unchanged: int = 0  # pages the server said were unchanged since the last run (304)
    pages_unreachable: int = 0  # pages that could not be fetched (an error status or none)
    page_limit_skipped: int = 0  # pages found but not audited: site.max_pages was reached

    @property
    def complete(self) -> bool:
        return self.finish_reason == "finished"


def quiet_scrapy_logging() -> None:
    """Scrapy sets its own loggers to DEBUG; every failed request already becomes a
    finding, so its request-level messages only show when the user asked for detail."""
    verbose = logging.getLogger().getEffectiveLevel() <= logging.INFO
    for name in ("scrapy", "twisted", "py.warnings", "protego", "asyncio", "filelock"):
        logging.getLogger(name).setLevel(logging.INFO if verbose else logging.CRITICAL)


def _revalidation(
    config: Config, previous: PreviousRun, asking: SideBySide[Revalidation] | None
) -> Revalidation:
    """Which of the last run's pages are unchanged (crawler.revalidate): the answer of the
    revalidation under way, or asked here. Never raises: a failure means "none known
    unchanged", and the crawl asks about every page itself."""
    try:
        if asking is not None:
            return asking.result()
        return revalidate(config, previous.conditional_pages(), previous.error_pages())
    except Abandoned:  # the crawl stopped before the answer came: nobody waits for it
        return Revalidation(stopped="the crawl stopped first")
    except Exception as exc:  # only a saving: the crawl asks about every page itself
        log.warning("revalidation before the crawl failed, the crawl asks instead: %s", exc)
        return Revalidation(stopped=f"failed: {exc.__class__.__name__}: {exc}")


def _answered(asked: Revalidation) -> Revalidation:
    return asked


def run_crawl(
    config: Config,
    store: RunStore,
    on_pages: Callable[[int], None] | None = None,
    previous: PreviousRun | None = None,
    asking: SideBySide[Revalidation] | None = None,
) -> CrawlOutcome:
    """Crawl the site into ``store``. A Twisted reactor runs once per process: call once.
    ``on_pages(n)`` is called as pages are crawled (n = pages so far), in the crawl's own
    thread: for a later stage that wants to start work while the crawl goes on.
    ``previous``: the last run's pages, asked for again only if changed (core.previous);
    ``asking``: that revalidation, already under way (content_audit.pipeline), or None to do it
    here."""
    process = CrawlerProcess(build_settings(config))
    quiet_scrapy_logging()
    crawler = process.create_crawler(AuditSpider)
    answer = None
    if previous is not None and asking is not None:
        # the child's answer is awaited by the spider, in a thread, once the other sites'
        # links it can ask already are under way (AuditSpider.start)
        answer = functools.partial(_revalidation, config, previous, asking)
    elif previous is not None:  # no child: asked here first, over the last run's store
        answer = functools.partial(_answered, _revalidation(config, previous, None))
    process.crawl(
        crawler,
        config=config,
        store=store,
        on_pages=on_pages,
        previous=previous,
        revalidation=answer,
    )
    try:
        process.start()
    finally:
        if asking is not None:  # a crawl stopped early: the child asks no more questions
            asking.abandon()
    spider: AuditSpider = crawler.spider  # type: ignore[assignment]
    stats = crawler.stats.get_stats() if crawler.stats else {}
    store.commit()
    reason = str(stats.get("finish_reason", "unknown"))
    if reason == "finished" and spider.callback_errors:  # pages only partly read
        n = spider.callback_errors
        reason = f"{n} {'answer' if n == 1 else 'answers'} could not be read in full"
    elif reason == "finished" and spider.sitemaps.limit_hit:  # sitemaps left unread
        reason = (
            f"the site's sitemaps go past {spider.sitemaps.limit:,}: the rest were not "
            "read, so pages only they list may not have been audited"
        )
    outcome = CrawlOutcome(
        pages_crawled=store.page_count(),
        links_checked=store.fetch_count("link"),
        finish_reason=reason,
        trap_skipped=spider.trap_skipped,
        limit_skipped=spider.limit_skipped,
        unchanged=previous.reused if previous is not None else 0,
        pages_unreachable=spider.stats_errors,
        page_limit_skipped=spider.page_limit_skipped,
    )
    # a later merge of shards reads these back
    store.set_meta("crawl", {**asdict(outcome), "start_urls": config.site.start_urls})
    return outcome
