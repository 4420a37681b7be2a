"""Contacts: phone numbers and email addresses people will actually use.

Shared helpers (the crawler and the link checks call these too):

* ``validate_phone(text) -> PhoneVerdict`` for a number as shown or a ``tel:`` href
* ``format_uk(number) -> str``: NHS spacing, e.g. 0113 843 1909, 020 7450 4000,
  0800 890 567, 07771 900 900
* ``validate_email(address) -> EmailVerdict`` for an address as shown or a ``mailto:`` href
* ``find_phone_numbers(text)`` and ``find_emails(text)``: (start, end, text as shown) for
  every phone-like or email-like string, *including* broken ones, so they can be reported.

Rules: phone-invalid, phone-inconsistent (a tel: link that dials another number than the
one shown; a service showing different numbers on different pages, said to be a likely
typing mistake when they differ in one digit or two swapped digits) and email-invalid.
Fax numbers (``page.contacts.faxes``) are neither checked nor listed as phone numbers.
Problems in shared parts of the page (a footer number on every page) are reported once for
the site, with the number of pages, rather than on every page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from content_audit.checks.engine.registry import CheckContext, SiteCheck, define, site_check
from content_audit.checks.engine.text import RepeatCollapser, quote
from content_audit.core.contacts import (  # noqa: F401 - re-exported for checks and tests
    EmailVerdict,
    PhoneVerdict,
    find_emails,
    find_phone_numbers,
    format_uk,
    validate_email,
    validate_phone,
)
from content_audit.core.model import Finding, Page

PHONE_INVALID = define(
    "phone-invalid",
    "error",
    "A phone number is not a real UK number, so people who need help cannot get through.",
    "Check the number with the service and correct it, in the text and in any tel: link.",
    "contacts",
    name="Phone number not valid",
)
PHONE_INCONSISTENT = define(
    "phone-inconsistent",
    "warning",
    "Different numbers are given for the same thing, so some people will call the wrong one.",
    "Find out which number is right and use it everywhere, in the text and in tel: links.",
    "contacts",
    name="Phone numbers disagree",
)
EMAIL_INVALID = define(
    "email-invalid",
    "error",
    "An email address is broken or does not match its link, so messages will not arrive.",
    "Correct the address in the text and in its mailto: link.",
    "contacts",
    name="Email address not valid",
)

# --- rules ------------------------------------------------------------------------------


def _same_digits(shown: str, href: str) -> bool:
    """A tel: link and the number shown are the same digits (+44 read as a leading 0)."""
    dialled = re.sub(r"\D", "", href)
    if href.replace(" ", "").lower().startswith("tel:+44"):
        dialled = "0" + dialled[2:]
    return dialled == re.sub(r"\D", "", shown)


def _mailto_address(href: str) -> str:
    """The address a mailto: link writes to, without the scheme or a ?subject= part."""
    return href[len("mailto:") :].split("?", 1)[0].strip().lower()


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
            href = (phone.href or "").strip()
            link_too = href.lower().startswith("tel:") and _same_digits(shown, href)
            also = ", and its phone link dials it too" if link_too else ""
            yield (
                f"phone\x1f{shown}",
                PHONE_INVALID.finding(
                    page.url,
                    f"The phone number {quote(shown)} {shown_verdict.reason}{also}.",
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
        if (
            not href_verdict.valid
            and shown_verdict is not None
            and not shown_verdict.valid
            and _same_digits(shown, href)
        ):
            continue  # the link dials the broken number shown: one finding says it
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
                        "Make the link dial the number shown, "
                        f"{format_uk(shown_verdict.e164 or '')} (ask the web team to set it "
                        f"to tel:{shown_verdict.e164})"
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
                    suggestion=(
                        "Make the link dial the number shown, "
                        f"{format_uk(shown_verdict.e164 or '')} (ask the web team to set it "
                        f"to tel:{shown_verdict.e164})"
                    ),
                    details={**details, "shown": shown_verdict.e164, "dials": href_verdict.e164},
                ),
            )
    for email in page.contacts.emails:
        shown = email.text.strip()
        context = email.context or shown
        details = {"label": email.label, "region": email.region}
        shown_verdict = validate_email(shown) if "@" in shown else None
        if shown_verdict is not None and not shown_verdict.valid:
            raw = (email.href or "").strip()
            link_too = (
                bool(raw)
                and _mailto_address(raw if raw.lower().startswith("mailto:") else "mailto:" + raw)
                == shown.lower()
            )
            also = ", and its email link writes to it too" if link_too else ""
            yield (
                f"email\x1f{shown}",
                EMAIL_INVALID.finding(
                    page.url,
                    f"The email address {quote(shown)} {shown_verdict.reason}{also}.",
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
        if (
            not href_verdict.valid
            and shown_verdict is not None
            and not shown_verdict.valid
            and _mailto_address(href) == shown.lower()
        ):
            continue  # the link writes to the broken address shown: one finding says it
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

    rules = (
        PHONE_INVALID,
        PHONE_INCONSISTENT,
        EMAIL_INVALID,
    )

    reusable = True  # a page's note: whether it counts, and its problems

    def __init__(self, ctx: CheckContext) -> None:
        super().__init__(ctx)
        self.collapser = RepeatCollapser(share=0.5, min_pages=3, keep=25)

    def note(self, page: Page) -> list[list[Any]] | None:
        """[[key, finding]] once per problem; None for a page that does not count."""
        if not _counts(page):
            return None
        problems: dict[str, list[Any]] = {}
        for key, finding in _contact_findings(page):
            problems.setdefault(key, [key, finding.to_dict()])
        return list(problems.values())

    def take(self, url: str, note: list[list[Any]] | None) -> None:
        if note is None:
            return
        self.collapser.page_seen()
        for key, finding in note:
            self.collapser.add(key, Finding.from_dict({**finding, "url": url}))

    def finish(self) -> Iterator[Finding]:
        def site_message(first: Finding, pages: int, total: int) -> str:
            return f"{first.message} This is on {pages} of {total} pages."

        yield from self.collapser.results(site_message)


def normal_label(label: str) -> str:
    """A label as the name of a service: "The Physiotherapy team:" and "physiotherapy
    service" name the same one."""
    text = re.sub(r"\s+", " ", label).strip().lower().rstrip(":.- ")
    text = re.sub(r"^(?:the|our)\s+", "", text)
    return re.sub(r"(?<=\w)\s+(?:team|service|department|dept|unit)$", "", text)


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
    one page lists several numbers (it is a list, not one service's number), except a
    listed number that is the service's usual number with two neighbouring digits swapped:
    that is a typing slip, not another line of the service.
    """

    rules = (PHONE_INCONSISTENT,)

    keep = 25
    max_labels = 20_000
    max_listed = 20_000

    def __init__(self, ctx: CheckContext) -> None:
        super().__init__(ctx)
        self.labels: dict[str, dict[str, _NumberSeen]] = {}
        self.display: dict[str, str] = {}
        # numbers listed with others under one label: label -> number -> first place
        self.listed: dict[str, dict[str, tuple[str, str, str]]] = {}

    reusable = True  # a page's note: its labelled numbers

    def note(self, page: Page) -> list[list[str]] | None:
        """[[label, label as shown, number (E.164), number as shown, context]] for each
        valid number under a label that names a service; None for a page that does not
        count."""
        if not _counts(page):
            return None
        numbers = []
        for phone in page.contacts.phones:
            label = normal_label(phone.label)
            if label in _GENERIC or len(label) < 3:
                continue
            verdict = validate_phone(phone.text) if re.search(r"\d", phone.text) else None
            if verdict is None or not verdict.valid or not (verdict.e164 or "").startswith("+"):
                continue
            shown, context = phone.text.strip(), phone.context or phone.text
            numbers.append([label, phone.label.strip(), verdict.e164 or "", shown, context])
        return numbers

    def take(self, url: str, note: list[list[str]] | None) -> None:
        per_label: dict[str, dict[str, tuple[str, str]]] = {}
        for label, display, e164, shown, context in note or ():
            per_label.setdefault(label, {}).setdefault(e164, (shown, context))
            self.display.setdefault(label, display)
        for label, numbers in per_label.items():
            if len(numbers) != 1:
                if len(self.listed) < self.max_listed or label in self.listed:
                    listed = self.listed.setdefault(label, {})
                    for e164, (shown, context) in numbers.items():
                        listed.setdefault(e164, (url, shown, context))
                continue
            if label not in self.labels and len(self.labels) >= self.max_labels:
                continue
            ((e164, (shown, context)),) = numbers.items()
            seen = self.labels.setdefault(label, {}).setdefault(e164, _NumberSeen(shown))
            seen.count += 1
            if len(seen.pages) < self.keep:
                seen.pages.append((url, shown, context))

    def finish(self) -> Iterator[Finding]:
        yield from self._differing()
        yield from self._swapped_in_lists()

    def _swapped_in_lists(self) -> Iterator[Finding]:
        """A number listed with others under a label that is the label's usual number (on
        two pages or more) with two neighbouring digits swapped."""
        for label, listed in self.listed.items():
            numbers = self.labels.get(label, {})
            if not numbers:
                continue
            main_e164, main = max(numbers.items(), key=lambda item: item[1].count)
            if main.count < 2:
                continue
            for e164, (url, shown, context) in listed.items():
                if e164 in numbers or likely_typo(e164, main_e164) != "swapped":
                    continue
                name = self.display.get(label, label)
                yield _inconsistent(url, shown, context, name, e164, 1, main_e164, main, "swapped")

    def _differing(self) -> Iterator[Finding]:
        """Numbers of one label that differ from page to page."""
        for label, numbers in self.labels.items():
            if len(numbers) < 2:
                continue
            ranked = sorted(numbers.items(), key=lambda item: -item[1].count)
            tied = ranked[0][1].count == ranked[1][1].count
            name = self.display.get(label, label)
            for e164, seen in ranked if tied else ranked[1:]:
                # a tie means we cannot tell which number is right: report every side
                main_e164, main = next(item for item in ranked if item[0] != e164)
                typo = likely_typo(e164, main_e164)
                for url, shown, context in seen.pages:
                    yield _inconsistent(
                        url, shown, context, name, e164, seen.count, main_e164, main, typo, tied
                    )


def _inconsistent(
    url: str,
    shown: str,
    context: str,
    name: str,
    e164: str,
    pages_here: int,
    main_e164: str,
    main: _NumberSeen,
    typo: str | None,
    tied: bool = False,
) -> Finding:
    """phone-inconsistent: this page gives ``shown`` for ``name`` where ``main.count``
    other pages give ``main_e164``; ``typo`` says how they differ when it looks like a
    typing mistake, ``tied`` that neither number is the usual one."""
    main_text = format_uk(main_e164)
    others = main.count
    # the other number is put forward as the fix only when far more pages give it: a copy
    # kept up to date on one contact page is often outnumbered by old copies elsewhere, so
    # a close count is no evidence, and a wrong number copied in is a patient-safety harm
    clear = not tied and others >= CLEAR_MAJORITY * pages_here
    return PHONE_INCONSISTENT.finding(
        url,
        f"This page gives {quote(shown)} for {name}, but "
        f"{others} other page{'s give' if others != 1 else ' gives'} "
        f"{main_text}, for example {main.pages[0][0]}."
        + (f" {_TYPO_WORDS[typo]}" if typo else "")
        + ("" if clear else " Check which number is right."),
        text=shown,
        context=context,
        suggestion=main_text if clear else None,
        action=None
        if clear
        else (
            f"Ask {name} which number is right, {format_uk(e164)} or {main_text}, then "
            "correct every page that gives the other one."
        ),
        details={
            "label": name,
            "number": e164,
            "other_number": main_e164,
            "likely_typo": typo,
            "pages_with_this_number": pages_here,
            "pages_with_other_number": others,
            "example_pages": [p[0] for p in main.pages[:5]],
        },
    )


CLEAR_MAJORITY = 3  # pages giving the usual number for each page giving this one

_TYPO_WORDS = {
    "one-digit": "They differ in one digit, which looks like a typing mistake.",
    "swapped": "Two digits next to each other are swapped, which looks like a typing mistake.",
}


def likely_typo(number: str, other: str) -> str | None:
    """ "one-digit" when two numbers of the same length differ in one digit, "swapped" when
    they differ by two neighbouring digits swapped, else None: the slips people make when
    typing a number, as opposed to a service that really has another number."""
    a, b = re.sub(r"\D", "", number), re.sub(r"\D", "", other)
    if len(a) != len(b) or a == b:
        return None
    diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diffs) == 1:
        return "one-digit"
    if (
        len(diffs) == 2
        and diffs[1] == diffs[0] + 1
        and a[diffs[0]] == b[diffs[1]]
        and (a[diffs[1]] == b[diffs[0]])
    ):
        return "swapped"
    return None
