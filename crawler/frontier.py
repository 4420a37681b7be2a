"""The crawl frontier: which addresses the crawl asks for, each once, and which it leaves.

Pure code, no Scrapy or Twisted: the spider asks it whether a page of the site is to be
crawled (not seen before, not too deep, not a trap, not over the page limit) and whether a
link target is new, and it keeps the counts the run reports. The spider turns its answers
into requests.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from typing import Any

from content_audit.core.config import SiteConfig
from content_audit.core.urls import Scope, looks_like_trap, normalise, path_key

# The spider yields this after every PAUSE_EVERY pages taken without a request (pages the
# server said are unchanged): the callback then lets the reactor run (``paced``), so
# downloads in flight never wait, or time out, behind a long run of unchanged pages.
PAUSE = object()
PAUSE_EVERY = 25


async def paced(outputs: Iterable[Any]) -> AsyncIterator[Any]:
    """A callback's outputs as they come; at each PAUSE the event loop runs what is due."""
    for output in outputs:
        if output is PAUSE:
            await asyncio.sleep(0)
        else:
            yield output


class Frontier:
    """The seen-set, the scope, the trap guards and the limits of one crawl."""

    def __init__(self, site: SiteConfig) -> None:
        self.scope = Scope(site.start_urls, site.allowed_hosts, site.include, site.exclude)
        self.ignore_params = site.ignore_query_params
        self.max_depth = site.max_depth
        self.max_pages = site.max_pages
        self.max_query_variants = site.max_query_variants
        self.seen: set[str] = set()  # normalised URLs already requested (pages and links)
        self.taken: set[str] = set()  # link URLs as written whose normalised URL is in seen
        self.query_variants: dict[str, int] = {}  # query strings admitted per path
        self.pages_scheduled = 0
        self.trap_skipped = 0  # pages not crawled: they look like a trap
        self.limit_skipped = 0  # pages not crawled: too deep, or past max_pages
        self.page_limit_skipped = 0  # of those, pages found past max_pages

    def key(self, url: str) -> str:
        """The address as the crawl knows it (core.urls.normalise)."""
        return normalise(url, self.ignore_params)

    def admit_page(self, url: str, depth: int, force: bool = False) -> str | None:
        """The key of a page of the site to crawl now, marked seen; None when it is not to
        be crawled: seen already, too deep, a trap, or over the limit (counted). ``force``
        (a start URL) passes the depth and trap guards, never the page limit."""
        key = self.key(url)
        if key in self.seen:
            return None
        if not force:
            if depth > self.max_depth:
                self.limit_skipped += 1
                return None
            if looks_like_trap(key):
                self.trap_skipped += 1
                return None
            if "?" in key:
                pk = path_key(key)
                n = self.query_variants.get(pk, 0)
                if n >= self.max_query_variants:
                    self.trap_skipped += 1
                    return None
                self.query_variants[pk] = n + 1
        if self.full:
            self.limit_skipped += 1
            self.page_limit_skipped += 1
            return None
        self.seen.add(key)
        self.pages_scheduled += 1
        return key

    @property
    def full(self) -> bool:
        """Whether the page limit (site.max_pages) is reached: no more pages are crawled."""
        return self.pages_scheduled >= self.max_pages

    def admit_target(self, key: str) -> bool:
        """Whether a link target (by key) is met for the first time; it is seen from now."""
        if key in self.seen:
            return False
        self.seen.add(key)
        return True
