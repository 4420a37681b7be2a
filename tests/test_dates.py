from datetime import date

import pytest

from content_audit.core.dates import find_dates, us_order_dates


@pytest.mark.parametrize(
    ("text", "shown", "value", "suggestion"),
    [
        ("Last updated: October 3, 2017", "October 3, 2017", date(2017, 10, 3), "3 October 2017"),
        ("on Oct 3rd 2017 we", "Oct 3rd 2017", date(2017, 10, 3), "3 October 2017"),
        ("Tuesday, October 3, 2017", "October 3, 2017", date(2017, 10, 3), "3 October 2017"),
        ("Date: 12/25/2020", "12/25/2020", date(2020, 12, 25), "25 December 2020"),
        ("Due 2-14-21.", "2-14-21", date(2021, 2, 14), "14 February 2021"),
    ],
)
def test_us_order_dates_are_found_with_the_british_form(text, shown, value, suggestion):
    (found,) = us_order_dates(text)
    assert (found.text, found.value, found.suggestion) == (shown, value, suggestion)
    assert text[found.start : found.end] == shown


@pytest.mark.parametrize(
    "text",
    [
        "3 October 2017",
        "Tuesday 3 October 2017",
        "11/11/2020",  # British day first
        "11/12/2020",  # could be either: read the British way
        "25/12/2020",
        "2019-04-02",
        "14.06.2020",
        "March 2021",
        "you may 5, 2021 be",  # not capitalised: not a month
        "13/25/2020",  # no such date either way
        "October 32, 2017",
        "version 1.2.3",
    ],
)
def test_british_and_impossible_dates_are_not_us_order(text):
    assert us_order_dates(text) == []


def test_find_dates_gives_every_date_in_order():
    text = "Closed from 1 February 2022 to 28 February 2022, and on 03/04/2022."
    assert [d for d, _s, _e in find_dates(text)] == [
        date(2022, 2, 1),
        date(2022, 2, 28),
        date(2022, 4, 3),
    ]
    assert find_dates("no dates here") == []


def test_label_search_around_hint_words_finds_what_a_full_search_finds():
    """find_review_dates looks for labels only near their hint words, for speed."""
    import random

    from content_audit.core.dates import _LABEL_RE, label_matches

    words = [
        "date", "of", "next", "review", "reviewed", "Review", "due", "for", "to", "be", "by",
        "on", "in", "last", "page", "content", ":", "-", "–", "3", "March", "2025", "May",
        "2026", "1/2/2024", "Advice", "text", "about", "feet.", "|", "Reviewed:", "June 2027",
        "12 January 2026", "revıewed", "REVIEW", "DATE", "Last updated:", "Published",
        "updated", "modified", "10/24/2019", "Date", "publıshed", "this", "This page was",
        "was", "leaflet", "first", "published", "publication", "Updated", "edited", "\n",
    ]  # fmt: skip
    rng = random.Random(11)
    for _ in range(5000):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 60)))
        assert [m.span() for m in label_matches(text)] == [
            m.span() for m in _LABEL_RE.finditer(text)
        ], text
