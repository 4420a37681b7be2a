"""Link verdicts: each link on each page, judged from the one fetch of its target."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from checks.registry import CheckContext, define, page_check
from core.model import Fetch, Finding, Page
from core.urls import normalise

LINK_BROKEN = define(
    "link-broken",
    "error",
    "The link leads nowhere: people following it get an error instead of the page.",
    "Update the link to the page's new address, or remove it.",
    "links",
)
LINK_REDIRECT = define(
    "link-redirect",
    "warning",
    "The link goes through a redirect; redirects break when the other site changes again.",
    "Change the link to point straight at the final address shown.",
    "links",
)
LINK_UNVERIFIABLE = define(
    "link-unverifiable",
    "notice",
    "The other site refuses automated checks, so this link could not be verified.",
    "Open the link yourself once to confirm it still works.",
    "links",
)
PAGE_ERROR = define(
    "page-error",
    "error",
    "A page of the site could not be loaded, so nobody can read it.",
    "Ask the web team to fix the page or remove the links to it.",
    "links",
)

STATUS_WORDS = {
    400: "the server did not understand the request (400)",
    401: "the page needs a login (401)",
    403: "access is forbidden (403)",
    404: "the page no longer exists (404)",
    410: "the page has been removed for good (410)",
    500: "the server had an error (500)",
    502: "the server's gateway failed (502)",
    503: "the service is unavailable (503)",
    504: "the server's gateway timed out (504)",
}


def describe(fetch: Fetch) -> str:
    if fetch.status == 0:
        return fetch.error_detail or fetch.error or "no answer"
    return STATUS_WORDS.get(fetch.status, f"the server answered with an error ({fetch.status})")


def verdict(fetch: Fetch) -> str:
    """ok, broken, unverifiable or redirect."""
    if fetch.status == 0:
        return (
            "unverifiable" if fetch.error in ("robots", "blocked-address", "ignored") else "broken"
        )
    if fetch.status == 999 or fetch.status == 429:
        return "unverifiable"
    if fetch.status in (401, 403):
        return "unverifiable"
    if fetch.status >= 400:
        return "broken"
    if fetch.redirects:
        return "redirect"
    return "ok"


def _results(ctx: CheckContext) -> Mapping[str, Fetch]:
    return ctx.link_results or {}


@page_check
def check_links(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    results = _results(ctx)
    ignore = ctx.full_config.site.ignore_query_params if ctx.full_config else ()
    reported: set[tuple[str, str]] = set()
    for link in page.links:
        fetch = results.get(normalise(link.url, ignore))
        if fetch is None:
            continue
        kind = verdict(fetch)
        if kind == "ok" or (link.url, kind) in reported:
            continue
        reported.add((link.url, kind))
        where = {"link_text": link.text, "region": link.region, "status": fetch.status}
        if kind == "broken":
            yield LINK_BROKEN.finding(
                page.url, f"Broken link: {describe(fetch)}.", target=link.url, text=link.text,
                context=link.context or None, details={**where, "reason": fetch.error or "http"},
            )  # fmt: skip
        elif kind == "unverifiable":
            yield LINK_UNVERIFIABLE.finding(
                page.url, f"This link could not be checked: {describe(fetch)}.",
                target=link.url, text=link.text, context=link.context or None, details=where,
            )  # fmt: skip
        elif kind == "redirect":
            permanent = any(code in (301, 308) for _, code in fetch.redirects)
            finding = LINK_REDIRECT.finding(
                page.url, f"This link redirects to {fetch.final_url}.", target=link.url,
                text=link.text, context=link.context or None, suggestion=fetch.final_url,
                details={**where, "hops": len(fetch.redirects)},
            )  # fmt: skip
            if not permanent:
                finding.severity = "notice"
            yield finding


@page_check
def check_page_error(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    if page.status >= 500 or page.error:
        reason = page.error or f"the server answered with an error ({page.status})"
        yield PAGE_ERROR.finding(page.url, f"This page could not be loaded: {reason}.")
