"""Page basics: a title, a main heading, and alt text on images in the advice."""

from __future__ import annotations

import re
from collections.abc import Iterator

from content_audit.checks.engine.registry import CheckContext, define, page_check
from content_audit.checks.engine.text import quote
from content_audit.core.model import Finding, Page

TITLE_MISSING = define(
    "title-missing",
    "warning",
    "The page has no title, or no main heading, so people and search engines cannot tell what it is about.",
    "Give the page a <title> and one <h1> that say what the page is for.",
    "basics",
    name="Title or main heading missing",
)
IMAGE_ALT_MISSING = define(
    "image-alt-missing",
    "warning",
    "An image in the page content has no text alternative, so people using screen readers miss it.",
    'Add alt text that says what the image shows, or alt="" if it is only decoration.',
    "basics",
    name="Image without alt text",
)


PAGE_ENCODING = define(
    "page-encoding",
    "warning",
    "The page declares the wrong character set, so some letters show as boxes or question marks.",
    'Ask the web team to serve the page as UTF-8 and declare it (<meta charset="utf-8">).',
    "basics",
    name="Wrong character set",
)


ENCODING_ACTION = (
    "Ask the web team to correct the page's character set; the letters are right in what "
    "you wrote, so there is nothing to retype."
)


@page_check(rules=(PAGE_ENCODING,), reusable=True)
def check_encoding(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    if page.encoding_problem:
        # what is wrong in plain words; the character sets' names (utf-8, cp1252) are
        # for the web team, who fix it: in the details (findings.json), not the card
        yield PAGE_ENCODING.finding(
            page.url,
            "Some letters on this page show as \ufffd, because the page is not saved in "
            "the character set it says it uses.",
            action=ENCODING_ACTION,
            details={"technical": page.encoding_problem},
        )


@page_check(rules=(TITLE_MISSING,), reusable=True)
def check_title_and_h1(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    if not page.is_html or page.status >= 400 or page.error:
        return
    if not page.title.strip():
        yield TITLE_MISSING.finding(page.url, "This page has no title.", suggestion=_h1(page))
    if not any(level == 1 and text.strip() for level, text in page.headings):
        yield TITLE_MISSING.finding(
            page.url,
            "This page has no main heading (h1).",
            text=None,
            suggestion=heading_from_title(page.title) or None,
            details={"element": "h1"},
        )


# "Respiratory service - Northdale Community Health NHS Trust": the site's name after
# the last separator is the title's, not the heading's
_TITLE_SUFFIX_RE = re.compile(r"\s+[-–—|]\s+(?!.*\s[-–—|]\s)[^\n]+$")


def heading_from_title(title: str) -> str:
    """A page's title less the site's name after it, as a suggested main heading."""
    title = " ".join((title or "").split())
    short = _TITLE_SUFFIX_RE.sub("", title)
    return short if short else title


def _h1(page: Page) -> str | None:
    return next((text for level, text in page.headings if level == 1 and text), None)


@page_check(rules=(IMAGE_ALT_MISSING,), reusable=True)
def check_image_alt(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    for image in page.images:
        if image.region == "main" and image.alt is None:
            name = image.src.rsplit("/", 1)[-1].split("?", 1)[0] or image.src
            yield IMAGE_ALT_MISSING.finding(
                page.url,
                f"The image {quote(name)} in the page content has no alt text.",
                target=image.src,
                text=image.src.rsplit("/", 1)[-1],
            )
