"""Dates as written on UK web pages, and the review lines of health advice.

* ``parse_uk_date(text, month_end=False) -> date | None``: the first date in `text`, in UK
  forms: "24 November 2026", "24th November 2026", "Tuesday 24 Nov 2026", "24/11/2026",
  "24.11.2026", "24-11-26", "2026-11-24", "November 24, 2026", and "November 2026" (the
  1st of the month, or its last day with ``month_end=True``). Day-first: "11/12/2026" is
  11 December.
* ``find_review_dates(text) -> (last_reviewed_iso, next_review_iso, matched_text)`` reads
  labels such as "Page last reviewed:", "Last reviewed:", "Reviewed:", "Date of last review",
  "Next review due:", "Next review:", "Review date:", "Date of next review", "To be reviewed
  by". A month without a day ("Next review due: November 2026") counts as the *last* day of
  that month, for both dates, so a page is never called overdue before its month is over.
  Bare "Reviewed" and "Review date" only count at the start of a line or after a label
  separator, so "your case will be reviewed on 3 May 2026" is not a review date.
  "Last updated", "Date updated", "Last modified (on)", "Updated", "Published" and the like
  give the last review as well, at a line start or after a separator only.
* ``us_order_dates(text)``: dates written month first ("October 3, 2017", "12/25/2020"),
  with the British form for a suggestion; for the nhs-style rule.
* ``find_dates(text)``: every date in a text, for notices that give a date range.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name} | {
    name.lower(): number for number, name in enumerate(calendar.month_abbr) if name
}
_MONTHS["sept"] = 9
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun),?\s+"

_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ymd", re.compile(r"(?<![\d/.\-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d/\-]|\.\d)")),
    (
        "dmy",
        re.compile(r"(?<![\d/.\-])(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?![\d/\-]|\.\d)"),
    ),
    (
        "d_month_y",
        re.compile(
            rf"\b(?:{_WEEKDAY})?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH}),?\s+(\d{{4}})\b",
            re.I,
        ),
    ),
    (
        "month_d_y",
        re.compile(rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I),
    ),
    ("month_y", re.compile(rf"\b({_MONTH}),?\s+(\d{{4}})\b", re.I)),
)


def _month_number(name: str) -> int:
    return _MONTHS[name.lower().rstrip(".")]


def _make(kind: str, groups: tuple[str, ...], month_end: bool) -> date | None:
    try:
        if kind == "ymd":
            return date(int(groups[0]), int(groups[1]), int(groups[2]))
        if kind == "dmy":
            year = int(groups[2])
            year = year + 2000 if len(groups[2]) == 2 else year
            return date(year, int(groups[1]), int(groups[0]))
        if kind == "d_month_y":
            return date(int(groups[2]), _month_number(groups[1]), int(groups[0]))
        if kind == "month_d_y":
            return date(int(groups[2]), _month_number(groups[0]), int(groups[1]))
        year, month = int(groups[1]), _month_number(groups[0])
        day = calendar.monthrange(year, month)[1] if month_end else 1
        return date(year, month, day)
    except (ValueError, KeyError):
        return None


def find_date(text: str, month_end: bool = False) -> tuple[date, int, int] | None:
    """The first date in `text` with its (start, end)."""
    best: tuple[date, int, int] | None = None
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if best is not None and m.start() > best[1]:
                break
            value = _make(kind, m.groups(), month_end)
            if value is None or not 1900 <= value.year <= 2200:
                continue
            if best is None or (m.start(), -m.end()) < (best[1], -best[2]):
                best = (value, m.start(), m.end())
            break
    return best


def parse_uk_date(text: str, month_end: bool = False) -> date | None:
    """The first date written in `text`, read the UK way (day before month)."""
    found = find_date(text, month_end)
    return found[0] if found else None


_NEXT_LABEL = (
    r"date\s+of\s+next\s+review|next\s+review\s+(?:due|date)(?:\s+(?:on|by|in))?|"
    r"next\s+review|review\s+due(?:\s+date)?|due\s+for\s+review(?:\s+(?:on|by|in))?|"
    r"to\s+be\s+reviewed(?:\s+(?:by|on|in|before))?"
)
_LAST_LABEL = (
    r"page\s+last\s+reviewed|last\s+reviewed|date\s+of\s+last\s+review|last\s+review\s+date|"
    r"last\s+review|content\s+last\s+reviewed"
)
_BARE_LABEL = r"date\s+reviewed|reviewed|review\s+date"  # need a line start
# When the page was last changed or first put out: these count as its last review (the
# latest of them wins), but only as a label, at a line start or after a separator, so
# "the NICE guideline was last updated in May 2019" is not the page's date.
_PAGE_NOUN = r"(?:page|content|article|information|leaflet|document|guide|post)"
_CHANGE_LABEL = (
    rf"(?:(?:this\s+)?{_PAGE_NOUN}\s+(?:was\s+)?)?"
    r"(?:(?:date\s+)?(?:last\s+)?(?:updated|modified|edited|amended)|"
    r"date\s+(?:last\s+)?(?:updated|modified|edited|amended)|last\s+update)"
)
_PUBLISHED_LABEL = (
    rf"(?:(?:this\s+)?{_PAGE_NOUN}\s+(?:was\s+)?)?(?:(?:date\s+)?(?:first\s+)?published|"
    r"date\s+(?:first\s+)?published|publication\s+date)"
)
_LABEL_RE = re.compile(
    rf"\b(?:(?P<next>{_NEXT_LABEL})|(?P<last>{_LAST_LABEL})|(?P<bare>{_BARE_LABEL})|"
    rf"(?P<changed>{_CHANGE_LABEL})|(?P<published>{_PUBLISHED_LABEL}))\b"
    r"(?:\s+on)?\s*[:\-–]?\s*",
    re.I,
)

# Every date label has one of these in it: text without them needs no closer look.
DATE_LABEL_HINTS = ("review", "updat", "modif", "edited", "amended", "publish", "publication")
DATE_LABEL_HINT_RE = re.compile("|".join(DATE_LABEL_HINTS), re.I)
_LINE_START = "\n|•·.;:)"


def _label_date(text: str, m: re.Match[str]) -> tuple[date, int] | None:
    """The date a label gives (starting right after it, on its line) and where it ends."""
    if m.group("bare") or m.group("changed") or m.group("published"):
        before = text[: m.start()].rstrip(" \t")
        if before and before[-1] not in _LINE_START:
            return None
    line = text[m.end() : m.end() + 60].split("\n", 1)[0]
    found = find_date(line, month_end=True)
    if found is None or found[1] > 3:
        us = [d for d in us_order_dates(line) if d.start <= 3]
        if not us:
            return None
        return us[0].value, us[0].end
    return found[0], found[2]


_BEFORE_HINT = 40  # a label starts at most this far before its hint word ("date of next ")
_AFTER_HINT = 80  # and ends, with its separator, well within this far after it


def label_matches(text: str) -> Iterator[re.Match[str]]:
    """What ``_LABEL_RE.finditer(text)`` finds, searched for only around the hint words
    that every label contains: the label pattern tried at every word of a long text costs
    several times more."""
    pos = 0
    for hint_start, hint_end in _hints(text):
        if hint_start < pos:
            continue  # inside (or before the end of) a label already found
        start = max(pos, hint_start - _BEFORE_HINT)
        m = _LABEL_RE.search(text, start, min(len(text), hint_end + _AFTER_HINT))
        # a match past this hint is left to its own hint, whose window it fits in whole
        if m is not None and m.start() < hint_end:
            yield m
            pos = m.end()


_FOLD_RISK_RE = re.compile("[\u0130\u0131\u017f\u212a]")  # İ ı ſ K: IGNORECASE's extras


def _hints(text: str) -> list[tuple[int, int]]:
    """Where the hint words are, in order: found with str.find in the lower-cased text
    (quick) unless the text has one of the few letters IGNORECASE folds differently."""
    if _FOLD_RISK_RE.search(text) is not None or len(text.lower()) != len(text):
        return [m.span() for m in DATE_LABEL_HINT_RE.finditer(text)]
    lower = text.lower()
    found: list[tuple[int, int]] = []
    for hint in DATE_LABEL_HINTS:
        at = lower.find(hint)
        while at >= 0:
            found.append((at, at + len(hint)))
            at = lower.find(hint, at + 1)
    found.sort()
    return found


def find_review_dates(text: str) -> tuple[str | None, str | None, str]:
    """(last reviewed, next review due, the date lines as shown, one per line).

    The next review is the first one given. The last review is the latest "reviewed",
    "updated" or "modified" date; a "published" date counts only when nothing else does,
    and only when the page gives one (a list of publications gives many)."""
    if DATE_LABEL_HINT_RE.search(text) is None:
        return None, None, ""
    # (date, the line as shown, where it is)
    nxt: tuple[date, str, int] | None = None
    last: tuple[date, str, int] | None = None
    published: dict[date, tuple[date, str, int]] = {}
    for m in label_matches(text):
        found = _label_date(text, m)
        if found is None:
            continue
        value, end = found
        shown = " ".join(text[m.start() : m.end() + end].split())  # one line, as shown
        bare = m.group("bare")
        if m.group("next") or (bare and bare.lower().startswith("review date")):
            nxt = nxt or (value, shown, m.start())
        elif m.group("published"):
            published.setdefault(value, (value, shown, m.start()))
        elif last is None or value > last[0]:
            last = (value, shown, m.start())
    if last is None and len(published) == 1:
        last = next(iter(published.values()))
    given = sorted((f for f in (last, nxt) if f is not None), key=lambda f: f[2])
    lines = [line for _value, line, _at in given]  # as they are on the page
    return (
        last[0].isoformat() if last else None,
        nxt[0].isoformat() if nxt else None,
        "\n".join(lines),
    )


@dataclass(frozen=True, slots=True)
class UsDate:
    """A date written month first, the American way, which UK readers can misread."""

    start: int
    end: int
    text: str
    value: date

    @property
    def suggestion(self) -> str:
        """The same date the NHS way: "3 October 2017"."""
        return uk_date(self.value)


_US_MONTH = r"(?:" + "|".join(sorted((m for m in _MONTHS), key=len, reverse=True)) + r")\.?"
_US_WORD_RE = re.compile(
    rf"(?<![\w/])(?:{_WEEKDAY})?(?P<month>{_US_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    r",?\s+(?P<year>\d{4})\b",
    re.I,
)
_US_NUMERIC_RE = re.compile(
    r"(?<![\d/.\-])(?P<month>\d{1,2})(?P<sep>[/.\-])(?P<day>\d{1,2})(?P=sep)"
    r"(?P<year>\d{4}|\d{2})(?![\d/\-]|\.\d)"
)


def us_order_dates(text: str) -> list[UsDate]:
    """Dates in `text` that are written month first: a month name before the day
    ("October 3, 2017", "Oct 3rd 2017") or numbers that can only be month first
    ("12/25/2020"; "11/12/2020" is read the British way, 11 December, and not listed).

    The month name must start with a capital, as American dates do ("you may 5" is not
    a date). Pure: the nhs-style rule decides what to say about them."""
    found: list[UsDate] = []
    for m in _US_WORD_RE.finditer(text):
        if not m.group("month")[0].isupper():
            continue
        try:
            value = date(int(m.group("year")), _month_number(m.group("month")), int(m.group("day")))
        except (ValueError, KeyError):
            continue
        start = m.start("month")
        found.append(UsDate(start, m.end(), text[start : m.end()], value))
    for m in _US_NUMERIC_RE.finditer(text):
        month, day, year = int(m.group("month")), int(m.group("day")), m.group("year")
        if month > 12 or day <= 12:
            continue  # not a date, or one the British reading (day first) fits
        try:
            value = date(int(year) + (2000 if len(year) == 2 else 0), month, day)
        except ValueError:
            continue
        found.append(UsDate(m.start(), m.end(), m.group(), value))
    return sorted(found, key=lambda d: d.start)


def find_dates(text: str, month_end: bool = False) -> list[tuple[date, int, int]]:
    """Every date in `text` read the UK way, left to right, none overlapping."""
    found: list[tuple[date, int, int]] = []
    start = 0
    while start < len(text):
        hit = find_date(text[start:], month_end)
        if hit is None:
            break
        value, s, e = hit
        found.append((value, start + s, start + e))
        start += max(e, 1)
    return found


def uk_date(value: date) -> str:
    return f"{value.day} {value:%B} {value.year}"
