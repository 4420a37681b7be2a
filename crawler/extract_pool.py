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
from typing import NamedTuple

from content_audit.core.lifetime import die_with_parent, starting_workers
from content_audit.core.model import Page
from content_audit.core.records import Record, encode_record, link_pairs
from content_audit.crawler.extract import extract_page

log = logging.getLogger(__name__)


class ExtractPool:
    """``await pool.extract(page, html, selector)``: extract_page in a worker process."""

    def __init__(self, workers: int = 1) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._warm = False  # until the worker has started, extraction stays here
        try:
            # spawn, not fork: the crawl process holds a reactor and SQLite connections
            self._pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=die_with_parent,  # a killed audit leaves no worker behind
            )
            with starting_workers():  # the pool starts its worker here
                self._pool.submit(_ready).add_done_callback(self._started)
        except (OSError, ValueError, RuntimeError) as exc:
            log.warning("extracting pages in the crawl process: no worker (%s)", exc)
            self._pool = None

    def _started(self, future: Future) -> None:
        self._warm = not future.cancelled() and future.exception() is None

    async def extract(self, page: Page, html: str, main_selector: str) -> Extracted:
        """The extracted page, the links the crawl follows, and, when a worker did it, the
        record as the run store keeps it (``encode_record``) with the page cut down to what
        the crawl reads (``outline``): the crawl's process then neither decodes the whole
        page nor encodes it again. Extraction errors are raised as they would be here."""
        if self._pool is not None and self._warm:
            try:
                future = self._pool.submit(extract_record, page, html, main_selector)
                return await asyncio.wrap_future(future)
            except (BrokenProcessPool, RuntimeError) as exc:  # died, or shut down
                log.warning("the extraction worker failed (%s); extracting here", exc)
                self.close()
        return extract_here(page, html, main_selector)

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


class Extracted(NamedTuple):
    page: Page  # the whole page, or (from a worker) its outline
    links: list[tuple[str, str]]  # what the crawl follows: core.records.link_pairs
    record: Record | None  # from a worker: the page as the run store keeps it


def extract_here(page: Page, html: str, main_selector: str) -> Extracted:
    """Extraction in this process: the whole page; the store encodes it."""
    extract_page(page, html, main_selector)
    return Extracted(page, link_pairs(page), None)


def extract_record(page: Page, html: str, main_selector: str) -> Extracted:
    """In the worker: the page's outline for the crawl, the links it follows, and its
    record for the store."""
    extract_page(page, html, main_selector)
    return Extracted(outline(page), link_pairs(page), encode_record(page))


def outline(page: Page) -> Page:
    """What the crawl's process reads of an extracted page: the facts link verdicts need
    (crawler.spider.page_facts). Its links go as (URL, tag) pairs beside it: sent between
    processes, 45 Link objects cost 0.3 ms a page each way to pickle and unpickle, the
    pairs 0.05-0.1 ms, and the crawl's process is the audit's bottleneck."""
    return Page(
        url=page.url,
        final_url=page.final_url,
        status=page.status,
        title=page.title,
        headings=page.headings,
        content_hash=page.content_hash,
    )


def _ready() -> bool:
    """Runs first in the worker: it has imported the extractor and can take pages."""
    return True
