"""The report's layout on real sites (first-week review, item 17): a switchboard number in
every footer is one row, not 63; a site with no owners configured shows no "Unassigned" on
every card; the readability table has only the columns owners use."""

from __future__ import annotations

import html
import re
from pathlib import Path

from content_audit.checks.engine.registry import RULES
from content_audit.core.model import Contacts, Page, Phone
from content_audit.reports.html import contact_where
from content_audit.reports.writer import write_reports
from tests.test_report import section, visible_text
from tests.test_report_fixtures import RUN, SITE, FakeStore, config, findings, pages

SWITCHBOARD = "0113 843 0000"


def footer_site(n: int = 30) -> list[Page]:
    """The fixture's pages and n more, each with the switchboard in its footer; one page
    also gives it in its text."""
    site = pages()
    for i in range(n):
        url = f"{SITE}/services/s{i}/"
        phones = [Phone(text=SWITCHBOARD, label="Main switchboard", region="footer")]
        if i == 0:
            phones.append(Phone(text=SWITCHBOARD, context=f"Call us on {SWITCHBOARD}."))
        site.append(
            Page(url=url, final_url=url, status=200, title=f"Service {i}",
                 contacts=Contacts(phones=phones))
        )  # fmt: skip
    return site


def write(tmp: Path, site: list[Page], **report) -> Path:
    cfg = config(tmp / "out", **report)
    write_reports(cfg.out_dir, dict(RUN), FakeStore(site), findings("b"), cfg, rules=RULES)
    return cfg.out_dir


def test_where_a_number_appears_is_summed_up():
    places = [{"url": f"u{i}", "region": "footer"} for i in range(61)]
    places += [{"url": "u0", "region": "main"}, {"url": "x", "region": "main"}]
    assert contact_where(places) == {
        "pages": 62,
        "summary": "In the footer of 61 pages and in the page text of 2 pages",
        "inline": False,
    }
    one = contact_where([{"url": "a", "region": "main"}])
    assert one == {"pages": 1, "summary": "", "inline": True}


def test_a_number_in_every_footer_is_one_row_with_its_places_behind_a_summary(tmp_path):
    index = (write(tmp_path, footer_site()) / "index.html").read_text(encoding="utf-8")
    contacts = section(index, "contacts")
    rows = [r for r in re.findall(r"<tr>.*?</tr>", contacts, flags=re.S) if SWITCHBOARD in r]
    assert len(rows) == 1
    (row,) = rows
    text = visible_text(row)
    assert text.startswith(f"{SWITCHBOARD} Phone Main switchboard 30 ")
    assert "In the footer of 30 pages and in the page text of 1 page." in text
    assert '<details class="places"><summary>Show the 31 places</summary>' in row
    assert row.count("<li>") == 31
    # a number on one or two pages is listed as it is
    antenatal = next(r for r in re.findall(r"<tr>.*?</tr>", contacts, flags=re.S)
                     if "01632 960 123" in r)  # fmt: skip
    assert "<details" not in antenatal and '<ul class="places">' in antenatal


def test_with_no_owners_no_card_says_unassigned_and_summary_points_to_no_folder(tmp_path):
    out = write(tmp_path, pages(), owners={})
    index = (out / "index.html").read_text(encoding="utf-8")
    findings_part = section(index, "findings")
    assert "Unassigned" not in findings_part
    assert 'id="f-owner"' not in index
    assert '<option value="owner" hidden>' in index
    assert "Unassigned" not in section(index, "pages")
    assert "Unassigned" not in section(index, "readability")
    assert '"showOwner":false' in index
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "owners folder" not in summary
    assert "By section" not in summary
    assert "The full report is index.html in the report folder." in summary
    assert not (out / "owners").exists()


def test_with_owners_each_card_names_its_owner_and_summary_points_to_their_reports(tmp_path):
    out = write(tmp_path, pages())
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<span class="owner">Clinical services</span>' in section(index, "findings")
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "each section's own report is in its owners folder" in summary
    assert "### By section" in summary
    assert re.search(r"\| Clinical services \| \d+ \| \d+ \| \d+ \| – \|", summary)  # not "0 new"
    assert (out / "owners").is_dir()


def test_the_long_tables_stack_on_a_phone(tmp_path):
    index = (write(tmp_path, pages()) / "index.html").read_text(encoding="utf-8")
    for part in ("pages", "readability"):
        assert '<table class="sortable stack">' in section(index, part)
    assert 'data-label="Reading age"' in section(index, "readability")
    css = index[index.index("<style>") : index.index("</style>")]
    assert "td[data-label]::before{content:attr(data-label)" in css


def placeholder_report(tmp: Path) -> Path:
    """The fixture's night, and a placeholder in the template: its finding counts 61 pages
    and names two of them (checks.placeholders), as the sample site's does."""
    from content_audit.core.model import Finding, assign_fingerprints

    found = [
        *findings("b"),
        Finding(rule="placeholder-text", severity="error", url=f"{SITE}/news/",
                message="‘{vendor_count}’ shows on 61 of 61 pages.", text="{vendor_count}",
                details={"pages": 61, "example_pages": [f"{SITE}/", f"{SITE}/news/"]}),
    ]  # fmt: skip
    assign_fingerprints(found)
    cfg = config(tmp / "out")
    write_reports(cfg.out_dir, dict(RUN), FakeStore(pages()), found, cfg, rules=RULES)
    return cfg.out_dir


def test_the_summary_lists_errors_in_the_reports_order_with_their_page_counts(tmp_path):
    """summary.md's "Fix these first" is the report's order, and a site-wide problem says
    how many pages it is on, whether its finding lists them all or only some."""
    out = placeholder_report(tmp_path)
    summary = (out / "summary.md").read_text(encoding="utf-8")
    listed = summary.split("### Fix these first", 1)[1].split("\n\n", 2)[1].splitlines()
    assert listed[0].startswith("- ‘\\{vendor\\_count\\}’ shows on 61 of 61 pages.")
    assert listed[0].endswith("(on 61 pages)")
    index = (out / "index.html").read_text(encoding="utf-8")
    cards = re.findall(r'<p class="msg">(.*?)</p>', section(index, "findings"), flags=re.S)
    errors = [html.unescape(c) for c in cards[:3]]  # the report's three errors, in order
    for card, line in zip(errors, listed[:3], strict=True):
        assert card in line.replace("\\", ""), (card, line)


def test_a_placeholder_on_every_page_shows_some_of_its_pages(tmp_path):
    index = (placeholder_report(tmp_path) / "index.html").read_text(encoding="utf-8")
    card = re.findall(r"<article.*?</article>", section(index, "findings"), flags=re.S)[0]
    assert "vendor_count" in card
    assert "<summary>Show some of the 61 pages it is on</summary>" in card
    assert f'<a href="{SITE}/news/">' in card and "<li>and 59 more</li>" in card
