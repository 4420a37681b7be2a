"""How a page is kept in the run store: its record (``Page.to_dict`` as JSON), the summary
the passes over the whole site read, and the outline a nightly re-run's crawl reads; and
how a stored row becomes a page again. Apart from the store's tables and queries
(``core.store``), so that the crawl and its workers can encode pages without a store.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from content_audit.core.model import Page

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


# the parts of a page record that only the checks read, a page at a time: nine tenths of
# its size (links alone about half)
LONG_FIELDS = ("links", "sections", "main_text", "blocks", "boilerplate_text")  # in this order


def encode_summary(record: dict[str, Any]) -> str:
    """The record without its LONG_FIELDS, with their lengths under "counts": what the
    passes over the whole site read (the gate, the reports, #fragment targets), about a
    tenth of the record, so SQLite parses a tenth of the JSON for each."""
    summary = {name: value for name, value in record.items() if name not in LONG_FIELDS}
    summary["counts"] = {name: len(record.get(name) or ()) for name in LONG_FIELDS}
    return _dumps(summary)


class Record(NamedTuple):
    """A page as the store keeps it."""

    data: str  # the page's record: Page.to_dict as JSON
    outline: str  # encode_outline
    summary: str  # encode_summary


def encode_record(page: Page) -> Record:
    record = page.to_dict()
    return Record(_dumps(record), encode_outline(page), encode_summary(record))


def link_pairs(page: Page) -> list[tuple[str, str]]:
    """A page's links as the crawl follows them: (URL, tag), each pair once, in page order
    (menus and footers repeat a link; the crawl does nothing with it the second time)."""
    return list(dict.fromkeys((link.url, link.tag) for link in page.links))


def encode_outline(page: Page) -> str:
    """What a nightly re-run's crawl reads of a page it takes unchanged from the last run
    (core.previous): whether it may be taken, what it links to, and the facts its links'
    verdicts read (crawler.spider.page_facts). Compact, and apart from the record: a
    twentieth of the record, and a quarter of the links with their text and place.
    [status, is_html, main_found, title, h1, content_hash, [[url, tag], ...]]"""
    h1 = next((text for level, text in page.headings if level == 1), "")
    return _dumps([page.status, page.is_html, page.main_found, page.title, h1,
                   page.content_hash, link_pairs(page)])  # fmt: skip


class StoredPage(NamedTuple):
    """A page's row in the run store, not yet decoded."""

    record: str  # the page's record, JSON
    figures: str | None  # the checks' figures for it, JSON, when they wrote some
    depth: int | None = None  # this crawl's, when the record is the last run's
    elapsed_ms: int | None = None

    def decode(self) -> dict[str, Any]:
        """The record as this run's: this crawl's depth and timing, and the figures."""
        data = json.loads(self.record)
        if self.depth is not None:
            this_fetch(data, self.depth, self.elapsed_ms)
        if self.figures is not None:
            data["figures"] = json.loads(self.figures)
        return data


def decode_page(row: StoredPage) -> Page:
    """A page from ``RunStore.stored_page``."""
    return Page.from_dict(row.decode())


def this_fetch(
    data: dict[str, Any],
    depth: int,
    elapsed_ms: int | None,
    fields: Sequence[str] = ("depth", "elapsed_ms", "figures"),
) -> dict[str, Any]:
    """A record (or some ``fields`` of it) the last run stored, made this run's: a page
    taken unchanged (``RunStore.reuse_page``) keeps its record as it was, and its row says
    this crawl's depth and timing. The last run's figures go: the checks write them again."""
    if "depth" in fields:
        data["depth"] = depth
    if "elapsed_ms" in fields:
        data["elapsed_ms"] = elapsed_ms or 0
    if "figures" in fields:
        data["figures"] = {}
    return data
