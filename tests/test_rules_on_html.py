"""Content rules on small HTML snippets, extraction and checks together: what lies outside
the main content, short pages, and the rules that compare pages. Each rule's own flagged
and must-not-flag pages are its fixture in tests/rules/ (tests/test_rule_fixtures.py)."""

from __future__ import annotations

from datetime import date

from content_audit.checks.engine.registry import CheckContext
from content_audit.checks.engine.runner import run_checks
from content_audit.core.config import ChecksConfig, Config
from content_audit.core.model import Page
from content_audit.core.store import RunStore
from content_audit.crawler.extract import extract_page

SITE = "https://www.example-trust.nhs.uk"
REVIEW = "<p>Page last reviewed: 6 August 2025</p><p>Next review due: 6 August 2028</p>"
FILLER = (
    "<p>Back pain is common and usually gets better on its own within a few weeks. "
    "Keep moving and carry on with your normal activities as much as you can. "
    "You can take painkillers such as ibuprofen or paracetamol to help. "
    "Hot or cold packs can ease the pain for a short time.</p>"
)


def layout(main: str, title: str = "Back pain") -> str:
    return (
        f"<!doctype html><html lang='en-GB'><head><title>{title}</title></head><body>"
        "<header><a href='/'>Home</a></header><nav><a href='/services/'>Services</a></nav>"
        "<div class='cookie-banner'><p>We use cookies to make this site work.</p></div>"
        f"<main>{main}</main>"
        "<footer><p>Northdale Community Health NHS Trust, LS1 4AP</p></footer></body></html>"
    )


def audit_pages(tmp_path, pages: dict[str, str]) -> dict[str, set[tuple[str, str | None]]]:
    """{path: {(rule, text)}} for the given {path: html}."""
    store = RunStore(tmp_path / "run.sqlite", fresh=True)
    for path, html in pages.items():
        url = SITE + path
        store.add_page(extract_page(Page(url=url, final_url=url, status=200), html))
    store.commit()
    config = Config(today="2026-11-24")
    ctx = CheckContext(
        config=ChecksConfig(),
        today=date(2026, 11, 24),
        site_origin=SITE,
        full_config=config,
        link_results={},
    )
    found: dict[str, set[tuple[str, str | None]]] = {path: set() for path in pages}
    for finding in run_checks(store, ctx):
        found[finding.url[len(SITE) :]].add((finding.rule, finding.text))
    return found


def rules_on(tmp_path, main: str, title: str = "Back pain") -> set[str]:
    found = audit_pages(tmp_path, {"/a.html": layout(main, title)})["/a.html"]
    return {rule for rule, _text in found}


def test_text_outside_main_is_not_checked_as_advice(tmp_path):
    nav_typo = layout("<h1>Back pain</h1><p>Keep moving.</p>" + REVIEW).replace(
        "We use cookies to make this site work.", "We utilise cookies to recieve your choices."
    )
    found = audit_pages(tmp_path, {"/a.html": nav_typo})["/a.html"]
    assert found == set()


def test_a_short_page_gets_figures_but_no_readability_finding(tmp_path):
    hard = (
        "<h1>Back pain</h1><p>Comprehensive multidisciplinary rehabilitation necessitates "
        "individualised pharmacological optimisation.</p>"
    )
    assert "readability-hard" not in rules_on(tmp_path, hard + REVIEW)


def test_site_wide_rules(tmp_path):
    advice = FILLER + "<p>Our podiatry team can help with foot problems.</p>"
    pages = {
        **{
            f"/p{n}.html": layout(f"<h1>Page {n}</h1><p>Advice {n}.</p>" + REVIEW) for n in range(4)
        },
        # one service, two numbers on two pages
        "/podiatry.html": layout(
            "<h1>Podiatry</h1><h2>Podiatry</h2><p>Phone: 0113 843 2000</p>" + REVIEW
        ),
        "/feet.html": layout("<h1>Feet</h1><h2>Podiatry</h2><p>Phone: 0113 843 2001</p>" + REVIEW),
        # near-identical pages
        "/dup1.html": layout("<h1>Foot health</h1>" + advice * 2 + REVIEW),
        "/dup2.html": layout("<h1>Foot health</h1>" + advice * 2 + REVIEW),
        # an advice page without review dates on a site that uses them
        "/no-review.html": layout("<h1>Falls</h1>" + FILLER * 2),
    }
    # the same placeholder in every page's cookie banner: one finding for the site
    pages = {
        path: html.replace("We use cookies", "We use {vendor_count} cookies")
        for path, html in pages.items()
    }
    found = audit_pages(tmp_path, pages)
    placeholders = [p for p, hits in found.items() if ("placeholder", "{vendor_count}") in hits]
    assert len(placeholders) == 1
    assert any(rule == "phone-inconsistent" for hits in found.values() for rule, _ in hits)
    assert any(rule == "content-duplicate" for hits in found.values() for rule, _ in hits)
    assert ("review-date-missing", None) in found["/no-review.html"]
