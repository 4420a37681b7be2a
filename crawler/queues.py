"""The scheduler's memory queue, holding the pages waiting their turn as small tuples.

Breadth first, a crawl finds a site's pages long before it can fetch them: on a
20,000-page site, 2,000 pages in, about 18,000 page requests wait in Scrapy's scheduler.
A Request with its meta, its bound callbacks and the parsed URL Scrapy caches for it is
about 1.2 KB; the same page as ``(url, depth, validators)`` is under 0.1 KB, its URL the
string the frontier's seen-set holds already. This queue keeps the spider's plain page
requests in that form and makes each Request again as it leaves (``AuditSpider.
request_for``); any other request (a link check, a retry, a redirect, robots.txt) is
kept as it is. The order is Scrapy's FifoMemoryQueue's: first in, first out.
"""

from __future__ import annotations

from typing import Any

from scrapy.squeues import FifoMemoryQueue

# what AuditSpider.request_for puts in a page request's meta, and nothing else
_PAGE_META = frozenset({"audit_kind", "audit_key", "audit_depth", "audit_conditional"})


class PageTupleQueue(FifoMemoryQueue):  # type: ignore[misc, valid-type]
    """FifoMemoryQueue with the spider's page requests held as tuples."""

    def __init__(self, spider: Any = None) -> None:
        super().__init__()
        self.spider = spider if hasattr(spider, "request_for") else None

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> PageTupleQueue:
        return cls(crawler.spider)

    def push(self, request: Any) -> None:
        super().push(self._compact(request) or request)

    def pop(self) -> Any:
        return self._request(super().pop())

    def peek(self) -> Any:
        item = super().peek()
        if isinstance(item, tuple):
            item = self.q[0] = self._request(item)  # pop gives this same object
        return item

    def _compact(self, request: Any) -> tuple[str, int, dict[str, str] | None] | None:
        """The page request as a tuple, when request_for makes it again exactly."""
        spider = self.spider
        meta = request.meta
        if (
            spider is None
            or meta.get("audit_kind") != "page"
            or meta.keys() != _PAGE_META
            or request.callback != spider.parse_page
            or request.errback != spider.page_failed
            or request.url != meta["audit_key"]
            or request.method != "GET"
            or request.priority != 0
            or request.body
            or request.cb_kwargs
            or request.flags
            or not request.dont_filter
        ):
            return None
        asked: dict[str, str] = {}
        encoding = request.headers.encoding  # as Scrapy encoded them: the same bytes again
        for name in request.headers:
            values = request.headers.getlist(name)
            if len(values) != 1:
                return None
            try:
                asked[name.decode(encoding)] = values[0].decode(encoding)
            except UnicodeDecodeError:
                return None
        if bool(asked) != meta["audit_conditional"]:
            return None
        return meta["audit_key"], meta["audit_depth"], asked or None

    def _request(self, item: Any) -> Any:
        if not isinstance(item, tuple):
            return item
        key, depth, asked = item
        return self.spider.request_for(key, depth, asked or {})
