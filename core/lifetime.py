"""Worker processes end with the audit that started them, and when it says so.

A worker (page extraction, content checks) that outlives its audit, after a kill -9 or a
crash, holds memory, CPU and the run store for a minute or more, and can still be writing
when the next run starts. On Linux the kernel can send the worker a signal the moment its
parent dies (prctl PR_SET_PDEATHSIG); elsewhere this does nothing.

Ctrl-C in a terminal reaches every process of the job: each worker printed a traceback
of its own. Workers ignore it; the audit decides how to stop, and stops them. A worker is
started with Ctrl-C held (``starting_workers``), as it imports for a second or more before
it can say it ignores it: a Ctrl-C then printed a traceback from its start-up.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
from collections.abc import Iterator

PR_SET_PDEATHSIG = 1


@contextlib.contextmanager
def starting_workers() -> Iterator[None]:
    """Start worker processes in this block: they begin with Ctrl-C (SIGINT) blocked, as
    a spawned process inherits the signal mask of the thread that starts it, and the one
    sent meanwhile is dropped when ``die_with_parent`` ignores it. Here a Ctrl-C sent
    during the block waits until its end, and is not lost."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def die_with_parent() -> None:
    """In a worker: be sent SIGTERM when the process that started it dies (Linux only),
    and leave Ctrl-C to the audit. Called first thing in the worker; if the parent is
    already gone, end now."""
    with contextlib.suppress(ValueError, OSError):  # not the main thread: nothing to set
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # held while it started (starting_workers)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError, TypeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    if parent == 1 or os.getppid() != parent:  # it died before the line above
        os._exit(0)


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity on Linux, else all of them): how
    many workers are worth starting."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1
