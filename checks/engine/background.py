"""The content checks in worker processes, while the crawl is still going.

The crawl is one process, busy on one core (Scrapy). The content checks (readability,
style, spelling, placeholders, contacts, freshness, duplicates, basics) need only the pages
themselves, so a worker process reads each page from the run store as soon as the crawl
has committed it and checks it there. On a machine with two CPUs or more the pipeline runs
two (``SplitChecks``): one for the page checks, one for the site checks, each over every
page, so that when the crawl ends what they have left is shared by two cores; with one
CPU, one (see ``content_audit.pipeline.split_content_checks``). When the crawl ends, the pipeline
removes boilerplate and says "done"; each worker checks what is left and sends back its
findings and figures. The worker that reads whole records (the site checks', or the one
worker) also checks each page's links as soon as their targets have answered
(checks.engine.early_links); the pipeline takes those findings where the final answers
confirm them and checks the rest of the links itself.

Pages with no main-content element are checked last: their text changes when boilerplate is
removed, which needs the whole site. Findings are sorted afterwards, so the order in which
pages were checked does not show.

If anything goes wrong here, ``collect`` returns None and the pipeline runs the content
checks itself: a worker failure costs time, never findings.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import multiprocessing
import os
import sqlite3
import sys
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, NamedTuple

from content_audit.checks.engine.early_links import EarlyLinkChecks
from content_audit.checks.engine.registry import CheckContext
from content_audit.checks.engine.runner import FAILED_CHECKS, Kept, Notes, Part
from content_audit.core.lifetime import die_with_parent, starting_workers
from content_audit.core.model import Finding, Page
from content_audit.core.records import StoredPage
from content_audit.core.store import (
    NoteFile,
    RunStore,
    early_links_path,
    notes_path,
    read_kept,
)

log = logging.getLogger(__name__)

DONE = "done"
READY = "ready"
POLL_SECONDS = 0.05  # how often an idle worker looks for new pages
BATCH = 100  # pages read from the store at a time
# longest wait for a worker still loading its checks when the crawl is over (the first run
# on a machine builds the spelling dictionaries' cache, which takes seconds)
STARTING = 120.0


class Checked(NamedTuple):
    """What a content-check worker answers. Its notes of the reusable site checks are not
    here: it writes them to ``content_audit.core.store.notes_path`` as it goes (``notes`` stays empty)."""

    findings: list[Finding]
    figures: dict[str, Any]  # by page
    kept: list[Kept]  # where each page's reusable results lie in findings
    notes: list[Notes]
    failed: dict[str, list[str]] | None = None  # checks that raised there: name -> rules
    # pages whose links were checked during the crawl (checks.engine.early_links); their
    # findings are in core.store.early_links_path, for the pipeline to take
    early_links: int = 0


class BackgroundChecks:
    """A worker process running the content checks over the run store as it fills."""

    def __init__(self, store_path: Path, ctx: CheckContext, part: Part = "all") -> None:
        # spawn, not fork: the parent holds SQLite connections and, later, a reactor
        mp = multiprocessing.get_context("spawn")
        self._conn, child = mp.Pipe()
        self._seen = mp.Value("q", 0, lock=False)  # pages read from the store so far
        self._process = mp.Process(
            target=_work,
            args=(child, str(store_path), ctx, self._seen, part),
            name=f"content-checks-{part}",
            daemon=True,
        )
        with starting_workers():
            self._process.start()
        child.close()
        self._ready = False
        self._told = False  # DONE sent

    def wait_ready(self, timeout: float = 60.0) -> bool:
        """Wait until the worker has loaded the checks and is reading the store."""
        deadline = time.monotonic() + timeout
        try:
            while not self._ready:
                if self._conn.poll(min(0.1, max(0.0, deadline - time.monotonic()))):
                    self._ready = self._conn.recv() == (READY,)
                elif time.monotonic() >= deadline:
                    break
        except (EOFError, OSError):  # it died; collect() will say so
            return False
        return self._ready

    def pages_read(self) -> int:
        """How many pages the worker has read from the store (checked, or put aside until
        boilerplate is removed), plus those put aside and checked since: its progress."""
        return int(self._seen.value)

    def collect(self, stall: float = 600.0) -> Checked | None:
        """Tell the worker the crawl is over (every page committed, boilerplate removed) and
        wait for its findings, figures and where its reusable results are (CheckRun.kept).
        None if it failed, died, took over ``STARTING`` seconds to start, or read no page
        for ``stall`` seconds. A worker still starting is waited for: it has done part of
        what this process would have to do to check the pages itself (a nightly re-run's
        crawl can end before its workers, started at its 50th page, are ready)."""
        if not self.wait_ready(timeout=STARTING):
            log.warning("the content-check worker did not start; checking here instead")
            self.stop()
            return None
        try:
            self.tell_done()
            progress, since = self.pages_read(), time.monotonic()
            while not self._conn.poll(1.0):
                if self.pages_read() != progress:  # a big backlog is fine while it moves
                    progress, since = self.pages_read(), time.monotonic()
                if not self._process.is_alive() or time.monotonic() - since > stall:
                    log.warning("the content-check worker stopped without an answer")
                    return None
            status, *payload = self._conn.recv()  # READY was taken by wait_ready
            log.info("content-check worker: peak memory %s", _peak_memory(self._process.pid))
        except (EOFError, OSError) as exc:
            log.warning("the content-check worker failed: %s", exc)
            return None
        finally:
            self.stop()
        if status != "ok":
            log.warning("the content-check worker failed; checking here instead:\n%s", payload)
            return None
        return Checked(*payload)

    def tell_done(self) -> None:
        """Every page is in the store: the worker may finish once it has read them."""
        if not self._told and self._ready:
            self._told = True
            self._conn.send(DONE)

    def stop(self) -> None:
        """End the worker (after collect, or when the audit is abandoned)."""
        self._conn.close()
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()


class SplitChecks:
    """The content checks in two workers: one runs the page checks, the other the site
    checks, each over every page. While the crawl runs they take the CPU it leaves; once it
    has ended, what they have left to do is shared by both cores, not queued on one."""

    def __init__(self, store_path: Path, ctx: CheckContext) -> None:
        self.pages = BackgroundChecks(store_path, ctx, "pages")
        try:
            self.site = BackgroundChecks(store_path, ctx, "site")
        except Exception:
            self.pages.stop()
            raise

    def pages_read(self) -> int:
        return min(self.pages.pages_read(), self.site.pages_read())

    def collect(self, stall: float = 600.0) -> Checked | None:
        """Both workers' findings (the page checks' first, so CheckRun.kept still points at
        them), figures and kept results; None if either failed."""
        for worker in (self.pages, self.site):
            if worker.wait_ready(timeout=0.0):
                worker.tell_done()
        pages = self.pages.collect(stall)
        site = self.site.collect(stall) if pages is not None else None
        if pages is None or site is None:
            self.stop()
            return None
        # figures come from the page checks, notes from the site checks
        failed = {**(pages.failed or {}), **(site.failed or {})}
        return Checked(
            pages.findings + site.findings, pages.figures, pages.kept, site.notes, failed,
            site.early_links,
        )  # fmt: skip

    def stop(self) -> None:
        self.pages.stop()
        self.site.stop()


def _work(conn: Connection, store_path: str, ctx: CheckContext, seen: Any, part: Part) -> None:
    """The worker's main: check pages as they arrive; on DONE, finish and answer."""
    die_with_parent()  # a killed audit leaves no worker behind
    # The crawl and the extraction worker are the critical path: this one takes the CPU they
    # leave (on the 2,000-page bench: 31-33 s in all at nice 10, 37-46 s at nice 0; on big
    # sites it catches up after the crawl, while the link checks run)
    with contextlib.suppress(OSError):
        os.nice(10)
    try:
        conn.send(("ok", *_check_store(conn, store_path, ctx, seen, part)))
    except Exception:
        with contextlib.suppress(OSError):  # the parent has gone: nothing to tell
            conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()
    # answered: end here. The parent waits for this process to end, and taking its
    # interpreter apart object by object took 0.25 s after a nightly re-run's site checks
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(0)


def _check_store(
    conn: Connection, store_path: str, ctx: CheckContext, seen_count: Any, part: Part = "all"
) -> Checked:
    from content_audit.checks.engine.runner import CheckRun

    db = sqlite3.connect(store_path)

    def kept_in(table: str) -> Callable[[str], dict[str, Any] | None]:
        return functools.partial(read_kept, db, table)  # as RunStore.page_result

    # the content page checks never read a page's links (a test holds them to it): that
    # worker reads records without them, half of each record (0.25 ms a page less to decode)
    record_sql = "json_remove(data, '$.links')" if part == "pages" else "data"
    note_file = NoteFile(notes_path(store_path)) if part != "pages" else None
    run = CheckRun(ctx, "content", earlier=kept_in("page_results"), part=part,
                   earlier_notes=kept_in("site_notes"),
                   note_sink=note_file.add if note_file is not None else None)  # fmt: skip
    # the worker that reads whole records also checks each page's links once its targets
    # have answered (checks.engine.early_links)
    early = (
        EarlyLinkChecks(
            RunStore.reader(Path(store_path)), ctx,
            NoteFile(early_links_path(store_path), "link_findings"),
        )
        if part != "pages"
        else None
    )  # fmt: skip
    conn.send((READY,))
    run.warm_up()  # while the crawl gets going: not when the first changed page comes
    try:
        last_seq = 0
        seen: set[str] = set()
        deferred: list[str] = []  # pages whose text waits for boilerplate removal
        done = False
        while True:
            if not done and conn.poll():
                done = conn.recv() == DONE  # after this, the store holds every page
            # a batch at a time: a worker that fell behind must not read the backlog at once
            rows = db.execute(
                f"SELECT seq, url, {record_sql}, depth, elapsed_ms FROM pages "
                "WHERE seq > ? ORDER BY seq LIMIT ?",
                (last_seq, BATCH),
            ).fetchall()
            # the links only while this worker keeps up with the crawl (a batch not full):
            # with CPU to spare they cost no time; a worker behind a CPU-bound crawl leaves
            # them to the pipeline, which checks them in two processes once the crawl ends
            early_now = early is not None and not done and len(rows) < BATCH
            if early_now:
                early.read_answers()
            for seq, url, data, depth, elapsed_ms in rows:
                last_seq = seq
                if url in seen:  # stored twice: the crawl order is not what it seemed
                    raise RuntimeError(f"page stored twice: {url}")
                seen.add(sys.intern(url))  # the same string as the early link checks'
                seen_count.value = len(seen)
                if run.reuse_page(url):  # unchanged, and every result kept: not decoded
                    continue
                record = StoredPage(data, None, depth, elapsed_ms).decode()
                if not done and record.get("is_html", True) and not record.get("main_found", True):
                    deferred.append(url)
                    continue
                page = Page.from_dict(record)
                run.page(page)
                if early_now:
                    early.page(page)
                elif early is not None and not done:
                    early.later(url)  # if this worker has time to spare before the end
            if done and len(rows) < BATCH:
                break
            if not rows and not (early is not None and not done and early.catch_up()):
                time.sleep(POLL_SECONDS)
        for url in deferred:
            record, depth, elapsed_ms = db.execute(
                f"SELECT {record_sql}, depth, elapsed_ms FROM pages WHERE url = ?", (url,)
            ).fetchone()
            run.page(Page.from_dict(StoredPage(record, None, depth, elapsed_ms).decode()))
            seen_count.value += 1  # progress, for collect()
    finally:
        db.close()
        if note_file is not None:
            note_file.close()
        early_links = early.close() if early is not None else 0
    if run.reused or run.reused_notes:
        log.info("content checks: %d unchanged pages' results reused (%d for site checks)",
                 run.reused, run.reused_notes)  # fmt: skip
    if early is not None:
        log.info("link checks during the crawl: %d pages, %d left for after it",
                 early_links, early.waiting)  # fmt: skip
    return Checked(run.finish(), run.figures, run.kept, run.notes, dict(FAILED_CHECKS), early_links)


def _peak_memory(pid: int | None) -> str:
    """The worker's peak resident memory, from /proc (Linux), for the log."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"
