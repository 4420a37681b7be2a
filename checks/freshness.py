"""Freshness: review dates on advice pages.

Helpers the crawler calls to fill ``page.last_reviewed`` / ``page.next_review_due``:

* ``parse_uk_date(text, month_end=False) -> date | None``: the first date in `text`, in UK
  forms: "24 November 2026", "24th November 2026", "Tuesday 24 Nov 2026", "24/11/2026",
  "24.11.2026", "24-11-26", "2026-11-24", "November 24, 2026", and "November 2026" (the
  1st of the month, or its last day with ``month_end=True``). Day-first: "11/12/2026" is
  11 December.
* ``find_review_dates(text) -> (last_reviewed_iso, next_review_iso, matched_text)`` reads
  labels such as "Page last reviewed:", "Last reviewed:", "Reviewed:", "Date of last review",
  "Next review due:", "Next review:", "Review date:", "Date of next review", "To be reviewed
  by". A month without a day ("Next review due: November 2026") counts as the *last* day of
  that month, for both dates, so a page is never called overdue before its month is over.
  Bare "Reviewed" and "Review date" only count at the start of a line or after a label
  separator, so "your case will be reviewed on 3 May 2026" is not a review date.
  "Last updated", "Date updated", "Last modified (on)", "Updated" and "Published" count as
  the last review too (the latest date wins; "Published" only when it is the page's one
  date), at a line start or after a separator only. A date that can only be American
  ("12/25/2020") is read month first there.

Rules: review-overdue and review-date-missing, both site checks that keep a note a page
(see ``ReviewOverdueCheck``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from urllib.parse import urlsplit

from content_audit.checks.engine.registry import CheckContext, SiteCheck, define, site_check
from content_audit.checks.engine.text import word_count
from content_audit.core.dates import (  # noqa: F401
    find_date,
    find_review_dates,
    parse_uk_date,
    uk_date,
    us_order_dates,
)
from content_audit.core.model import Finding, Page

REVIEW_OVERDUE = define(
    "review-overdue",
    "warning",
    "The page is past its review date, so the advice may be out of date and people may "
    "trust it less.",
    "Check the page with its clinical or service owner, update anything that has changed, "
    "and set new review dates.",
    "freshness",
    name="Review overdue",
)
REVIEW_DATE_MISSING = define(
    "review-date-missing",
    "notice",
    "Most advice pages on this site show when they were last reviewed, but this one does "
    "not, so readers cannot tell if it is up to date.",
    "Add 'Page last reviewed' and 'Next review due' dates, as on the site's other pages.",
    "freshness",
    name="Review date missing",
)


def _iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _add_years(start: date, years: float) -> date:
    if float(years).is_integer():
        try:
            return start.replace(year=start.year + int(years))
        except ValueError:  # 29 February
            return start.replace(year=start.year + int(years), day=28)
    return start + timedelta(days=round(365.25 * years))


def _line_with(review_text: str, when: date) -> str | None:
    """The review line that gives this date, e.g. "Next review due: 1 March 2025"."""
    for line in review_text.splitlines():
        found = find_date(line, month_end=True)
        if found and found[0] == when:
            return line.strip()
        if any(us.value == when for us in us_order_dates(line)):
            return line.strip()  # "Date updated: 12/25/2020"
    return None


_CHANGED_RE = re.compile(r"updat|modif|edited|amended", re.I)
_PUBLISHED_RE = re.compile(r"publi", re.I)


def _what_was_done(line: str | None) -> str:
    """How the page's own date line puts it: "last reviewed", "last updated" or
    "published", so the message uses the owner's own words."""
    if line and "review" not in line.lower():
        if _CHANGED_RE.search(line):
            return "last updated"
        if _PUBLISHED_RE.search(line):
            return "published"
    return "last reviewed"


# documents that are dated, not reviewed: an annual report published in 2018 is not overdue
_PUBLICATION_SECTIONS = ("/publications/", "/board-papers/", "/annual-reports/", "/minutes/")


def _in_dated_section(url: str) -> bool:
    """News, blogs, events and publications: dated by when they came out."""
    path = urlsplit(url).path.lower() + "/"
    return any(part in path for part in (*_DATED_SECTIONS, *_PUBLICATION_SECTIONS))


def _review_note(page: Page) -> list[str | None] | None:
    """What review-overdue reads of a page: [next review due, last reviewed, the lines
    that give them], or None for a page without either date (or not one that counts)."""
    if not page.is_html or page.status >= 400:
        return None
    if not page.next_review_due and not page.last_reviewed:
        return None
    return [page.next_review_due, page.last_reviewed, page.review_text]


def _overdue(url: str, note: list[str | None] | None, ctx: CheckContext) -> Iterator[Finding]:
    if note is None:
        return
    next_due, last = _iso(note[0]), _iso(note[1])
    review_text = note[2] or ""
    shown = review_text.replace("\n", " ") or None
    if next_due is not None:
        if next_due < ctx.today:
            yield REVIEW_OVERDUE.finding(
                url,
                f"This page was due for review on {uk_date(next_due)}.",
                text=_line_with(review_text, next_due) or uk_date(next_due),
                context=shown,
                details={"next_review_due": next_due.isoformat(), "today": ctx.today.isoformat()},
            )
        return
    if last is None:
        return
    line = _line_with(review_text, last)
    done = _what_was_done(line)
    if done != "last reviewed" and _in_dated_section(url):
        return  # a news item is dated by publication, not reviewed
    years = ctx.config.review_cycle_years
    due = _add_years(last, years)
    if due < ctx.today:
        yield REVIEW_OVERDUE.finding(
            url,
            f"This page was {done} on {uk_date(last)}, more than {years:g} "
            f"year{'s' if years != 1 else ''} ago.",
            text=line or uk_date(last),
            context=shown,
            details={"last_reviewed": last.isoformat(), "review_cycle_years": years},
        )


@site_check
class ReviewOverdueCheck(SiteCheck):
    """review-overdue, page by page. A site check in form only: its note (the page's
    review dates) is kept for a page that has not changed, and compared each night with
    that night's date, which no kept page-check result could be."""

    rules = (REVIEW_OVERDUE,)

    reusable = True

    def __init__(self, ctx: CheckContext) -> None:
        super().__init__(ctx)
        self.found: list[Finding] = []

    def note(self, page: Page) -> list[str | None] | None:
        return _review_note(page)

    def take(self, url: str, note: list[str | None] | None) -> None:
        self.found.extend(_overdue(url, note, self.ctx))

    def finish(self) -> Iterator[Finding]:
        return iter(self.found)


# Pages that are not advice: listings, utilities and dated news.
_NOT_ADVICE_SEGMENTS = frozenset(
    [
        "contact",
        "contact-us",
        "contacts",
        "news",
        "latest-news",
        "blog",
        "events",
        "search",
        "sitemap",
        "site-map",
        "a-z",
        "az",
        "accessibility",
        "accessibility-statement",
        "privacy",
        "privacy-notice",
        "privacy-policy",
        "cookies",
        "cookie-policy",
        "terms",
        "terms-and-conditions",
        "disclaimer",
        "freedom-of-information",
        "foi",
        "vacancies",
        "jobs",
        "careers",
        "board-papers",
        "publications",
        "home",
        "index",
        "default",
    ]
)
_DATED_SECTIONS = ("/news/", "/blog/", "/events/", "/press-releases/", "/media-releases/")


def is_advice_page(page: Page, min_words: int = 80) -> bool:
    """A page that gives advice and so should carry review dates.

    Heuristics: at least `min_words` words of main content; not the home page; not a
    contact, search, news, events, site map, A to Z, privacy, cookie, accessibility or
    jobs page (judged from the last part of the address) nor a news or blog article
    (dated by publication instead); and not a hub page whose main content is mostly links.
    """
    if not page.is_html or page.status >= 400 or not page.main_found:
        return False
    words = word_count(page.main_text)
    if words < min_words:
        return False
    path = urlsplit(page.final_url or page.url).path.lower()
    segment = path.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if not segment or segment in _NOT_ADVICE_SEGMENTS:
        return False
    if any(part in path + "/" for part in _DATED_SECTIONS):
        return False
    link_words = sum(
        word_count(link.text) for link in page.links if link.region == "main" and link.tag == "a"
    )
    return link_words < 0.5 * words


@site_check
class ReviewDateMissingCheck(SiteCheck):
    """review-date-missing: only where the site uses review dates at all, that is on at
    least 30% of its HTML pages; then on each advice page (see `is_advice_page`) without
    either date. Memory: counts plus at most `keep` page addresses."""

    rules = (REVIEW_DATE_MISSING,)

    share = 0.3
    keep = 20_000

    def __init__(self, ctx: CheckContext) -> None:
        super().__init__(ctx)
        self.pages = 0
        self.dated = 0
        self.missing: list[str] = []

    reusable = True  # a page's note: whether it counts, has dates, or is advice without

    def note(self, page: Page) -> str | None:
        """ "dated", "missing" (an advice page without dates) or "" (neither); None for a
        page that does not count."""
        if not page.is_html or page.status >= 400:
            return None
        if page.last_reviewed or page.next_review_due:
            return "dated"
        return "missing" if is_advice_page(page) else ""

    def take(self, url: str, note: str | None) -> None:
        if note is None:
            return
        self.pages += 1
        if note == "dated":
            self.dated += 1
        elif note == "missing" and len(self.missing) < self.keep:
            self.missing.append(url)

    def finish(self) -> Iterator[Finding]:
        if not self.pages or self.dated < self.share * self.pages:
            return
        for url in self.missing:
            yield REVIEW_DATE_MISSING.finding(
                url,
                f"This advice page has no review date, unlike {self.dated} of the site's "
                f"{self.pages} pages.",
                details={"pages_with_dates": self.dated, "pages": self.pages},
            )
