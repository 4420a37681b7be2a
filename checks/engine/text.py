"""Shared text helpers for the content checks: words, sentences, and where a match sits.

Every text check reads the *main* content through `page_blocks`: paragraphs and list items
from `page.sections`, each kept on its own (list items are never glued into one long
"sentence", headings are left out). Pages without sections fall back to `page.main_text`,
one block per line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from content_audit.core.model import Finding, Page

WORD_RE = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*", re.UNICODE)

# Words that end in a full stop without ending a sentence when a capital follows.
_ABBREVIATIONS = frozenset(
    [
        "dr",
        "mr",
        "mrs",
        "ms",
        "mx",
        "prof",
        "st",
        "no",
        "nos",
        "vs",
        "approx",
        "ref",
        "tel",
        "ext",
        "fig",
        "mt",
        "rev",
        "sr",
        "jr",
        "dept",
        "e.g",
        "i.e",
        "eg",
        "ie",
        "cf",
        "op",
        "incl",
    ]
)
# A sentence ends at . ! ? (plus closing quotes/brackets) followed by space and a capital,
# digit or opening quote.
_BOUNDARY_RE = re.compile(r"[.!?…]+[\"'’”)\]]*\s+(?=[\"'‘“(\[]?[A-Z0-9£])")


@dataclass(slots=True)
class Block:
    """One paragraph or list item of the main content."""

    text: str
    kind: str  # "paragraph" or "list_item"
    heading: str = ""


def words(text: str) -> list[str]:
    """The words of a text: letters or digits, with inner apostrophes, hyphens and dots."""
    return WORD_RE.findall(text)


def word_count(text: str) -> int:
    return len(WORD_RE.findall(text))


# page_blocks is asked for by several checks of the same page in turn: remember the last
# few answers, keyed by everything the answer depends on (so a changed page is never
# answered from the memo). Strings keep their hash, so building the key is cheap.
_BLOCKS_MEMO: dict[tuple, list[Block]] = {}
_BLOCKS_MEMO_SIZE = 8


def _blocks_key(page: Page) -> tuple:
    if page.sections:
        return (
            True,
            tuple((s.heading, tuple(s.paragraphs), tuple(s.list_items)) for s in page.sections),
        )
    return (False, page.main_text, tuple(text for _level, text in page.headings))


def page_blocks(page: Page) -> list[Block]:
    """The main content as paragraphs and list items, in reading order; no headings."""
    key = _blocks_key(page)
    cached = _BLOCKS_MEMO.get(key)
    if cached is None:
        cached = _page_blocks(page)
        if len(_BLOCKS_MEMO) >= _BLOCKS_MEMO_SIZE:
            del _BLOCKS_MEMO[next(iter(_BLOCKS_MEMO))]
        _BLOCKS_MEMO[key] = cached
    # fresh Block objects: a caller may change its copy without changing the memo
    return [Block(b.text, b.kind, b.heading) for b in cached]


def _page_blocks(page: Page) -> list[Block]:
    blocks: list[Block] = []
    if page.sections:
        for section in page.sections:
            for paragraph in section.paragraphs:
                if paragraph.strip():
                    blocks.append(Block(_clean(paragraph), "paragraph", section.heading))
            for item in section.list_items:
                if item.strip():
                    blocks.append(Block(_clean(item), "list_item", section.heading))
        return blocks
    headings = {text.strip() for _level, text in page.headings}
    for line in page.main_text.splitlines():
        line = _clean(line)
        if line and line not in headings:
            blocks.append(Block(line, "paragraph"))
    return blocks


def _clean(text: str) -> str:
    r"""Runs of white space as one space, none at the ends: re.sub(r"\s+", " ", text).strip(),
    at a third of the cost (str.split() and re's \s agree on what white space is)."""
    return " ".join(text.split())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in one block of text."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY_RE.finditer(text):
        before = text[start : match.start()]
        last = before.rsplit(None, 1)[-1] if before.strip() else ""
        token = last.lower().rstrip(".").lstrip("(\"'‘“")
        if match.group().startswith(".") and (
            token in _ABBREVIATIONS or (len(last) == 1 and last.isupper())
        ):
            continue
        end = match.start() + len(match.group().rstrip())
        if text[start:end].strip():
            spans.append((start, end))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of one block of text (a paragraph or a list item)."""
    return list(_split_sentences(text))


@functools.lru_cache(maxsize=4096)
def _split_sentences(text: str) -> tuple[str, ...]:
    return tuple(text[s:e].strip() for s, e in sentence_spans(text))


def page_sentences(page: Page) -> list[str]:
    """Every sentence of the main content: paragraphs split into sentences, list items whole."""
    out: list[str] = []
    for block in page_blocks(page):
        out.extend(split_sentences(block.text))
    return out


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence of `text` that contains the span start..end (the whole text if unsure)."""
    for s, e in sentence_spans(text):
        if s <= start < max(e, s + 1):
            # a match running past the sentence end keeps the following text too
            return text[s : max(e, end)].strip()
    return text.strip()


def sentence_start(sentence: str, n: int = 8) -> str:
    """The first `n` words of a sentence, with an ellipsis when it goes on."""
    matches = list(WORD_RE.finditer(sentence))
    if len(matches) <= n:
        return sentence.strip()
    return sentence[: matches[n - 1].end()].strip() + "…"


def quote(text: str) -> str:
    """Text in British single quotes for a message."""
    return f"‘{text}’"


@dataclass(slots=True)
class _Entry:
    first_url: str
    count: int = 0
    examples: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


class RepeatCollapser:
    """Collects per-page findings keyed by 'the same problem'; in the end reports a problem
    that shows on most pages (a template, header, footer or cookie banner) once for the site.

    Memory stays bounded: per key a count, the URLs of up to `listed` pages and at most
    `keep` findings. A key on >= `share` of pages (and at least `min_pages`) or on more than
    `keep` pages is reported once, at the first page where it was seen, with details
    {"pages", "example_pages", "affected_pages"}: the reports list every page it is on, as
    for a template-wide broken link, so an owner can see theirs among them.
    """

    def __init__(
        self,
        share: float = 0.5,
        min_pages: int = 3,
        keep: int = 25,
        examples: int = 5,
        listed: int = 20_000,
    ) -> None:
        self.share = share
        self.min_pages = min_pages
        self.keep = keep
        self.examples = examples
        self.listed = listed
        self.pages = 0
        self.entries: dict[str, _Entry] = {}

    def page_seen(self) -> None:
        self.pages += 1

    def add(self, key: str, finding: Finding) -> None:
        """Record one finding; call at most once per key per page."""
        entry = self.entries.get(key)
        if entry is None:
            entry = self.entries[key] = _Entry(first_url=finding.url)
        entry.count += 1
        if len(entry.examples) < self.listed:
            entry.examples.append(finding.url)
        if len(entry.findings) < self.keep + 1:
            entry.findings.append(finding)

    def is_repeated(self, count: int) -> bool:
        widespread = count >= self.min_pages and count >= self.share * max(self.pages, 1)
        return widespread or count > self.keep

    def results(self, site_message: Callable[[Finding, int, int], str]) -> Iterator[Finding]:
        """Per-page findings, or one finding per widespread key.

        `site_message(first_finding, pages_with_it, pages_seen)` words the site-wide one.
        """
        for entry in self.entries.values():
            if not self.is_repeated(entry.count):
                yield from entry.findings
                continue
            first = entry.findings[0]
            first.message = site_message(first, entry.count, self.pages)
            first.details = {
                **first.details,
                "pages": entry.count,
                "example_pages": entry.examples[: self.examples],
                "affected_pages": list(entry.examples),
                "site_wide": True,
            }
            yield first
