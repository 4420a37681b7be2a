"""Worker processes end with the audit that started them, and when it says so.

A worker (page extraction, content checks) that outlives its audit, after a kill -9 or a
crash, holds memory, CPU and the run store for a minute or more, and can still be writing
when the next run starts. On Linux the kernel can send the worker a signal the moment its
parent dies (prctl PR_SET_PDEATHSIG); elsewhere this does nothing.

Ctrl-C in a terminal reaches every process of the job: each worker printed a traceback
of its own. Workers ignore it; the audit decides how to stop, and stops them.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In a worker: be sent SIGTERM when the process that started it dies (Linux only),
    and leave Ctrl-C to the audit. Called first thing in the worker; if the parent is
    already gone, end now."""
    with contextlib.suppress(ValueError, OSError):  # not the main thread: nothing to set
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError, TypeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    if parent == 1 or os.getppid() != parent:  # it died before the line above
        os._exit(0)
