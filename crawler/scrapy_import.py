"""Scrapy, imported without the cost of its deprecation shims.

Scrapy 2.19 makes three deprecated aliases as it is imported (``create_deprecated_class``
in ``scrapy.core.downloader.contextfactory`` and ``.tls``). Each calls ``inspect.stack()``
only to name the module that made it, and ``inspect.stack()`` reads the source file of
every frame on the import stack and searches ``sys.modules`` for each: 0.1-0.15 s of CPU
at every start of an audit, a nightly re-run's critical path (measured with
``python -X importtime``). While these modules are imported, ``inspect.stack`` answers
with the two frames Scrapy reads (its own and its caller's); everything else about the
import is Scrapy's own, and ``inspect.stack`` is put back as soon as it is done.

Import Scrapy's crawler from here (``content_audit.crawler.runner`` does) so that this runs first.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any


def _two_frames(context: int = 1) -> list[tuple[FrameType, ...]]:
    """What ``create_deprecated_class`` reads of ``inspect.stack()``: [its frame, its
    caller's frame], each as the first item of a tuple, as a FrameInfo has it."""
    frame = sys._getframe(1)
    caller = frame.f_back
    return [(frame,), (caller,)] if caller is not None else [(frame,)]


@contextmanager
def cheap_stack() -> Iterator[None]:
    """``inspect.stack`` answers from the frames alone while the block runs."""
    real: Any = inspect.stack
    inspect.stack = _two_frames  # type: ignore[assignment]
    try:
        yield
    finally:
        inspect.stack = real


with cheap_stack():
    import scrapy.core.downloader.contextfactory  # two of the three aliases
    import scrapy.core.downloader.tls  # noqa: F401  (the third)
    from scrapy.crawler import CrawlerProcess

__all__ = ["CrawlerProcess", "cheap_stack"]
