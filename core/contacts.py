"""Phone numbers and email addresses as written on a page: find them, validate them.

Both extraction (what is on the page) and checks (is it right) need the same answers, and the
crawler must not import from the checks stage, so these live in the core.

* ``validate_phone(text) -> PhoneVerdict`` for a number as shown or a ``tel:`` href
* ``format_uk(number) -> str``: NHS spacing, e.g. 0113 843 1909, 020 7450 4000,
  0800 890 567, 07771 900 900
* ``validate_email(address) -> EmailVerdict`` for an address as shown or a ``mailto:`` href
* ``find_phone_numbers(text)`` and ``find_emails(text)``: (start, end, text as shown) for
  every phone-like or email-like string, *including* broken ones, so they can be reported.
  "dial 999", "call 111" and "NHS 111" are numbers; "020 3316 1111/1600" is two (the
  second's text is the whole number, 020 3316 1600).
* ``describe_numbers(text)``: each number with its kind ("phone" or "fax") and the name
  the text itself gives it ("Physiotherapy: 0113 843 1909"; 999 and 111 by their names).
* ``find_postcodes(text)`` and ``find_opening_hours(text)`` for the contacts directory.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

import phonenumbers
from phonenumbers import PhoneNumberFormat, ValidationResult

REGION = "GB"

# --- phone numbers ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PhoneVerdict:
    valid: bool
    e164: str | None  # +441138431909; short numbers such as 111 as dialled; None if unknown
    reason: str  # "" when valid; otherwise plain words that follow "The number ... "
    suggestion: str | None  # the number in NHS format, or a likely correction


_TEXT_RELAY_RE = re.compile(r"^\s*1800[12]\s*(?:then\s+)?")
_EXTENSION_RE = re.compile(r"\s*(?:,|;)?\s*(?:ext\.?|extension|x)\s*:?\s*\d{1,6}\s*$", re.I)
_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1"})


def _parse(text: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        return None


def format_uk(number: str | phonenumbers.PhoneNumber) -> str:
    """A UK number with NHS spacing: 0113 843 1909, 020 7450 4000, 0800 890 567,
    07771 900 900. International numbers come back in international format; text that is
    not a number comes back unchanged."""
    parsed = _parse(number) if isinstance(number, str) else number
    if parsed is None:
        return str(number)
    if parsed.country_code != 44:
        return phonenumbers.format_number(parsed, PhoneNumberFormat.INTERNATIONAL)
    national = phonenumbers.format_number(parsed, PhoneNumberFormat.NATIONAL)
    national = re.sub(r"\s*ext\.\s*", " extension ", national)
    groups = national.split(" ")
    if len(groups) >= 2 and len(groups[-1]) == 6 and groups[-1].isdigit():
        groups[-1:] = [groups[-1][:3], groups[-1][3:]]
    return " ".join(groups)


def national_format(number: str) -> str:
    """phonenumbers' national grouping of a UK number ("01234 567890"): the Ofcom spacing,
    which NHS pages may use as well as format_uk's."""
    parsed = _parse(number)
    if parsed is None:
        return number
    return phonenumbers.format_number(parsed, PhoneNumberFormat.NATIONAL)


def _why_not_valid(parsed: phonenumbers.PhoneNumber, shown_digits: str) -> str:
    nsn = str(parsed.national_number)
    reason = phonenumbers.is_possible_number_with_reason(parsed)
    if len(nsn) < 10:
        for digit in "0123456789":
            fuller = _parse("0" + nsn + digit)
            if fuller is not None and phonenumbers.is_valid_number(fuller):
                area = format_uk(fuller).split(" ")[0]
                return (
                    f"has a digit missing: numbers starting {area} have "
                    f"{len(str(fuller.national_number)) + 1} digits"
                )
    if len(nsn) > 10:
        shorter = _parse("0" + nsn[:-1])
        if shorter is not None and phonenumbers.is_valid_number(shorter):
            return "has one digit too many"
    if re.fullmatch(r"7700900\d{3}", nsn):  # 07700 900000 to 900999 (Ofcom)
        return (
            "is a made-up number kept for TV and radio drama, so nobody answers it: "
            "probably an example left on the page"
        )
    if reason == ValidationResult.TOO_SHORT:
        return "is too short to be a UK phone number"
    if reason in (ValidationResult.TOO_LONG, ValidationResult.INVALID_LENGTH):
        return "has the wrong number of digits for a UK phone number"
    return "is not a real UK phone number: check the area code and the digits"


def validate_phone(text: str) -> PhoneVerdict:
    """Is this a valid UK phone number? `text` is the number as shown or a tel: href.

    UK numbers (+44 or national 0 forms, with spaces, hyphens, brackets, "(0)", an
    extension or the 18001 text relay prefix) and UK short numbers such as 111, 999 and
    116 123 are valid. Numbers from other countries are "not a UK number".

    The same numbers (a footer's, a service's) come back on page after page: verdicts are
    remembered per text (a verdict is immutable, so sharing it is safe).
    """
    return _validate_phone_cached(text)


@functools.lru_cache(maxsize=8192)
def _validate_phone_cached(text: str) -> PhoneVerdict:
    return _validate_phone(text)


def _validate_phone(text: str) -> PhoneVerdict:
    """validate_phone without the memo."""
    raw = text.strip()
    is_href = raw.lower().startswith("tel:")
    if is_href:
        raw = unquote(raw[4:]).split(";", 1)[0].split("?", 1)[0].strip()
    raw = _TEXT_RELAY_RE.sub("", raw)
    raw = _EXTENSION_RE.sub("", raw)
    if not raw:
        return PhoneVerdict(False, None, "is empty", None)
    letters = re.findall(r"[A-Za-z]", raw)
    if letters:
        fixed = raw.translate(_LOOKALIKES)
        if not re.search(r"[A-Za-z]", fixed):
            letter = "O" if set(letters) & {"O", "o"} else letters[0]
            what = "a zero" if letter == "O" else "a one"
            fixed_verdict = validate_phone(fixed)
            return PhoneVerdict(
                False,
                None,
                f"has the letter ‘{letter}’ where there should be {what}",
                fixed_verdict.suggestion if fixed_verdict.valid else None,
            )
        inside = find_phone_numbers(raw)
        if inside and inside[0][2] != raw:  # "Call 0113 843 1909 (option 2)"
            return validate_phone(inside[0][2])
        return PhoneVerdict(False, None, "has letters in it", None)
    if re.search(r"[^\d\s()+\-./]", raw):
        return PhoneVerdict(False, None, "has characters that phone numbers do not have", None)
    digits = re.sub(r"\D", "", raw)
    international = raw.startswith("+") or digits.startswith("00")
    if not international and len(digits) <= 6:
        parsed = _parse(digits)
        if parsed is not None and phonenumbers.is_valid_short_number_for_region(parsed, REGION):
            return PhoneVerdict(True, digits, "", " ".join(re.findall(r"\d+", raw)))
        return PhoneVerdict(False, None, "is too short to be a UK phone number", None)
    if not international and not digits.startswith("0") and len(digits) <= 8:
        return PhoneVerdict(False, None, "has no area code (such as 0113)", None)
    parsed = _parse(raw)
    if parsed is None:
        return PhoneVerdict(False, None, "is not a phone number", None)
    if parsed.country_code != 44:
        if phonenumbers.is_valid_number(parsed):
            return PhoneVerdict(
                False,
                phonenumbers.format_number(parsed, PhoneNumberFormat.E164),
                f"is not a UK number (it is a +{parsed.country_code} number)",
                None,
            )
        return PhoneVerdict(False, None, "is not a real phone number", None)
    e164 = phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
    if not phonenumbers.is_valid_number(parsed):
        return PhoneVerdict(False, None, _why_not_valid(parsed, digits), None)
    if not international and not digits.startswith("0"):
        return PhoneVerdict(False, e164, "is missing the 0 at the start", format_uk(parsed))
    return PhoneVerdict(True, e164, "", format_uk(parsed))


_PHONE_LABEL = (
    r"(?:phone|telephone|tel|call|ring|dial|mobile|mob|text|fax|helpline|switchboard|"
    r"contact\s+number|phone\s+number|telephone\s+number)"
)
LABELLED_RE = re.compile(
    rf"\b{_PHONE_LABEL}\b\.?\s*(?:us\s+)?(?:on\s+)?[:.]?\s*"
    r"(\+?[\dOo](?:[\dOo]|[ \-](?=\(?\d|[Oo]\d)|\(|\)){1,24})",
    re.I,
)
_UK_NUMBER = (
    r"(\+44\s?(?:\(0\)\s?)?[\dOo]|\(0[\dOo]|0[\dOo])"
    r"(?:[\dOo]|[ \-](?=\(?\d|[Oo]\d)|\(|\)){5,24}"
)
_UK_START_RE = re.compile(r"(?<![\w+£$€/.,:\-])" + _UK_NUMBER)
_UK_NUMBER_AT = re.compile(_UK_NUMBER)  # the same, where a "/" may come before
_NOT_A_PHONE_BEFORE = re.compile(
    r"\b(?:nhs|chi|hospital|patient|reference|ref|case|invoice|order|account|policy|company|"
    r"registration|registered|charity|crn|vat|ods|gmc|nmc|hcpc|pin|lot|batch|serial|model|"
    r"product|item|code|isbn|issn|doi|barcode|licence|license|permit)\s*(?:number|no|num)?"
    r"\.?\s*[:#]?\s*$",
    re.I,
)
_TIME_RANGE_RE = re.compile(r"^[0-2]\d[0-5]\d\s*-\s*[0-2]\d[0-5]\d$")
_ROUND_TIMES_RE = re.compile(r"^[0-2]\d(?:00|15|30|45)[ \-][0-2]\d(?:00|15|30|45)$")  # 0800 1700
_DATE_SHAPE_RE = re.compile(r"^\d{1,2}-\d{1,2}-\d{2,4}$")


def _digit_count(text: str) -> int:
    """Digits (and look-alike letters), not counting a "(0)" after +44."""
    return len(re.findall(r"[\dOo]", text.replace("(0)", "")))


def _trim_groups(candidate: str, max_digits: int) -> str:
    """Keep whole groups while the number stays within `max_digits` digits."""
    out = ""
    for part in re.split(r"(?<=[\dOo)])(?=[ \-])", candidate):
        if out and _digit_count(out + part) > max_digits:
            break
        out += part
    return out.rstrip(" -(")


# Relay UK's prefixes ("18001 0113 843 1909"): dialled before a number by people who use
# text relay; the number is the one after the prefix
RELAY_PREFIX_RE = re.compile(r"\b1800[12] (?=\(?(?:0|\+44))")


def find_phone_numbers(text: str) -> list[tuple[int, int, str]]:
    """Every UK-phone-like string in `text`, valid or not: (start, end, text as shown).

    Found: numbers starting 0, +44 or (0...; numbers after a label such as "Phone:",
    "Tel", "Call", "Text" (including short numbers such as 111); and international numbers
    (+33 ...). Not found: dates, times, postcodes, years, prices, decimals, and numbers
    after "NHS number", "reference", "company number" and the like. A text relay prefix
    (18001, 18002) is not part of the number after it.
    """
    if "1800" in text:  # blank the prefix out, keeping every offset
        text = RELAY_PREFIX_RE.sub(lambda m: " " * len(m.group(0)), text)
    spans: list[tuple[int, int]] = []

    def add(start: int, candidate: str, labelled: bool) -> None:
        max_digits = 14 if candidate.startswith("00") else 12 if candidate.startswith("+") else 11
        if not labelled and _digit_count(candidate.split(" ")[0]) > max_digits:
            return  # one long run of digits: a reference number
        trimmed = _trim_groups(candidate, max_digits)
        if candidate[:1] == "0" and _digit_count(trimmed) < 10:
            # "0113 843 19099": the last group holds a digit too many; keep it whole, so
            # the number is reported as invalid rather than cut to "0113 843" and dropped
            longer = _trim_groups(candidate, max_digits + 1)
            if _digit_count(longer) == max_digits + 1:
                trimmed = longer
        candidate = trimmed
        candidate = (
            candidate.rstrip(")") if candidate.count(")") > candidate.count("(") else candidate
        )
        digits = _digit_count(candidate)
        if _TIME_RANGE_RE.match(candidate):
            return
        after = text[start + len(candidate) : start + len(candidate) + 1]
        if not labelled and after.isalpha() and not re.search(r"[\s\-()]", candidate):
            return  # "03457873474dfc90": the start of a code or hash, not a number
        if _NOT_A_PHONE_BEFORE.search(text[max(0, start - 30) : start]):
            return
        if labelled and digits < 7:
            if not validate_phone(candidate).valid:
                return  # "call 2 weeks", short codes that do not exist
        elif digits < 8 or (digits == 8 and not re.match(r"\(?0[58]", candidate)):
            return  # only freephone-style numbers (0800 1111) have 8 digits
        if _ROUND_TIMES_RE.match(candidate) or _DATE_SHAPE_RE.match(candidate):
            return
        if not re.search(r"\d", candidate):
            return
        spans.append((start, start + len(candidate)))

    for m in _UK_START_RE.finditer(text):
        add(m.start(), m.group(), labelled=False)
    for m in LABELLED_RE.finditer(text):
        add(m.start(1), m.group(1), labelled=True)
    # Only international numbers are taken from phonenumbers' matcher, and their text starts
    # with "+" or "00": without either in the text the (slow) matcher has nothing to give.
    if "+" in text or "00" in text:
        for found in phonenumbers.PhoneNumberMatcher(
            text, REGION, leniency=phonenumbers.Leniency.POSSIBLE
        ):
            raw = found.raw_string
            if raw.startswith(("+", "00")) and not raw.startswith("+44"):
                spans.append((found.start, found.end))

    if "111" in text:
        for m in _NHS_111_RE.finditer(text):
            spans.append((m.start(1), m.end(1)))
    result: list[tuple[int, int, str]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if result and start < result[-1][1]:
            continue
        result.append((start, end, text[start:end]))
    return _with_alternatives(text, result)


# "NHS 111" is the service and its number; "NHS 111 online" and "111.nhs.uk" are websites
_NHS_111_RE = re.compile(r"\bNHS\s?(111)\b(?![.\-/]\w|\s?\d|\s*(?:online|website|app)\b)", re.I)
# "020 3316 1111/1600": the last digits of a second number that shares the first's start
_ALTERNATIVE_RE = re.compile(r"\s?/\s?(?:(\d{3,6})(?![\d\-:]|[.,]\d|\s\d)|(?=0\d))")
# "call 999 or 111": a second short number after a labelled one
_CHAINED_SHORT_RE = re.compile(r"\s*,?\s*(?:or|and)\s+(\d{3}(?: \d{3})?)(?![\w\-/]|\.\w)")


def _with_alternatives(text: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """`found` with the numbers written as endings of another ("020 3316 1111/1600" is
    also 020 3316 1600; its text is the whole number), whole numbers after a slash, and
    short numbers chained to a short number ("call 999 or 111")."""
    out: list[tuple[int, int, str]] = []
    for index, (start, end, shown) in enumerate(found):
        out.append((start, end, shown))
        next_start = found[index + 1][0] if index + 1 < len(found) else len(text)
        digits = re.sub(r"\D", "", shown)
        if len(digits) >= 10:
            out.extend(_alternatives(text, end, shown, len(digits), next_start))
            continue
        m = _CHAINED_SHORT_RE.match(text, end)
        if m and m.end() <= next_start and validate_phone(m.group(1)).valid:
            out.append((m.start(1), m.end(1), m.group(1)))
    return out


def _alternatives(
    text: str, end: int, shown: str, digits: int, limit: int
) -> Iterator[tuple[int, int, str]]:
    """The numbers after "/" that follow a number ending at `end`, up to `limit`."""
    while (m := _ALTERNATIVE_RE.match(text, end)) and m.end() <= limit:
        if m.group(1) is None:  # "0113 843 1909 / 0113 843 1910": a whole number
            whole_m = _UK_NUMBER_AT.match(text, m.end())
            whole = _trim_groups(whole_m.group(), 11) if whole_m else ""
            if _digit_count(whole) >= 10 and m.end() + len(whole) <= limit:
                yield m.end(), m.end() + len(whole), whole
            return
        ending = m.group(1)
        whole = shown[: len(shown) - _ending_width(shown, len(ending))] + ending
        if len(ending) >= digits or not validate_phone(whole).valid:
            return
        yield m.start(1), m.end(1), whole
        end = m.end()


def _ending_width(shown: str, ending_digits: int) -> int:
    """How many characters at the end of `shown` hold its last `ending_digits` digits
    (spaces between them included)."""
    count = 0
    for width, char in enumerate(reversed(shown), start=1):
        if char.isdigit():
            count += 1
            if count == ending_digits:
                return width
    return len(shown)


# --- what a number is for: phone or fax, and the name its own text gives it -----------


@dataclass(frozen=True, slots=True)
class FoundNumber:
    start: int
    end: int
    text: str  # as find_phone_numbers gives it
    kind: str  # "phone" or "fax"
    label: str  # the name its own text gives it ("Physiotherapy", "NHS 111"), or ""


# national numbers whose name is known: a heading near them never names them
SHORT_NUMBER_NAMES = {
    "999": "Emergency services (999)",
    "112": "Emergency services (112)",
    "111": "NHS 111",
    "119": "NHS 119",
    "116123": "Samaritans (116 123)",
}
_SHORT_NAMES = frozenset(SHORT_NUMBER_NAMES.values())
# "Fax:", "fax to", "faxes to" anywhere since the last number; "F:" only right before it
_FAX_BEFORE_RE = re.compile(r"\b(?:fax(?:es)?|facsimile)\b|^\s*[,;|/]?\s*F\s*[:.]\s*$", re.I)
_FAX_AFTER_RE = re.compile(r"\s*\(\s*fax\s*\)", re.I)
_PHONE_WORD_RE = re.compile(
    r"\b(?:phone|telephone|tel|call|ring|dial|mobile|mob|text|helpline|switchboard)\b", re.I
)
_LABEL_TAIL_RE = re.compile(
    r"(?:[\s(:./\-–—|]+|\b(?:phone|telephone|tel|fax|facsimile|mobile|mob|number|no|"
    r"on)\b)$",
    re.I,
)
_LETTER_LABEL_RE = re.compile(r"(?:^|\s*[\-–—|,;]\s*)[TFM]\s*[:.]\s*$")
_PROSE_END_RE = re.compile(r"\b(?:call|ring|dial|contact|us|or|and|to|the|a|at|please)$", re.I)
# words that qualify a number rather than name its service ("Free phone:", "Direct line:")
_QUALIFIER_RE = re.compile(r"(?:free|direct|main|direct\s+line|landline|minicom|textphone)", re.I)
# a name: letters first, no second field (":"), address or link; not a day or a time
_LABEL_TEXT_RE = re.compile(r"[^\W\d_][\w &'’()/,.\-]*")
_WHEN_RE = re.compile(
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?s?\b|"
    r"\d\s?(?:am|pm)\b|\b(?:weekdays?|weekends?)\b",
    re.I,
)
_BREAK_RE = re.compile(r".*(?:[.!?;]\s|\n)", re.S)


def describe_numbers(text: str) -> list[FoundNumber]:
    """find_phone_numbers with, for each number, whether it is a fax number ("Fax:",
    "F:", "fax" just before it, "(fax)" just after) and the name the text itself gives
    it ("Physiotherapy: 0113 843 1909"; "NHS 111"). An alternative ending ("1111/1600")
    or a chained number ("999 or 111") shares the kind and name of the number before."""
    out: list[FoundNumber] = []
    prev_end = 0
    for start, end, shown in find_phone_numbers(text):
        window = text[prev_end:start]
        prev_end = end
        if out and re.fullmatch(r"\s*(?:/|,?\s*(?:or|and))\s*", window):
            kind, label = out[-1].kind, out[-1].label
            if label in _SHORT_NAMES:  # "call 111 or 0113 843 1909": not NHS 111's number
                label = ""
        else:
            window = _BREAK_RE.sub("", window)[-60:]
            fax = (
                bool(_FAX_BEFORE_RE.search(window)) and not _PHONE_WORD_RE.search(window)
            ) or bool(_FAX_AFTER_RE.match(text, end))
            kind, label = ("fax" if fax else "phone"), own_label(window)
        name = SHORT_NUMBER_NAMES.get(re.sub(r"\D", "", shown))
        out.append(FoundNumber(start, end, shown, kind, name or label))
    return out


def own_label(before: str) -> str:
    """The name written just before a number, as in "Physiotherapy: " or "Ward 12 - Tel: ";
    "" for phone words alone ("Phone: ") and for running text ("call us on ")."""
    # "T:", "F:" after a separator or alone are phone and fax; "Ward F:" is a name
    rest, separated = _LETTER_LABEL_RE.sub(":", before), False
    while True:
        m = _LABEL_TAIL_RE.search(rest)
        if m is None or m.start() == len(rest):
            break
        separated = separated or bool(re.search(r"[:\-–—|]", m.group()))
        rest = rest[: m.start()]
    rest = rest.strip(" ,")
    words = rest.split()
    if (
        not separated
        or len(rest) < 2
        or not words
        or len(words) > 6
        or not rest[0].isalpha()
        or _PROSE_END_RE.search(rest)
        or _PHONE_WORD_RE.match(rest)
        or _QUALIFIER_RE.fullmatch(rest)
        or not _LABEL_TEXT_RE.fullmatch(rest)
        or _WHEN_RE.search(rest)
    ):
        return ""
    return rest


# --- email addresses --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EmailVerdict:
    valid: bool
    address: str  # without mailto: and ?subject=...
    reason: str  # "" when valid; otherwise plain words that follow "The address ... "
    suggestion: str | None = None


_LOCAL_OK = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-]+$")
_LABEL_OK = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?$")
_DOMAIN_TYPOS = {
    "nsh.net": "nhs.net",
    "nhs.ne": "nhs.net",
    "nhs.nt": "nhs.net",
    "nhs.met": "nhs.net",
    "nhs.bet": "nhs.net",
    "nhs.ney": "nhs.net",
    "nhs.nte": "nhs.net",
    "nhs.ent": "nhs.net",
    "nhsnet": "nhs.net",
    "nhs.co.uk": "nhs.uk",
}
_TLD_TYPOS = {"con": "com", "cmo": "com", "ocm": "com", "comm": "com", "nte": "net", "ent": "net"}


def validate_email(address: str) -> EmailVerdict:
    """Is this a well-formed email address? `address` as shown or a mailto: href."""
    return _validate_email_cached(address)


@functools.lru_cache(maxsize=8192)
def _validate_email_cached(address: str) -> EmailVerdict:
    return _validate_email(address)


def _validate_email(address: str) -> EmailVerdict:
    raw = address.strip()
    if raw.lower().startswith("mailto:"):
        raw = unquote(raw[7:].split("?", 1)[0]).strip()
        if "," in raw:  # several recipients: the first broken one decides
            for part in raw.split(","):
                verdict = validate_email(part)
                if not verdict.valid:
                    return verdict
            return EmailVerdict(True, raw, "")
    if not raw:
        return EmailVerdict(False, raw, "is empty")
    if re.search(r"\s", raw):
        return EmailVerdict(False, raw, "has a space in it", re.sub(r"\s+", "", raw))
    if "@" not in raw:
        return EmailVerdict(False, raw, "has no @ in it")
    if raw.count("@") > 1:
        return EmailVerdict(False, raw, "has more than one @")
    local, domain = raw.split("@")
    if not local:
        return EmailVerdict(False, raw, "has nothing before the @")
    if not domain:
        return EmailVerdict(False, raw, "has nothing after the @")
    if ".." in raw:
        return EmailVerdict(False, raw, "has two dots together", re.sub(r"\.{2,}", ".", raw))
    if local.startswith(".") or local.endswith("."):
        return EmailVerdict(False, raw, "has a dot next to the @ or at the start")
    if not _LOCAL_OK.match(local) or len(local) > 64:
        return EmailVerdict(False, raw, "has a character that email addresses cannot have")
    lower = domain.lower()
    for typo, right in _DOMAIN_TYPOS.items():
        if lower == typo or lower.endswith("." + typo):
            fixed = f"{local}@{domain[: len(domain) - len(typo)]}{right}"
            return EmailVerdict(
                False, raw, f"ends in ‘{typo}’, which looks like a typing mistake", fixed
            )
    if "." not in domain:
        return EmailVerdict(
            False, raw, "is missing its ending after the @, such as ‘.nhs.uk’ or ‘.net’"
        )
    labels = domain.split(".")
    if not all(_LABEL_OK.match(label) for label in labels):
        return EmailVerdict(False, raw, "has a character that email addresses cannot have")
    tld = labels[-1].lower()
    if tld in _TLD_TYPOS:
        fixed = f"{local}@{'.'.join(labels[:-1])}.{_TLD_TYPOS[tld]}"
        return EmailVerdict(
            False, raw, f"ends in ‘.{tld}’, which looks like a typing mistake", fixed
        )
    if not re.fullmatch(r"[a-z]{2,24}|xn--[a-z0-9\-]+", tld):
        return EmailVerdict(False, raw, f"ends in ‘.{tld}’, which is not a real ending")
    return EmailVerdict(True, raw, "")


_EMAIL_RE = re.compile(
    r"(?<![\w.+\-/:@])[A-Za-z0-9][A-Za-z0-9._%+'\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9\-]+)*"
)
_FILE_ENDINGS = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")


def find_emails(text: str) -> list[tuple[int, int, str]]:
    """Every email-like string in `text`, including broken ones such as
    "appointments@northdale-nhs" or "john..smith@nhs.net": (start, end, text as shown).
    Social media handles ("@NHSEngland") and image names ("logo@2x.png") are left out."""
    found = []
    for m in _EMAIL_RE.finditer(text):
        value = m.group().rstrip("-'")
        if value.lower().endswith(_FILE_ENDINGS):
            continue
        found.append((m.start(), m.start() + len(value), value))
    return found


# --- postcodes and opening hours --------------------------------------------------------

_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b")
_DAY = r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)(?:day|sday|nesday|rsday|urday)?"
_TIME = r"(?:\d{1,2}(?:[:.]\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}[:.]\d{2}|midday|midnight|noon)"
_HOURS = re.compile(rf"\b{_DAY}\b.*?{_TIME}", re.IGNORECASE)


def find_postcodes(text: str) -> list[str]:
    """UK postcodes, e.g. "LS1 4AP"."""
    return [f"{a} {b}" for a, b in _POSTCODE.findall(text)]


def find_opening_hours(text: str) -> list[str]:
    """Sentences that give days and times, e.g. "Monday to Friday, 9am to 5pm"."""
    hours = []
    for line in text.splitlines():
        for sentence in re.split(r"(?<=[.!?])\s+", line):
            if _HOURS.search(sentence) and len(sentence) < 200:
                hours.append(sentence.strip())
    return hours
