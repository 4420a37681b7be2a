"""NHS style for times, days, dates, number ranges, phone numbers and contact labels ("9am to
5pm", "Monday to Friday", "6 August 2026" for "12/25/2020" or "October 3, 2017", "10 to 14
days", "24 hours", "0300 369 0680", "Phone:").

Reads the main content only and reports each problem with the exact text, the sentence
around it and the text to use instead.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from content_audit.checks.engine.registry import CheckContext, define, page_check
from content_audit.checks.engine.text import page_blocks, quote, sentence_at
from content_audit.core.contacts import find_phone_numbers, national_format, validate_phone
from content_audit.core.model import Finding, Page

NHS_STYLE = define(
    "nhs-style",
    "notice",
    "Times, days, dates, ranges, phone numbers or labels are not written the NHS way, which "
    "makes them harder to scan and less consistent across the site.",
    "Write it as suggested: for example '9am to 5pm', 'midday', 'Monday to Friday', "
    "'6 August 2026', '10 to 14 days', '24 hours', '0300 369 0680', 'Phone:'.",
    "style",
    name="NHS style",
)


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
        _numeric_date_hits(text, hits)
        _number_range_hits(text, hits)
        _hours_hits(text, hits)
        _phone_grouping_hits(text, hits)
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
        if mobile:
            reason = "Write ‘Mobile’ in full."
        elif found.lower().startswith("telephone"):
            reason = "NHS style uses the shorter ‘phone’."
        else:
            reason = "NHS style uses ‘phone’, not ‘tel’."
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
            reason = date_reason if ordinal else _US_DATE_REASON
            hits.append(StyleHit(m.start(), m.end(), _date_text(day, month, year), reason))
    for m in _DATE_MY_RE.finditer(text):
        hits.append(
            StyleHit(m.start(), m.end(), _date_text("1", m.group(1), m.group(2))[2:], date_reason)
        )


# --- numeric dates, number ranges, "24hr", phone grouping ----------------------------------

_NUMERIC_DATE_RE = re.compile(
    r"(?<![\w/.\-:])(?:(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})|((?:19|20)\d\d)-(\d\d)-(\d\d))"
    r"(?![\w/\-:]|[.,]\d)"
)
_NUMERIC_DATE_HINT_RE = re.compile(r"\d[/.\-]\d")
_LABEL_LINE_RE = re.compile(r"\s*[A-Za-z][A-Za-z ]{0,40}:\s*")
_NUMERIC_DATE_REASON = "Write dates like ‘6 August 2026’: numbers alone are read differently."
_US_DATE_REASON = (
    "This date is in US order (month first). Write it like ‘6 August 2026’, day first."
)


def _numeric_date_hits(text: str, hits: list[StyleHit]) -> None:
    """12/25/2020 (US order), 11/11/2020 and 14.06.2020 (read day first), 2019-04-02. A
    day-first date alone after a label ("Last reviewed: 12/03/2025") is a record rather
    than running text and is left to the review-date checks; a US-order one never is."""
    if _NUMERIC_DATE_HINT_RE.search(text) is None:
        return
    for m in _NUMERIC_DATE_RE.finditer(text):
        if m.group(5):
            year, month, day = m.group(5), int(m.group(6)), int(m.group(7))
            us = False
        else:
            first, second, year = int(m.group(1)), int(m.group(3)), m.group(4)
            if m.group(2) == "." and len(year) == 2:
                continue  # "1.5.10": a version or a list number
            us = first <= 12 < second
            day, month = (second, first) if us else (first, second)
            if len(year) == 2:
                year = ("20" if int(year) <= 50 else "19") + year
        if not (1 <= month <= 12 and 1 <= day <= _days_in(month)):
            continue
        if not us and _LABEL_LINE_RE.fullmatch(text[: m.start()]) and not text[m.end() :].strip():
            continue  # "Last reviewed: 12/03/2025" alone on its line: a record, read day first
        masked = text[: m.start()] + "0" * (m.end() - m.start()) + text[m.end() :]
        if _code_like(masked, m.start(), m.end()):  # the date's own "/" is not code
            continue
        suggestion = f"{day} {_MONTHS[month - 1]} {year}"
        hits.append(
            StyleHit(
                m.start(), m.end(), suggestion, _US_DATE_REASON if us else _NUMERIC_DATE_REASON
            )
        )


def _days_in(month: int) -> int:
    return 29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31


# "10-14 days", "aged 16-25", "2–3 times a day": a range of numbers counting something
_NUMBER_RANGE_RE = re.compile(
    r"(?<![\w.,/\-–:£$€#])(\d{1,3}(?:\.\d+)?)\s?[-–]\s?(\d{1,3}(?:\.\d+)?)(?![\w.,/\-–:]\w|\d)"
)
_RANGE_UNITS = re.compile(
    r"\s?(?:%|per\s?cent\b|(?:days?|weeks?|months?|years?|hours?|hrs?|minutes?|mins?|"
    r"seconds?|secs?|times?|tablets?|capsules?|doses?|puffs?|drops?|sachets?|spoonfuls?|"
    r"teaspoons?|tablespoons?|people|patients|adults|children|babies|women|men|cm|mm|m|"
    r"metres?|km|miles?|kg|g|grams?|mg|mcg|ml|litres?|pints?|units?|glasses|cups|"
    r"portions|servings|pieces|slices|steps|breaths|repetitions|reps|sets|sessions|"
    r"appointments|visits|nights|cigarettes|drinks|stone|pounds|lbs|kcal|calories|"
    r"working\s+days|year\s+olds?|years?\s+old)\b)",
    re.I,
)
_RANGE_LEAD = re.compile(r"\b(?:aged|ages|age|between)\s+$", re.I)
_NOT_A_RANGE_BEFORE = re.compile(
    r"\b(?:pages?|pp|p|parts?|sections?|chapters?|paragraphs?|paras?|tables?|figures?|figs?|"
    r"verses?|clauses?|items?|questions?|steps?|stages?|grades?|levels?|bands?|types?|"
    r"years?\s+groups?|rooms?|wards?|beds?|bays?|gates?|platforms?|routes?|bus(?:es)?|"
    r"numbers?|nos?|scores?|scored|won|lost|drew|beat|draw|result|covid|sars)\.?\s*$",
    re.I,
)
_RANGE_REASON_NUMBERS = "Use ‘to’ in number ranges: a dash can be misread as a minus sign."


def _number_range_hits(text: str, hits: list[StyleHit]) -> None:
    """ "10-14 days" -> "10 to 14 days": a dash between two counts of something. Left alone:
    scores ("3-1"), phone numbers, dates, postcodes, ISBNs, "COVID-19", "24-hour", page
    and part references, and ranges in URLs and codes."""
    if "-" not in text and "–" not in text:
        return
    for m in _NUMBER_RANGE_RE.finditer(text):
        low, high = m.group(1), m.group(2)
        before = text[max(0, m.start() - 20) : m.start()]
        lead = _RANGE_LEAD.search(before)
        if not (_RANGE_UNITS.match(text, m.end()) or lead):
            continue
        if _NOT_A_RANGE_BEFORE.search(before) or float(low) >= float(high):
            continue
        if _code_like(text, m.start(), m.end()):
            continue
        joiner = "and" if lead and lead.group().lower().startswith("between") else "to"
        hits.append(StyleHit(m.start(), m.end(), f"{low} {joiner} {high}", _RANGE_REASON_NUMBERS))


_HOURS_RE = re.compile(r"(?<![\w.,:£$€])(\d{1,2}(?:\.\d)?)\s?-?\s?(hrs?)\b\.?", re.I)
_NOT_A_NOUN_AFTER = re.compile(
    r"\s+(?:a|an|and|or|to|per|of|on|in|at|for|from|every|each|after|before|later|ago|"
    r"then|if|but|so|when|until|with|without|is|are|was|were|the)\b",
    re.I,
)


def _hours_hits(text: str, hits: list[StyleHit]) -> None:
    """ "24hr", "48 hrs" -> "24 hours"; "a 24hr service" -> "a 24-hour service"."""
    if "hr" not in text.lower():
        return
    for m in _HOURS_RE.finditer(text):
        number, unit, end = m.group(1), m.group(2), m.end()
        written, follows = text[m.start() : end], text[end:]
        if (
            unit.lower() == "hr"
            and re.match(r"\s+[a-z]", follows)
            and not (_NOT_A_NOUN_AFTER.match(follows))
        ):
            suggestion = f"{number}-hour"
        else:
            suggestion = f"{number} hour" + ("" if number == "1" else "s")
        if written.endswith(".") and not follows[:1].isalnum():
            written, end = written[:-1], end - 1  # the full stop ends the sentence
        hits.append(StyleHit(m.start(), end, suggestion, "Write ‘hours’ in full."))


# a UK number in national form: "0", another digit, then digits with spaces, "-" or ")"
_PHONE_HINT_RE = re.compile(r"\(?0\d(?:[\d\s)\-]){7}")


def _phone_grouping_hits(text: str, hits: list[StyleHit]) -> None:
    """ "0300 3690 680" -> "0300 369 0680": a valid UK number spaced against the NHS pattern
    (phonenumbers' national grouping, or NHS spacing with a 6-digit end split 3 and 3)."""
    if _PHONE_HINT_RE.search(text) is None:
        return
    for start, end, shown in _uk_numbers(text):
        hits.append(StyleHit(start, end, shown, "Group phone numbers the NHS way."))


@functools.lru_cache(maxsize=4096)
def _grouping(shown: str) -> str | None:
    """The NHS grouping of a number written as `shown`, or None when it is fine as it is
    (or not a valid UK number in national form)."""
    if not re.fullmatch(r"\(?0\d[\d\s()\-]{7,16}", shown.strip()):
        return None
    verdict = validate_phone(shown)
    if not verdict.valid or not verdict.e164 or not verdict.e164.startswith("+44"):
        return None
    national = national_format(verdict.e164)
    nhs = verdict.suggestion or national
    if shown in (national, nhs) or _breaks(nhs) <= _breaks(shown) or _in_pairs(shown):
        return None  # "0800 707 60 60", "0800 58 58 58": memorable, grouped on purpose
    return nhs


def _in_pairs(number: str) -> bool:
    """Written in pairs after the first group ("0800 58 58 58"), as memorable numbers are."""
    groups = re.findall(r"\d+", number)
    return len(groups) >= 3 and all(len(group) == 2 for group in groups[1:])


def _breaks(number: str) -> set[int]:
    """The digit positions where a group ends: {4, 7} for "0113 843 1909"."""
    groups = re.findall(r"\d+", number)
    ends, total = set(), 0
    for group in groups[:-1]:
        total += len(group)
        ends.add(total)
    return ends


def _uk_numbers(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, NHS grouping) of each valid UK number grouped the wrong way."""
    for start, end, shown in find_phone_numbers(text):
        if text[start:end] != shown:
            continue  # an alternative ending ("1111/1600"): its text is not a whole number
        if text[end : end + 1].isalnum() or _code_like(text, start, end):
            continue  # part of a longer token: a reference, a hash, a file name
        better = _grouping(shown)
        if better is not None:
            yield start, end, better


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


@page_check(rules=(NHS_STYLE,), reusable=True)
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
