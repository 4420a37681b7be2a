"""Style: plain English alternatives and the NHS style for times, days, dates and labels.

Both rules read the main content only (paragraphs and list items, no headings, navigation
or footer) and report each problem with the exact text, the sentence around it and the
text to use instead.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from content_audit.checks.registry import CheckContext, define, page_check
from content_audit.checks.text import page_blocks, quote, sentence_at
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
NHS_STYLE = define(
    "nhs-style",
    "notice",
    "Times, days, dates or labels are not written the NHS way, which makes them harder to "
    "scan and less consistent across the site.",
    "Write it as suggested: for example '9am to 5pm', 'midday', 'Monday to Friday', "
    "'6 August 2026', 'Phone:'.",
    "style",
    name="NHS style",
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


def _needle(source: str) -> re.Pattern[str] | None:
    """A literal that every match of `source` contains: the letters group 1 starts with,
    when group 1 is a required part of the whole pattern. None when unsure."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(source, re.IGNORECASE)
    except Exception:  # pragma: no cover - another Python's private parser
        return None
    for op, av in parsed:
        if str(op) == "SUBPATTERN" and av[0] == 1:
            letters = []
            for sub_op, sub_av in av[3]:
                if str(sub_op) != "LITERAL":
                    break
                letters.append(chr(sub_av))
            if len(letters) >= 3:
                return re.compile(re.escape("".join(letters)), re.IGNORECASE)
            return None
    return None


def _pattern(source: str, use: str, word: str) -> Pattern:
    needle = _needle(source)
    literal = needle.pattern.replace("\\", "") if needle is not None else ""
    text = literal.lower() if literal.isascii() and literal.isalpha() else ""
    return Pattern(re.compile(source, re.IGNORECASE), use, word, needle, text)


# The only characters that IGNORECASE matches with an ASCII letter without being one: İ ı ſ K
# (checked over every code point). Text without them contains an ASCII-letter literal,
# case-insensitively, exactly when its lower-case form contains the literal in lower case.
_FOLD_RISK_RE = re.compile("[\u0130\u0131\u017f\u212a]")


def _build(words: dict[str, str], verbs: dict[str, str], data: dict) -> PlainEnglish:
    forms: dict[str, Term] = {}
    for word, use in words.items():
        forms[_normal(word)] = Term(_normal(word), use)
    for verb, use in verbs.items():
        verb = _normal(verb)
        for form in ("", "s", "ed", "ing"):
            forms.setdefault(inflect(verb, form) if form else verb, Term(verb, use, verb=True))
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
    return PlainEnglish(regex, forms, not_before, patterns)


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
    for word, use in additions:
        key = _normal(word)
        words.pop(key, None)
        verbs.pop(key, None)
        if use.strip():
            words[word] = use
            words.setdefault(word + "s", use)
    return _build(words, verbs, data)


def _explained(text: str, start: int, end: int) -> bool:
    """'oedema (swelling)' or 'swelling (oedema)': the term is being explained."""
    return text[end:].lstrip().startswith("(") or text[:start].rstrip().endswith("(")


def _next_word(text: str, end: int) -> str:
    match = re.match(r"\s+([\w'’-]+)", text[end:])
    return _normal(match.group(1)) if match else ""


def plain_english_matches(text: str, plain: PlainEnglish) -> Iterator[tuple[int, int, str]]:
    """(start, end, suggestion) for each word with a plainer alternative in `text`."""
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
        if term is None or _explained(text, start, end):
            continue
        if _next_word(text, end) in plain.not_before.get(key, ()):
            continue
        use = inflect_phrase(term.use, form_of(found, term.base)) if term.verb else term.use
        yield start, end, match_case(found, use)


@functools.lru_cache(maxsize=8192)
def _block_plain_english(
    text: str, additions: tuple[tuple[str, str], ...]
) -> tuple[tuple[int, int, str], ...]:
    """plain_english_matches of one block, remembered: the same paragraphs and list items
    recur from page to page (standard advice, contact lines; 78% of the blocks and 38% of
    the text on the bench's site)."""
    return tuple(plain_english_matches(text, plain_english_list(additions)))


@page_check(reusable=True)
def check_plain_english(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    if not page.is_html or page.status >= 400:
        return
    additions = tuple(sorted((k.strip(), v) for k, v in ctx.config.plain_english.items()))
    seen: dict[str, Finding] = {}
    for block in page_blocks(page):
        for start, end, use in _block_plain_english(block.text, additions):
            found = block.text[start:end]
            key = _normal(found)
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


# --- NHS style: times, days, dates, labels ------------------------------------------------

_AMPM = r"(?:am|pm|a\.m\.|p\.m\.|AM|PM|A\.M\.|P\.M\.|Am|Pm)"
_T12 = rf"(?:\d{{1,2}}(?:[:.][0-5]\d)?\s?{_AMPM}(?![\w]))"
_T24 = r"(?:(?:[01]\d|2[0-3])[:.][0-5]\d(?:\s?(?:hrs|hours|h)\b)?|(?:[01]\d|2[0-3])[0-5]\d\s?(?:hrs|hours)\b)"
_TIME = rf"(?:{_T12}|{_T24})"
_DASH = r"\s*[-–—]\s*"
_DAYS_FULL = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY_ABBR = {
    "mon": "Monday",
    "tue": "Tuesday",
    "tues": "Tuesday",
    "wed": "Wednesday",
    "weds": "Wednesday",
    "thu": "Thursday",
    "thur": "Thursday",
    "thurs": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
_DAY = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"(?:Mon|Tues?|Weds?|Thu(?:rs?)?|Fri|Sat|Sun)\.?)"
)
_DAY_NO_DOT = _DAY.replace(r"\.?", "")
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTH_ABBR = {m[:3].lower(): m for m in _MONTHS} | {"sept": "September"}
_MON = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_FULL_MONTH = "(?:" + "|".join(_MONTHS) + ")"
_ORD = r"(?:st|nd|rd|th)"
_UNITS_AFTER = re.compile(
    r"\s?(?:%|per\s?cent|mg|mcg|g|kg|ml|l|mmol|cm|mm|m|km|miles?|p|pence|pounds?|units?|kcal)\b",
    re.I,
)
_NUMBERS_NEARBY = re.compile(
    r"[£$€%]|\b(?:bmi|score|kg|mmol|mg|ml|per\s?cent|pounds?|pence|units?|cm|mm|litres?)\b", re.I
)
_TIME_WORD_BEFORE = re.compile(
    r"(?:\b(?:at|from|until|till|til|by|before|after|between|and|to|or|opens?|closes?|"
    r"open|closed|starts?|ends?|midday|noon|am|pm)\s*|[-–—]\s*)$",
    re.I,
)


@dataclass(frozen=True, slots=True)
class StyleHit:
    start: int
    end: int
    suggestion: str
    reason: str


def _code_like(text: str, start: int, end: int) -> bool:
    """The match sits in a URL, email address, file name or code-like token."""
    left = text.rfind(" ", 0, start) + 1
    right = text.find(" ", end)
    token = text[left : right if right >= 0 else len(text)]
    if re.search(r"://|www\.|@|[=\\{}_]|/\S", token):
        return True
    before = text[max(0, left - 12) : left].lower()
    return bool(re.search(r"\b(?:version|release|build|ver|v)\.?\s*$", before))


def _parse_time(token: str) -> tuple[int, int, str | None, str] | None:
    """(hour, minute, 'am'/'pm'/None, separator) for a time token."""
    m = re.fullmatch(
        r"(\d{1,2})(?:([:.])?([0-5]\d))?\s?(?:(a|p)\.?m\.?|(hrs|hours|h))?", token.strip(), re.I
    )
    if not m:
        return None
    hour = int(m.group(1))
    minute = int(m.group(3) or 0)
    ampm = (m.group(4).lower() + "m") if m.group(4) else None
    if ampm and not 1 <= hour <= 12:
        return None
    if not ampm and hour > 23:
        return None
    return hour, minute, ampm, m.group(2) or ":"


def nhs_time(token: str) -> str | None:
    """A time in NHS style: '5pm', '9:30am' (separator kept), 'midday', 'midnight'."""
    parsed = _parse_time(token)
    if parsed is None:
        return None
    hour, minute, ampm, sep = parsed
    if ampm is None:  # 24-hour clock
        ampm = "am" if hour < 12 else "pm"
        hour = hour % 12 or 12
        if hour == 12 and minute == 0:
            return "midnight" if ampm == "am" else "midday"
    if hour == 12 and minute == 0:
        return "midday" if ampm == "pm" else "midnight"
    return f"{hour}{sep}{minute:02d}{ampm}" if minute else f"{hour}{ampm}"


def _time_reason(token: str, suggestion: str) -> str:
    if suggestion in ("midday", "midnight"):
        return f"Use {quote(suggestion)}: ‘12am’ and ‘12pm’ are often misread."
    if not re.search(r"[ap]\.?m", token, re.I):
        return "NHS style uses the 12-hour clock with am or pm."
    if re.search(r"[:.]00", token):
        return "NHS style leaves out ‘:00’ in times."
    return "NHS style writes am and pm in lower case, with no space or full stops."


def _day_name(token: str) -> str:
    word = token.rstrip(".")
    return word if word in _DAYS_FULL else _DAY_ABBR.get(word.lower(), word)


def _date_text(day: str, month: str, year: str | None) -> str:
    name = _MONTH_ABBR.get(month.rstrip(".").lower()[:4], None) or _MONTH_ABBR.get(
        month.rstrip(".").lower()[:3], month.rstrip(".")
    )
    return " ".join(x for x in (str(int(day)), name, year) if x)


_RANGE_TIME_RE = re.compile(rf"(?<![\w.:£$€/])({_TIME}){_DASH}({_TIME})(?![\w:/])")
_RANGE_DAY_RE = re.compile(rf"\b({_DAY})(?:{_DASH}|\s+to\s+)({_DAY_NO_DOT})(?![\w])")
_DAY_ABBR_RE = re.compile(r"\b(Mon|Tues?|Weds?|Thu(?:rs?)?|Fri|Sat|Sun)\.?(?=[\s,:]+\d)")
_NOON_RE = re.compile(r"\b12(?:[:.]00)?\s?(?:noon|midday)\b", re.I)
_T12_RE = re.compile(rf"(?<![\w.:£$€/])({_T12})")
_T24_RE = re.compile(rf"(?<![\w.:£$€/,])({_T24})(?![\w:]|[.,]\d)")
_LABEL_RE = re.compile(
    r"(?<![\w/:.@-])(?:(Telephone|TELEPHONE|telephone|Tel|TEL|tel)\s*:|(Tel|TEL)\.|"
    r"(Tel)(?=\s+[+(0]\d)|(Mob|MOB|mob)\s*[:.])(?=\s*[+(\d]|\s)"
)
_DATE_DMY_RE = re.compile(rf"\b(\d{{1,2}})({_ORD})?\s+({_MON}|{_FULL_MONTH})(?:,?\s+(\d{{4}}))?\b")
_DATE_MDY_RE = re.compile(rf"\b({_MON}|{_FULL_MONTH})\s+(\d{{1,2}})({_ORD})?(?:,?\s+(\d{{4}}))?\b")
_DATE_MY_RE = re.compile(rf"\b({_MON})\s+(\d{{4}})\b")


# Cheap tests that decide which of the regexes can match at all: every time, date and
# "12 noon" has a digit; day ranges and abbreviations start with a day's first letters; labels
# contain tel or mob in one of the cases _LABEL_RE accepts.
_DIGIT_RE = re.compile(r"\d")
_DAY_HINT_RE = re.compile(r"Mon|Tue|Wed|Thu|Fri|Sat|Sun")
_LABEL_HINT_RE = re.compile(r"Tel|TEL|tel|Mob|MOB|mob")
# 12-hour times need am or pm as _AMPM writes them; "12 noon" needs noon or midday; dates
# need a month (every full name starts with its abbreviation, May included)
_AMPM_HINT_RE = re.compile(r"[ap]\.?m|[AP]\.?M|[AP]m")
_NOON_HINT_RE = re.compile(r"noon|midday", re.I)
_TWO_DIGITS_RE = re.compile(r"\d\d")
_MONTH_HINT_RE = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")


def nhs_style_hits(text: str) -> list[StyleHit]:
    """Everything in one block of text that is not written in NHS style."""
    digits = _DIGIT_RE.search(text) is not None
    days = _DAY_HINT_RE.search(text) is not None
    labels = _LABEL_HINT_RE.search(text) is not None
    if not (digits or days or labels):
        return []
    hits: list[StyleHit] = []
    if digits:
        _time_and_date_hits(text, hits, days)
    elif days:
        _day_range_hits(text, hits)
    if labels:
        _label_hits(text, hits)
    if digits:
        _date_hits(text, hits)
    return _drop_overlaps(hits)


_RANGE_REASON = "Use ‘to’ in ranges: a dash can be missed or misread."


def _day_range_hits(text: str, hits: list[StyleHit]) -> None:
    range_reason = _RANGE_REASON
    for m in _RANGE_DAY_RE.finditer(text):
        a, b = _day_name(m.group(1)), _day_name(m.group(2))
        if a == b or not (a in _DAYS_FULL and b in _DAYS_FULL):
            continue
        written = m.group()
        if " to " in written and written == f"{a} to {b}":
            continue
        reason = range_reason if " to " not in written else "Write days in full."
        hits.append(StyleHit(m.start(), m.end(), f"{a} to {b}", reason))


def _time_and_date_hits(text: str, hits: list[StyleHit], days: bool) -> None:
    """Time ranges, day ranges and abbreviations, noon, 12- and 24-hour times (in the
    order the original single function found them)."""
    range_reason = _RANGE_REASON
    # a 24-hour time has two digits together; any time has those or am/pm
    two_digits = _TWO_DIGITS_RE.search(text) is not None
    ampm = _AMPM_HINT_RE.search(text) is not None
    for m in _RANGE_TIME_RE.finditer(text) if (two_digits or ampm) else ():
        a, b = nhs_time(m.group(1)), nhs_time(m.group(2))
        if a and b and not _code_like(text, m.start(), m.end()):
            hits.append(StyleHit(m.start(), m.end(), f"{a} to {b}", range_reason))
    if days:
        _day_range_hits(text, hits)
        for m in _DAY_ABBR_RE.finditer(text):
            hits.append(StyleHit(m.start(), m.end(), _day_name(m.group(1)), "Write days in full."))
    if _NOON_HINT_RE.search(text):
        for m in _NOON_RE.finditer(text):
            hits.append(StyleHit(m.start(), m.end(), "midday", "Write ‘midday’ on its own."))
    for m in _T12_RE.finditer(text) if ampm else ():
        token = m.group(1)
        suggestion = nhs_time(token)
        if suggestion and suggestion != token and not _code_like(text, m.start(), m.end()):
            hits.append(StyleHit(m.start(), m.end(), suggestion, _time_reason(token, suggestion)))
    for m in _T24_RE.finditer(text) if two_digits else ():
        token = m.group(1)
        if _UNITS_AFTER.match(text, m.end()) or _code_like(text, m.start(), m.end()):
            continue
        has_colon_or_hrs = ":" in token or re.search(r"h", token, re.I)
        before = text[max(0, m.start() - 12) : m.start()]
        if not has_colon_or_hrs:
            # "17.00" is only a time after a time word, on a round number of minutes, and
            # away from money, measurements and scores ("BMI from 18.50 to 24.90")
            window = text[max(0, m.start() - 40) : m.end() + 40]
            if (
                not _TIME_WORD_BEFORE.search(before)
                or int(token[-2:]) % 5
                or _NUMBERS_NEARBY.search(window)
            ):
                continue
        suggestion = nhs_time(re.sub(r"\s?(?:hrs|hours|h)$", "", token, flags=re.I))
        if suggestion:
            hits.append(StyleHit(m.start(), m.end(), suggestion, _time_reason(token, suggestion)))


def _label_hits(text: str, hits: list[StyleHit]) -> None:
    for m in _LABEL_RE.finditer(text):
        if (
            m.group(1) == "tel"
            and re.match(r"\s*:\s*[+\d]", text[m.end(1) :])
            and (not re.match(r"\s*:\s", text[m.end(1) :]))
        ):
            continue  # 'tel:+44...' written out is a link address, not a label
        mobile = m.group(4) is not None
        label = "Mobile:" if mobile else "Phone:"
        if m.group(3):
            label = "Phone"
        found = m.group()
        if found[:1].islower():
            label = label.lower()
        reason = "Write ‘Mobile’ in full." if mobile else "NHS style uses ‘phone’, not ‘tel’."
        hits.append(StyleHit(m.start(), m.end(), label, reason))


def _date_hits(text: str, hits: list[StyleHit]) -> None:
    if not _MONTH_HINT_RE.search(text):
        return
    date_reason = "Write dates like ‘6 August 2026’: month in full, no ‘th’ or ‘st’."
    for m in _DATE_DMY_RE.finditer(text):
        day, ordinal, month, year = m.groups()
        if not 1 <= int(day) <= 31 or (not ordinal and month in _MONTHS):
            continue
        if not _code_like(text, m.start(), m.end()):
            hits.append(StyleHit(m.start(), m.end(), _date_text(day, month, year), date_reason))
    for m in _DATE_MDY_RE.finditer(text):
        month, day, ordinal, year = m.groups()
        if not 1 <= int(day) <= 31 or (month == "May" and not ordinal and not year):
            continue
        if not _code_like(text, m.start(), m.end()):
            hits.append(StyleHit(m.start(), m.end(), _date_text(day, month, year), date_reason))
    for m in _DATE_MY_RE.finditer(text):
        hits.append(
            StyleHit(m.start(), m.end(), _date_text("1", m.group(1), m.group(2))[2:], date_reason)
        )


def _drop_overlaps(hits: list[StyleHit]) -> list[StyleHit]:
    """Keep the longest hit where hits overlap (a range wins over the times in it)."""
    kept: list[StyleHit] = []
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), h.start)):
        if all(hit.end <= k.start or hit.start >= k.end for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.start)


@functools.lru_cache(maxsize=8192)
def _block_style_hits(text: str) -> tuple[StyleHit, ...]:
    """nhs_style_hits of one block, remembered, as _block_plain_english."""
    return tuple(nhs_style_hits(text))


@page_check(reusable=True)
def check_nhs_style(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    if not page.is_html or page.status >= 400:
        return
    seen: dict[str, Finding] = {}
    for block in page_blocks(page):
        text = block.text
        for hit in _block_style_hits(text):
            found = text[hit.start : hit.end]
            if found == hit.suggestion:
                continue
            if found in seen:
                seen[found].details["count"] += 1
                continue
            seen[found] = NHS_STYLE.finding(
                page.url,
                f"Write {quote(found)} as {quote(hit.suggestion)}. {hit.reason}",
                text=found,
                context=sentence_at(text, hit.start, hit.end),
                suggestion=hit.suggestion,
                details={"count": 1},
            )
    yield from seen.values()
