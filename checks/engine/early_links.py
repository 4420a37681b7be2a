"""A page's link checks while the crawl goes on, once its link targets have answered.

The after-crawl checks (checks.links) judge a page's links by what their targets answered,
and every answer is in only when the crawl ends. But most of a page's targets answer long
before: a page is *ready* when every web address it links to has an answer in the run
store and every page of the site that one of its #fragment links lands on has been read.
The content-check worker that reads whole records (checks.engine.background) checks each
page as it becomes ready, while it keeps up with the crawl, and writes the findings with
the digest of what they rest on (checks.engine.link_reuse) to a file of their own
(core.store.early_links_path). After the crawl the pipeline copies them into the run store
and takes them for each page whose digest the final answers give again, as it takes last
night's for a page that has not changed, and checks the rest itself. An answer that
differs at the end (the site's 404 page learnt late, a redirect whose target was read
later) gives another digest: it costs a check, never a wrong finding.

Pages with no main-content element are left to the pipeline: boilerplate removal rewrites
their text after the crawl, and the duplicate-link check reads it.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import sys
from collections import OrderedDict, deque
from collections.abc import Iterator, Mapping
from typing import TypeVar

from content_audit.checks.engine.link_reuse import LinkDigest, for_link_checks, reuse_key
from content_audit.checks.engine.registry import CheckContext
from content_audit.checks.engine.runner import CheckRun, results_key
from content_audit.core.model import Fetch, Page
from content_audit.core.records import StoredPage
from content_audit.core.store import NoteFile, RunStore
from content_audit.core.urls import Scope, is_http, normalise

V = TypeVar("V")


class EarlyLinkChecks:
    """Feed it the pages as the worker reads them (``page``, or ``later`` while behind) and
    the answers as the crawl commits them (``read_answers``); each ready page's findings
    and digest go to ``sink``."""

    def __init__(self, store: RunStore, ctx: CheckContext, sink: NoteFile) -> None:
        self.store = store
        self.sink = sink  # each checked page's findings and digest, a batch at a time
        # answers and ids known so far, growing as the crawl commits: the answers read from
        # the store when a check asks (StoredAnswers), the ids held (each id once)
        self.results = StoredAnswers(store.db)
        self.anchors = StoredAnchors(store)
        self.ctx = dataclasses.replace(
            ctx, link_results=self.results, page_anchors=self.anchors, extra={}
        )
        results = store.meta("results") or results_key(self.ctx)
        self.digest = LinkDigest(self.ctx, reuse_key(self.ctx, results))
        self.run = CheckRun(self.ctx, "after_crawl", part="pages", links=self.digest,
                            link_sink=sink.add_all)  # fmt: skip
        self.ignore = self.digest.ignore
        site = ctx.full_config.site if ctx.full_config is not None else None
        self.scope = (
            Scope(site.start_urls, site.allowed_hosts)
            if site is not None and site.start_urls
            else Scope([ctx.site_origin] if ctx.site_origin else [], list(ctx.site_hosts))
        )
        self.check_external = ctx.full_config is None or ctx.full_config.links.check_external
        self._last_answer = 0  # rowid of the last answer read from the store
        # pages waiting, with what each still waits for; and who waits for what
        self._waiting: dict[str, dict[str, list[str]]] = {}  # url -> its targets
        self._waiters: dict[str, set[str]] = {}
        self._later: deque[str] = deque()  # pages put off while behind the crawl

    def close(self) -> int:
        """Write what is left to the sink and close it; returns how many pages' links were
        checked. The pages still waiting are left to the pipeline."""
        self.sink.add_all(self.run.link_kept)
        self.run.link_kept = []
        self.sink.close()
        self.store.db.close()
        return self.sink.count

    # -- what the crawl has committed ------------------------------------------------------
    def read_answers(self) -> None:
        """Take the answers committed since the last call; check the pages they complete."""
        rows = self.store.db.execute(
            "SELECT rowid, url, kind FROM fetches WHERE rowid > ? ORDER BY rowid",
            (self._last_answer,),
        ).fetchall()
        if not rows:
            return
        self._last_answer = rows[-1][0]
        for _rowid, url, _kind in rows:
            self.results.add(url)
        if any(kind == "probe" for _rowid, _url, kind in rows):
            # the site's 404 page, learnt now: what was remembered without it is stale
            self.ctx.extra.pop("links.probes", None)
            self.digest.forget()
        for _rowid, url, _kind in rows:
            self._arrived("answer " + url)

    def page(self, page: Page) -> None:
        """A page the worker has read: its ids count for #fragment links to it; the page is
        checked now if its targets have all answered, else once they have."""
        if page.is_html and page.status < 400:  # as RunStore.page_anchors holds them
            self.anchors.add(page.url)
        if page.is_html and page.main_found:
            targets = self.digest.targets(page)
            waits = self._waits_for(targets)
            if waits:
                self._wait(page.url, targets, waits)
            else:
                self._check(page)
        self._arrived("page " + page.url)

    def later(self, url: str) -> None:
        """A page read while the worker was behind the crawl: its links are checked when
        the worker has caught up and has nothing else to do (``catch_up``), if it does
        before the crawl ends; else the pipeline checks them."""
        self._later.append(url)

    def catch_up(self, pages: int = 20) -> bool:
        """Check up to ``pages`` of the pages put off (``later``), reading each again;
        False when none was left."""
        if not self._later:
            return False
        self.read_answers()
        for _ in range(min(pages, len(self._later))):
            page = self._read(self._later.popleft())
            if page is not None:
                self.page(page)
        return True

    @property
    def waiting(self) -> int:
        """Pages still waiting or put off: the pipeline checks them after the crawl."""
        return len(self._waiting) + len(self._later)

    # -- readiness ---------------------------------------------------------------------------
    def _waits_for(self, targets: dict[str, list[str]]) -> set[str]:
        """What a page's link findings still wait for: answers ("answer URL") and pages of
        the site ("page URL"; either of two, for a #fragment link that was redirected)."""
        waits: set[str] = set()
        for key in targets["links"]:
            if key in self.results or not is_http(key):
                continue  # answered; or mailto:, tel: and the like, judged as written
            if not self.check_external and not self.scope.is_site(key):
                continue  # other sites are not asked: judged without an answer
            waits.add("answer " + key)
        for key in targets["fragments"]:
            fetch = self.results.get(key)
            if fetch is None or not self.scope.is_site(key):
                continue  # waited for above; another site's ids come with its answer
            if fetch.status >= 400 or fetch.status == 0:
                continue
            final = normalise(fetch.final_url, self.ignore) if fetch.final_url else key
            if final not in self.anchors and key not in self.anchors:
                waits.update(("page " + final, "page " + key))
        return waits

    def _wait(self, url: str, targets: dict[str, list[str]], waits: set[str]) -> None:
        self._waiting[url] = targets
        for what in waits:
            self._waiters.setdefault(what, set()).add(url)

    def _arrived(self, what: str) -> None:
        """Something pages may wait for has come: check those that now have everything."""
        for url in self._waiters.pop(what, ()):
            targets = self._waiting.get(url)
            if targets is None:
                continue  # checked already
            waits = self._waits_for(targets)
            if waits:
                self._wait(url, targets, waits)
                continue
            del self._waiting[url]
            page = self._read(url)
            if page is not None:
                self._check(page)

    def _read(self, url: str) -> Page | None:
        row = self.store.db.execute(
            "SELECT data, depth, elapsed_ms FROM pages WHERE url = ?", (url,)
        ).fetchone()
        return Page.from_dict(StoredPage(row[0], None, row[1], row[2]).decode()) if row else None

    def _check(self, page: Page) -> None:
        self.run.page(page, links_tried=True)
        self.run.findings.clear()  # kept with the page's digest (run.link_kept) already


class _StoredByUrl(Mapping[str, V]):
    """What the crawl has committed so far, by URL: the URLs held (interned: the digest and
    the worker hold the same addresses), each value read from the run store when a check
    asks (``_read``) and the last ``keep`` kept (most links of a page go to the same menu
    and footer pages). A worker then holds no copy of every value of a big site."""

    def __init__(self, keep: int = 4096) -> None:
        self.keep = keep
        self._known: set[str] = set()
        self._recent: OrderedDict[str, V] = OrderedDict()

    def _read(self, url: str) -> V | None:
        raise NotImplementedError

    def add(self, url: str) -> None:
        """``url`` is in (or has a new value: read it again)."""
        self._known.add(sys.intern(url))
        self._recent.pop(url, None)

    def __contains__(self, url: object) -> bool:
        return url in self._known

    def __getitem__(self, url: str) -> V:
        value = self._recent.get(url)
        if value is not None:
            self._recent.move_to_end(url)
            return value
        value = self._read(url) if url in self._known else None
        if value is None:
            raise KeyError(url)
        self._recent[url] = value
        if len(self._recent) > self.keep:
            self._recent.popitem(last=False)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._known))

    def __len__(self) -> int:
        return len(self._known)


class StoredAnchors(_StoredByUrl[frozenset[str]]):
    """The ids on each page of the site the worker has read (``add``: HTML, answered below
    400), read from the run store (RunStore.anchors_of); not every page's ids in memory (at
    20,000 pages, 16 MiB)."""

    def __init__(self, store: RunStore, keep: int = 4096) -> None:
        super().__init__(keep)
        self.store = store

    def _read(self, url: str) -> frozenset[str] | None:
        return self.store.anchors_of(url)


class StoredAnswers(_StoredByUrl[Fetch]):
    """The crawl's answers committed so far (``add``), read from the run store as the link
    checks read them: no copy of every answer beside the pipeline's own (at 20,000 pages,
    28,000 answers)."""

    def __init__(self, db: sqlite3.Connection, keep: int = 4096) -> None:
        super().__init__(keep)
        self.db = db

    def _read(self, url: str) -> Fetch | None:
        row = self.db.execute("SELECT data FROM fetches WHERE url = ?", (url,)).fetchone()
        return for_link_checks(Fetch.from_dict(json.loads(row[0]))) if row else None
