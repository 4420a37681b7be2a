"""Work in a forked child process while this one goes on.

Two stages use it. The HTML reports are the slowest to write (Jinja renders every finding,
once for the whole site and once more for its owner's pages), so one child renders the
site's report (and findings.sarif when there are owners), another the owners' reports and
findings.csv (or findings.sarif and findings.csv), while this process writes findings.json,
the JUnit file and summary.md: three about equal shares (reports.writer;
on a 2,000-page re-run the stage took 2.1 s in one process, 1.3 s with one child). And a re-run's
revalidation (crawler.revalidate) asks the server about the last run's pages in a child
while this process imports and starts Scrapy (content_audit.pipeline; 0.65-0.8 s of import).

The child gets everything by fork (copy on write): nothing is pickled on the way in, only
its answer on the way out. If the platform has no fork, or the child fails in any way, the
work is done here instead: side by side costs time, never a result.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import sys
import traceback
import warnings
from collections.abc import Callable
from typing import Generic, TypeVar

from content_audit.core.lifetime import die_with_parent

log = logging.getLogger(__name__)

T = TypeVar("T")


class SideBySide(Generic[T]):
    """``work()`` started in a forked child at once; ``result()`` waits for its answer."""

    def __init__(self, work: Callable[[], T], fork: bool = True) -> None:
        self._work = work
        self._abandoned = False
        self._pid = 0
        self._read = -1
        if fork and hasattr(os, "fork"):
            self._start()

    def _start(self) -> None:
        read, write = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        with warnings.catch_warnings():
            # Python 3.12+ warns about fork in a process with threads: at the reports the only
            # other thread is asyncio's idle resolver, whose locks the child never touches
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # the child: work, answer, and leave without running any clean-up
            os.close(read)
            die_with_parent()  # an audit killed meanwhile leaves no child asking the site
            code = 0
            try:
                answer = pickle.dumps(("ok", self._work()))
            except BaseException:
                answer, code = pickle.dumps(("error", traceback.format_exc())), 1
            with contextlib.suppress(BaseException), os.fdopen(write, "wb") as out:
                out.write(answer)
            os._exit(code)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self) -> T:
        """The child's answer; or, if it failed (or there was no child), the work done
        here."""
        if not self._pid:
            return self._work()
        with os.fdopen(self._read, "rb") as answer:
            raw = answer.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = 0
        try:
            kind, value = pickle.loads(raw)
        except Exception:
            kind, value = "error", f"no answer (exit status {status})"
        if kind == "ok" and status == 0:
            return value
        if self._abandoned:
            raise Abandoned("the work side by side was stopped before it answered")
        log.warning("work side by side failed; doing it here instead:\n%s", value)
        return self._work()

    def abandon(self) -> None:
        """Stop the child if it is still at work (its answer is no longer wanted: the run
        was stopped). ``result()`` then raises Abandoned rather than do the work here."""
        self._abandoned = True
        if self._pid:
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)


class Abandoned(Exception):
    """``SideBySide.result()`` after ``abandon()``: there is no answer."""
