"""The audit spider: crawls the site's pages and fetches every other link target once.

Pages of the site are fetched, extracted and followed. Every other URL a page links to
(other sites, documents, excluded sections) is requested once by the link checker, so all
HTTP goes through Scrapy's downloader and its per-host politeness.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import sqlite3
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import StopDownload
from scrapy.http import Response, TextResponse
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.python.failure import Failure

from content_audit.core.config import PARALLEL_FROM_PAGES, Config
from content_audit.core.linkcache import LinkCache
from content_audit.core.model import Fetch, Page
from content_audit.core.previous import PreviousRun, body_digest
from content_audit.core.store import RunStore
from content_audit.core.urls import (
    Scope,
    is_http,
    looks_like_trap,
    normalise,
    origin,
    path_key,
    url_problem,
)
from content_audit.crawler import linkcheck
from content_audit.crawler.errors import classify_failure
from content_audit.crawler.extract import extract_page
from content_audit.crawler.extract_pool import ExtractPool, extract_here
from content_audit.crawler.revalidate import Unchanged

HTML_TYPES = ("text/html", "application/xhtml+xml")
KEPT_HEADERS = ("content-type", "content-length", "etag", "last-modified", "retry-after",
                "cf-mitigated", "server", "location")  # fmt: skip


def response_headers(response: Response) -> dict[str, str]:
    headers = {}
    for name in KEPT_HEADERS:
        value = response.headers.get(name)
        if value is not None:
            headers[name] = value.decode("latin-1")
    return headers


def page_facts(page: Page) -> dict[str, str]:
    """Facts about a crawled page that link verdicts need (see crawler.linkcheck)."""
    h1 = next((text for level, text in page.headings if level == 1), "")
    facts = {
        "x-audit-title": page.title[:300],
        "x-audit-h1": h1[:300],
        "x-audit-hash": page.content_hash,
    }
    if page.status == 200 and linkcheck.says_not_found(page.title, h1):
        facts["x-audit-problem"] = "soft-404"
    return facts


def fetch_from_response(response: Response, url: str) -> Fetch:
    """The raw facts of an HTTP answer, including the redirect hops that led to it."""
    meta = response.meta
    hops = meta.get("redirect_urls", [])
    reasons = meta.get("redirect_reasons", [])
    redirects = [
        (u, int(r) if isinstance(r, int) else 0) for u, r in zip(hops, reasons, strict=False)
    ]
    started = meta.get("audit_started")
    elapsed = int((time.monotonic() - started) * 1000) if started else 0
    return Fetch(
        url=url,
        final_url=response.url,
        status=response.status,
        content_type=(response.headers.get("Content-Type") or b"").decode("latin-1"),
        size=len(response.body),
        elapsed_ms=elapsed,
        redirects=redirects,
        method=response.request.method if response.request else "GET",
        headers=response_headers(response),
    )


def unfollowed_redirect(response: Response) -> str:
    """Why a redirect was not followed, in plain words, or "": Scrapy follows http(s)
    redirects only, and hands back one to file:///etc/passwd or ftp:// as it came."""
    if response.status not in (301, 302, 303, 307, 308):
        return ""
    location = (response.headers.get("Location") or b"").decode("latin-1").strip()
    if not location:
        return ""
    scheme = location.partition(":")[0].lower() if ":" in location else ""
    if scheme in ("http", "https") or "/" in scheme or not scheme:
        return ""
    shown = location if len(location) <= 200 else location[:200] + "..."
    return (
        f"it redirects to {shown}, which is not a web address ({scheme}:), so browsers stop there"
    )


# share of a page's first characters that may be control characters or undecodable bytes
# before it counts as binary data sent as text/html: real pages, even in the wrong
# character set (decode_html), have next to none; random bytes have about half
UNREADABLE_SHARE = 0.1
UNREADABLE_SAMPLE = 65536


_UNREADABLE = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def looks_binary(text: str) -> bool:
    """Whether decoded "HTML" is really binary data (an image, a zip, random bytes). On
    every page: a real page has no such character at all, and costs one regex search."""
    sample = text[:UNREADABLE_SAMPLE]
    if len(sample) < 512 or _UNREADABLE.search(sample) is None:
        return False  # a few odd characters in a tiny page are not worth a verdict
    return len(_UNREADABLE.findall(sample)) / len(sample) > UNREADABLE_SHARE


# _expand yields this after every PAUSE_EVERY pages taken without a request: the callback
# then lets the reactor run, so downloads in flight never wait (or time out) behind a long
# run of unchanged pages
PAUSE = object()
PAUSE_EVERY = 25
# sitemaps read in one run at most: an index of indexes that never ends (generated on the
# fly) stops here; 1,000 sitemaps of 50,000 URLs each are far past any trust's site
MAX_SITEMAPS = 1000


@dataclass(slots=True)
class KnownPage:
    """A page that answered 304 before the crawl (crawler.revalidate): taken from the last
    run's store where the crawl reaches it, without a request."""

    key: str
    depth: int
    answer: Unchanged


class AuditSpider(scrapy.Spider):
    name = "content-audit"

    def __init__(
        self,
        config: Config,
        store: RunStore,
        on_pages: Callable[[int], None] | None = None,
        previous: PreviousRun | None = None,
        unchanged: dict[str, Unchanged] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.on_pages = on_pages
        self.previous = previous  # the last run's pages: unchanged ones are not fetched again
        # pages already known to be unchanged (crawler.revalidate): no request at all
        self.unchanged = unchanged if previous is not None and unchanged else {}
        self.config = config
        self.store = store  # the pipeline writes items here
        site = config.site
        self.ignore_params = site.ignore_query_params
        self.scope = Scope(site.start_urls, site.allowed_hosts, site.include, site.exclude)
        self.seen: set[str] = set()  # normalised URLs already requested (pages and links)
        self.taken: set[str] = set()  # link URLs as written whose normalised URL is in seen
        self.query_variants: dict[str, int] = {}
        self.pages_scheduled = 0
        self.trap_skipped = 0
        self.limit_skipped = 0
        self.page_limit_skipped = 0  # of those, pages found past site.max_pages
        self.stats_pages = 0
        self.downloaded = 0  # pages downloaded (stats_pages counts those taken unchanged too)
        self.stats_links = 0
        self.early: set[str] = set()  # problem links asked first (_recheck_first), not met yet
        self.stats_errors = 0
        self.link_exclude = [re.compile(p) for p in config.links.exclude]
        self.link_cache: LinkCache | None = (
            LinkCache.for_config(config) if config.links.check_external else None
        )
        self.extractor: ExtractPool | None = None  # started once the site proves big
        self.callback_errors = 0  # callbacks that raised (on_error)
        self.invalid: set[str] = set()  # links reported as not valid web addresses
        self.sitemaps_seen: set[str] = set()  # sitemap URLs asked for: an index may loop
        self.sitemap_problems: set[str] = set()  # sitemaps already reported

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> AuditSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_headers, signal=signals.headers_received)
        crawler.signals.connect(spider.on_bytes, signal=signals.bytes_received)
        crawler.signals.connect(spider.on_closed, signal=signals.spider_closed)
        crawler.signals.connect(spider.on_error, signal=signals.spider_error)
        return spider

    def on_error(self, failure: Failure, response: Response, **kw: Any) -> None:
        """A callback raised: what that page linked to after the error is lost, so the
        run must not pass as complete (crawler.runner). Said in one line; the traceback
        only with --verbose."""
        self.callback_errors += 1
        self.logger.warning(
            "the page %s was only partly read (%s: %s): the audit is incomplete",
            getattr(response, "url", "") or "(unknown)",
            failure.type.__name__ if failure.type else "error", failure.getErrorMessage(),
        )  # fmt: skip

    def on_headers(
        self, headers: Any, body_length: int, request: scrapy.Request, **kw: Any
    ) -> None:
        """Link checks that need no body stop right after the headers."""
        if request.meta.get("audit_kind") != "link" or request.method != "GET":
            return
        if "audit_watch" in request.meta:
            return  # YouTube's oEmbed answer: small JSON, read in full
        ctype = (headers.get("Content-Type") or b"").decode("latin-1").split(";")[0].strip()
        if not request.meta.get("audit_want_body") or ctype.lower() not in HTML_TYPES:
            raise StopDownload(fail=False)

    def on_bytes(self, data: bytes, request: scrapy.Request, **kw: Any) -> None:
        """An external page is read up to LINK_BODY_MAX: enough for its title and ids."""
        if request.meta.get("audit_kind") != "link":
            return
        got = request.meta.get("audit_bytes", 0) + len(data)
        request.meta["audit_bytes"] = got
        if got > linkcheck.LINK_BODY_MAX:
            raise StopDownload(fail=False)

    def on_closed(self, spider: Any = None, reason: str = "") -> None:
        if self.extractor is not None:
            self.extractor.close()
        if self.early:  # asked first, but no page links to them any more: not this run's
            self.store.drop_link_checks(self.early)
            self.early.clear()
        if self.link_cache is not None:
            cache = self.link_cache
            self.store.set_meta(
                "link_cache",
                {"path": str(cache.path), "reused": cache.hits, "stored": cache.stored,
                 "recheck_all": cache.recheck_all},
            )  # fmt: skip
            cache.close()

    # -- start -----------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        for site_origin in sorted(self.scope.origins):
            yield self._not_found_probe(site_origin)
        for request in self._recheck_first():
            yield request
        for url in self.config.site.start_urls:
            async for output in paced(self._expand([self._page_request(url, 0, force=True)])):
                yield output
        sitemaps = list(self.config.site.sitemaps)
        for sitemap in sitemaps:
            request = self._sitemap_request(sitemap)
            if request is not None:
                yield request
        if self.config.site.use_sitemap and not sitemaps:
            for site_origin in sorted(self.scope.origins):
                yield scrapy.Request(
                    f"{site_origin}/robots.txt",
                    callback=self.parse_robots,
                    errback=self.sitemap_failed,
                    dont_filter=True,
                    meta={"audit_kind": "sitemap", "dont_obey_robotstxt": True},
                )

    def _recheck_first(self) -> Iterator[scrapy.Request]:
        """On a re-run, the last run's problem links on other sites, asked before any page
        is walked (core.previous.problem_links). Each is asked every night, and the slow
        and the failing ones (timeouts, servers that hang) would otherwise be met late in a
        quick walk of unchanged pages and hold the crawl's end. Asked with the method they
        were asked with last time; one that no page links to any more is dropped again when
        the crawl ends (on_closed)."""
        if self.previous is None or not self.config.links.check_external:
            return
        for key, read_body in self.previous.problem_links():
            if key in self.seen or self.scope.is_site(key):  # the site's are never cached
                continue
            if url_problem(key):  # not a web address: reported again when a page has it
                continue
            tag = "a" if read_body else "img"  # what linkcheck.wants_body decided last time
            try:
                request = linkcheck.link_request(self, key, key, internal=False, tag=tag)
            except (ValueError, UnicodeError):  # Scrapy refuses it: as above
                continue
            if isinstance(request, scrapy.Request):
                self.seen.add(key)
                self.early.add(key)
                yield request

    def key(self, url: str) -> str:
        return normalise(url, self.ignore_params)

    # -- pages -----------------------------------------------------------------------------
    def _page_request(
        self, url: str, depth: int, force: bool = False
    ) -> scrapy.Request | KnownPage | None:
        """The request for a page of the site; None when it is not to be crawled (seen,
        too deep, a trap, over the limit); a KnownPage when it is known to be unchanged."""
        key = self.key(url)
        if key in self.seen:
            return None
        if not force:
            if depth > self.config.site.max_depth:
                self.limit_skipped += 1
                return None
            if looks_like_trap(key):
                self.trap_skipped += 1
                return None
            if "?" in key:
                pk = path_key(key)
                n = self.query_variants.get(pk, 0)
                if n >= self.config.site.max_query_variants:
                    self.trap_skipped += 1
                    return None
                self.query_variants[pk] = n + 1
        if self.pages_scheduled >= self.config.site.max_pages:
            self.limit_skipped += 1
            self.page_limit_skipped += 1
            return None
        self.seen.add(key)
        self.pages_scheduled += 1
        known = self.unchanged.pop(key, None) if self.unchanged else None
        if known is not None:
            return KnownPage(key, depth, known)
        asked = self.previous.validators(key) if self.previous is not None else {}
        return self._request(key, depth, asked)

    def _request(self, key: str, depth: int, asked: dict[str, str]) -> scrapy.Request:
        return scrapy.Request(
            key,
            callback=self.parse_page,
            errback=self.page_failed,
            headers=asked or None,  # If-None-Match / If-Modified-Since: unchanged since?
            dont_filter=True,  # our own seen-set dedupes; Scrapy's would hide redirect loops
            meta={"audit_kind": "page", "audit_key": key, "audit_depth": depth,
                  "audit_started": time.monotonic(), "audit_conditional": bool(asked)},
        )  # fmt: skip

    async def parse_page(self, response: Response) -> AsyncIterator[Any]:
        key = response.meta["audit_key"]
        depth = response.meta["audit_depth"]
        if response.status == 304 and response.meta.get("audit_conditional"):
            reused = self._unchanged_page(response, key, depth)
            if reused is None:
                yield self._unconditional(response.request)
                return
            async for output in paced(reused):
                yield output
            return
        fetch = fetch_from_response(response, key)
        self.stats_pages += 1
        self._page_counted()
        nowhere = unfollowed_redirect(response)
        if nowhere:  # reported as a page that cannot be loaded (as page_failed does)
            self.stats_errors += 1
            fetch.status, fetch.error, fetch.error_detail = 0, "bad-redirect", nowhere
            fetch.headers["x-audit-kind"] = "page"
            self.store.add_fetch(fetch, "page")
            return
        if response.status >= 400:
            self.stats_errors += 1
            # the next run asks for it again before the crawl: the same bytes, the same page
            fetch.headers["x-audit-body"] = body_digest(response.body)
        final_key = self.key(response.url)
        if final_key != key:
            if not self.scope.may_crawl(final_key) or final_key in self.seen:
                self.store.add_fetch(fetch, "page")
                return  # redirected off the site, or to a page crawled on its own
            self.seen.add(final_key)
        page = Page(
            url=final_key,
            final_url=response.url,
            status=response.status,
            content_type=fetch.content_type,
            size=fetch.size,
            elapsed_ms=fetch.elapsed_ms,
            depth=depth,
        )
        ctype = fetch.content_type.split(";")[0].strip().lower()
        if not isinstance(response, TextResponse) or ctype not in HTML_TYPES:
            page.is_html = False
            self.store.add_fetch(fetch, "page")
            self.store.add_page(page)
            return
        text, problem = decode_html(response)
        page.encoding_problem = problem
        record = None  # the stored form of the page, when the extraction worker made it
        links: list[tuple[str, str]] = []
        try:
            if looks_binary(text):  # one finding, not hundreds from reading noise as text
                page.encoding_problem = ""
                page.error = (
                    "the server sent data that is not a readable page (it says "
                    f"{ctype}, but the content is binary)"
                )
            elif self.extractor is not None:
                page, links, record = await self.extractor.extract(
                    page, text, self.config.site.main_selector
                )
            else:
                page, links, record = extract_here(page, text, self.config.site.main_selector)
        except Exception as exc:  # a page must never stop the crawl
            page.error = f"the page could not be read: {exc.__class__.__name__}: {exc}"
            self.logger.warning("extraction failed for %s: %s", response.url, exc)
        fetch.headers.update(page_facts(page))
        # every page fetched is stored here, as _reuse does, not yielded as items: Scrapy's
        # item machinery (the spider middlewares' output chain, the item processor, its
        # signals) cost more than the rows, for two items a page, most of the crawl's outputs
        self.store.add_fetch(fetch, "page")
        self.store.add_page(page, record)
        if response.status >= 400:
            return
        async for output in paced(self.follow_links(links, depth)):
            yield output

    def _unchanged_page(self, response: Response, key: str, depth: int) -> Iterator[Any] | None:
        """A 304 to our conditional request: the last run's record of the page is taken,
        and its links followed as if it had been downloaded. None if the record cannot be
        had."""
        fresh = fetch_from_response(response, key)
        links = self._reuse(key, depth, Unchanged(fresh.elapsed_ms, fresh.headers))
        if links is None:
            return None
        return self._expand(self._links_of(links, depth))

    def _reuse(self, key: str, depth: int, answer: Unchanged) -> list[list[str]] | None:
        """Take an unchanged page's record and fetch over from the last run; what it links
        to (an error page: nothing to follow), or None if the record cannot be had (the
        page is then asked for after all). Written to the store here, not through the item
        pipeline, which costs more than the rows; the record is in the store when its
        outline is."""
        previous = self.previous
        try:
            found = previous.outline(key) if previous is not None else None
        except sqlite3.DatabaseError as exc:  # the last run's record is lost: download it
            self.logger.warning("the last run's record of %s cannot be read: %s", key, exc)
            found = None
        if previous is None or found is None:
            return None
        page, links, fetch = found  # headline facts and links; the record stays in SQLite
        self.store.reuse_page(key, depth, answer.elapsed_ms)
        previous.reused += 1
        self.stats_pages += 1
        self._page_counted(downloaded=False)
        if page.status >= 400:
            self.stats_errors += 1
        fetch.elapsed_ms = answer.elapsed_ms
        # facts of the last fetch (retries, timings) are not this one's; a 304 may bring
        # new validators
        fetch.headers = {k: v for k, v in fetch.headers.items()
                         if not k.startswith("x-audit-") or k == "x-audit-body"}  # fmt: skip
        for name in ("etag", "last-modified"):
            if name in answer.headers:
                fetch.headers[name] = answer.headers[name]
        fetch.headers.update(page_facts(page))
        # 304, or an error page that sent the same bytes again (crawler.revalidate)
        fetch.headers["x-audit-unchanged"] = "304" if page.status < 400 else "same"
        self.store.add_fetch(fetch, "page")
        # an error page's links are the site's error template (parse_page)
        return links if page.status < 400 else []

    @staticmethod
    def _unconditional(request: scrapy.Request) -> scrapy.Request:
        """The same page asked for again without If-None-Match / If-Modified-Since (the
        last run's record of it could not be read after all)."""
        headers = {k: v for k, v in request.headers.items()
                   if k.lower() not in (b"if-none-match", b"if-modified-since")}  # fmt: skip
        return request.replace(headers=headers, meta={**request.meta, "audit_conditional": False})

    def _page_counted(self, downloaded: bool = True) -> None:
        """Past PARALLEL_FROM_PAGES pages downloaded, extraction moves to a worker process:
        a small site, or a re-run's few changed pages, are done before a worker would have
        started (a worker costs about 0.5 s of CPU to start, beside the crawl)."""
        n = self.stats_pages
        self.downloaded += downloaded
        if (
            self.downloaded >= PARALLEL_FROM_PAGES
            and self.extractor is None
            and self.config.crawl.parallel_extract
        ):
            self.extractor = ExtractPool()
        if self.on_pages is not None:
            self.on_pages(n)

    def follow_links(self, links: Iterable[Sequence[str]], depth: int) -> Iterator[Any]:
        """Requests for what a page links to, (URL, tag) pairs (``link_pairs``); unchanged
        pages are taken at once (_expand)."""
        return self._expand(self._links_of(links, depth))

    def _expand(self, outputs: Iterable[Any]) -> Iterator[Any]:
        """Requests and items as they come; each KnownPage becomes its copied record and,
        breadth first, what it links to, with no request made (and a PAUSE now and then:
        see ``paced``)."""
        work: deque[KnownPage] = deque()
        for output in outputs:
            if isinstance(output, KnownPage):
                work.append(output)
            elif output is not None:
                yield output
        taken = 0
        while work:
            known = work.popleft()
            taken += 1
            if taken % PAUSE_EVERY == 0:
                yield PAUSE
            links = self._reuse(known.key, known.depth, known.answer)
            if links is None:  # the record cannot be had: download the page after all
                yield self._request(known.key, known.depth, {})
                continue
            for output in self._links_of(links, known.depth):
                if isinstance(output, KnownPage):
                    work.append(output)
                else:
                    yield output

    def _links_of(self, links: Iterable[Sequence[str]], depth: int) -> Iterator[Any]:
        """Requests (or unchanged pages) for a page's links, (URL, tag) pairs. A link that
        cannot be requested is reported (``_invalid_link``), and the page's other links
        go on: one bad address must never cut a page's links short."""
        taken = self.taken  # link addresses as written whose URL is seen: nothing more to do
        for url, tag in links:
            if url in taken:
                continue  # menus and footers: most of a page's links, on every page
            if not is_http(url):
                taken.add(url)
                continue
            problem = url_problem(url)
            if not problem:
                try:
                    output = self._link_output(url, tag, depth)
                except (ValueError, UnicodeError) as exc:  # Scrapy refused the address
                    self.logger.info("link %r cannot be requested: %s", url, exc)
                    problem = "it is written in a way no browser can follow"
                else:
                    if output is not None:
                        yield output
                    continue
            taken.add(url)  # never requested: reported as written
            self._invalid_link(url, problem)

    def _link_output(self, url: str, tag: str, depth: int) -> Any:
        """The request (or unchanged page) for one link not met before, or None."""
        key = self.key(url)
        output = None
        page_link = tag in ("a", "area", "iframe") and self.scope.may_crawl(url)
        if page_link:
            output = self._page_request(url, depth + 1)
            # past the page limit the page is not audited, but whether it answers is still
            # checked, as for an excluded section: a dead footer link is found either way
            page_link = (
                output is not None
                or key in self.seen
                or self.pages_scheduled < self.config.site.max_pages
            )
        if page_link:
            pass
        elif key not in self.seen:
            # everything else: other sites, and the site's images, scripts, stylesheets,
            # documents and excluded sections: checked once, never parsed
            self.seen.add(key)
            result = linkcheck.link_request(
                self, key, url, internal=self.scope.is_site(url), tag=tag
            )
            if result is not None:
                self.stats_links += 1
            if isinstance(result, dict):  # a cached result: stored here, as _reuse
                # does, not through Scrapy's item machinery
                self.store.add_fetch(result["fetch"], result["kind"])
            else:
                output = result
        elif key in self.early:  # asked first (_recheck_first); a page links to it
            self.early.discard(key)
            self.stats_links += 1
        if key in self.seen:  # not when too deep, a trap or over the limit: counted again
            self.taken.add(url)
        return output

    def _invalid_link(self, url: str, problem: str) -> None:
        """A link whose address no browser could open: stored as a failed check of it,
        so every page that has it gets a link-broken finding saying why."""
        key = self.key(url)
        if key in self.invalid:
            return
        self.invalid.add(key)
        self.seen.add(key)
        self.stats_links += 1
        detail = f"the link is not a valid web address: {problem}"
        self.store.add_fetch(
            Fetch(url=key, final_url=url, status=0, error="invalid-url", error_detail=detail),
            "link",
        )

    # -- the site's "not found" page -------------------------------------------------------
    def _not_found_probe(self, site_origin: str) -> scrapy.Request:
        """Ask for an address that cannot exist, to learn what the site's 404 page looks
        like; a page that answers 200 with the same page is a soft 404."""
        url = f"{site_origin}/content-audit-check-{secrets.token_hex(6)}-no-such-page"
        return scrapy.Request(url, callback=self.parse_probe, errback=self.probe_failed,
                              dont_filter=True,
                              meta={"audit_kind": "probe", "audit_key": url,
                                    "dont_retry": True})  # fmt: skip

    def parse_probe(self, response: Response) -> Iterator[Any]:
        key = response.meta["audit_key"]
        fetch = fetch_from_response(response, key)
        fetch.headers["x-audit-probe"] = origin(key)
        ctype = fetch.content_type.split(";")[0].strip().lower()
        if response.status == 200 and isinstance(response, TextResponse) and ctype in HTML_TYPES:
            page = Page(url=key, final_url=response.url, status=200)
            try:
                extract_page(page, decode_html(response)[0], self.config.site.main_selector)
                fetch.headers.update(page_facts(page))
            except Exception as exc:  # the probe is a nicety: say so, carry on
                self.logger.info("not-found probe page could not be read: %s", exc)
        yield {"fetch": fetch, "kind": "probe"}

    def probe_failed(self, failure: Failure) -> None:
        self.logger.info("not-found probe failed: %s", failure.getErrorMessage())

    def page_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        key = request.meta.get("audit_key", request.url)
        reason, detail = classify_failure(failure)
        if reason == "robots":
            return  # the site asks us not to crawl it: not a defect
        if reason == "timeout" and request.meta.get("download_timeout"):
            seconds = request.meta["download_timeout"]
            detail = f"the server took too long to answer (more than {seconds:g} s)"
        self.stats_pages += 1
        self.stats_errors += 1
        yield {
            "fetch": Fetch(
                url=key,
                final_url=request.url,
                status=0,
                error=reason,
                error_detail=detail,
                headers={"x-audit-kind": "page"},
            ),
            "kind": "page",
        }

    # -- sitemaps --------------------------------------------------------------------------
    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        urls = (
            list(sitemap_urls_from_robots(response.text, base_url=response.url))
            if (isinstance(response, TextResponse) and response.status == 200)
            else []
        )
        if not urls:
            urls = [f"{origin(response.url)}/sitemap.xml"]
        for url in urls:
            request = self._sitemap_request(url)
            if request is not None:
                yield request

    def _sitemap_request(self, url: str, listed_in: str = "") -> scrapy.Request | None:
        """The request for a sitemap, or None when it was asked for already (an index that
        lists itself, or two that list each other) or too many sitemaps were read; the loop
        or the limit is reported once, as a problem of the sitemap that listed it."""
        key = self.key(url)
        if key in self.sitemaps_seen:
            if listed_in:
                self._sitemap_problem(
                    listed_in,
                    f"it is a sitemap that lists {url}, a sitemap already read: a loop "
                    "(each sitemap was read once; the web team should fix the sitemap)",
                )
            return None
        if len(self.sitemaps_seen) >= MAX_SITEMAPS:
            self._sitemap_problem(
                listed_in or url,
                f"it is a sitemap that takes the site's sitemaps past {MAX_SITEMAPS}; "
                "the rest were not read",
            )
            return None
        self.sitemaps_seen.add(key)
        try:
            if url_problem(url):
                raise ValueError(url_problem(url))
            return scrapy.Request(url, callback=self.parse_sitemap, errback=self.sitemap_failed,
                                  dont_filter=True, meta={"audit_kind": "sitemap"})  # fmt: skip
        except (ValueError, UnicodeError):
            self._sitemap_problem(
                listed_in or url,
                f"it is a sitemap that lists {url}, which is not a valid web address",
            )
            return None

    def _sitemap_problem(self, url: str, detail: str) -> None:
        """A sitemap the crawl could not follow as it stands, stored as a failed fetch of
        the site (a page-error finding on the sitemap), once per sitemap."""
        key = self.key(url)
        if key in self.sitemap_problems:
            return
        self.sitemap_problems.add(key)
        self.logger.warning("sitemap %s: %s", url, detail)
        self.store.add_fetch(
            Fetch(url=key, final_url=url, status=0, error="sitemap", error_detail=detail,
                  headers={"x-audit-kind": "page"}),
            "page",
        )  # fmt: skip

    async def parse_sitemap(self, response: Response) -> AsyncIterator[Any]:
        if response.status != 200:
            return
        body = response.body
        if response.url.endswith(".gz") or body[:2] == b"\x1f\x8b":
            body = self._unpacked_sitemap(response)
            if body is None:
                return
        try:
            sitemap = Sitemap(body)
        except Exception:  # not XML: nothing to follow
            return
        for entry in sitemap:
            loc = entry.get("loc", "").strip()
            if not loc:
                continue
            if sitemap.type == "sitemapindex":
                request = self._sitemap_request(loc, listed_in=response.url)
                if request is not None:
                    yield request
            elif self.scope.may_crawl(loc):
                request = self._sitemap_page(loc, response.url)
                async for output in paced(self._expand([request])):
                    yield output

    def _sitemap_page(self, loc: str, sitemap: str) -> Any:
        """The request for a page a sitemap lists, or None; an address that cannot be
        requested is reported on the sitemap, and the sitemap's other pages go on."""
        problem = url_problem(loc)
        if not problem:
            try:
                return self._page_request(loc, depth=1)
            except (ValueError, UnicodeError):
                problem = "it is written in a way no browser can follow"
        self._sitemap_problem(
            sitemap, f"it is a sitemap that lists {loc}, which is not a valid web address"
        )
        return None

    def _unpacked_sitemap(self, response: Response) -> bytes | None:
        """A gzipped sitemap's XML, unpacked a piece at a time up to the download limit
        (crawl.max_size_mb): a small file that unpacks to gigabytes (a decompression bomb)
        is stopped there and reported, not unpacked whole. None when it cannot be read."""
        from scrapy.utils.gz import gunzip

        limit = int(self.config.crawl.max_size_mb * 1024 * 1024)
        try:
            return gunzip(response.body, max_size=limit)
        except ValueError:  # larger than the limit once unpacked
            self._sitemap_problem(
                response.url,
                "it is a sitemap larger than the maximum size "
                f"({self.config.crawl.max_size_mb:g} MB) once unpacked, so it was not read",
            )
        except (OSError, EOFError):
            self.logger.info("sitemap %s is not readable gzip", response.url)
        return None

    def sitemap_failed(self, failure: Failure) -> None:
        reason, detail = classify_failure(failure)
        if reason == "too-large":
            url = failure.request.url  # type: ignore[attr-defined]
            self._sitemap_problem(url, f"it is a sitemap that was not read: {detail}")
        self.logger.info("sitemap not read: %s", failure.getErrorMessage())


async def paced(outputs: Iterable[Any]) -> AsyncIterator[Any]:
    """A callback's outputs as they come; at each PAUSE the reactor runs what is due."""
    for output in outputs:
        if output is PAUSE:
            await asyncio.sleep(0)
        else:
            yield output


def decode_html(response: TextResponse) -> tuple[str, str]:
    """The page's text, and a note when the declared character set did not fit the bytes."""
    text = response.text
    if "\ufffd" in text and b"\xef\xbf\xbd" not in response.body:
        declared = response.encoding or "unknown"
        for fallback in ("utf-8", "cp1252"):
            if fallback == declared.lower().replace("_", "-"):
                continue
            try:
                better = response.body.decode(fallback)
            except UnicodeDecodeError:
                continue
            return better, (
                f"The page says its text is in one character set ({declared}) but it is written "
                f"in another ({fallback}), so some letters show as \ufffd."
            )
        return text, (
            f"The page says its text is in one character set ({declared}) but some of it is "
            "not, so some letters show as \ufffd."
        )
    return text, ""
