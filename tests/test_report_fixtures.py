"""Realistic runs for the report, history and gate tests: a small trust site with owners,
contacts, readability figures and findings of several kinds, and a hostile page whose
title and text try to run script in the report.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from content_audit.checks import load_all
from content_audit.core.config import Config
from content_audit.core.model import Contacts, Email, Finding, Page, Phone, assign_fingerprints
from content_audit.gate import Review, decide

load_all()

SITE = "https://www.example-trust.nhs.uk"
OWNERS = {
    f"{SITE}/services/maternity/": "Maternity services",
    f"{SITE}/services/": "Clinical services",
    "/patients/": "Patient experience",
}
XSS_TITLE = 'Visiting <script>window.__pwned=1;document.title="PWNED"</script> times'
XSS_TEXT = "<img src=x onerror=\"window.__pwned=1;document.title='PWNED'\">"
RUN = {
    "started": "2026-11-24T02:00:00+00:00",
    "finished": "2026-11-24T02:14:30+00:00",
    "start_urls": [f"{SITE}/"],
    "pages_crawled": 5,
    "links_checked": 140,
    "complete": True,
    "finish_reason": "finished",
    "today": "2026-11-24",
}


class FakeStore:
    """The run store's reading side: pages() in crawl order."""

    def __init__(self, pages: list[Page]) -> None:
        self._pages = pages

    def pages(self):
        return iter(self._pages)


def pages() -> list[Page]:
    maternity = Page(
        url=f"{SITE}/services/maternity/antenatal/",
        final_url=f"{SITE}/services/maternity/antenatal/",
        status=200,
        title="Antenatal care",
        word_count=640,
        figures={
            "reading_age": 14,
            "flesch_kincaid_grade": 9.2,
            "smog_index": 11.8,
            "smog_reliable": True,
            "flesch_reading_ease": 48.5,
            "words": 640,
        },
        contacts=Contacts(
            phones=[
                Phone(
                    text="01632 960 123",
                    href="tel:+441632960123",
                    context="Call the antenatal clinic on 01632 960 123, Monday to Friday.",
                    label="Antenatal clinic",
                )
            ],
            emails=[Email(text="antenatal@example-trust.nhs.uk", context="Email us.")],
        ),
    )
    physio = Page(
        url=f"{SITE}/services/physiotherapy/",
        final_url=f"{SITE}/services/physiotherapy/",
        status=200,
        title="Physiotherapy",
        figures={
            "reading_age": 10,
            "flesch_kincaid_grade": 5.1,
            "smog_index": 7.9,
            "smog_reliable": False,
            "flesch_reading_ease": 71.0,
            "words": 210,
        },
        contacts=Contacts(
            phones=[
                Phone(
                    text="+44 1632 960123",
                    context="Physiotherapy bookings: +44 1632 960123",
                    label="Physiotherapy",
                )
            ]
        ),
    )
    visiting = Page(
        url=f"{SITE}/patients/visiting/",
        final_url=f"{SITE}/patients/visiting/",
        status=200,
        title=XSS_TITLE,
        figures={"reading_age": 8, "flesch_kincaid_grade": 3.0, "smog_index": 6.0},
    )
    news = Page(url=f"{SITE}/news/", final_url=f"{SITE}/news/", status=200, title="News")
    home = Page(url=f"{SITE}/", final_url=f"{SITE}/", status=200, title="Home")
    return [home, maternity, physio, visiting, news]


def findings(variant: str = "a") -> list[Finding]:
    """Variant "a" is yesterday; "b" is today: the maternity broken link is fixed and a
    new placeholder-like typo appears on the physiotherapy page."""
    items = [
        Finding(
            rule="link-broken",
            severity="error",
            url=f"{SITE}/services/physiotherapy/",
            message="Broken link: the page no longer exists (404).",
            target=f"{SITE}/services/physio-old/",
            text="exercise leaflet",
            context="Download the exercise leaflet before your first appointment.",
            suggestion="Update the link to the leaflet's new address, or remove it.",
        ),
        Finding(
            rule="image-alt-missing",
            severity="warning",
            url=f"{SITE}/services/maternity/antenatal/",
            message="An image in the page content has no alt text.",
            target=f"{SITE}/img/scan.png",
            text="scan.png",
        ),
        Finding(
            rule="title-missing",
            severity="warning",
            url=f"{SITE}/news/",
            message="This page has no main heading (h1).",
            suggestion="News",
        ),
        Finding(
            rule="link-redirect",
            severity="notice",
            url=f"{SITE}/patients/visiting/",
            message="This link redirects to https://www.nhs.uk/visiting/.",
            target="javascript:alert(1)",
            text=XSS_TEXT,
            context=f"Read {XSS_TEXT} the visiting guidance & rules </script><script>window.__pwned=1</script>",
            suggestion="https://www.nhs.uk/visiting/",
        ),
    ]
    if variant == "a":
        items.append(
            Finding(
                rule="link-broken",
                severity="error",
                url=f"{SITE}/services/maternity/antenatal/",
                message="Broken link: the page no longer exists (404).",
                target=f"{SITE}/services/maternity/old-scan-info/",
                text="scan information",
                context="Read our scan information before you come in.",
            )
        )
    else:
        items.append(
            Finding(
                rule="link-broken",
                severity="error",
                url=f"{SITE}/services/physiotherapy/",
                message="Broken link: the server had an error (500).",
                target="https://external.example.org/back-pain",
                text="back pain advice",
                context="Read the back pain advice from our partners.",
            )
        )
    return assign_fingerprints(items)


def config(out: Path, **report: Any) -> Config:
    cfg = Config()
    cfg.site.start_urls = [f"{SITE}/"]
    cfg.report.out = str(out)
    cfg.report.owners = dict(OWNERS)
    cfg.today = "2026-11-24"
    for key, value in report.items():
        setattr(cfg.report, key, value)
    return cfg


def review_for(found: list[Finding], fail_on: str = "error", **kwargs: Any) -> Review:
    return Review(verdict=decide(found, fail_on=fail_on, **kwargs))


def test_fixture_is_consistent():
    assert len({f.fingerprint for f in findings("a")}) == 5
    assert {p.url for p in pages()} >= {f.url for f in findings("b")}
