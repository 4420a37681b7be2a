"""Plain English: everyday alternatives to formal, wordy or medical terms.

Reads the main content only (paragraphs and list items, no headings, navigation or
footer) and reports each term with the exact text, the sentence around it and the plainer
word to use instead, inflected to fit the sentence.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from content_audit.checks.engine.registry import CheckContext, define, page_check
from content_audit.checks.engine.text import page_blocks, quote, sentence_at
from content_audit.core.model import Finding, Page

PLAIN_ENGLISH = define(
    "plain-english",
    "notice",
    "A word or phrase has a plainer alternative; plain words are quicker to read and easier "
    "to understand, especially for people who are unwell or anxious.",
    "Use the suggested everyday word instead, unless the original is needed for accuracy.",
    "style",
    name="Plainer word available",
)

DATA_DIR = Path(__file__).parent / "data"

# --- inflection -------------------------------------------------------------------------

_DOUBLE_FINAL = frozenset({"stop", "plan", "get", "put", "set", "run", "cut", "chat", "ship"})
_PARTICIPLE = {
    "find": "found",
    "get": "got",
    "give": "given",
    "make": "made",
    "tell": "told",
    "send": "sent",
    "buy": "bought",
    "keep": "kept",
    "set": "set",
    "put": "put",
    "say": "said",
    "pay": "paid",
    "meet": "met",
    "lead": "led",
    "hold": "held",
    "leave": "left",
    "do": "done",
    "see": "seen",
    "come": "come",
    "run": "run",
    "take": "taken",
    "show": "shown",
    "speed": "sped",
    "understand": "understood",
}
_VOWELS = "aeiou"


def inflect(verb: str, form: str) -> str:
    """A regular English verb (or irregular from a short list) in form 's', 'ed' or 'ing'."""
    if form == "s":
        if verb.endswith(("s", "x", "z", "ch", "sh")):
            return verb + "es"
        if verb.endswith("y") and verb[-2:-1] not in _VOWELS:
            return verb[:-1] + "ies"
        return verb + "s"
    if form == "ed":
        if verb in _PARTICIPLE:
            return _PARTICIPLE[verb]
        if verb.endswith("e"):
            return verb + "d"
        if verb.endswith("y") and verb[-2:-1] not in _VOWELS:
            return verb[:-1] + "ied"
        if verb in _DOUBLE_FINAL:
            return verb + verb[-1] + "ed"
        return verb + "ed"
    if form == "ing":
        if verb.endswith("ie"):
            return verb[:-2] + "ying"
        if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
            return verb[:-1] + "ing"
        if verb in _DOUBLE_FINAL:
            return verb + verb[-1] + "ing"
        return verb + "ing"
    return verb


def inflect_phrase(phrase: str, form: str) -> str:
    """Inflect the first word of a phrase ("find out" -> "found out")."""
    first, _, rest = phrase.partition(" ")
    return " ".join(x for x in (inflect(first, form), rest) if x)


def form_of(word: str, base: str) -> str:
    """Which form of `base` the matched `word` is: '', 's', 'ed' or 'ing'."""
    word = word.lower()
    for form in ("s", "ed", "ing"):
        if word == inflect(base, form):
            return form
    return ""


def match_case(template: str, replacement: str) -> str:
    """Give the replacement the capital of the text it replaces."""
    if template[:1].isupper() and not template.isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


# --- plain English ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    base: str  # the listed word, verb or pattern word
    use: str  # the plainer alternative (base form)
    verb: bool = False
    clinical: bool = False  # a medical term: the right word on pages for professionals
    object_use: str | None = None  # the alternative when a direct object follows ("" none)


@dataclass(frozen=True, slots=True)
class Pattern:
    regex: re.Pattern[str]
    use: str
    word: str = ""  # verb base form, when the alternative follows the matched form
    # A literal every match contains (case-insensitively): a cheap test before the regex.
    needle: re.Pattern[str] | None = None
    needle_text: str = ""  # the same literal in lower case, when it is ASCII letters


@dataclass(frozen=True, slots=True)
class PlainEnglish:
    regex: re.Pattern[str] | None
    forms: dict[str, Term]  # lower-case form -> term
    not_before: dict[str, frozenset[str]]
    patterns: tuple[Pattern, ...]
    not_after: dict[str, frozenset[str]]


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().replace("’", "'"))


def _escape(alternative: str) -> str:
    return re.escape(alternative).replace(r"\ ", r"\s+")


def _trie_body(alternatives: list[str]) -> str | None:
    """The alternatives as one regex with shared prefixes factored out ("a(?:b|c)").

    A plain alternation of a few hundred phrases makes the regex engine try every phrase at
    every word start; the factored form tries one branch per letter. It matches exactly what
    the longest-first alternation matches: the phrases that can match at one place form a
    chain of prefixes, and the factored form tries the longer continuation before stopping.
    Returns None when that argument does not hold for these phrases (a space at either end,
    two spaces together): the caller then keeps the plain alternation.
    """
    for a in alternatives:
        if not a or a != a.strip() or "  " in a or a != a.lower():
            return None
    trie: dict = {}
    for a in alternatives:
        node = trie
        for ch in a:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [_escape(ch) + emit(child) for ch, child in node.items() if ch != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # where a phrase ends here, the longer phrase first, as in longest-first order
        return "(?:" + body + ")?" if ends else body

    return emit(trie)


def _needle(source: str) -> str | None:
    """A literal of three characters or more that every match of `source` contains: the
    longest run of letters the pattern requires (outside alternatives, optional parts and
    look-arounds). None when there is none, or when unsure. A pattern is tried only on
    text that holds its literal: a pattern that starts with a choice ("going or moving
    forward") has one later on ("forward")."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(source, re.IGNORECASE)
    except Exception:  # pragma: no cover - another Python's private parser
        return None
    best = max(_required_literals(parsed), key=len, default="")
    return best if len(best) >= 3 else None


def _required_literals(sequence: Any) -> list[str]:
    """The runs of literal characters in a parsed sequence that every match goes through:
    the sequence's own, and those of the groups in it (which match exactly once)."""
    runs: list[str] = []
    current: list[str] = []
    for op, av in sequence:
        if str(op) == "LITERAL":
            current.append(chr(av))
            continue
        runs.append("".join(current))
        current = []
        if str(op) == "SUBPATTERN":  # a group: matched once, as part of the sequence
            runs.extend(_required_literals(av[3]))
    runs.append("".join(current))
    return runs


def _pattern(source: str, use: str, word: str) -> Pattern:
    literal = _needle(source) or ""
    needle = re.compile(re.escape(literal), re.IGNORECASE) if literal else None
    text = literal.lower() if literal.isascii() and literal.isalpha() else ""
    return Pattern(re.compile(source, re.IGNORECASE), use, word, needle, text)


# The only characters that IGNORECASE matches with an ASCII letter without being one: İ ı ſ K
# (checked over every code point). Text without them contains an ASCII-letter literal,
# case-insensitively, exactly when its lower-case form contains the literal in lower case.
_FOLD_RISK_RE = re.compile("[\u0130\u0131\u017f\u212a]")


def _build(
    words: dict[str, str], verbs: dict[str, str], data: dict, clinical: dict[str, str]
) -> PlainEnglish:
    forms: dict[str, Term] = {}
    for word, use in words.items():
        forms[_normal(word)] = Term(_normal(word), use)
    for word, use in clinical.items():
        forms.setdefault(_normal(word), Term(_normal(word), use, clinical=True))
    object_use = {_normal(k): v for k, v in data.get("object_use", {}).items()}
    for verb, use in verbs.items():
        verb = _normal(verb)
        term = Term(verb, use, verb=True, object_use=object_use.get(verb))
        for form in ("", "s", "ed", "ing"):
            forms.setdefault(inflect(verb, form) if form else verb, term)
    alternatives = sorted(forms, key=len, reverse=True)
    regex = None
    if alternatives:
        body = _trie_body(alternatives)
        if body is None:
            body = "(?:" + "|".join(_escape(a) for a in alternatives) + ")"
        regex = re.compile(rf"(?<![\w'’-]){body}(?![\w-])", re.IGNORECASE)
    patterns = tuple(
        _pattern(p["match"], p["use"], p.get("word", "")) for p in data.get("pattern", [])
    )
    not_before = {
        _normal(k): frozenset(_normal(w) for w in v) for k, v in data.get("not_before", {}).items()
    }
    not_after = {
        _normal(k): frozenset(_normal(w) for w in v) for k, v in data.get("not_after", {}).items()
    }
    return PlainEnglish(regex, forms, not_before, patterns, not_after)


@functools.lru_cache(maxsize=1)
def _data() -> dict:
    with (DATA_DIR / "plain_english.toml").open("rb") as handle:
        return tomllib.load(handle)


@functools.lru_cache(maxsize=8)
def plain_english_list(additions: tuple[tuple[str, str], ...] = ()) -> PlainEnglish:
    """The project's list plus a site's additions, which win over the project's.

    A site addition with an empty alternative ("ensure" = "") takes a word off the list.
    """
    data = _data()
    words = dict(data.get("words", {}))
    verbs = dict(data.get("verbs", {}))
    clinical = dict(data.get("clinical", {}))
    for word, use in additions:
        key = _normal(word)
        words.pop(key, None)
        verbs.pop(key, None)
        clinical.pop(key, None)
        if use.strip():
            words[word] = use
            words.setdefault(word + "s", use)
    return _build(words, verbs, data, clinical)


def _explained(text: str, start: int, end: int) -> bool:
    """'oedema (swelling)' or 'swelling (oedema)': the term is being explained."""
    return text[end:].lstrip().startswith("(") or text[:start].rstrip().endswith("(")


def _next_word(text: str, end: int) -> str:
    match = re.match(r"\s+([\w'’-]+)", text[end:])
    return _normal(match.group(1)) if match else ""


_PREV_WORD_RE = re.compile(r"([\w'’-]+)\s+$")


def _prev_word(text: str, start: int) -> str:
    match = _PREV_WORD_RE.search(text, max(0, start - 40), start)
    return _normal(match.group(1)) if match else ""


# --- does the verb have a direct object? ----------------------------------------------------


def _word_set(text: str) -> frozenset[str]:
    """A set of words written as one string, one space apart."""
    return frozenset(text.split())


# Words that start a clause after "ensure"/"make sure" ("ensure that ...", "ensure you ...").
_CLAUSE_START = _word_set(
    "that you we they he she i everyone everybody anyone anybody someone somebody nobody "
    "there whether if how what when where why who which"
)
# Words after the verb that show it has no direct object here ("assist with", "ensure to").
_NO_OBJECT = _word_set(
    "with to in on at for from about by of into onto as before after during under over "
    "through against between among within without up out off down back again also always "
    "not only just and or but so because while until"
)
# A verb among the words that follow makes them a clause ("ensure the room is warm", "ensure
# staff receive training"). Only words that are rarely nouns: "access", "support", "work"
# and "care" would make "ensure timely access" a clause.
_FINITE = _word_set(
    "is are was were has have had can could will would should must may might does do did "
    "get gets know knows feel feels remain remains receive receives understand understands "
    "follow follows meet meets take takes attend attends keep keeps continue continues "
    "learn learns see sees hear hears make makes give gives find finds tell tells ask asks "
    "speak speaks eat eats wear wears bring brings arrive arrives apply applies agree agrees "
    "choose chooses decide decides include includes involve involves reflect reflects "
    "comply complies adhere adheres engage engages respond responds recover recovers "
    "improve improves happen happens go goes"
)
_DETERMINERS = _word_set(
    "a an the this that these those your our their his her its my every each all any some "
    "no more less enough"
)
_DEMONSTRATIVES = _word_set("this that these those")  # determiners, or pronouns: "this works"
_CLAUSE_END = _word_set("and or but so because while until to for")
_TOKEN_AFTER_RE = re.compile(r"[\w'’-]+|[,;:.!?()\[\]\"“”]")


def _plural(token: str) -> bool:
    """A plural noun or a verb with -s ("outcomes", "takes"); not "progress", "access"."""
    return token.endswith("s") and not token.endswith(("ss", "us", "is"))


def complement(text: str, end: int) -> str:
    """What follows a verb ending at `end`: 'clause' ("ensure that you ...", "ensure the
    room is warm"), 'object' (a noun phrase: "ensure progress"), 'none' (nothing, or a
    preposition or adverb: "assist with") or 'unsure' (a plural noun or a verb? "ensure the
    best outcomes" and "ensure your child takes" look alike without a tagger)."""
    tokens: list[str] = []
    for match in _TOKEN_AFTER_RE.finditer(text, end, min(len(text), end + 120)):
        token = match.group().lower()
        if not token[0].isalnum() and token not in ("'", "’"):
            break
        tokens.append(token)
        if len(tokens) >= 7:
            break
    if not tokens:
        return "none"
    first = tokens[0]
    if first in _CLAUSE_START:
        return "clause"
    if first in _NO_OBJECT:
        return "none"
    window: list[str] = []
    for token in tokens[1:]:
        if token in _CLAUSE_END:
            break
        window.append(token)
    if any(token in _FINITE for token in window):
        return "clause"
    if _plural(first) and window:
        return "unsure"  # "ensure services meet ...": a subject, or "ensure results matter"?
    previous = first
    for token in window:
        if _plural(token) and (
            previous in _DEMONSTRATIVES
            or (previous not in _DETERMINERS and previous not in _NO_OBJECT)
        ):
            return "unsure"  # "this works" (a clause) or "these services" (an object)?
        previous = token
    return "object"


def _verb_use(term: Term, found: str, text: str, end: int) -> str | None:
    """The alternative for a verb as used here, in its form; None when no plain word
    reads correctly in its place."""
    form = form_of(found, term.base)
    use = term.use
    if term.object_use is not None:
        kind = complement(text, end)
        if kind == "unsure":
            return None
        if kind == "object":
            first = _next_word(text, end)
            if form == "ed" and first not in _DETERMINERS:
                return None  # "facilitated discussion", "ensured access": an adjective, or unclear
            use = term.object_use
            if not use:
                return None
    return inflect_phrase(use, form)


def plain_english_matches(
    text: str, plain: PlainEnglish, professional: bool = False
) -> Iterator[tuple[int, int, str]]:
    """(start, end, suggestion) for each word with a plainer alternative in `text`. On a page
    for professionals (`professional`) clinical terms are left alone."""
    taken: list[tuple[int, int]] = []
    lower = text.lower() if _FOLD_RISK_RE.search(text) is None else None
    for pattern in plain.patterns:
        if pattern.needle_text and lower is not None:
            if pattern.needle_text not in lower:
                continue
        elif pattern.needle is not None and pattern.needle.search(text) is None:
            continue
        for match in pattern.regex.finditer(text):
            start, end = match.span(1)
            found = match.group(1)
            use = pattern.use
            if pattern.word:
                use = inflect_phrase(use, form_of(found, pattern.word))
            taken.append((start, end))
            if not _explained(text, start, end):
                yield start, end, match_case(found, use)
    if plain.regex is None:
        return
    for match in plain.regex.finditer(text):
        start, end = match.span()
        if any(s < end and start < e for s, e in taken):
            continue
        found = match.group()
        key = _normal(found)
        term = plain.forms.get(key)
        if term is None or _explained(text, start, end) or (professional and term.clinical):
            continue
        if _next_word(text, end) in plain.not_before.get(key, ()):
            continue
        if key in plain.not_after and _prev_word(text, start) in plain.not_after[key]:
            continue
        use = _verb_use(term, found, text, end) if term.verb else term.use
        if use is None:
            continue
        yield start, end, match_case(found, use)


@functools.lru_cache(maxsize=8192)
def _block_plain_english(
    text: str, additions: tuple[tuple[str, str], ...], professional: bool = False
) -> tuple[tuple[int, int, str], ...]:
    """plain_english_matches of one block, remembered: the same paragraphs and list items
    recur from page to page (standard advice, contact lines; 78% of the blocks and 38% of
    the text on the bench's site)."""
    return tuple(plain_english_matches(text, plain_english_list(additions), professional))


@page_check(rules=(PLAIN_ENGLISH,), reusable=True)
def check_plain_english(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    if not page.is_html or page.status >= 400:
        return
    additions = tuple(sorted((k.strip(), v) for k, v in ctx.config.plain_english.items()))
    professional = ctx.config.is_professional(page.url)
    seen: dict[str, Finding] = {}
    for block in page_blocks(page):
        for start, end, use in _block_plain_english(block.text, additions, professional):
            found = block.text[start:end]
            # one finding per word and rewrite: "ensure progress" and "ensure that" need
            # different words, and each finding's suggestion must fit where it is shown
            key = f"{_normal(found)}\x1f{use.lower()}"
            if key in seen:
                seen[key].details["count"] += 1
                continue
            seen[key] = PLAIN_ENGLISH.finding(
                page.url,
                f"Try {quote(use)} instead of {quote(found)}: it is plainer and easier to "
                "understand.",
                text=found,
                context=sentence_at(block.text, start, end),
                suggestion=use,
                details={"count": 1},
            )
    yield from seen.values()
