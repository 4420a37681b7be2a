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


# -- update and publication labels, every common date form -----------------------------------
@pytest.mark.parametrize(
    ("text", "last"),
    [
        ("Last updated: October 3, 2017", "2017-10-03"),
        ("Date updated: 11/11/2020", "2020-11-11"),
        ("last modified on: 6 May 2021", "2021-05-06"),
        ("Last modified 2019-04-02", "2019-04-02"),
        ("Updated 14.06.2020", "2020-06-14"),
        ("Published: March 2021", "2021-03-31"),
        ("Page updated: 3rd June 2022", "2022-06-03"),
        ("This page was last updated on 6 May 2021", "2021-05-06"),
        ("Date updated: 12/25/2020", "2020-12-25"),  # can only be month first
        ("Leaflet | Last update: 2 Feb 2023", "2023-02-02"),
        # the latest of reviewed and updated wins
        ("Page last reviewed: 3 May 2019\nLast updated: 4 June 2024", "2024-06-04"),
        ("Last updated: 4 June 2019\nPage last reviewed: 3 May 2024", "2024-05-03"),
        # a publication date counts only when nothing else does
        ("Published: 1 May 2018\nLast updated: 4 June 2024", "2024-06-04"),
    ],
)
def test_update_labels_give_the_last_date(text, last):
    assert find_review_dates(text)[0] == last


@pytest.mark.parametrize(
    "text",
    [
        "The NICE guideline was last updated in May 2019.",
        "We updated our leaflet on 3 May 2019 after feedback.",
        "Updated guidance from 3 May 2021 says you should rest.",
        # a list of publications gives many dates: none of them is the page's
        "Annual report\nPublished: 1 May 2018\nQuality account\nPublished: 3 June 2019",
        "Published 2020",
    ],
)
def test_update_words_in_sentences_are_not_page_dates(text):
    assert find_review_dates(text)[0] is None


def test_old_update_date_is_overdue_in_the_owners_words():
    page = make_page(
        ["Advice."],
        last_reviewed="2017-10-03",
        review_text="Last updated: October 3, 2017",
    )
    (finding,) = run(page)
    assert finding.rule == "review-overdue"
    assert finding.message == "This page was last updated on 3 October 2017, more than 3 years ago."
    assert finding.text == "Last updated: October 3, 2017"


def test_us_only_date_line_is_shown():
    page = make_page(
        ["Advice."], last_reviewed="2020-12-25", review_text="Date updated: 12/25/2020"
    )
    (finding,) = run(page)
    assert finding.text == "Date updated: 12/25/2020"
    assert "last updated on 25 December 2020" in finding.message


def test_news_items_are_dated_not_reviewed():
    news = make_page(
        ["Our new clinic opened."],
        url="https://www.example-trust.nhs.uk/news/new-clinic",
        last_reviewed="2019-05-01",
        review_text="Published: 1 May 2019",
    )
    assert run(news) == []
    report = make_page(
        ["Our annual report."],
        url="https://www.example-trust.nhs.uk/publications/annual-report-2018",
        last_reviewed="2018-05-01",
        review_text="Published: 1 May 2018",
    )
    assert run(report) == []
    # a review date on a news page is still the owner's promise
    news.review_text = "Reviewed: 1 May 2019"
    assert len(run(news)) == 1


def test_review_cycle_setting_applies_to_update_dates():
    page = make_page(
        ["Advice."], last_reviewed="2025-06-01", review_text="Last updated: 1 June 2025"
    )
    assert run(page) == []
    (finding,) = run(page, review_cycle_years=1)
    assert "more than 1 year ago" in finding.message


def test_numeric_date_at_the_end_of_a_sentence():
    assert parse_uk_date("It was updated on 11/11/2020.") == date(2020, 11, 11)
    assert parse_uk_date("version 1.2.2020.4") is None


@pytest.mark.parametrize(
    ("html", "last", "shown"),
    [
        (
            "<footer><p>Last updated: October 3, 2017</p></footer>",
            "2017-10-03",
            "Last updated: October 3, 2017",
        ),
        (
            "<main><dl><dt>Date updated:</dt><dd>11/11/2020</dd></dl></main>",
            "2020-11-11",
            "Date updated: 11/11/2020",
        ),
        (
            "<main><p>Posted by Admin | last modified on: 6 May 2021</p></main>",
            "2021-05-06",
            "last modified on: 6 May 2021",
        ),
        ("<main><p>Published: <time>March 2021</time></p></main>", "2021-03-31",
         "Published: March 2021"),
    ],
)  # fmt: skip
def test_update_dates_are_read_from_pages(html, last, shown):
    from content_audit.core.model import Page
    from content_audit.crawler.extract import extract_page

    page = extract_page(
        Page(url="https://x.example/a", final_url="https://x.example/a", status=200),
        f"<html><body><main><h1>Feet</h1><p>Advice.</p></main>{html}</body></html>",
    )
    assert (page.last_reviewed, page.review_text) == (last, shown)
    (finding,) = run(page)
    assert finding.text == shown
    assert "last updated" in finding.message or "published" in finding.message
