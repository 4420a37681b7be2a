"""The last run's pages, so that a nightly re-run does not download and extract again what
has not changed.

Before a run, the last run's store in the output folder (``run.sqlite``) is handed over to
the new run (``content_audit.core.store.hand_over``): the new run goes on in the same file, and reads the
last run's crawl and fetches from its ``last_*`` tables. For each page it holds with an
ETag or Last-Modified, the crawl asks the server with If-None-Match / If-Modified-Since; an
answer of 304 Not Modified means the page is as it was, and its stored record (text,
links, contacts, review dates) is used again. The checks still run over every page, so a
finding that depends on the date or on other pages is as fresh as on a full run.

A stored record is only used again when it was extracted by the same extraction code with
the same settings (``extraction_key``), for a page that answered 200 at its own address and
had a main-content element (boilerplate removal rewrites the others, site-wide), or for a
page that answered a client error and sends the same bytes again (``error_pages``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from content_audit.core import __version__
from content_audit.core.code_digest import code_digest
from content_audit.core.model import Fetch, Page
from content_audit.core.store import hand_over

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ErrorPage:
    """What a page of the site answered last time, when that was a client error."""

    status: int
    body: str  # body_digest of what it sent


def _readable(db: sqlite3.Connection) -> None:
    """Raise sqlite3.DatabaseError unless every page of the file can be read: a store
    whose later pages were lost (a full disk, a crash mid-write) would otherwise fail
    part-way through the crawl, night after night. quick_check reads the file once."""
    answer = db.execute("PRAGMA quick_check(1)").fetchone()
    if answer is None or answer[0] != "ok":
        raise sqlite3.DatabaseError(str(answer[0]) if answer else "unreadable")


def body_digest(body: bytes) -> str:
    """Tells two answers' bodies apart (kept for error pages as ``FetchFacts.body``)."""
    return hashlib.sha256(body).hexdigest()[:24]


STORE_NAME = "run.sqlite"
PREVIOUS_NAME = "previous.sqlite"  # where earlier versions moved the last run's store aside
_SUFFIXES = ("", "-wal", "-shm")
# the code that turns HTML into a page record: a change to any of it makes old records stale
# one json_extract per record: SQLite before 3.45 parses a record again for every path
_VALIDATORS = """
SELECT json_extract(f.data, '$.status', '$.final_url', '$.redirects', '$.headers.etag',
                    '$.headers."last-modified"'),
       json_extract(p.outline, '$[1]', '$[2]')
FROM {fetches} f JOIN {pages} p ON p.url = f.url
WHERE f.url = ? AND f.kind = 'page'
"""
# the same, for every page of the last run, in crawl order
_ALL_VALIDATORS = """
SELECT f.url,
       json_extract(f.data, '$.status', '$.final_url', '$.redirects', '$.headers.etag',
                    '$.headers."last-modified"'),
       json_extract(p.outline, '$[1]', '$[2]')
FROM {fetches} f JOIN {pages} p ON p.url = f.url
WHERE f.kind = 'page'
ORDER BY p.seq
"""
_OUTLINE = """
SELECT p.outline, f.data
FROM {pages} p JOIN {fetches} f ON f.url = p.url AND f.kind = 'page'
WHERE p.url = ?
"""
# the last run's pages that answered a client error, in crawl order (error_pages)
_ERROR_PAGES = """
SELECT f.url, json_extract(f.data, '$.status', '$.final_url', '$.redirects',
                           '$.headers."x-audit-body"')
FROM {fetches} f JOIN {pages} p ON p.url = f.url
WHERE f.kind = 'page' AND json_extract(f.data, '$.status') BETWEEN 400 AND 499
ORDER BY p.seq
"""
# the last run's link targets whose answer was a problem (problem_links): failures first,
# then the slowest. A problem is never kept in the link cache (core.linkcache.cache_kind)
_PROBLEM_LINKS = """
SELECT url, json_extract(data, '$.method', '$.headers."x-audit-head-status"') FROM {fetches}
WHERE kind = 'link' AND (json_extract(data, '$.status') NOT BETWEEN 200 AND 299
                         OR json_extract(data, '$.headers."x-audit-problem"') IS NOT NULL)
ORDER BY json_extract(data, '$.status') = 0 DESC, json_extract(data, '$.elapsed_ms') DESC
"""
RETRIED_4XX = (408, 429)  # the crawl tries these again: not a lasting answer
# what makes a page record: extraction, and how a record and its outline are stored
EXTRACTION_MODULES = ("content_audit.crawler.extract", "content_audit.core.store")


@lru_cache(maxsize=8)
def extraction_key(main_selector: str) -> str:
    """Names the extraction code (with everything it imports) and the settings that made a
    page record."""
    code = code_digest(EXTRACTION_MODULES, __version__)
    return hashlib.sha256(f"{code}\n{main_selector}\n".encode()).hexdigest()[:16]


class PreviousRun:
    """Read-only lookups in the last run's store: its ``last_*`` tables once the store has
    been handed over to a new run (``take_over``), else the store's own."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self.reused = 0  # pages answered 304 and taken from here
        handed_over = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'last_pages'"
        ).fetchone()
        names = {"pages": "last_pages", "fetches": "last_fetches"} if handed_over else {
            "pages": "pages", "fetches": "fetches"}  # fmt: skip
        self._sql = {name: sql.format(**names) for name, sql in (
            ("validators", _VALIDATORS), ("all_validators", _ALL_VALIDATORS),
            ("outline", _OUTLINE), ("error_pages", _ERROR_PAGES),
            ("problem_links", _PROBLEM_LINKS))}  # fmt: skip

    @classmethod
    def take_over(cls, out_dir: Path, key: str, results: str = "") -> PreviousRun | None:
        """Hand the last run's store over to this run (``content_audit.core.store.hand_over``) and open
        its last run; None when there is none, or when its pages were extracted by other
        code or settings (it is then deleted: this run starts afresh). ``results`` is this
        run's checks.engine.runner.results_key: the last run's check results are reused only under
        the same key."""
        current = out_dir / STORE_NAME
        for suffix in _SUFFIXES:  # an earlier version's, moved aside: of no use now
            Path(f"{out_dir / PREVIOUS_NAME}{suffix}").unlink(missing_ok=True)
        if not current.is_file():
            return None
        meta: dict[str, str] = {}
        try:
            db = sqlite3.connect(current)
            try:
                _readable(db)
                meta = dict(db.execute(
                    "SELECT key, value FROM meta WHERE key IN ('extraction', 'results')"
                ).fetchall())  # fmt: skip
            finally:
                db.close()
            if "extraction" not in meta or json.loads(meta["extraction"]) != key:
                raise LookupError("records of other extraction code or settings")
            # its pages' kept check results hold for this run only under the same key
            same_results = bool(
                results and "results" in meta and json.loads(meta["results"]) == results
            )
            hand_over(current, results=same_results)
            previous = cls(current)
        except (sqlite3.Error, LookupError, ValueError) as exc:  # of no use to this run
            if isinstance(exc, sqlite3.DatabaseError):  # not merely stale: say so
                log.warning(
                    "the last run's store %s is damaged (%s): this run starts afresh and "
                    "downloads every page again", current, exc,
                )  # fmt: skip
            _delete(current)  # not left on disk (it may be large): this run starts afresh
            return None
        return previous

    def validators(self, url: str) -> dict[str, str]:
        """If-None-Match / If-Modified-Since for ``url``, or {} when its record may not be
        used again (not stored, not a plain 200, redirected, no main element)."""
        # asked once per page: SQLite picks the few fields out, no record is decoded here
        row = self.db.execute(self._sql["validators"], (url,)).fetchone()
        return _conditional_headers(url, row[0], row[1]) if row is not None else {}

    def conditional_pages(self) -> Iterator[tuple[str, dict[str, str]]]:
        """Every page of the last run whose record may be used again, with the headers
        that ask whether it changed (``validators``), in crawl order."""
        for url, fetch_fields, page_fields in self.db.execute(self._sql["all_validators"]):
            asked = _conditional_headers(url, fetch_fields, page_fields)
            if asked:
                yield url, asked

    def error_pages(self) -> Iterator[tuple[str, ErrorPage]]:
        """Every page of the last run that answered with a lasting client error (404, 410,
        403...) at its own address, with the digest of its body (``body_digest``): asked
        for again before the crawl, it is the same page if the same bytes come back."""
        for url, facts in self.db.execute(self._sql["error_pages"]):
            status, final_url, hops, digest = json.loads(facts)
            if final_url == url and not hops and digest and status not in RETRIED_4XX:
                yield url, ErrorPage(int(status), digest)

    def problem_links(self) -> Iterator[tuple[str, bool]]:
        """The last run's link targets that answered with a problem (an error status, no
        answer, a soft 404...), failures first and then the slowest, each with whether its
        body was read (a GET, not a GET after a refused HEAD). None of them is in the link
        cache: each is asked again every night (crawler.spider asks them first)."""
        for url, facts in self.db.execute(self._sql["problem_links"]):
            method, head_refused = json.loads(facts)
            yield url, method == "GET" and head_refused is None

    def outline(self, url: str) -> tuple[Page, list[list[str]], Fetch] | None:
        """What the crawl needs of an unchanged page without decoding its record: the
        fields its links' verdicts read (status, title, first heading, hash), what it links
        to (``content_audit.core.records.link_pairs``), and its fetch. The record itself stays where it is
        (``RunStore.reuse_page`` takes the page into this run's crawl)."""
        row = self.db.execute(self._sql["outline"], (url,)).fetchone()
        if row is None or row[0] is None:
            return None
        status, _is_html, _main_found, title, h1, content_hash, links = json.loads(row[0])
        page = Page(
            url=url,
            final_url=url,  # reused only when it answered at its own address (validators)
            status=status,
            title=title or "",
            content_hash=content_hash or "",
            headings=[(1, h1)] if h1 else [],
        )
        return page, links, Fetch.from_dict(json.loads(row[1]))

    def close(self) -> None:
        self.db.close()


def _delete(path: Path) -> None:
    for suffix in _SUFFIXES:
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _conditional_headers(url: str, fetch_fields: str, page_fields: str) -> dict[str, str]:
    status, final_url, hops, etag, last_modified = json.loads(fetch_fields)
    is_html, main_found = json.loads(page_fields)
    if status != 200 or final_url != url or hops or not is_html or not main_found:
        return {}
    asked = {}
    if etag:
        asked["If-None-Match"] = etag
    if last_modified:
        asked["If-Modified-Since"] = last_modified
    return asked
