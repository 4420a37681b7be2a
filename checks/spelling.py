"""Spelling: likely typos and American spellings in the advice text.

Precision comes first: a checker that flags "paediatric" or "MindMate" gets switched off.
So a word is only reported when every one of these holds:

* it is a plain lower-case word, or a capitalised word at the start of a sentence (proper
  nouns, ALL CAPS, camelCase, abbreviations, numbers, postcodes, URLs and emails are never
  checked);
* no dictionary knows it: British English (hunspell-en-gb), medical (hunspell-en-med),
  American English (hunspell-en-us, so a US word is never called a typo), two small owned
  supplements (UK medicines, NHS service words) and the site dictionary;
* and there is a likely correction: codespell's list of common misspellings knows it, or a
  single edit (a letter added, dropped, changed or two swapped) turns it into a known word,
  or (for a plain lower-case word with neither) it is two common words run together
  ("specificaspects": both parts frequent and long, or one a word such as "the" or "you"
  that never makes a compound; compound-making parts such as "self", "anti", "-based" are
  not used, so compounds the dictionaries miss are not split).

Conditions named after a person are reported without their apostrophe even when capitalised
("Parkinsons", "Crohns", "Downs syndrome" -> "Down's"; "Hodgkins lymphoma" -> "Hodgkin").

Capitalised words inside a sentence are names and are left alone, except in Title Case
headings ("Our Physiotheraphy Services") and in capitalised phrases of ordinary words such as
job titles ("Senior Peadiatric Physiotherapist"), where long words with a clear one-edit
correction are checked, and known common misspellings ("Accomodation Office"). A word after
Dr, Mr, Sister... is always a name. Paragraphs and pages that read as another language (many
unknown words, or a non-English ``lang``) are skipped.

The site check then drops words that many pages use (they are probably the site's own
words), except known common misspellings, which are reported wherever they are.

American spellings ("color", "pediatric", "esophagus") come from an owned data file built by
``checks/data/spelling/build_american.py`` from the ``breame`` and ``codespell`` packages and
the difference between Debian's en-GB and en-US/medical hunspell dictionaries; a pair is kept
only when the British dictionary does not accept the American form, so words that are also
British ("program", "meter", "judgment") are never flagged; "specialty" is NHS usage and is
not flagged either. Medical words the list misses are caught by their family when the British
dictionary rejects them ("hemarthrosis" -> "haemarthrosis": hem-, -emia, edem-, esophag-,
estr-, pediatr-, orthoped-, gynec-, diarrhe-, anesthe-, -pnea, celiac, etiolog-). -ize forms
are listed too (NHS style is -ise). "license" (noun) and "practice" (verb) are reported only when the words around
them make the use clear ("a driving license", "you should practice these").

Dictionaries are loaded once per process. When the hunspell dictionaries are missing the typo
check logs one warning and reports nothing (the American check still runs on its own data).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from content_audit.checks.engine.lexicon import (
    DICTIONARY_FILES,
    HUNSPELL_DIRS,
    Lexicon,
    british_medical,
    find_hunspell,
    lexicon,
    on_change,
    read_list,
    wordset,
)
from content_audit.checks.engine.registry import CheckContext, SiteCheck, define, site_check
from content_audit.core.model import Finding, Page

log = logging.getLogger(__name__)

TYPO = define(
    "typo",
    "warning",
    "A word looks misspelt. Spelling mistakes make advice look careless and harder to trust.",
    "Correct the spelling. If the word is right (a local name or term), add it to the site "
    "dictionary.",
    "spelling",
    name="Spelling mistake",
)
AMERICAN = define(
    "spelling-american",
    "notice",
    "A word uses American spelling. NHS content uses British English.",
    "Use the British spelling shown in the suggestion.",
    "spelling",
    name="American spelling",
)

# Site frequency: a candidate seen on at least SITE_MIN_PAGES pages and on at least
# SITE_MIN_SHARE of all pages, or on SITE_MANY_PAGES pages whatever the site's size, is taken
# to be the site's own word (known common misspellings are reported all the same).
SITE_MIN_PAGES = 3
SITE_MIN_SHARE = 0.3
SITE_MANY_PAGES = 10

MIN_WORD_LENGTH = 3  # shorter words are too often abbreviations or units to judge
SHORT_WORD = 4  # unknown words this short are reported only when codespell knows them
STRICT_LENGTH = 8  # Title Case words this long or longer are checked (names are shorter)
# A block or page with more than this share of unknown words (of at least FOREIGN_MIN_WORDS
# looked up) is another language or garbled text: nothing on it is reported as a typo.
FOREIGN_SHARE = 0.25
FOREIGN_MIN_WORDS = 8


# --------------------------------------------------------------------------------------
# Suggestions.

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _edits1(word: str) -> Iterator[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    for left, right in splits:
        if right:
            yield left + right[1:]  # delete
        if len(right) > 1:
            yield left + right[1] + right[0] + right[2:]  # transpose
        for c in _LETTERS:
            if right:
                yield left + c + right[1:]  # replace
            yield left + c + right  # insert
        if left and right:
            yield left + "'" + right  # dont -> don't
            yield left + "-" + right  # selfcare -> self-care


@lru_cache(maxsize=50_000)
def _suggest(word: str) -> tuple[str | None, bool]:
    """(likely correction, is-a-known-common-misspelling) for an unknown lower-case word."""
    lex = lexicon()
    common = lex.common.get(word)
    if common is not None and common in lex.words:
        # codespell corrects to American spelling ("bahavior" -> "behavior"): make it British.
        return lex.american.get(common, common), True
    british, american = lex.british, lex.american
    candidates: set[str] = set()
    for w in _edits1(word):
        if w in british:
            candidates.add(w)
        elif w in american:
            candidates.add(american[w])  # "orthapedic" -> orthopedic -> "orthopaedic"
    if not candidates:
        return None, False
    to_us = _british_to_american()

    def rank(w: str) -> tuple[bool, bool, int, int, str]:
        apostrophe = "'" in w and w.replace("'", "") == word  # dont -> don't
        same_start = w[0] == word[0]
        frequency = lex.freq.get(w, 0) or lex.freq.get(to_us.get(w, ""), 0)
        return (apostrophe, same_start, frequency, -len(w), w)

    best = max(candidates, key=rank)
    return lex.american.get(best, best), False  # "organiztion" -> "organisation"


@lru_cache(maxsize=1)
def _british_to_american() -> dict[str, str]:
    return {gb: us for us, gb in lexicon().american.items()}


# --------------------------------------------------------------------------------------
# Tokenising.

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+|\n+|(?<=:)\s+(?=[A-Z])")
_CHUNK = re.compile(r"\S+")
_EDGE = "\"'“”‘’()[]{}<>.,;:!?*…–—-•·«»|"
_SKIP_CHARS = re.compile(r"[0-9@/\\:&_=+#%$£€<>~^|*]")
_WORD_OK = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ]+(?:['’][A-Za-z]+)*['’]?$")
_ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_HYPHEN = re.compile(r"[-‐‑–—]")


_ABBREVIATION = re.compile(
    r"(?:\b(?:Dr|Mr|Mrs|Ms|Mx|Prof|Rev|Sr|Jr|St|No|Nos|Tel|approx|etc|vs|cf|incl|inc|ref)"
    r"|\b[A-Za-z]\.[A-Za-z]|\b[A-Z])\.$"
)


def sentences(text: str) -> list[str]:
    """Split text into sentences (each line starts a new one; "Dr. Patel" does not)."""
    out: list[str] = []
    fresh = True
    for line in text.splitlines():
        pieces = [p.strip() for p in _SENTENCE_END.split(line) if p and p.strip()]
        for piece in pieces:
            # _ABBREVIATION ends at the end of the text and is at most 7 characters long:
            # the last 10 characters (with the one before the match, for \b) are enough
            if out and out[-1][-1:] == "." and _ABBREVIATION.search(out[-1][-10:]) and not fresh:
                out[-1] = f"{out[-1]} {piece}"
            else:
                out.append(piece)
            fresh = False
        fresh = True
    return out


@dataclass(slots=True, frozen=True)
class Misspelling:
    word: str  # exactly as shown
    suggestion: str
    kind: str  # "typo" or "american"
    sentence: str
    common: bool = False  # a known common misspelling (codespell)


def _match_case(suggestion: str, shown: str) -> str:
    if shown[:1].isupper():
        return suggestion[:1].upper() + suggestion[1:]
    return suggestion


def _words(sentence: str) -> Iterator[tuple[str, bool]]:
    """(word, is sentence-initial) for each checkable word in a sentence."""
    return iter(_word_list(sentence))


# _SKIP_CHARS plus ".": a token with any of these is not a word to check
_SKIP_OR_DOT = re.compile(r"[0-9@/\\:&_=+#%$£€<>~^|*.]")


def _word_list(sentence: str) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    first = True
    edge = _EDGE
    skip = _SKIP_OR_DOT.search
    hyphen = _HYPHEN.search
    # str.split() and the regex \S+ use the same definition of white space
    for chunk in sentence.split():
        initial = first
        first = False
        token = chunk.strip(edge)
        if not token or skip(token):
            continue
        if token[:3].lower() == "www":
            continue
        if hyphen(token):
            if _strip_possessive(token).lower() in lexicon().words:
                continue  # a hyphenated dictionary word: "topsy-turvy", "co-codamol"
            for part in _HYPHEN.split(token):
                part = part.strip(edge)
                if part:
                    out.append((part, initial))
                initial = False
        else:
            out.append((token, initial))
    return out


def _strip_possessive(word: str) -> str:
    w = word.replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    return w.strip("'")


def find_misspellings(
    text: str,
    extra_words: set[str] | frozenset[str] = frozenset(),
    proper_nouns: set[str] | frozenset[str] | None = None,
) -> list[Misspelling]:
    """Likely typos and American spellings in plain text, in reading order.

    ``extra_words`` are accepted words (the site dictionary). ``proper_nouns`` are the
    capitalised words used mid-sentence somewhere on the page; a sentence-initial word in it
    is a name, not a typo. When not given it is taken from ``text`` itself.
    """
    extra = frozenset(w.lower() for w in extra_words) if extra_words else frozenset()
    return scan(text, extra, proper_nouns).hits


@dataclass(slots=True)
class Scan:
    hits: list[Misspelling]
    checked: int  # lower-case (or sentence-initial) words looked up
    unknown: int  # of those, words no dictionary knows

    def foreign(self) -> bool:
        """Too many unknown words: not English (a Welsh or Polish page) or garbled text."""
        return self.checked >= FOREIGN_MIN_WORDS and self.unknown > FOREIGN_SHARE * self.checked


@dataclass(slots=True)
class Sentence:
    text: str
    title: bool  # Title Case heading or label
    words: list[tuple[str, bool]]  # (word, is sentence-initial)
    # From tokenise: the positions in `words` that are not plain known lower-case words
    # (the only ones scan looks at closely); None means work it out.
    slow: tuple[int, ...] | None = None


def tokenise(text: str) -> list[Sentence]:
    """Sentences of ``text`` with their checkable words, tokenised once."""
    return [_sentence(s) for s in _block_sentences(text)]


def _sentence(text: str) -> Sentence:
    title, words, slow = _sentence_parts(text)
    return Sentence(text, title, list(words), slow)


@lru_cache(maxsize=4096)
def _block_sentences(text: str) -> tuple[str, ...]:
    """sentences(), remembered: headings, list items and contact lines repeat across pages."""
    return tuple(sentences(text))


@lru_cache(maxsize=8192)
def _sentence_parts(
    sentence: str,
) -> tuple[bool, tuple[tuple[str, bool], ...], tuple[int, ...]]:
    """Title Case or not, the checkable words, and the positions of the words that are not
    plain known lower-case words, of one sentence. Sentences repeat across a site (contact
    lines, standard advice), so they are remembered; set_lexicon forgets them (they depend
    on the lexicon)."""
    words = tuple(_word_list(sentence))
    return _title_case(sentence), words, _slow_positions(words, lexicon())


def _plain_known(word: str, lex: Lexicon) -> bool:
    """A known lower-case word with nothing to report: scan's common case."""
    return (
        word in lex.words and "'" not in word and word not in lex.american and word not in _CONFUSED
    )


def _slow_positions(words: Iterable[tuple[str, bool]], lex: Lexicon) -> tuple[int, ...]:
    return tuple(i for i, (word, _initial) in enumerate(words) if not _plain_known(word, lex))


class _Verdict(NamedTuple):
    """A word whose count or hit depends on the page's names, or that has a hit."""

    word: str
    initial: bool  # sentence-initial: skipped when the page uses it as a name
    status: int  # SKIPPED, KNOWN or UNKNOWN
    hit: tuple[str, str, bool] | None  # (suggestion, kind, common)
    sentence: str  # where the hit is ("" without one)


class _Verdicts(NamedTuple):
    """scan's judgement of some sentences, all but the page's names (``_tally``)."""

    checked: int  # words counted as checked whatever the names (not sentence-initial)
    unknown: int  # of those, unknown to every dictionary
    words: tuple[_Verdict, ...]  # sentence-initial words, and words with a hit, in order
    names: frozenset[str]  # names_in() of these sentences


def scan(
    text: str | list[Sentence],
    extra: frozenset[str] = frozenset(),
    proper_nouns: set[str] | frozenset[str] | None = None,
) -> Scan:
    """Check every word of ``text`` (or its ``tokenise()``d form); ``extra`` is lower-case."""
    split = tokenise(text) if isinstance(text, str) else text
    if proper_nouns is None:
        proper_nouns = names_in(split)
    return _tally([_judge(split, extra)], proper_nouns)


def _block_verdicts(text: str, extra: frozenset[str]) -> list[_Verdicts]:
    """_judge of each sentence of one block of text. Each sentence's judgement depends on
    its own words alone, and is remembered: the same sentences recur from page to page,
    more than whole paragraphs do. Only the page's names (``_tally``) differ."""
    return [_sentence_verdicts(sentence, extra) for sentence in _block_sentences(text)]


@lru_cache(maxsize=16384)
def _sentence_verdicts(sentence: str, extra: frozenset[str]) -> _Verdicts:
    split = [_sentence(sentence)]
    return _judge(split, extra, frozenset(names_in(split)))


@lru_cache(maxsize=1)
def _builtin_names() -> frozenset[str]:
    return frozenset(read_list(Path(__file__).parent / "data" / "spelling" / "proper_names.txt"))


@lru_cache(maxsize=64)
def _name_phrases(extra: frozenset[str]) -> tuple[str, ...]:
    """Official names spelt the American way (the built-in list and the site dictionary's
    lines with spaces), lower-cased: "World Health Organization" is written as it is."""
    return tuple(sorted(_builtin_names() | {e for e in extra if " " in e}))


def _words_in_names(text: str, extra: frozenset[str]) -> frozenset[str]:
    """The lower-cased words of the names above that ``text`` holds whole."""
    lower = text.lower()
    found = [p for p in _name_phrases(extra) if p in lower]
    return frozenset(w for p in found for w in p.split()) if found else frozenset()


def _judge(
    split: list[Sentence], extra: frozenset[str], names: frozenset[str] = frozenset()
) -> _Verdicts:
    lex = lexicon()
    checked = unknown = 0
    verdicts: list[_Verdict] = []
    for sentence in split:
        slow = sentence.slow
        if slow is None:
            slow = _slow_positions(sentence.words, lex)
        in_names = _words_in_names(sentence.text, extra) if slow else frozenset()
        # the common case, a known lower-case word: counted as checked, nothing more
        checked += len(sentence.words) - len(slow)
        for i in slow:
            word, initial = sentence.words[i]
            strict = sentence.title
            in_phrase = False  # a name made of ordinary words: "Children's Center"
            if not strict and not initial and word[:1].isupper():
                after_title = i > 0 and sentence.words[i - 1][0].lower() in HONORIFICS
                in_phrase = not after_title and _in_title_phrase(sentence.words, i, lex)
                strict = in_phrase or (
                    not after_title and len(word) >= 6 and word.lower() in lex.common
                )
            eponym = _eponym(sentence.words, i) if word.lower() not in extra else None
            if eponym is not None:
                verdicts.append(_Verdict(word, initial, KNOWN, eponym, sentence.text))
                continue
            status, hit = _check_word(word, initial, lex, extra, strict, american=in_phrase)
            if (
                hit is not None
                and hit[1] == "american"
                and word[:1].isupper()
                and word.lower() in in_names  # "World Health Organization": its own name
            ):
                status, hit = KNOWN, None
            if hit is None and status == KNOWN and word.lower() in _CONFUSED:
                hit = _confusion(sentence.words, i, extra)
            if initial or hit is not None:
                text = sentence.text if hit is not None else ""
                verdicts.append(_Verdict(word, initial, status, hit, text))
            elif status:
                checked += 1
                unknown += status == UNKNOWN
    return _Verdicts(checked, unknown, tuple(verdicts), names)


def _tally(judged: Iterable[_Verdicts], proper_nouns: set[str] | frozenset[str]) -> Scan:
    """The Scan of judged sentences on a page whose names are ``proper_nouns``: a
    sentence-initial word the page also uses mid-sentence is a name, not checked."""
    result = Scan([], 0, 0)
    for verdicts in judged:
        result.checked += verdicts.checked
        result.unknown += verdicts.unknown
        for word, initial, status, hit, sentence in verdicts.words:
            if initial and word in proper_nouns:
                continue
            if status:
                result.checked += 1
                # A known common misspelling is English gone wrong, not another language.
                result.unknown += status == UNKNOWN and not (hit and hit[2])
            if hit is not None:
                suggestion, kind, common = hit
                result.hits.append(Misspelling(word, suggestion, kind, sentence, common))
    return result


# Licence/license and practice/practise: British English uses the -ce form for the noun and
# the -se form for the verb; American English uses "license" and "practice" for both. The
# dictionary accepts every one of these words, so only a clear grammatical clue counts.
_NOUN_BEFORE = wordset(
    "a the your my his her their our its this that no valid full provisional driving "
    "premises personal marriage"
)
_PRACTICE_NOUN_BEFORE = wordset(
    "a the your my his her their our this that gp dental general medical clinical private "
    "nursing good best into"
)
_VERB_BEFORE = wordset("will would should shall can could must may might please you we they to")
_VERB_AFTER = wordset(
    "these this them it your the every each daily regularly often at with breathing "
    "relaxation mindfulness yoga safe"
)
_CONFUSED = frozenset({"license", "licenses", "practice", "practise"})


def _confusion(
    words: list[tuple[str, bool]], i: int, extra: frozenset[str] | set[str]
) -> tuple[str, str, bool] | None:
    """A noun/verb spelling that the grammar around it gives away, or None."""
    word = words[i][0]
    lower = word.lower()
    if lower in extra:
        return None
    before = words[i - 1][0].lower() if i > 0 else ""
    after = words[i + 1][0].lower() if i + 1 < len(words) else ""
    if lower in ("license", "licenses") and before in _NOUN_BEFORE:
        return _match_case(lower.replace("license", "licence"), word), "american", False
    if lower == "practice" and before in _VERB_BEFORE and after in _VERB_AFTER:
        return _match_case("practise", word), "american", False  # "you should practice these"
    if lower == "practise" and before in _PRACTICE_NOUN_BEFORE:
        return _match_case("practice", word), "typo", False  # "your GP practise"
    return None


HONORIFICS = wordset(
    "dr mr mrs ms mx miss prof professor sir dame lady lord rev sister nurse matron"
)


def _in_title_phrase(words: list[tuple[str, bool]], i: int, lex: Lexicon) -> bool:
    """Is words[i] inside a capitalised phrase of ordinary words, like a job title or a
    department ("Senior Peadiatric Physiotherapist", "Orthopeadic Department")? Its
    capitalised neighbours must all be ordinary lower-case dictionary words: "Jane Marchant"
    or "Dr Marchant" is a name and stays unchecked."""
    neighbours = [words[j][0] for j in (i - 1, i + 1) if 0 <= j < len(words)]
    capped = [n for n in neighbours if n[:1].isupper() and n[1:] == n[1:].lower()]
    if not capped:
        return False
    return all(
        _strip_possessive(n).lower() in lex.british and n.lower() not in HONORIFICS for n in capped
    )


def names_in(split: Iterable[Sentence]) -> set[str]:
    """Capitalised words used mid-sentence (outside Title Case): names, wherever they are."""
    return {
        word
        for sentence in split
        if not sentence.title
        for word, initial in sentence.words
        if not initial and word[:1].isupper()
    }


_MINOR = wordset("a an and as at but by for from in into of on or the to with your our you is are")


def _title_case(sentence: str) -> bool:
    """A Title Case heading or label ("Senior Paediatric Physiotherapist"): most words capped."""
    words = [w for w in sentence.split() if w[:1].isalpha() and w.lower() not in _MINOR]
    if len(words) < 2:
        return False
    capped = sum(1 for w in words if w[0].isupper())
    return capped >= 0.75 * len(words) and sentence[-1:] not in ".?!"


SKIPPED, KNOWN, UNKNOWN = 0, 1, 2


def _check_word(
    word: str,
    initial: bool,
    lex: Lexicon,
    extra: frozenset[str] | set[str],
    title: bool = False,
    american: bool = False,
) -> tuple[int, tuple[str, str, bool] | None]:
    """(SKIPPED/KNOWN/UNKNOWN, (suggestion, kind, common) or None) for one word."""
    if not _WORD_OK.match(word):
        return SKIPPED, None
    if word[1:] != word[1:].lower():
        return SKIPPED, None  # ALL CAPS, camelCase (MindMate), GPs, NSAIDs
    strict = False
    if word[0].isupper() and not initial:
        if not title:
            return SKIPPED, None  # a proper noun
        strict = True  # Title Case: a name or a capitalised word; only clear typos count
    base = _strip_possessive(word)
    tail = word[len(base) :] if word.replace("’", "'").startswith(base) else ""
    lower = base.lower()
    if len(lower) < MIN_WORD_LENGTH:
        return SKIPPED, None
    if lower in extra or (lower[-1] == "s" and lower[:-1] in extra):
        return KNOWN, None  # the site dictionary, with plurals
    # American forms are checked in ordinary text and in names made of ordinary words
    # ("Children's Center"), not in other names ("Center Parcs")
    british = lex.american.get(lower) if (not strict or american) else None
    if british is not None:
        return KNOWN, (_match_case(british, base) + tail, "american", False)
    if not lex.available:
        return SKIPPED, None
    if lower in lex.words:
        return KNOWN, None
    if "'" in lower and all(p in lex.words or len(p) < 3 for p in lower.split("'")):
        return KNOWN, None
    if _ROMAN.match(lower):
        return KNOWN, None
    suggestion, common = _suggest(lower)
    if suggestion is None:
        return UNKNOWN, _no_close_word(base, tail, strict)
    if strict and not common and (len(lower) < STRICT_LENGTH or suggestion[0] != lower[0]):
        return UNKNOWN, None  # "Physiotheraphy Services", yes; a surname near a word, no
    if not common:
        if len(lower) <= SHORT_WORD and suggestion.replace("'", "") != lower:
            return UNKNOWN, None  # "dbt", "emdr": short unknowns are mostly abbreviations
        if base[0].isupper() and suggestion[0] != lower[0]:
            return UNKNOWN, None  # "Kooth" is a name, not "Tooth"
    return UNKNOWN, (_match_case(suggestion, base) + tail, "typo", common)


def _no_close_word(base: str, tail: str, strict: bool) -> tuple[str, str, bool] | None:
    """The hit for an unknown word with no one-edit correction: an American medical
    spelling by family, or two words run together ("specificaspects"); only for plain
    lower-case words, never names or Title Case."""
    if strict or not base.islower():
        return None
    medical = british_medical(base)
    if medical is not None:
        return medical + tail, "american", False
    split = run_together(base)
    return (split + tail, "typo", False) if split is not None else None


# Words that never make a compound with the word next to them, so a word made of one of
# these and a common word has lost a space ("helpyou", "ofthe"). Short words that code and
# abbreviations join to others ("no", "is", "it", "my": "fileno", "isdigit") are left out.
_FUNCTION_WORDS = wordset(
    "a an the of to in on at by for from with and or but if we you your our this that these "
    "those not can will are was has have they them their he she"
)
# A first part that makes compounds (anti-, self-, neuro-...): the word is a compound the
# dictionaries miss, not two words run together
_COMPOUND_HEADS = wordset(
    "anti non co self neuro tele pre post re un multi inter intra over under out up down "
    "counter cross ex sub super semi mid micro macro mini health mind web video cyber eco "
    "bio geo hydro photo physio psycho cardio gastro ortho osteo pharmaco immuno haemo "
    "thermo electro radio endo peri para pseudo poly mono hyper hypo trans day night home "
    "life work back after fore"
)
_COMPOUND_TAILS = wordset(
    "based led related friendly wide like free less ness wise ward wards able ship hood "
    "fold proof line lines time times side"
)
_PARTICLES = wordset("on in at by up out off over under with for from to as it")
MIN_RUN_TOGETHER = 5
RUN_TOGETHER_PART = 6  # two content words run together are each at least this long
MIN_PART_FREQUENCY = 100  # each part a common word (pyspellchecker's counts)


@lru_cache(maxsize=8192)
def run_together(word: str) -> str | None:
    """Two common British words that `word` (lower case, unknown) is made of, with the
    space put back ("specificaspects" -> "specific aspects"), or None. Compound-making parts
    ("anti", "self", "-based", "-led") and rare words are not used, so compounds and medical
    terms the dictionaries miss are not split."""
    if len(word) < MIN_RUN_TOGETHER:
        return None
    lex = lexicon()
    best: tuple[int, str] | None = None
    for i in range(2, len(word) - 1):
        left, right = word[:i], word[i:]
        if left in _COMPOUND_HEADS or right in _COMPOUND_TAILS:
            continue
        if not (_run_part(left, lex) and _run_part(right, lex)) or not _lost_space(left, right):
            continue
        score = min(_part_frequency(left, lex), _part_frequency(right, lex))
        if best is None or score > best[0]:
            best = (score, f"{left} {right}")
    return best[1] if best is not None else None


def _lost_space(left: str, right: str) -> bool:
    """Do two known words joined look like a lost space rather than a compound? A word such
    as "the", "your" or "you" is never part of a compound ("helpyou", "ofthe"), except
    particles that make them ("onboarding"); two words of 6 letters or more rarely make one
    ("specificaspects"), where short ones often do ("stylesheet", "fullscreen")."""
    left_function, right_function = left in _FUNCTION_WORDS, right in _FUNCTION_WORDS
    if left_function and right_function:
        return True
    if left_function:
        return left not in _PARTICLES and len(right) >= 3
    if right_function:
        return len(left) >= 3 and right not in _PARTICLES
    return min(len(left), len(right)) >= RUN_TOGETHER_PART


def _run_part(part: str, lex: Lexicon) -> bool:
    return part in _FUNCTION_WORDS or (
        part in lex.british and _part_frequency(part, lex) >= MIN_PART_FREQUENCY
    )


def _part_frequency(part: str, lex: Lexicon) -> int:
    return lex.freq.get(part, 0) or (10**9 if part in _FUNCTION_WORDS else 0)


# Conditions named after a person, written without the apostrophe ("Parkinsons"): the
# word, its correction, and the words one of which must follow (None: any)
_EPONYMS: dict[str, tuple[str, frozenset[str] | None]] = {
    "parkinsons": ("Parkinson's", None),
    "alzheimers": ("Alzheimer's", None),
    "crohns": ("Crohn's", None),
    "hodgkins": ("Hodgkin's", None),
    "aspergers": ("Asperger's", None),
    "huntingtons": ("Huntington's", None),
    "raynauds": ("Raynaud's", None),
    "addisons": ("Addison's", wordset("disease")),
    "cushings": ("Cushing's", wordset("disease syndrome")),
    "tourettes": ("Tourette's", None),
    "menieres": ("Ménière's", wordset("disease")),
    "bells": ("Bell's", wordset("palsy")),
    "downs": ("Down's", wordset("syndrome")),
}


def _eponym(words: list[tuple[str, bool]], i: int) -> tuple[str, str, bool] | None:
    """A condition's eponym missing its apostrophe ("Parkinsons disease", "Downs
    syndrome"), capitalised or not: (suggestion, "typo", True), else None."""
    entry = _EPONYMS.get(words[i][0].lower().rstrip("'’"))  # "Parkinsons'" too
    if entry is None:
        return None
    fixed, needs = entry
    after = words[i + 1][0].lower() if i + 1 < len(words) else ""
    if needs is not None and after not in needs:
        return None
    if fixed == "Hodgkin's" and after == "lymphoma":
        fixed = "Hodgkin"  # the NHS name: "Hodgkin lymphoma"
    return fixed, "typo", True


# --------------------------------------------------------------------------------------
# The check.


def page_texts(page: Page) -> list[str]:
    """The advice text of a page as separate blocks (headings, paragraphs, list items)."""
    if page.sections:
        blocks: list[str] = []
        for section in page.sections:
            if section.heading:
                blocks.append(section.heading)
            blocks.extend(section.paragraphs)
            blocks.extend(section.list_items)
        return blocks
    return [page.main_text] if page.main_text else []


def site_words(ctx: CheckContext) -> frozenset[str]:
    """The site dictionary named in the config, lower-cased; empty when none is set."""
    path_text = ctx.config.site_dictionary
    if not path_text:
        return frozenset()
    path = ctx.full_config.resolve(path_text) if ctx.full_config else Path(path_text)
    return frozenset(_read_site_dictionary(str(path)))


@lru_cache(maxsize=8)
def _read_site_dictionary(path: str) -> frozenset[str]:
    try:
        return frozenset(read_list(Path(path)))
    except OSError as exc:
        log.warning("spelling: cannot read site dictionary %s: %s", path, exc)
        return frozenset()


def typo_message(word: str, suggestion: str) -> str:
    """What is wrong with a word, in the words a content owner would use."""
    plain = word.lower().replace("’", "'")
    if suggestion.lower().replace("'", "") == plain.replace("'", "") and "'" in suggestion:
        return f"'{word}' is missing its apostrophe: write '{suggestion}'."
    if " " in suggestion and suggestion.lower().replace(" ", "") == plain:
        return f"'{word}' looks like two words run together: write '{suggestion}'."
    return f"'{word}' looks misspelt; did you mean '{suggestion}'?"


@site_check
class SpellingCheck(SiteCheck):
    """Collect candidate misspellings page by page; report those the site does not use widely."""

    rules = (
        TYPO,
        AMERICAN,
    )

    @classmethod
    def unavailable(cls) -> tuple[str, frozenset[str]] | None:
        """The typo rule needs the hunspell dictionaries (the American check has its own
        word list and still runs)."""
        missing = [n for n in DICTIONARY_FILES if find_hunspell(n, HUNSPELL_DIRS) is None]
        if not missing:
            return None
        log.info("spelling: dictionary files not found: %s", ", ".join(missing))
        return (
            "the spelling dictionaries are not installed on this machine, so spelling "
            "was not checked (scripts/setup.sh installs them)",
            frozenset({TYPO.id}),
        )

    def __init__(self, ctx: CheckContext) -> None:
        super().__init__(ctx)
        self.extra = frozenset(w.lower() for w in site_words(ctx))
        self.pages = 0
        self.word_pages: dict[str, int] = {}  # candidate (lower-case) -> pages it is on
        self.candidates: list[tuple[str, Misspelling, int]] = []  # (url, hit, count on page)

    reusable = True  # a page's note: whether it counts, and its candidates

    @classmethod
    def warm_up(cls) -> None:
        lexicon()  # the dictionaries, read back from their cache (0.4 s)

    def note(self, page: Page) -> list[Any] | None:
        """[candidates], each [misspelling fields, count on the page]; None for a page
        that does not count (not a readable page of the site)."""
        if not page.is_html or page.status >= 400 or page.error:
            return None
        return [
            [[hit.word, hit.suggestion, hit.kind, hit.sentence, hit.common], count]
            for hit, count in self._candidates(page)
        ]

    def take(self, url: str, note: list[Any] | None) -> None:
        if note is None:
            return
        self.pages += 1
        for fields, count in note:
            hit = Misspelling(*fields)
            self.word_pages[hit.word.lower()] = self.word_pages.get(hit.word.lower(), 0) + 1
            self.candidates.append((url, hit, count))

    def _candidates(self, page: Page) -> list[tuple[Misspelling, int]]:
        """Each word of the page that looks misspelt, once, with how often it is there."""
        if page.lang and not page.lang.lower().startswith("en"):
            return []  # a page in another language (Welsh, Polish, Urdu...)
        on_page: dict[tuple[str, str], list[Misspelling]] = {}
        blocks = [_block_verdicts(block, self.extra) for block in page_texts(page)]
        names = frozenset().union(*(judged.names for block in blocks for judged in block))
        checked = unknown = 0
        for block in blocks:
            result = _tally(block, names)
            if result.foreign():
                continue  # a paragraph in another language
            checked += result.checked
            unknown += result.unknown
            for hit in result.hits:
                on_page.setdefault((hit.kind, hit.word.lower()), []).append(hit)
        if Scan([], checked, unknown).foreign():
            return []  # short blocks that together read as another language or garbled text
        return [(hits[0], len(hits)) for hits in on_page.values()]

    def finish(self) -> Iterator[Finding]:
        for url, hit, count in self.candidates:
            if hit.kind == "typo" and not hit.common and self._site_word(hit.word.lower()):
                continue
            details = {"count": count}
            if hit.kind == "american":
                yield AMERICAN.finding(
                    url,
                    f"'{hit.word}' is the American spelling; use '{hit.suggestion}'.",
                    text=hit.word,
                    context=hit.sentence,
                    suggestion=hit.suggestion,
                    details=details,
                )
            else:
                details["common_misspelling"] = hit.common
                yield TYPO.finding(
                    url,
                    typo_message(hit.word, hit.suggestion),
                    text=hit.word,
                    context=hit.sentence,
                    suggestion=hit.suggestion,
                    details=details,
                )

    def _site_word(self, lower: str) -> bool:
        pages = self.word_pages.get(lower, 0)
        return pages >= SITE_MIN_PAGES and (
            pages >= SITE_MIN_SHARE * self.pages or pages >= SITE_MANY_PAGES
        )


def _forget_lexicon_results() -> None:
    """The caches here hold results worked out with one lexicon: a new one (tests, another
    site dictionary folder) must not see them."""
    _sentence_parts.cache_clear()
    _sentence_verdicts.cache_clear()
    _suggest.cache_clear()
    _british_to_american.cache_clear()


on_change(_forget_lexicon_results)
