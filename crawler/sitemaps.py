"""Sitemaps: the pages a site lists besides those its links reach.

The sitemaps named in the settings are read, or else those robots.txt names (or
/sitemap.xml). A sitemap index is followed to its sitemaps, each read once; a loop, a
sitemap past MAX_SITEMAPS, an address that is not one, or a gzipped sitemap that unpacks
past the size limit is reported once, as a problem of the sitemap (a page-error finding).
Each page a sitemap lists goes to the spider as if a link at depth 1 reached it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.python.failure import Failure

from content_audit.core.model import FailureKind, Fetch, FetchFacts
from content_audit.core.urls import origin, url_problem
from content_audit.crawler.errors import classify_failure
from content_audit.crawler.frontier import paced

if TYPE_CHECKING:
    from content_audit.crawler.spider import AuditSpider

# sitemaps read in one run at most: an index of indexes that never ends (generated on the
# fly) stops here; 1,000 sitemaps of 50,000 URLs each are far past any trust's site
MAX_SITEMAPS = 1000


class Sitemaps:
    """The sitemaps of one crawl: the requests for them and what they list."""

    def __init__(self, spider: AuditSpider) -> None:
        self.spider = spider
        self.seen: set[str] = set()  # sitemap URLs asked for: an index may loop
        self.reported: set[str] = set()  # sitemaps whose problem is stored already
        self.limit = MAX_SITEMAPS
        # the limit was reached: said once a run, and the run does not count as complete
        # (the sitemaps not read may list pages nothing else links to)
        self.limit_hit = False

    def first_requests(self) -> Iterator[scrapy.Request]:
        """The configured sitemaps, or else each origin's robots.txt to find them in."""
        site = self.spider.config.site
        for sitemap in site.sitemaps:
            request = self.request(sitemap)
            if request is not None:
                yield request
        if site.use_sitemap and not site.sitemaps:
            for site_origin in sorted(self.spider.frontier.scope.origins):
                yield scrapy.Request(
                    f"{site_origin}/robots.txt",
                    callback=self.parse_robots,
                    errback=self.failed,
                    dont_filter=True,
                    meta={"audit_kind": "sitemap", "dont_obey_robotstxt": True},
                )

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        urls = (
            list(sitemap_urls_from_robots(response.body, base_url=response.url))
            if (isinstance(response, TextResponse) and response.status == 200)
            else []
        )
        if not urls:
            urls = [f"{origin(response.url)}/sitemap.xml"]
        for url in urls:
            request = self.request(url)
            if request is not None:
                yield request

    def request(self, url: str, listed_in: str = "") -> scrapy.Request | None:
        """The request for a sitemap, or None when it was asked for already (an index that
        lists itself, or two that list each other) or too many sitemaps were read; the loop
        or the limit is reported once, as a problem of the sitemap that listed it."""
        key = self.spider.frontier.key(url)
        if key in self.seen:
            if listed_in:
                self.problem(
                    listed_in,
                    f"it lists {url}, a sitemap already read, so the sitemaps go round in "
                    "a loop (each was read once)",
                )
            return None
        if len(self.seen) >= self.limit:
            if not self.limit_hit:
                self.limit_hit = True
                self.problem(
                    listed_in or url,
                    f"it takes the site's sitemaps past {self.limit}; the rest were not read",
                )
            return None
        self.seen.add(key)
        try:
            if url_problem(url):
                raise ValueError(url_problem(url))
            return scrapy.Request(url, callback=self.parse_sitemap, errback=self.failed,
                                  dont_filter=True, meta={"audit_kind": "sitemap"})  # fmt: skip
        except (ValueError, UnicodeError):
            self.problem(
                listed_in or url,
                f"it lists {url}, which is not a valid web address",
            )
            return None

    def problem(self, url: str, detail: str) -> None:
        """A sitemap the crawl could not follow as it stands, stored as a failed fetch of
        the site (a sitemap-problem finding on the sitemap), once per sitemap."""
        key = self.spider.frontier.key(url)
        if key in self.reported:
            return
        self.reported.add(key)
        self.spider.logger.warning("sitemap %s: %s", url, detail)
        self.spider.store.add_fetch(
            Fetch(url=key, final_url=url, status=0, error=FailureKind.SITEMAP,
                  error_detail=detail, facts=FetchFacts(is_page=True)),
            "page",
        )  # fmt: skip

    async def parse_sitemap(self, response: Response) -> AsyncIterator[Any]:
        if response.status != 200:
            return
        body = response.body
        if response.url.endswith(".gz") or body[:2] == b"\x1f\x8b":
            body = self.unpacked(response)
            if body is None:
                return
        try:
            sitemap = Sitemap(body)
        except Exception:  # not XML: nothing to follow
            return
        spider = self.spider
        for entry in sitemap:
            loc = entry.get("loc", "").strip()
            if not loc:
                continue
            if sitemap.type == "sitemapindex":
                request = self.request(loc, listed_in=response.url)
                if request is not None:
                    yield request
            elif spider.frontier.scope.may_crawl(loc):
                request = self.page(loc, response.url)
                async for output in paced(spider.expand([request])):
                    yield output

    def page(self, loc: str, sitemap: str) -> Any:
        """The request for a page a sitemap lists, or None; an address that cannot be
        requested is reported on the sitemap, and the sitemap's other pages go on."""
        if not url_problem(loc):
            try:
                return self.spider.page_request(loc, depth=1)
            except (ValueError, UnicodeError):
                pass
        self.problem(sitemap, f"it lists {loc}, which is not a valid web address")
        return None

    def unpacked(self, response: Response) -> bytes | None:
        """A gzipped sitemap's XML, unpacked a piece at a time up to the download limit
        (crawl.max_size_mb): a small file that unpacks to gigabytes (a decompression bomb)
        is stopped there and reported, not unpacked whole. None when it cannot be read."""
        from scrapy.utils.gz import gunzip

        max_mb = self.spider.config.crawl.max_size_mb
        try:
            return gunzip(response.body, max_size=int(max_mb * 1024 * 1024))
        except ValueError:  # larger than the limit once unpacked
            self.problem(
                response.url,
                "it is larger than the maximum size "
                f"({max_mb:g} MB) once unpacked, so it was not read",
            )
        except (OSError, EOFError):
            self.spider.logger.info("sitemap %s is not readable gzip", response.url)
        return None

    def failed(self, failure: Failure) -> None:
        reason, detail = classify_failure(failure)
        if reason is FailureKind.TOO_LARGE:
            url = failure.request.url  # type: ignore[attr-defined]
            self.problem(url, f"it could not be read: {detail}")
        self.spider.logger.info("sitemap not read: %s", failure.getErrorMessage())
