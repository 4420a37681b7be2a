"""The audit spider: crawls the site's pages and fetches every other link target once.

Pages of the site are fetched, extracted and followed. Every other URL a page links to
(other sites, documents, excluded sections) is requested once by the link checker, so all
HTTP goes through Scrapy's downloader and its per-host politeness. Which addresses are
asked for is the frontier's to say (crawler.frontier), what the sitemaps list is read in
crawler.sitemaps, and what each request may carry is the request policy's (core.policy).
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
import threading
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import StopDownload
from scrapy.http import Response, TextResponse
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from content_audit.core.config import PARALLEL_FROM_PAGES, Config
from content_audit.core.linkcache import LinkCache
from content_audit.core.model import FailureKind, Fetch, FetchFacts, LinkProblem, Page
from content_audit.core.policy import RequestPolicy
from content_audit.core.previous import PreviousRun, body_digest
from content_audit.core.store import RunStore
from content_audit.core.urls import is_http, origin, url_problem
from content_audit.crawler import linkcheck
from content_audit.crawler.errors import classify_failure
from content_audit.crawler.extract import extract_page
from content_audit.crawler.extract_pool import ExtractPool, extract_here
from content_audit.crawler.frontier import PAUSE, PAUSE_EVERY, Frontier, paced
from content_audit.crawler.responses import (
    HTML_TYPES,
    decode_html,
    fetch_from_response,
    looks_binary,
    unfollowed_redirect,
)
from content_audit.crawler.revalidate import Revalidation, Unchanged
from content_audit.crawler.sitemaps import Sitemaps

log = logging.getLogger(__name__)


def page_facts(page: Page) -> FetchFacts:
    """Facts about a crawled page that link verdicts need (see crawler.linkcheck)."""
    h1 = next((text for level, text in page.headings if level == 1), "")
    soft_404 = page.status == 200 and linkcheck.says_not_found(page.title, h1)
    return FetchFacts(
        title=page.title[:300],
        h1=h1[:300],
        content_hash=page.content_hash,
        problem=LinkProblem.SOFT_404 if soft_404 else None,
    )


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
        revalidation: Callable[[], Revalidation] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.on_pages = on_pages
        self.previous = previous  # the last run's pages: unchanged ones are not fetched again
        # waits for the answer of the revalidation under way (crawler.revalidate), which
        # ``start`` awaits before the first page; never raises
        self.revalidation = revalidation if previous is not None else None
        # pages already known to be unchanged (crawler.revalidate): no request at all
        self.unchanged: dict[str, Unchanged] = {}
        self.config = config
        self.store = store  # the pipeline writes items here
        # what is asked for, once each: seen-set, scope, trap guards and limits
        self.frontier = Frontier(config.site)
        self.scope = self.frontier.scope
        self.seen = self.frontier.seen  # normalised URLs already requested (pages and links)
        self.taken = self.frontier.taken  # link URLs as written whose URL is in seen
        self.stats_pages = 0
        self.downloaded = 0  # pages downloaded (stats_pages counts those taken unchanged too)
        self.stats_links = 0
        self.early: set[str] = set()  # problem links asked first (_recheck_first), not met yet
        self.stats_errors = 0
        # credentials, host rules, skips: what every request may carry (the middlewares
        # read it from here) and which link targets are asked about at all
        self.policy = RequestPolicy.from_config(config)
        self.link_cache: LinkCache | None = (
            LinkCache.for_config(config) if config.links.check_external else None
        )
        self.extractor: ExtractPool | None = None  # started once the site proves big
        self.callback_errors = 0  # callbacks that raised (on_error)
        self.invalid: set[str] = set()  # links reported as not valid web addresses
        self.sitemaps = Sitemaps(self)

    @property
    def trap_skipped(self) -> int:
        return self.frontier.trap_skipped

    @property
    def limit_skipped(self) -> int:
        return self.frontier.limit_skipped

    @property
    def page_limit_skipped(self) -> int:
        return self.frontier.page_limit_skipped

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
        # other sites first: their answers do not wait for the revalidation, which asks the
        # site's own pages meanwhile (a re-run's broken links on other sites took 1.5 s of
        # the bench's re-run after it)
        for request in self._recheck_first():
            yield request
        if self.revalidation is not None:
            await self._revalidated(self.revalidation)
        for site_origin in sorted(self.scope.origins):
            yield self._not_found_probe(site_origin)
        for url in self.config.site.start_urls:
            async for output in paced(self.expand([self.page_request(url, 0, force=True)])):
                yield output
        for request in self.sitemaps.first_requests():
            yield request

    async def _revalidated(self, answer: Callable[[], Revalidation]) -> None:
        """Wait, in a thread, for the revalidation's answer; the crawl goes on meanwhile
        with what it has (the other sites' links), and the site's pages follow. A daemon
        thread of its own, not the reactor's pool: a crawl stopped meanwhile (SIGTERM)
        must not wait at shutdown for the revalidation to finish."""
        from twisted.internet import reactor

        waiting: Deferred[Revalidation] = Deferred()

        def answered(asked: Revalidation) -> None:
            if not waiting.called:  # not cancelled by a crawl that stopped meanwhile
                waiting.callback(asked)

        def wait() -> None:
            reactor.callFromThread(answered, answer())  # type: ignore[attr-defined]

        threading.Thread(target=wait, name="revalidation-answer", daemon=True).start()
        asked = await maybe_deferred_to_future(waiting)
        self.unchanged = dict(asked.unchanged)
        self.store.set_meta("revalidation", asked.summary())
        log.info("asked about %d pages of the last run before the crawl: %d unchanged%s",
                 asked.asked, len(asked.unchanged),
                 f" (stopped: {asked.stopped})" if asked.stopped else "")  # fmt: skip

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
        return self.frontier.key(url)

    # -- pages -----------------------------------------------------------------------------
    def page_request(
        self, url: str, depth: int, force: bool = False
    ) -> scrapy.Request | KnownPage | None:
        """The request for a page of the site; None when it is not to be crawled (seen,
        too deep, a trap, over the limit: ``Frontier.admit_page``); a KnownPage when it is
        known to be unchanged."""
        key = self.frontier.admit_page(url, depth, force)
        if key is None:
            return None
        known = self.unchanged.pop(key, None) if self.unchanged else None
        if known is not None:
            return KnownPage(key, depth, known)
        asked = self.previous.validators(key) if self.previous is not None else {}
        return self.request_for(key, depth, asked)

    def request_for(self, key: str, depth: int, asked: dict[str, str]) -> scrapy.Request:
        """The Request for an admitted page (``asked``: its validators, for a conditional
        request). crawler.queues holds a waiting one as its arguments and calls this again."""
        return scrapy.Request(
            key,
            callback=self.parse_page,
            errback=self.page_failed,
            headers=asked or None,  # If-None-Match / If-Modified-Since: unchanged since?
            dont_filter=True,  # our own seen-set dedupes; Scrapy's would hide redirect loops
            meta={"audit_kind": "page", "audit_key": key, "audit_depth": depth,
                  "audit_conditional": bool(asked)},
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
            fetch.status, fetch.error, fetch.error_detail = 0, FailureKind.BAD_REDIRECT, nowhere
            fetch.facts.is_page = True
            self.store.add_fetch(fetch, "page")
            return
        if response.status >= 400:
            self.stats_errors += 1
            # the next run asks for it again before the crawl: the same bytes, the same page
            fetch.facts.body = body_digest(response.body)
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
        fetch.facts.update(page_facts(page))
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
        return self.expand(self._links_of(links, depth))

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
        fetch.facts = FetchFacts(body=fetch.facts.body)
        for name in ("etag", "last-modified"):
            if name in answer.headers:
                fetch.headers[name] = answer.headers[name]
        fetch.facts.update(page_facts(page))
        # 304, or an error page that sent the same bytes again (crawler.revalidate)
        fetch.facts.unchanged = "304" if page.status < 400 else "same"
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
        pages are taken at once (expand)."""
        return self.expand(self._links_of(links, depth))

    def expand(self, outputs: Iterable[Any]) -> Iterator[Any]:
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
                yield self.request_for(known.key, known.depth, {})
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
            output = self.page_request(url, depth + 1)
            # past the page limit the page is not audited, but whether it answers is still
            # checked, as for an excluded section: a dead footer link is found either way
            page_link = output is not None or key in self.seen or not self.frontier.full
        if page_link:
            pass
        elif self.frontier.admit_target(key):
            # everything else: other sites, and the site's images, scripts, stylesheets,
            # documents and excluded sections: checked once, never parsed
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
            Fetch(
                url=key, final_url=url, status=0, error=FailureKind.INVALID_URL, error_detail=detail
            ),
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
        fetch.facts.probe = origin(key)
        ctype = fetch.content_type.split(";")[0].strip().lower()
        if response.status == 200 and isinstance(response, TextResponse) and ctype in HTML_TYPES:
            page = Page(url=key, final_url=response.url, status=200)
            try:
                extract_page(page, decode_html(response)[0], self.config.site.main_selector)
                fetch.facts.update(page_facts(page))
            except Exception as exc:  # the probe is a nicety: say so, carry on
                self.logger.info("not-found probe page could not be read: %s", exc)
        yield {"fetch": fetch, "kind": "probe"}

    def probe_failed(self, failure: Failure) -> None:
        self.logger.info("not-found probe failed: %s", failure.getErrorMessage())

    def page_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        key = request.meta.get("audit_key", request.url)
        reason, detail = classify_failure(failure)
        if reason is FailureKind.ROBOTS:
            return  # the site asks us not to crawl it: not a defect
        if reason is FailureKind.TIMEOUT and request.meta.get("download_timeout"):
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
                facts=FetchFacts(is_page=True),
            ),
            "kind": "page",
        }
