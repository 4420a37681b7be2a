"""Every content rule on small HTML snippets: extraction and checks together, as a page
would really go through them. Each rule has a snippet that must be flagged and one that
must not (the false alarms that make people stop reading reports)."""

from __future__ import annotations

from datetime import date

import pytest

from content_audit.checks.registry import CheckContext
from content_audit.checks.runner import run_checks
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


PAGE_CASES = [
    # (rule, flagged main content, clean main content)
    (
        "sentence-long",
        "<h1>Back pain</h1><p>If your back pain has not started to get better after a few weeks "
        "of gentle exercise and painkillers you should make an appointment to see a GP.</p>",
        "<h1>Back pain</h1><p>See a GP if your back pain is not getting better after a few weeks.</p>",
    ),
    (
        "plain-english",
        "<h1>Back pain</h1><p>We utilise exercise to help you recover.</p>",
        "<h1>Back pain</h1><p>We use exercise to help you recover. A key worker will help.</p>",
    ),
    (
        "nhs-style",
        "<h1>Back pain</h1><p>The clinic is open 9am - 5pm.</p>",
        "<h1>Back pain</h1><p>The clinic is open 9am to 5pm. Please telephone us.</p>",
    ),
    (
        "placeholder",
        "<h1>Back pain</h1><p>Call us about {service_name} today.</p>",
        "<h1>Back pain</h1><p>The contract is null and void. Call us today.</p>",
    ),
    (
        "phone-invalid",
        "<h1>Back pain</h1><p>Phone: 0113 843 190</p>",
        "<h1>Back pain</h1><p>Phone: 0113 843 1909</p>",
    ),
    (
        "phone-inconsistent",
        "<h1>Back pain</h1><p>Phone: <a href='tel:+441138431999'>0113 843 1909</a></p>",
        "<h1>Back pain</h1><p>Phone: <a href='tel:+441138431909'>0113 843 1909</a></p>",
    ),
    (
        "email-invalid",
        "<h1>Back pain</h1><p>Email: <a href='mailto:physio@northdale-nhs'>physio@northdale-nhs</a></p>",
        "<h1>Back pain</h1><p>Email: <a href='mailto:physio@northdale.nhs.uk'>physio@northdale.nhs.uk</a></p>",
    ),
    (
        "review-overdue",
        "<h1>Back pain</h1><p>Page last reviewed: 1 March 2022</p><p>Next review due: 1 March 2025</p>",
        "<h1>Back pain</h1>" + REVIEW,
    ),
    (
        "image-alt-missing",
        "<h1>Back pain</h1><img src='/stretch.png'>",
        "<h1>Back pain</h1><img src='/stretch.png' alt=''><img src='/x.png' alt='A stretch'>",
    ),
    (
        "title-missing",
        "<h2>Back pain</h2><p>Keep moving.</p>",
        "<h1>Back pain</h1><p>Keep moving.</p>",
    ),
    (
        "typo",
        "<h1>Back pain</h1><p>You will recieve a letter.</p>",
        "<h1>Back pain</h1><p>Our paediatric physiotherapy team treats sciatica. "
        "Go to A&amp;E or call NHS 111. MindMate helps young people. See your GP.</p>",
    ),
    (
        "spelling-american",
        "<h1>Back pain</h1><p>Our pediatric team can help.</p>",
        "<h1>Back pain</h1><p>Our paediatric team at the health centre can help.</p>",
    ),
    (
        "readability-hard",
        "<h1>Back pain</h1>"
        + "<p>Comprehensive multidisciplinary rehabilitation necessitates individualised "
        "pharmacological optimisation, progressive mobilisation and systematic evaluation of "
        "musculoskeletal functionality.</p>" * 8,
        # three easy paragraphs, not one three times (that is content-repeated)
        "<h1>Back pain</h1>"
        + FILLER
        + FILLER.replace("Back", "Neck")
        + FILLER.replace("Back", "Shoulder"),
    ),
    (
        "content-outdated",
        "<h1>Back pain</h1><p>If you need advice at night, phone NHS Direct.</p>",
        "<h1>Back pain</h1><p>If you need advice at night, call NHS 111.</p>"
        "<p>NHS 111 replaced NHS Direct in 2014.</p>",
    ),
    (
        "content-outdated",
        "<h1>Back pain</h1><p>The back pain class is cancelled until 4 March 2024.</p>",
        "<h1>Back pain</h1><p>The back pain class is cancelled until 4 March 2027.</p>",
    ),
    (
        "content-repeated",
        "<h1>Back pain</h1>" + FILLER + "<h2>At work</h2><p>Take breaks.</p>" + FILLER,
        "<h1>Back pain</h1>" + FILLER + "<h2>Clinics</h2><ul><li>Phone: 0113 496 0000 "
        "(Monday to Friday, 9am to 5pm, except bank holidays and training days)</li>"
        "<li>Phone: 0113 496 0000 (Monday to Friday, 9am to 5pm, except bank holidays and "
        "training days)</li></ul>",
    ),
    (
        "placeholder",
        "<h1>Back pain</h1><p>** single-gpage.php **</p><p>(Visited 8,405 times, 917 visits "
        "today)</p><p>Rest and keep moving.</p>",
        "<h1>Back pain</h1><p>Rest and keep moving [see below].</p>",
    ),
]


@pytest.mark.parametrize(("rule", "bad", "good"), PAGE_CASES, ids=[c[0] for c in PAGE_CASES])
def test_rule_flags_the_bad_snippet_and_not_the_good_one(tmp_path, rule, bad, good):
    assert rule in rules_on(tmp_path / "bad", bad + REVIEW)
    assert rules_on(tmp_path / "good", good + REVIEW) == set()


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
