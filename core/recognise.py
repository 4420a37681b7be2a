"""Recognisers for things written in page text: phone numbers, emails, postcodes, opening
hours and review dates.

They live in the core because both extraction (what is on the page) and checks (is it
right) need the same answer; the crawler must not import from the checks stage.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

# -- phone numbers ---------------------------------------------------------------------------
# Phone-shaped: starts 0 or +44 and has 9-12 digits in groups; letters O/o inside a group are
# caught too, so a mistyped "01632 96O 123" is found (and later reported as invalid).
_PHONE = re.compile(
    r"(?<![\w/.-])"
    r"(?:\+44\s?(?:\(0\)\s?)?|\(?0)"
    r"[\dOo]{1,4}\)?"
    r"(?:[\s-]?[\dOo]{2,4}){1,4}"
    r"(?![\w/-])"
)
_PHONE_LABEL = re.compile(
    r"\b(phone|telephone|tel|call|mobile|mob|fax|text|ring|contact|freephone|helpline)\b",
    re.IGNORECASE,
)


def _digits(text: str) -> str:
    return re.sub(r"[^\d]", "", text.replace("O", "0").replace("o", "0"))


def find_phone_numbers(text: str) -> list[tuple[int, int, str]]:
    """UK phone numbers as written, valid or not: (start, end, text as shown)."""
    found: list[tuple[int, int, str]] = []
    for match in _PHONE.finditer(text):
        shown = match.group(0).strip().rstrip(".,;:)")
        if shown.startswith("(") and ")" not in shown:
            shown = shown[1:]
        digits = _digits(shown)
        if not 9 <= len(digits) <= 13:
            continue
        has_letter = bool(re.search(r"[Oo]", shown))
        if has_letter and not _PHONE_LABEL.search(text[max(0, match.start() - 40) : match.start()]):
            continue  # a word with an O is only a phone when a label says so
        if has_letter and not re.search(r"\d{2}", shown):
            continue
        start = text.find(shown, match.start())
        found.append((start, start + len(shown), shown))
    return found


# -- email addresses -------------------------------------------------------------------------
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*(?![\w@-])")


def find_emails(text: str) -> list[tuple[int, int, str]]:
    """Email addresses as written, including malformed ones such as ``name@domain``."""
    found: list[tuple[int, int, str]] = []
    for match in _EMAIL.finditer(text):
        shown = match.group(0).rstrip(".")
        found.append((match.start(), match.start() + len(shown), shown))
    return found


# -- postcodes and opening hours -------------------------------------------------------------
_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b")
_DAY = r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)(?:day|sday|nesday|rsday|urday)?"
_TIME = r"(?:\d{1,2}(?:[:.]\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}[:.]\d{2}|midday|midnight|noon)"
_HOURS = re.compile(rf"\b{_DAY}\b.*?{_TIME}", re.IGNORECASE)


def find_postcodes(text: str) -> list[str]:
    return [f"{a} {b}" for a, b in _POSTCODE.findall(text)]


def find_opening_hours(text: str) -> list[str]:
    """Lines that give days and times, e.g. "Monday to Friday, 9am to 5pm"."""
    hours = []
    for line in text.splitlines():
        for sentence in re.split(r"(?<=[.!?])\s+", line):
            if _HOURS.search(sentence) and len(sentence) < 200:
                hours.append(sentence.strip())
    return hours


# -- dates -------------------------------------------------------------------------------------
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.IGNORECASE
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE
)
_NUMERIC = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_YEAR = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{4}})\b", re.IGNORECASE)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_uk_date(text: str, end_of_month: bool = False) -> date | None:
    """The first date in UK formats: "24 November 2026", "24/11/2026", "November 2026"...

    A month without a day means the 1st, or the last day when ``end_of_month`` (a review
    "due November 2026" is not overdue until November is over)."""
    m = _ISO.search(text)
    if m:
        return _safe_date(int(m[1]), int(m[2]), int(m[3]))
    m = _DAY_MONTH_YEAR.search(text)
    if m:
        return _safe_date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    m = _MONTH_DAY_YEAR.search(text)
    if m:
        return _safe_date(int(m[3]), _MONTHS[m[1].lower()], int(m[2]))
    m = _NUMERIC.search(text)
    if m:
        year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
        return _safe_date(year, int(m[2]), int(m[1]))  # UK order: day first
    m = _MONTH_YEAR.search(text)
    if m:
        year, month = int(m[2]), _MONTHS[m[1].lower()]
        day = calendar.monthrange(year, month)[1] if end_of_month else 1
        return _safe_date(year, month, day)
    return None


_LAST_REVIEWED = re.compile(
    r"(page\s+last\s+reviewed|last\s+reviewed|date\s+of\s+last\s+review|reviewed\s+on|"
    r"last\s+updated|page\s+reviewed|^reviewed)\s*:?\s*(?P<rest>.{0,40})",
    re.IGNORECASE | re.MULTILINE,
)
_NEXT_REVIEW = re.compile(
    r"(next\s+review\s+due|next\s+review\s+date|next\s+review|date\s+of\s+next\s+review|"
    r"review\s+due|review\s+date|to\s+be\s+reviewed(?:\s+by)?)\s*(?:on|by)?\s*:?\s*(?P<rest>.{0,40})",
    re.IGNORECASE,
)


def find_review_dates(text: str) -> tuple[str | None, str | None, str]:
    """("last reviewed" ISO date, "next review due" ISO date, the lines as shown)."""
    last = due = None
    shown: list[str] = []
    for line in text.splitlines():
        if len(line) > 300:
            continue
        m = _NEXT_REVIEW.search(line)
        if m and due is None:
            parsed = parse_uk_date(m["rest"], end_of_month=True)
            if parsed:
                due = parsed.isoformat()
                shown.append(line.strip())
        m = _LAST_REVIEWED.search(_NEXT_REVIEW.sub("", line))
        if m and last is None:
            parsed = parse_uk_date(m["rest"])
            if parsed:
                last = parsed.isoformat()
                shown.append(line.strip())
    return last, due, "\n".join(dict.fromkeys(shown))
