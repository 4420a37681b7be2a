"""NHS style, further (issue 21): number ranges with "to", "24hr", phone numbers grouped the
NHS way, numeric and US dates. Every text here is written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from content_audit.checks.nhs_style import check_nhs_style, nhs_style_hits
from tests.test_check_helpers import make_ctx, make_page


def style(text: str) -> list[tuple[str, str]]:
    return [(text[h.start : h.end], h.suggestion) for h in nhs_style_hits(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Results take 10-14 days to come back.", [("10-14", "10 to 14")]),
        ("Take 1-2 tablets every 4–6 hours.", [("1-2", "1 to 2"), ("4–6", "4 to 6")]),
        ("Drink 1.5-2 litres of water a day.", [("1.5-2", "1.5 to 2")]),
        ("The group is for people aged 16-25.", [("16-25", "16 to 25")]),
        ("Use it between 2-3 times a day.", [("2-3", "2 and 3")]),
        ("About 10-20% of people feel dizzy.", [("10-20", "10 to 20")]),
        ("It is for 3-4 year olds.", [("3-4", "3 to 4")]),
    ],
)
def test_number_ranges_use_to(text, expected):
    assert style(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Call 0113-843-1909 for an appointment.",  # a phone number (grouping is its own rule)
        "The team won 3-1 on Saturday.",
        "The score was 3-1.",
        "Our postcode is LS1 4AP.",
        "ISBN 978-0-19-852663-6 is the book.",
        "Have your COVID-19 vaccine.",
        "We run a 24-hour helpline.",
        "See pages 10-14 of the leaflet.",
        "Read part 2-3 of the guide.",
        "Go to https://example.nhs.uk/advice/10-14-days for more.",
        "Quote code AB-10-14 when you call.",
        "Pupils in years 3-4 can join the club.",
        "The 2020-2021 annual report is online.",
        "A 1-2-1 session lasts an hour.",
        "Take 14-10 days",  # not a range: high before low
        "Ward 10-12 beds are on the first floor.",
    ],
)
def test_dashes_that_are_not_number_ranges(text):
    assert [pair for pair in style(text) if "-" in pair[0] or "–" in pair[0]] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The line is open 24hrs.", [("24hrs", "24 hours")]),
        ("Call us within 48 hrs of your operation.", [("48 hrs", "48 hours")]),
        ("It is a 24hr service.", [("24hr", "24-hour")]),
        ("Wait 1hr after eating.", [("1hr", "1 hour")]),
    ],
)
def test_hours_are_written_in_full(text, expected):
    assert style(text) == expected


@pytest.mark.parametrize(
    "text",
    ["The clinic is at 1700hrs.", "Our HR team can help.", "Write to Shrewsbury.", "chr 24hrsx"],
)
def test_hours_false_alarms(text):
    assert not any("hour" in s for _t, s in style(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call 0300 3690 680 for help.", [("0300 3690 680", "0300 369 0680")]),
        ("Call 01132 123456 to book.", [("01132 123456", "0113 212 3456")]),
        ("Call 01138431909 to book.", [("01138431909", "0113 843 1909")]),
        ("Call 020 74504000 to book.", [("020 74504000", "020 7450 4000")]),
    ],
)
def test_phone_numbers_grouped_against_the_nhs_pattern(text, expected):
    assert style(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Call 0113 843 1909 to book.",
        "Call 020 7450 4000 to book.",
        "Call 0800 890 567 free.",
        "Call 07771 900 900 or 07771 900900.",
        "Call 01234 567890 or 01234 567 890.",
        "Call 0800 707 60 60 free.",  # a memorable number split further on purpose
        "Call 0800 58 58 58 free.",  # a memorable number in pairs
        "Call +44 113 843 1909 from abroad.",
        "Call 0113 843 190 now.",  # invalid: phone-invalid says so, not style
        "Call 020 3316 1111/1600.",
        "Quote 03457873474dfc90 when you write.",  # part of a longer code
        "See www.example.nhs.uk/01132123456 for details.",
    ],
)
def test_phone_grouping_false_alarms(text):
    assert style(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We changed this on 11/11/2020.", [("11/11/2020", "11 November 2020")]),
        ("The clinic moved on 14.06.2020 to Mill Lane.", [("14.06.2020", "14 June 2020")]),
        ("Updated 2019-04-02 by the team.", [("2019-04-02", "2 April 2019")]),
        ("Last updated: 12/25/2020", [("12/25/2020", "25 December 2020")]),
        ("Last updated: October 3, 2017", [("October 3, 2017", "3 October 2017")]),
        ("Clinics start on 1/2/26.", [("1/2/26", "1 February 2026")]),
    ],
)
def test_numeric_and_us_dates(text, expected):
    assert style(text) == expected


def test_us_dates_say_so():
    (hit,) = nhs_style_hits("Last updated: 12/25/2020")
    assert "US order" in hit.reason


@pytest.mark.parametrize(
    "text",
    [
        "Last reviewed: 12/03/2025",  # a record line, left to the review-date checks
        "Take 1/2 a tablet.",
        "Mix 3/4/5 parts.",
        "Version 1.2.10 of the app.",
        "See www.example.nhs.uk/news/11/11/2020 for the notice.",
        "Reading 32/13/2020 is not a date.",
        "It costs £11.11.",
    ],
)
def test_numeric_date_false_alarms(text):
    assert style(text) == []


def test_page_check_reports_a_range_with_its_suggestion():
    page = make_page(["Your results take 10-14 days. We will write to you."])
    (finding,) = list(check_nhs_style(page, make_ctx()))
    assert finding.rule == "nhs-style"
    assert finding.text == "10-14"
    assert finding.suggestion == "10 to 14"
    assert finding.message == (
        "Write ‘10-14’ as ‘10 to 14’. Use ‘to’ in number ranges: a dash can be misread as a "
        "minus sign."
    )


def test_well_edited_corpus_stays_quiet():
    lines = [
        line
        for path in sorted((Path(__file__).parent / "corpus" / "spelling").glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    assert len(lines) > 100
    assert [(line[:40], style(line)) for line in lines if style(line)] == []
