"""Repeats within one page: the same paragraph given twice in the main content.

A paragraph pasted twice (often by a CMS editor, or two content blocks that both carry it)
makes readers wonder whether they missed a difference, and the two copies drift apart at
the next edit. Paragraphs are compared by their words alone (case, spacing and punctuation
ignored). Only paragraphs with at least ``MIN_WORDS`` words of letters count, so short
lines and contact details that rightly repeat under each clinic ("Phone: 0113 496 0000,
Monday to Friday") are left alone; list items and headings are never compared.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from content_audit.checks.engine.registry import CheckContext, define, page_check
from content_audit.checks.engine.text import page_blocks, quote, sentence_start
from content_audit.core.model import Finding, Page

CONTENT_REPEATED = define(
    "content-repeated",
    "notice",
    "The same paragraph appears more than once on the page, so readers go over it twice "
    "and wonder what is different, and the copies drift apart when one is edited.",
    "Delete the repeat. If two sections both need it, say it once where it covers both.",
    "duplicates",
    name="Repeated paragraph",
)

MIN_WORDS = 12  # words of letters a paragraph needs before a repeat is worth reporting
_WORD_RE = re.compile(r"[^\W_]+")
# punctuation as a space: str.translate is much quicker than a regular expression, and
# only paragraphs that repeat are looked at closely
_PUNCTUATION = str.maketrans(
    {
        c: " "
        for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a0"
    }
)


def _quick_key(text: str) -> str:
    """The paragraph's words, lower case, without punctuation (ASCII and typographic)."""
    return " ".join(text.casefold().translate(_PUNCTUATION).split())


def paragraph_key(text: str) -> str | None:
    """The paragraph as compared (its words, lower case), or None when it is too short
    to count (fewer than MIN_WORDS words of letters)."""
    if len(text) < 3 * MIN_WORDS:
        return None  # too short to hold MIN_WORDS words
    words = _WORD_RE.findall(text.casefold())
    if sum(1 for word in words if len(word) > 1 and word.isalpha()) < MIN_WORDS:
        return None
    return _quick_key(text)


@page_check(rules=[CONTENT_REPEATED], reusable=True)
def check_repeated_paragraphs(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """content-repeated: one finding per paragraph given more than once, on its repeat."""
    if not page.is_html or page.status >= 400:
        return
    seen: dict[str, list[str]] = {}
    for block in page_blocks(page):
        if block.kind != "paragraph":
            continue
        if len(block.text) >= 3 * MIN_WORDS:  # too short to hold MIN_WORDS words
            seen.setdefault(_quick_key(block.text), []).append(block.text)
    for copies in seen.values():
        if len(copies) < 2 or paragraph_key(copies[0]) is None:
            continue
        times = "twice" if len(copies) == 2 else f"{len(copies)} times"
        start = sentence_start(copies[1], 12)
        yield CONTENT_REPEATED.finding(
            page.url,
            f"This paragraph appears {times} on the page: {quote(start)}",
            text=start,
            context=copies[1][:300],
            suggestion="Delete the repeated copy.",
            details={"times": len(copies)},
        )
