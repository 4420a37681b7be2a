"""Contacts: phone numbers and email addresses people will actually use.

Shared helpers (the crawler and the link checks call these too):

* ``validate_phone(text) -> PhoneVerdict`` for a number as shown or a ``tel:`` href
* ``format_uk(number) -> str``: NHS spacing, e.g. 0113 843 1909, 020 7450 4000,
  0800 890 567, 07771 900 900
* ``validate_email(address) -> EmailVerdict`` for an address as shown or a ``mailto:`` href
* ``find_phone_numbers(text)`` and ``find_emails(text)``: (start, end, text as shown) for
  every phone-like or email-like string, *including* broken ones, so they can be reported.

Rules: phone-invalid, phone-inconsistent (a tel: link that dials another number than the
one shown; a service showing different numbers on different pages) and email-invalid.
Problems in shared parts of the page (a footer number on every page) are reported once for
the site, with the number of pages, rather than on every page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import unquote

import phonenumbers
from phonenumbers import PhoneNumberFormat, ValidationResult

from checks.registry import CheckContext, SiteCheck, define, site_check
from checks.text import RepeatCollapser, quote
from core.model import Finding, Page

PHONE_INVALID = define(
    "phone-invalid",
    "error",
    "A phone number is not a real UK number, so people who need help cannot get through.",
    "Check the number with the service and correct it, in the text and in any tel: link.",
    "contacts",
)
PHONE_INCONSISTENT = define(
    "phone-inconsistent",
    "warning",
    "Different numbers are given for the same thing, so some people will call the wrong one.",
    "Find out which number is right and use it everywhere, in the text and in tel: links.",
    "contacts",
)
EMAIL_INVALID = define(
    "email-invalid",
    "error",
    "An email address is broken or does not match its link, so messages will not arrive.",
    "Correct the address in the text and in its mailto: link.",
    "contacts",
)

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
    """
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
    r"(?:phone|telephone|tel|call|ring|mobile|mob|text|fax|helpline|switchboard|"
    r"contact\s+number|phone\s+number|telephone\s+number)"
)
_LABELLED_RE = re.compile(
    rf"\b{_PHONE_LABEL}\b\.?\s*(?:us\s+)?(?:on\s+)?[:.]?\s*"
    r"(\+?[\dOo](?:[\dOo]|[ \-](?=\(?\d|[Oo]\d)|\(|\)){1,24})",
    re.I,
)
_UK_START_RE = re.compile(
    r"(?<![\w+£$€/.,:\-])(\+44\s?(?:\(0\)\s?)?[\dOo]|\(0[\dOo]|0[\dOo])"
    r"(?:[\dOo]|[ \-](?=\(?\d|[Oo]\d)|\(|\)){5,24}"
)
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


def find_phone_numbers(text: str) -> list[tuple[int, int, str]]:
    """Every UK-phone-like string in `text`, valid or not: (start, end, text as shown).

    Found: numbers starting 0, +44 or (0...; numbers after a label such as "Phone:",
    "Tel", "Call", "Text" (including short numbers such as 111); and international numbers
    (+33 ...). Not found: dates, times, postcodes, years, prices, decimals, and numbers
    after "NHS number", "reference", "company number" and the like.
    """
    spans: list[tuple[int, int]] = []

    def add(start: int, candidate: str, labelled: bool) -> None:
        max_digits = 14 if candidate.startswith("00") else 12 if candidate.startswith("+") else 11
        if not labelled and _digit_count(candidate.split(" ")[0]) > max_digits:
            return  # one long run of digits: a reference number
        candidate = _trim_groups(candidate, max_digits)
        candidate = (
            candidate.rstrip(")") if candidate.count(")") > candidate.count("(") else candidate
        )
        digits = _digit_count(candidate)
        if _TIME_RANGE_RE.match(candidate):
            return
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
    for m in _LABELLED_RE.finditer(text):
        add(m.start(1), m.group(1), labelled=True)
    for m in phonenumbers.PhoneNumberMatcher(text, REGION, leniency=phonenumbers.Leniency.POSSIBLE):
        if m.raw_string.startswith(("+", "00")) and not m.raw_string.startswith("+44"):
            spans.append((m.start, m.end))

    result: list[tuple[int, int, str]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if result and start < result[-1][1]:
            continue
        result.append((start, end, text[start:end]))
    return result


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
    raw = address.strip()
    if raw.lower().startswith("mailto:"):
        raw = unquote(raw[7:].split("?", 1)[0]).strip()
        if "," in raw:  # several recipients: the first broken one decides
            for part in raw.split(","):
                verdict = validate_email(part)
                if not verdict.valid:
                    return verdict
            return EmailVerdict(True, raw)
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


# --- rules ------------------------------------------------------------------------------


def _counts(page: Page) -> bool:
    return page.is_html and page.status < 400


def _contact_findings(page: Page) -> Iterator[tuple[str, Finding]]:
    """(key, finding) for problems with the page's own phone numbers and addresses."""
    for phone in page.contacts.phones:
        shown = phone.text.strip()
        context = phone.context or shown
        details = {"label": phone.label, "region": phone.region}
        shown_verdict = validate_phone(shown) if re.search(r"\d", shown) else None
        if shown_verdict is not None and not shown_verdict.valid:
            yield (
                f"phone\x1f{shown}",
                PHONE_INVALID.finding(
                    page.url,
                    f"The phone number {quote(shown)} {shown_verdict.reason}.",
                    text=shown,
                    context=context,
                    suggestion=shown_verdict.suggestion,
                    details=details,
                ),
            )
        href = (phone.href or "").strip()
        if not href.lower().startswith("tel:"):
            continue
        href_verdict = validate_phone(href)
        if not href_verdict.valid:
            yield (
                f"tel\x1f{href}",
                PHONE_INVALID.finding(
                    page.url,
                    f"The phone link {quote(href)} {href_verdict.reason}, so tapping it will not "
                    "call the service.",
                    target=href,
                    text=shown or href,
                    context=context,
                    suggestion=(
                        f"tel:{shown_verdict.e164}"
                        if shown_verdict is not None and shown_verdict.valid
                        else None
                    ),
                    details=details,
                ),
            )
        elif (
            shown_verdict is not None
            and shown_verdict.valid
            and href_verdict.e164 != shown_verdict.e164
        ):
            yield (
                f"mismatch\x1f{shown}\x1f{href}",
                PHONE_INCONSISTENT.finding(
                    page.url,
                    f"The number shown, {quote(shown)}, is not the number the link dials "
                    f"({format_uk(href_verdict.e164 or '')}).",
                    target=href,
                    text=shown,
                    context=context,
                    suggestion=f"tel:{shown_verdict.e164}",
                    details={**details, "shown": shown_verdict.e164, "dials": href_verdict.e164},
                ),
            )
    for email in page.contacts.emails:
        shown = email.text.strip()
        context = email.context or shown
        details = {"label": email.label, "region": email.region}
        shown_verdict = validate_email(shown) if "@" in shown else None
        if shown_verdict is not None and not shown_verdict.valid:
            yield (
                f"email\x1f{shown}",
                EMAIL_INVALID.finding(
                    page.url,
                    f"The email address {quote(shown)} {shown_verdict.reason}.",
                    text=shown,
                    context=context,
                    suggestion=shown_verdict.suggestion,
                    details=details,
                ),
            )
        href = (email.href or "").strip()
        if not href:
            continue
        if not href.lower().startswith("mailto:"):
            href = "mailto:" + href
        href_verdict = validate_email(href)
        if not href_verdict.valid:
            yield (
                f"mailto\x1f{href}",
                EMAIL_INVALID.finding(
                    page.url,
                    f"The email link {quote(href)} {href_verdict.reason}, so messages sent with "
                    "it will not arrive.",
                    target=href,
                    text=shown or href,
                    context=context,
                    suggestion=href_verdict.suggestion,
                    details=details,
                ),
            )
        elif (
            shown_verdict is not None
            and shown_verdict.valid
            and href_verdict.address.lower() != shown_verdict.address.lower()
        ):
            yield (
                f"mailto-mismatch\x1f{shown}\x1f{href}",
                EMAIL_INVALID.finding(
                    page.url,
                    f"The email address shown, {quote(shown)}, is not the address the link writes "
                    f"to ({href_verdict.address}).",
                    target=href,
                    text=shown,
                    context=context,
                    suggestion=f"mailto:{shown_verdict.address}",
                    details=details,
                ),
            )


@site_check
class ContactDetailsCheck(SiteCheck):
    """phone-invalid, email-invalid and tel: links that dial another number; a problem in
    a footer or header that repeats on most pages is reported once for the site."""

    def __init__(self, ctx: CheckContext) -> None:
        super().__init__(ctx)
        self.collapser = RepeatCollapser(share=0.5, min_pages=3, keep=25)

    def observe(self, page: Page) -> None:
        if not _counts(page):
            return
        self.collapser.page_seen()
        seen: set[str] = set()
        for key, finding in _contact_findings(page):
            if key not in seen:
                seen.add(key)
                self.collapser.add(key, finding)

    def finish(self) -> Iterator[Finding]:
        def site_message(first: Finding, pages: int, total: int) -> str:
            return f"{first.message} This is on {pages} of {total} pages."

        yield from self.collapser.results(site_message)


def normal_label(label: str) -> str:
    text = re.sub(r"\s+", " ", label).strip().lower().rstrip(":.- ")
    text = re.sub(r"^(?:the|our)\s+", "", text)
    return text


_GENERIC = frozenset(
    {
        "contact",
        "contacts",
        "contact us",
        "contact details",
        "our contact details",
        "get in touch",
        "how to contact us",
        "phone",
        "telephone",
        "tel",
        "call",
        "call us",
        "phone us",
        "useful numbers",
        "useful contacts",
        "useful phone numbers",
        "other useful numbers",
        "more information",
        "further information",
        "help",
        "help and support",
        "support",
        "urgent help",
        "opening times",
        "address",
        "find us",
        "enquiries",
        "general enquiries",
        "other services",
        "numbers",
        "phone numbers",
        "telephone numbers",
        "contact numbers",
        "key contacts",
        "who to contact",
    }
)


@dataclass(slots=True)
class _NumberSeen:
    shown: str
    count: int = 0
    pages: list[tuple[str, str, str]] = field(default_factory=list)  # (url, text, context)


@site_check
class PhoneConsistencyCheck(SiteCheck):
    """The same service (same contact label) showing different numbers on different pages.

    Memory: per label and number a count and at most `keep` pages. Labels that are empty
    or generic ("Contact us", "Useful numbers") are ignored, and so is a label under which
    one page lists several numbers (it is a list, not one service's number).
    """

    keep = 25
    max_labels = 20_000

    def __init__(self, ctx: CheckContext) -> None:
        super().__init__(ctx)
        self.labels: dict[str, dict[str, _NumberSeen]] = {}
        self.display: dict[str, str] = {}

    def observe(self, page: Page) -> None:
        if not _counts(page):
            return
        per_label: dict[str, dict[str, tuple[str, str]]] = {}
        for phone in page.contacts.phones:
            label = normal_label(phone.label)
            if label in _GENERIC or len(label) < 3:
                continue
            verdict = validate_phone(phone.text) if re.search(r"\d", phone.text) else None
            if verdict is None or not verdict.valid or not (verdict.e164 or "").startswith("+"):
                continue
            per_label.setdefault(label, {}).setdefault(
                verdict.e164 or "", (phone.text.strip(), phone.context or phone.text)
            )
            self.display.setdefault(label, phone.label.strip())
        for label, numbers in per_label.items():
            if len(numbers) != 1:
                continue
            if label not in self.labels and len(self.labels) >= self.max_labels:
                continue
            ((e164, (shown, context)),) = numbers.items()
            seen = self.labels.setdefault(label, {}).setdefault(e164, _NumberSeen(shown))
            seen.count += 1
            if len(seen.pages) < self.keep:
                seen.pages.append((page.url, shown, context))

    def finish(self) -> Iterator[Finding]:
        for label, numbers in self.labels.items():
            if len(numbers) < 2:
                continue
            ranked = sorted(numbers.items(), key=lambda item: -item[1].count)
            main_e164, main = ranked[0]
            main_text = format_uk(main_e164)
            example = main.pages[0][0]
            name = self.display.get(label, label)
            for e164, seen in ranked[1:]:
                for url, shown, context in seen.pages:
                    others = main.count
                    yield PHONE_INCONSISTENT.finding(
                        url,
                        f"This page gives {quote(shown)} for {name}, but "
                        f"{others} other page{'s' if others != 1 else ''} give "
                        f"{main_text}, for example {example}.",
                        text=shown,
                        context=context,
                        suggestion=main_text,
                        details={
                            "label": name,
                            "number": e164,
                            "other_number": main_e164,
                            "pages_with_this_number": seen.count,
                            "pages_with_other_number": main.count,
                            "example_pages": [p[0] for p in main.pages[:5]],
                        },
                    )
