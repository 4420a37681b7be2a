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
"""

from __future__ import annotations

import calendar
import re
from datetime import date

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name} | {
    name.lower(): number for number, name in enumerate(calendar.month_abbr) if name
}
_MONTHS["sept"] = 9
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun),?\s+"

_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ymd", re.compile(r"(?<![\d/.\-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d/.\-])")),
    ("dmy", re.compile(r"(?<![\d/.\-])(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?![\d/.\-])")),
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
_LABEL_RE = re.compile(
    rf"\b(?:(?P<next>{_NEXT_LABEL})|(?P<last>{_LAST_LABEL})|(?P<bare>{_BARE_LABEL}))\b"
    r"(?:\s+on)?\s*[:\-–]?\s*",
    re.I,
)


_REVIEW_HINT_RE = re.compile(r"review", re.I)


def find_review_dates(text: str) -> tuple[str | None, str | None, str]:
    """(last reviewed, next review due, the review lines as shown, one per line)."""
    last: str | None = None
    nxt: str | None = None
    shown: list[str] = []
    if _REVIEW_HINT_RE.search(text) is None:
        return last, nxt, ""  # every label has "review" in it
    for m in _LABEL_RE.finditer(text):
        if m.group("bare"):
            before = text[: m.start()].rstrip(" \t")
            if before and before[-1] not in "\n|•·.;:)":
                continue
        tail = text[m.end() : m.end() + 60]
        found = find_date(tail.split("\n", 1)[0], month_end=True)
        if found is None or found[1] > 3:
            continue
        value, _start, end = found
        is_next = bool(m.group("next")) or (
            bool(m.group("bare")) and m.group("bare").lower().startswith("review date")
        )
        if is_next and nxt is None:
            nxt = value.isoformat()
        elif not is_next and last is None:
            last = value.isoformat()
        else:
            continue
        shown.append(text[m.start() : m.end() + end].strip())
    return last, nxt, "\n".join(shown)


def uk_date(value: date) -> str:
    return f"{value.day} {value:%B} {value.year}"
