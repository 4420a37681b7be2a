"""Contacts right (issue 21): fax numbers kept apart, 999/111 recognised, labels from the
number's own page and block, "1111/1600" alternatives, typo-like numbers, a digit too many.

Every text here is written for these tests."""

from __future__ import annotations

import pytest

from content_audit.checks.contacts import (
    ContactDetailsCheck,
    PhoneConsistencyCheck,
    likely_typo,
)
from content_audit.core.contacts import describe_numbers, find_phone_numbers, validate_phone
from content_audit.core.model import Contacts, Page, Phone
from content_audit.crawler.extract import extract_page
from tests.test_check_helpers import make_ctx, make_page


def numbers(text: str) -> list[str]:
    return [shown for _s, _e, shown in find_phone_numbers(text)]


def described(text: str) -> list[tuple[str, str, str]]:
    return [(n.text, n.kind, n.label) for n in describe_numbers(text)]


def extract(body: str, url: str = "https://trust.example/page") -> Page:
    page = Page(url=url, final_url=url, status=200)
    return extract_page(page, f"<html><body><main><h1>Page</h1>{body}</main></body></html>")


# --- fax numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Tel: 0113 843 1909 Fax: 0113 843 1910",
            [("0113 843 1909", "phone", ""), ("0113 843 1910", "fax", "")],
        ),
        (
            "T: 0113 843 1909 F: 0113 843 1910",
            [("0113 843 1909", "phone", ""), ("0113 843 1910", "fax", "")],
        ),
        (
            "Phone 0113 843 1909 or fax 0113 843 1910.",
            [("0113 843 1909", "phone", ""), ("0113 843 1910", "fax", "")],
        ),
        ("Referrals 0113 843 1910 (fax)", [("0113 843 1910", "fax", "")]),
        ("Fax 0113 843 1910/1911", [("0113 843 1910", "fax", ""), ("0113 843 1911", "fax", "")]),
    ],
)
def test_fax_numbers_are_told_apart(text, expected):
    assert described(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Tel/Fax: 0113 843 1909",  # both: a phone
        "Phone 0113 843 1909. Faxes are no longer used.",  # fax in another sentence
        "We no longer take fax referrals; phone 0113 843 1909 instead.",
    ],
)
def test_numbers_near_the_word_fax_that_are_phones(text):
    assert [kind for _t, kind, _l in described(text)] == ["phone"]


def test_fax_numbers_are_neither_listed_nor_checked_as_phones():
    page = extract(
        "<h2>Podiatry</h2><p>Phone: 0113 843 2000</p><p>Fax: 0113 843 2001</p>"
        "<dl><dt>Fax</dt><dd>0113 843 2002</dd><dt>Phone</dt><dd>0113 843 2003</dd></dl>"
        "<table><tr><td>Fax:</td><td>0113 843 205</td></tr></table>"
    )
    phones = [p.text for p in page.contacts.phones if p.region == "main"]
    assert phones == ["0113 843 2000", "0113 843 2003"]
    assert [f.text for f in page.contacts.faxes] == [
        "0113 843 2001",
        "0113 843 2002",
        "0113 843 205",
    ]
    check = ContactDetailsCheck(make_ctx())
    check.observe(page)
    assert [f.text for f in check.finish()] == []  # the short fax number is not a phone finding


# --- 999, 111 and NHS 111 ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("If you have chest pain, dial 999.", [("999", "phone", "Emergency services (999)")]),
        ("If it gets worse, call 111.", [("111", "phone", "NHS 111")]),
        ("Contact NHS 111 for advice.", [("111", "phone", "NHS 111")]),
        (
            "Call 999 or 111 if you cannot wait.",
            [("999", "phone", "Emergency services (999)"), ("111", "phone", "NHS 111")],
        ),
        (
            "Call 111 or 0113 843 1909.",
            [("111", "phone", "NHS 111"), ("0113 843 1909", "phone", "")],
        ),
    ],
)
def test_emergency_and_nhs_111_are_contacts(text, expected):
    assert described(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Use NHS 111 online to get help.",
        "Go to 111.nhs.uk for advice.",
        "There are 111 beds and 999 staff.",
        "Room 111 is on the first floor.",
        "Dial 5 for the switchboard.",
    ],
)
def test_999_and_111_as_plain_numbers_are_not_contacts(text):
    assert numbers(text) == []


# --- labels from the number's own page and block -----------------------------------------


def test_999_is_never_named_after_a_heading():
    """The issue's case: 999 on a page under a heading about waiting times."""
    page = extract(
        "<h2>Emergency: we aim to see you within 2 days</h2>"
        "<p>If you have sudden weakness in both legs, call 999.</p>"
    )
    (phone,) = page.contacts.phones[:1]
    assert (phone.text, phone.label) == ("999", "Emergency services (999)")


def test_each_page_names_its_numbers_itself():
    first = extract("<h2>Physiotherapy</h2><p>Call us on 0113 843 1909.</p>", url="https://t/a")
    second = extract("<h2>Before your visit</h2><p>Podiatry: 0113 843 1909</p>", url="https://t/b")
    assert [p.label for p in first.contacts.phones if p.region == "main"] == ["Physiotherapy"]
    assert [p.label for p in second.contacts.phones if p.region == "main"] == ["Podiatry"]


@pytest.mark.parametrize(
    ("body", "label"),
    [
        ("<h2>Clinics</h2><p>Ward 12 - Tel: 0113 843 1909</p>", "Ward 12"),
        ("<h2>Clinics</h2><p>Phone: 0113 843 1909</p>", "Clinics"),
        ("<h2>Clinics</h2><p>Free phone: 0800 890 567</p>", "Clinics"),
        ("<h2>Clinics</h2><p>Phone (minicom): 0113 843 1909</p>", "Clinics"),
        ("<h2>Clinics</h2><p>Call the team on 0113 843 1909.</p>", "Clinics"),
        ("<h2>Clinics</h2><table><tr><th>Dietetics</th><td>0113 843 1909</td></tr></table>",
         "Dietetics"),
        ("<h2>Clinics</h2><ul><li>Swelling</li><li>Call 0113 843 1909 if worse</li></ul>",
         "Clinics"),
        ("<h2>What to do if your symptoms get much worse</h2><p>Call 0113 843 1909.</p>", ""),
    ],
)  # fmt: skip
def test_label_comes_from_the_block_then_the_cell_then_the_heading(body, label):
    phones = [p for p in extract(body).contacts.phones if p.region == "main"]
    assert [p.label for p in phones] == [label]


# --- alternatives written as "1111/1600" ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call 020 3316 1111/1600.", ["020 3316 1111", "020 3316 1600"]),
        ("Call 020 3316 1111 / 1600 today", ["020 3316 1111", "020 3316 1600"]),
        ("Phone 01234 567890/567891", ["01234 567890", "01234 567891"]),
        ("Phone 0113 843 1909/1910/1911", ["0113 843 1909", "0113 843 1910", "0113 843 1911"]),
        ("Phone 0113 843 1909 / 0113 843 1920", ["0113 843 1909", "0113 843 1920"]),
    ],
)
def test_slash_alternatives_are_separate_numbers(text, expected):
    found = numbers(text)
    assert found == expected
    assert all(validate_phone(n).valid for n in found)


@pytest.mark.parametrize(
    "text",
    [
        "Phone 0113 843 1909 (24/7)",
        "Phone 0113 843 1909, open 9/10 days",
        "Phone 0113 843 1909/2.",
    ],
)
def test_slashes_that_are_not_alternatives(text):
    assert numbers(text) == ["0113 843 1909"]


def test_an_alternative_is_checked_as_a_number_of_its_own():
    page = extract("<h2>Wards</h2><p>Ward 4: 020 3316 1111/1600</p>")
    phones = [(p.text, p.label) for p in page.contacts.phones if p.region == "main"]
    assert phones == [("020 3316 1111", "Ward 4"), ("020 3316 1600", "Ward 4")]


# --- a digit too many ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["Call 0113 843 19099 today.", "Tel 020 7450 40000"])
def test_a_number_with_a_digit_too_many_is_found_and_invalid(text):
    (shown,) = numbers(text)
    verdict = validate_phone(shown)
    assert not verdict.valid
    assert verdict.reason == "has one digit too many"


def test_a_digit_too_many_is_reported():
    page = extract("<h2>Physiotherapy</h2><p>Call 0113 843 19099 to book.</p>")
    check = ContactDetailsCheck(make_ctx())
    check.observe(page)
    (finding,) = list(check.finish())
    assert finding.rule == "phone-invalid"
    assert finding.message == "The phone number ‘0113 843 19099’ has one digit too many."


@pytest.mark.parametrize("text", ["Call 0113 843 1909 24 hours a day", "Call 0800 890 567 12"])
def test_a_stray_number_after_a_phone_number_is_not_a_digit_too_many(text):
    assert all(validate_phone(n).valid for n in numbers(text))


# --- one digit out, or two swapped: a likely typo ----------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        ("+441138431909", "+441138431990", "swapped"),
        ("+441138431909", "+441138431908", "one-digit"),
        ("+441138431909", "+441138432000", None),
        ("+441138431909", "+4411384319", None),
    ],
)
def test_likely_typo(a, b, kind):
    assert likely_typo(a, b) == kind


def _page(url: str, number: str, label: str = "Physiotherapy") -> Page:
    return make_page(["Hi."], url=url, contacts=Contacts(phones=[Phone(text=number, label=label)]))


def _run(pages: list[Page]) -> list:
    check = PhoneConsistencyCheck(make_ctx())
    for page in pages:
        check.observe(page)
    return list(check.finish())


def test_swapped_digits_in_one_services_number_are_called_a_typo():
    pages = [_page(f"https://t/{i}", "0113 843 1909") for i in range(3)]
    pages.append(_page("https://t/odd", "0113 843 1990"))
    (finding,) = _run(pages)
    assert finding.rule == "phone-inconsistent"
    assert finding.url == "https://t/odd"
    assert finding.suggestion == "0113 843 1909"
    assert finding.message.endswith(
        "Two digits next to each other are swapped, which looks like a typing mistake."
    )


def test_one_digit_out_is_called_a_typo():
    pages = [_page(f"https://t/{i}", "0113 843 1909") for i in range(2)]
    pages.append(_page("https://t/odd", "0113 843 1609"))
    (finding,) = _run(pages)
    assert "They differ in one digit, which looks like a typing mistake." in finding.message
    assert finding.details["likely_typo"] == "one-digit"


def test_near_numbers_of_different_services_are_not_reported():
    pages = [_page(f"https://t/{i}", "0113 843 1909") for i in range(2)]
    pages.append(_page("https://t/wards", "0113 843 1908", label="Ward 4"))
    assert _run(pages) == []


def test_fax_number_next_to_the_phone_number_is_not_a_typo():
    """Services often have a fax one digit away from the phone: never inconsistent."""
    pages = [
        extract(
            "<h2>Podiatry</h2><p>Podiatry: 0113 843 2000</p><p>Fax: 0113 843 2001</p>",
            url=f"https://t/{i}",
        )
        for i in range(3)
    ]
    assert _run(pages) == []


def test_team_service_and_department_name_the_same_service():
    pages = [_page(f"https://t/{i}", "0113 843 1909", label="Physiotherapy") for i in range(2)]
    pages.append(_page("https://t/odd", "0113 843 1099", label="The physiotherapy team"))
    (finding,) = _run(pages)
    assert finding.url == "https://t/odd"
    assert finding.message.startswith("This page gives ‘0113 843 1099’ for Physiotherapy,")


def test_nhs_followed_by_more_digits_is_not_nhs_111():
    assert numbers("Your NHS 111 222 3333 number") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ward F: 0113 843 1909", [("0113 843 1909", "phone", "Ward F")]),  # a name, not fax
        ("Podiatry - T: 0113 843 1909", [("0113 843 1909", "phone", "Podiatry")]),
        ("Monday to Friday: 0113 843 1909", [("0113 843 1909", "phone", "")]),
        ("Weekends: 0113 843 2000", [("0113 843 2000", "phone", "")]),
        ("Email: pals@example.nhs.uk Phone: 0113 843 1909", [("0113 843 1909", "phone", "")]),
        ("Send faxes to 0113 843 1910", [("0113 843 1910", "fax", "")]),
        ("Out of hours: 0113 843 2000", [("0113 843 2000", "phone", "Out of hours")]),
    ],
)
def test_own_labels_are_names_not_days_addresses_or_letters(text, expected):
    assert described(text) == expected


def test_dial_999_and_nhs_111_are_extracted_as_contacts():
    page = extract(
        "<h2>Getting help</h2><p>If you are badly hurt, dial 999.</p>"
        "<p>For advice at night, contact NHS 111.</p>"
    )
    phones = [(p.text, p.label) for p in page.contacts.phones if p.region == "main"]
    assert phones == [("999", "Emergency services (999)"), ("111", "NHS 111")]


def test_digits_at_the_start_of_a_code_are_not_a_phone_number():
    assert numbers("Commit 03457873474dfc90 fixed it.") == []
    assert numbers("Call 03457873474 today.") == ["03457873474"]


def _listing(url: str, *numbers: str, label: str = "Physiotherapy") -> Page:
    phones = [Phone(text=n, label=label) for n in numbers]
    return make_page(["Hi."], url=url, contacts=Contacts(phones=phones))


def test_a_swapped_number_in_a_list_under_the_service_is_reported():
    pages = [_page(f"https://t/{i}", "0113 843 1909") for i in range(3)]
    pages.append(_listing("https://t/list", "0113 843 1909", "0113 843 1990"))
    (finding,) = _run(pages)
    assert (finding.url, finding.text, finding.suggestion) == (
        "https://t/list",
        "0113 843 1990",
        "0113 843 1909",
    )
    assert finding.message.endswith("which looks like a typing mistake.")


def test_other_lines_of_a_service_in_a_list_are_not_reported():
    """Two lines of one service often differ in one digit (1908 and 1909): no finding."""
    pages = [_page(f"https://t/{i}", "0113 843 1909") for i in range(3)]
    pages.append(_listing("https://t/list", "0113 843 1909", "0113 843 1908", "0113 843 2000"))
    assert _run(pages) == []


# --- numbers kept for drama ----------------------------------------------------------------


def test_a_drama_mobile_number_is_called_an_example_left_on_the_page():
    """07700 900000-900999 never ring anyone (Ofcom keeps them for fiction): on a live
    page one is an example or a placeholder, and the owner is told so in those words."""
    page = extract("<h2>Stop smoking</h2><p>Text QUIT to 07700 900 418 for support.</p>")
    check = ContactDetailsCheck(make_ctx())
    check.observe(page)
    (finding,) = list(check.finish())
    assert finding.rule == "phone-invalid"
    assert finding.message == (
        "The phone number ‘07700 900 418’ is a made-up number kept for TV and radio drama, "
        "so nobody answers it: probably an example left on the page."
    )
    assert validate_phone("07812 300 418").valid  # an ordinary mobile number
