"""Page extraction in a second process, so the crawl's own process is left to Scrapy.

The crawl process is the audit's bottleneck: Scrapy's engine and the parse of every page
share one core. Extraction (lxml parse, the region walk, the contact and date recognisers)
needs nothing but the HTML, so it runs in a worker process while Scrapy goes on fetching;
the spider awaits the extracted page and follows its links. If the worker cannot be started
or dies, extraction goes on in the crawl's process: slower, never a lost page.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from core.model import Page
from core.store import Record, encode_record
from crawler.extract import extract_page

log = logging.getLogger(__name__)


class ExtractPool:
    """``await pool.extract(page, html, selector)``: extract_page in a worker process."""

    def __init__(self, workers: int = 1) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._warm = False  # until the worker has started, extraction stays here
        try:
            # spawn, not fork: the crawl process holds a reactor and SQLite connections
            self._pool = ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("spawn")
            )
            self._pool.submit(_ready).add_done_callback(self._started)
        except (OSError, ValueError, RuntimeError) as exc:
            log.warning("extracting pages in the crawl process: no worker (%s)", exc)
            self._pool = None

    def _started(self, future: Future) -> None:
        self._warm = not future.cancelled() and future.exception() is None

    async def extract(
        self, page: Page, html: str, main_selector: str
    ) -> tuple[Page, Record | None]:
        """The extracted page and, when a worker did it, the record as the run store keeps
        it (``encode_record``) with the page cut down to what the crawl reads (``outline``):
        the crawl's process then neither decodes the whole page nor encodes it again.
        Extraction errors are raised as they would be in this process."""
        if self._pool is not None and self._warm:
            try:
                future = self._pool.submit(extract_record, page, html, main_selector)
                return await asyncio.wrap_future(future)
            except (BrokenProcessPool, RuntimeError) as exc:  # died, or shut down
                log.warning("the extraction worker failed (%s); extracting here", exc)
                self.close()
        return extract_page(page, html, main_selector), None

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


def extract_record(page: Page, html: str, main_selector: str) -> tuple[Page, Record]:
    """In the worker: the page's outline for the crawl, and its record for the store."""
    extract_page(page, html, main_selector)
    return outline(page), encode_record(page)


def outline(page: Page) -> Page:
    """What the crawl's process reads of an extracted page: its links (to follow) and the
    facts link verdicts need (crawler.spider.page_facts)."""
    return Page(
        url=page.url,
        final_url=page.final_url,
        status=page.status,
        title=page.title,
        headings=page.headings,
        content_hash=page.content_hash,
        links=page.links,
    )


def _ready() -> bool:
    """Runs first in the worker: it has imported the extractor and can take pages."""
    return True
