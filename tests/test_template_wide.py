"""A problem in the site template (header, menu, footer) is one finding with the pages it
is on, not one per page; it still fails the gate."""

from __future__ import annotations

import re

import pytest

from content_audit.checks.engine.template_wide import group_template_findings
from content_audit.checks.links import LINK_BROKEN
from content_audit.core.model import Finding
from tests.webserver import Reply, WebServer

SITE = "https://trust.example"
GONE = f"{SITE}/old-accessibility-statement"


def broken(page: str, region: str, target: str = GONE) -> Finding:
    return LINK_BROKEN.finding(
        f"{SITE}{page}",
        "Broken link: the page no longer exists (404).",
        target=target,
        text="Accessibility statement",
        details={"region": region, "status": 404},
    )


def test_footer_link_on_every_page_is_one_finding_with_its_pages() -> None:
    pages = ["/", *(f"/services/{i}/" for i in range(9))]
    found = group_template_findings([broken(p, "footer") for p in pages], site_pages=10)
    (one,) = found
    assert one.url == f"{SITE}/"  # the shortest address: the same page every night
    assert one.severity == "error"
    assert one.details["pages"] == 10
    assert one.details["affected_pages"][0] == f"{SITE}/"
    assert sorted(one.details["affected_pages"]) == sorted(f"{SITE}{p}" for p in pages)
    assert one.message == (
        "Broken link: the page no longer exists (404). It is in the footer, so it shows on "
        "10 pages; fixing it once in the template fixes every page."
    )
    assert "Ask the web team to change it in the footer" in one.suggestion


def test_links_in_the_page_content_stay_per_page_unless_on_most_pages() -> None:
    few = [broken(f"/p{i}/", "main") for i in range(3)]
    assert len(group_template_findings(few, site_pages=10)) == 3  # each page's own fix
    most = [broken(f"/p{i}/", "main") for i in range(6)]
    assert len(group_template_findings(most, site_pages=10)) == 1
    two = [broken(f"/p{i}/", "footer") for i in range(2)]
    assert len(group_template_findings(two, site_pages=10)) == 2  # too few to be a template


def test_different_targets_or_messages_are_different_problems() -> None:
    found = [broken(f"/p{i}/", "footer") for i in range(4)]
    found += [broken(f"/p{i}/", "footer", target=f"{SITE}/other") for i in range(4)]
    grouped = group_template_findings(found, site_pages=4)
    assert sorted(f.target for f in grouped) == [GONE, f"{SITE}/other"]
    assert all(f.details["pages"] == 4 for f in grouped)


def page(title: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{title}</title>'
        '</head><body><header><a href="/">Home</a></header><main>'
        f"<h1>{title}</h1><p>Advice about {title.lower()} from our team.</p>"
        + "".join(f'<p><a href="/service-{i}">Service {i}</a></p>' for i in range(9))
        + '</main><footer><a href="/old-accessibility-statement">Accessibility statement</a>'
        "</footer></body></html>"
    )


@pytest.mark.e2e
def test_dead_footer_link_is_reported_once_and_fails_the_gate(audit) -> None:
    routes = {"/": Reply(body=page("Home"))}
    routes.update({f"/service-{i}": Reply(body=page(f"Service {i}")) for i in range(9)})
    with WebServer(routes) as server:
        run = audit([server.url + "/"], config="[site]\nuse_sitemap = false\n")
    (finding,) = run.findings("link-broken")
    assert finding["url"] == server.url + "/"
    assert finding["details"]["pages"] == 10
    assert len(finding["details"]["affected_pages"]) == 10
    assert "It is in the footer, so it shows on 10 pages" in finding["message"]
    assert run.code == 1, run.stdout  # still an error: the gate fails on it
    assert re.search(r"^  Error findings\s+1$", run.stdout, re.M), run.stdout
    report = (run.out / "index.html").read_text(encoding="utf-8")
    assert "Show the 10 pages it is on" in report
    assert f'<a href="{server.url}/service-8">{server.url}/service-8</a>' in report


def test_the_same_words_on_many_pages_stay_each_pages_own() -> None:
    """A plain-English or grammar finding in the main content of half the pages is each
    page's own wording, never "in the template" (found in review: "ensure" on 3 of 6 pages
    became one finding that told the owner to ask the web team to change the template)."""
    from content_audit.checks.plain_english import PLAIN_ENGLISH

    def wording(page: str, region: str | None) -> Finding:
        details = {"region": region} if region else {}
        return PLAIN_ENGLISH.finding(f"{SITE}{page}", "Use a plainer word.", text="ensure",
                                     suggestion="make sure", details=details)  # fmt: skip

    for region in ("main", None):
        found = [wording(f"/p{i}/", region) for i in range(3)]
        assert len(group_template_findings(found, site_pages=6)) == 3
    footer = [wording(f"/p{i}/", "footer") for i in range(3)]
    assert len(group_template_findings(footer, site_pages=6)) == 1  # the template's words
