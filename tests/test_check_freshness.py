from datetime import date

import pytest

from content_audit.checks.freshness import (
    ReviewDateMissingCheck,
    ReviewOverdueCheck,
    find_review_dates,
    is_advice_page,
    parse_uk_date,
)
from content_audit.core.model import Link
from tests.test_check_helpers import make_ctx, make_page


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24 November 2026", date(2026, 11, 24)),
        ("24 Nov 2026", date(2026, 11, 24)),
        ("24 Sept 2026", date(2026, 9, 24)),
        ("24th November 2026", date(2026, 11, 24)),
        ("Tuesday 24 November 2026", date(2026, 11, 24)),
        ("24/11/2026", date(2026, 11, 24)),
        ("24.11.2026", date(2026, 11, 24)),
        ("24/11/26", date(2026, 11, 24)),
        ("2026-11-24", date(2026, 11, 24)),
        ("November 24, 2026", date(2026, 11, 24)),
        ("11/12/2026", date(2026, 12, 11)),
        ("November 2026", date(2026, 11, 1)),
        ("Page last reviewed: 3 May 2024", date(2024, 5, 3)),
    ],
)
def test_parse_uk_date(text, expected):
    assert parse_uk_date(text) == expected


def test_month_only_can_mean_the_end_of_the_month():
    assert parse_uk_date("February 2028", month_end=True) == date(2028, 2, 29)


@pytest.mark.parametrize("text", ["", "31/02/2026", "11/24/2026", "version 1.2.3", "no date"])
def test_parse_uk_date_rejects(text):
    assert parse_uk_date(text) is None


@pytest.mark.parametrize(
    ("text", "last", "nxt"),
    [
        (
            "Page last reviewed: 24 November 2024\nNext review due: 24 November 2027",
            "2024-11-24",
            "2027-11-24",
        ),
        ("Last reviewed: 3 May 2024", "2024-05-03", None),
        ("Reviewed: 03/05/2024", "2024-05-03", None),
        ("Date of last review: May 2024", "2024-05-31", None),
        ("Next review: 1 Jan 2027", None, "2027-01-01"),
        ("Review date: 01.01.2027", None, "2027-01-01"),
        ("Date of next review: January 2027", None, "2027-01-31"),
        ("This leaflet is to be reviewed by March 2027.", None, "2027-03-31"),
        (
            "Published 2020 | Reviewed: 2 June 2025 | Next review due: June 2028",
            "2025-06-02",
            "2028-06-30",
        ),
    ],
)
def test_find_review_dates(text, last, nxt):
    found_last, found_next, shown = find_review_dates(text)
    assert (found_last, found_next) == (last, nxt)
    assert shown


def test_find_review_dates_ignores_reviews_in_sentences():
    text = "Your case will be reviewed on 3 May 2026 by the team."
    assert find_review_dates(text) == (None, None, "")


def test_find_review_dates_shows_the_lines():
    _l, _n, shown = find_review_dates("Intro.\nPage last reviewed: 24 November 2024\nFooter")
    assert shown == "Page last reviewed: 24 November 2024"


def run(page, **config):
    check = ReviewOverdueCheck(make_ctx(**config))
    check.take(page.url, check.note(page))  # as a re-run takes a kept note
    return list(check.finish())


def test_next_review_in_the_past_is_overdue():
    page = make_page(
        ["Advice."],
        next_review_due="2026-08-06",
        last_reviewed="2023-08-06",
        review_text="Next review due: 6 August 2026",
    )
    (finding,) = run(page)
    assert finding.rule == "review-overdue" and finding.severity == "warning"
    assert finding.message == "This page was due for review on 6 August 2026."
    assert finding.text == "Next review due: 6 August 2026"


def test_next_review_in_the_future_is_fine_even_with_an_old_last_review():
    page = make_page(["Advice."], next_review_due="2027-01-01", last_reviewed="2020-01-01")
    assert run(page) == []


def test_old_last_review_without_next_date():
    page = make_page(["Advice."], last_reviewed="2023-08-06")
    (finding,) = run(page)
    assert finding.message == "This page was last reviewed on 6 August 2023, more than 3 years ago."
    assert run(make_page(["Advice."], last_reviewed="2023-11-25")) == []
    assert run(make_page(["Advice."], last_reviewed="2023-11-25"), review_cycle_years=1)


def test_no_dates_no_finding():
    assert run(make_page(["Advice."])) == []


ADVICE = " ".join(["Rest and take painkillers if your back hurts."] * 25)


def advice(url, **kwargs):
    return make_page([ADVICE], url=url, **kwargs)


def test_advice_page_heuristics():
    assert is_advice_page(advice("https://x/conditions/back-pain"))
    assert not is_advice_page(advice("https://x/"))
    assert not is_advice_page(advice("https://x/contact-us"))
    assert not is_advice_page(advice("https://x/news/2026/new-ward"))
    assert not is_advice_page(make_page(["Short page."], url="https://x/conditions/a"))
    hub = advice(
        "https://x/services",
        links=[Link(url="https://x/s", href="/s", text=ADVICE, tag="a", region="main", position=0)],
    )
    assert not is_advice_page(hub)


def run_site(pages):
    check = ReviewDateMissingCheck(make_ctx())
    for page in pages:
        check.observe(page)
    return list(check.finish())


def test_missing_review_date_only_where_the_site_uses_them():
    dated = [advice(f"https://x/a{i}", last_reviewed="2026-01-01") for i in range(3)]
    undated = [advice(f"https://x/b{i}") for i in range(5)] + [advice("https://x/contact-us")]
    findings = run_site(dated + undated)
    assert [f.url for f in findings] == [f"https://x/b{i}" for i in range(5)]
    assert findings[0].severity == "notice"
    assert (
        findings[0].message
        == "This advice page has no review date, unlike 3 of the site's 9 pages."
    )
    assert run_site(dated[:2] + undated) == []  # 2 of 8 pages: the site does not use them
