"""The HTML report, rendered from a realistic two-night run, read as a person reads it."""

from __future__ import annotations

import ast
import atexit
import functools
import html
import json
import re
import shutil
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from content_audit.checks.engine.registry import RULES
from content_audit.core.model import Finding, Page, assign_fingerprints
from content_audit.reports.data import owner_for, split_highlight
from content_audit.reports.html import STATIC_FINDINGS, script_json
from content_audit.reports.writer import write_reports
from tests.test_history import run_stage
from tests.test_report_fixtures import RUN, SITE, XSS_TITLE, FakeStore, config, findings, pages


def visible_text(markup: str) -> str:
    markup = re.sub(r"<script\b.*?</script>|<style\b.*?</style>", " ", markup, flags=re.S)
    markup = re.sub(r"<title>.*?</title>", " ", markup, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def section(markup: str, section_id: str) -> str:
    start = markup.index(f'<section id="{section_id}"')
    return markup[start : markup.index("</section>", start)]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """Night one: findings "a"; night two: findings "b" (one fixed, one new)."""
    tmp = tmp_path_factory.mktemp("report")
    cfg = config(tmp / "out")
    run_stage(cfg, "2026-11-23", findings("a"))
    found = findings("b")
    review = run_stage(cfg, "2026-11-24", found)
    write_reports(
        cfg.out_dir, dict(RUN), FakeStore(pages()), found, cfg, review=review, rules=RULES
    )
    return cfg.out_dir


@pytest.fixture(scope="module")
def index(report) -> str:
    return (report / "index.html").read_text(encoding="utf-8")


def test_summary_at_the_top(index):
    text = visible_text(index)
    top = text[: text.index("Findings Each finding")]
    assert (
        "Audit of https://www.example-trust.nhs.uk/ on 24 November 2026 , took 14 min 30 s" in top
    )
    assert "Failed: 2 errors (the gate fails on errors)" in top
    for expected in ("5 pages audited", "2 errors", "2 warnings", "1 notice",
                     "1 new since 23 November 2026", "1 fixed since 23 November 2026"):  # fmt: skip
        assert expected in top
    # the trend chart: one bar per complete run, inline SVG with an accessible title
    svg = index[index.index("<svg") : index.index("</svg>")]
    assert svg.count('<g class="bar') == 2
    assert "23 November 2026: 5; 24 November 2026: 5" in svg


def test_findings_show_page_highlight_message_and_fix(index):
    findings_html = section(index, "findings")
    assert (
        '<blockquote class="quote">Download the <mark>exercise leaflet</mark> before your '
        "first appointment.</blockquote>" in findings_html
    )
    text = visible_text(findings_html)
    assert "Broken link: the page no longer exists (404)." in text
    assert "Suggested fix: Update the link to the leaflet's new address, or remove it." in text
    assert "On Physiotherapy https://www.example-trust.nhs.uk/services/physiotherapy/" in text
    assert "New since the last audit" in text
    assert "Since 23 November 2026" in text
    # each finding links to its rule's explanation, which exists in the appendix
    for rule in re.findall(r'class="rule" href="#rule-([a-z-]+)"', findings_html):
        assert f'id="rule-{rule}"' in index


def test_rules_appendix_explains_why_and_how(index):
    about = visible_text(section(index, "about-rules"))
    rule = RULES["link-broken"]
    assert f"Why it matters: {rule.summary}" in about
    assert f"How to fix it: {rule.fix}" in about
    assert all(f'id="rule-{rule_id}"' in index for rule_id in RULES)


def test_owners_longest_prefix_wins_and_each_has_a_report(report, index):
    owners = visible_text(section(index, "owners"))
    for name in ("Maternity services", "Clinical services", "Patient experience", "Unassigned"):
        assert f"Report for {name}" in owners
    assert owners.index("Clinical services") < owners.index("Unassigned")  # Unassigned last
    links = re.findall(r'class="owner-link" href="(owners/[a-z0-9-]+\.html)"', index)
    assert sorted(links) == [
        "owners/clinical-services.html",
        "owners/maternity-services.html",
        "owners/patient-experience.html",
        "owners/unassigned.html",
    ]
    for link in links:
        assert (report / link).is_file()
    maternity = (report / "owners" / "maternity-services.html").read_text()
    text = visible_text(maternity)
    assert "Content audit for Maternity services" in text
    assert "Antenatal care" in text
    assert "Physiotherapy" not in text  # another owner's page
    assert "01632 960 123" in text and "antenatal@example-trust.nhs.uk" in text
    assert 'href="../index.html"' in maternity
    assert (report / "owners" / "maternity-services.csv").is_file()
    clinical = visible_text((report / "owners" / "clinical-services.html").read_text())
    assert "back pain advice" in clinical and "Antenatal" not in clinical


def test_owner_for_prefixes():
    owners = {f"{SITE}/services/": "Services", f"{SITE}/services/maternity/": "Maternity",
              "/patients/": "Patients"}  # fmt: skip
    assert owner_for(f"{SITE}/services/maternity/scan", owners) == "Maternity"
    assert owner_for(f"{SITE}/services/physio", owners) == "Services"
    assert owner_for("https://staging.example/patients/visiting", owners) == "Patients"
    assert owner_for(f"{SITE}/news/", owners) == "Unassigned"


def test_contacts_directory_groups_one_number_written_two_ways(index):
    contacts = section(index, "contacts")
    text = visible_text(contacts)
    assert "01632 960 123 Phone Antenatal clinic, Physiotherapy 2" in text
    assert "(shown as +44 1632 960123)" in text
    assert "Call the antenatal clinic on 01632 960 123, Monday to Friday." in text
    assert "antenatal@example-trust.nhs.uk Email" in text


def test_readability_table_worst_first_with_guidance(index):
    text = visible_text(section(index, "readability"))
    assert "NHS guidance aims for a reading age of 9 to 11" in text
    assert "not as a verdict" in text
    assert "Reading age Second estimate Words" in text  # side by side
    assert text.index("Antenatal care") < text.index("Physiotherapy") < text.index("Visiting")
    # the second estimate (SMOG) as a reading age too; no formula scores for owners
    assert "Antenatal care Maternity services 14 17 640" in text
    assert "Physiotherapy Clinical services 10 13* 210" in text
    for jargon in ("Flesch", "SMOG", "Reading ease", "grade"):
        assert jargon not in text, jargon


def test_report_without_figures_or_history_still_reads_well(tmp_path):
    cfg = config(tmp_path / "out")
    plain = [Page(url=f"{SITE}/", final_url=f"{SITE}/", status=200, title="Home")]
    write_reports(cfg.out_dir, dict(RUN), FakeStore(plain), [], cfg, rules=RULES)
    text = visible_text((cfg.out_dir / "index.html").read_text())
    assert "No problems found. Well done." in text
    assert "Readability was not measured in this audit." in text
    assert "No phone numbers or email addresses were found." in text


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_nothing_from_the_page_becomes_markup(index, report):
    for markup in [index, *(f.read_text() for f in (report / "owners").glob("*.html"))]:
        parser = Tags()
        parser.feed(markup)
        tags = parser.tags
        assert [t for t, _ in tags].count("script") == 2  # the report's own two
        assert not [t for t, _ in tags if t in ("img", "iframe", "object", "embed")]
        assert not [(t, a) for t, a in tags for name in a if name.startswith("on")]
        hrefs = [a["href"] for _, a in tags if a.get("href")]
        assert all(h.startswith(("http://", "https://", "#", "owners/", "../", "findings.csv"))
                   or h.endswith((".csv", ".html")) for h in hrefs), hrefs  # fmt: skip
    assert "&lt;img src=x onerror=" in index
    assert 'Link goes to: <span class="url">javascript:alert(1)</span>' in index
    # the embedded JSON cannot close its script element and round-trips exactly
    data_start = index.index('id="report-data">') + len('id="report-data">')
    raw = index[data_start : index.index("</script>", data_start)]
    assert "<" not in raw and ">" not in raw and "&" not in raw
    data = json.loads(raw)
    assert XSS_TITLE in data["s"]


def test_script_json_escapes_everything_that_could_break_out():
    value = {"t": "</script><script>alert(1)</script> & <!-- \u2028\u2029"}
    out = str(script_json(value))
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in out
    assert json.loads(out) == value


def test_compiled_templates_are_kept_between_runs(tmp_path, monkeypatch):
    """Each process that writes HTML compiles the templates: the second run (and the
    second writer) reads them back from the user cache instead; a cache that cannot be
    written costs the compile again, never the report."""
    from jinja2 import Environment

    from content_audit.reports.html import CompiledTemplates, _env

    def fresh_env() -> Environment:
        return _env.overlay(bytecode_cache=CompiledTemplates(), cache_size=0)

    monkeypatch.setenv("CONTENT_AUDIT_CACHE", str(tmp_path / "cache"))
    first = fresh_env().get_template("index.html.j2")
    kept = list((tmp_path / "cache" / "templates").iterdir())
    assert [f.suffix for f in kept] == [".cache"]  # one file a template
    second = fresh_env()
    monkeypatch.setattr(second, "compile", lambda *a, **k: pytest.fail("compiled again"))
    again = second.get_template("index.html.j2")
    assert again.root_render_func.__code__ == first.root_render_func.__code__
    # a cache folder that cannot be made: the report is still written
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("CONTENT_AUDIT_CACHE", str(tmp_path / "file"))
    assert fresh_env().get_template("index.html.j2").root_render_func is not None
    cfg = config(tmp_path / "out")
    write_reports(cfg.out_dir, dict(RUN), FakeStore(pages()), findings("a"), cfg, rules=RULES)
    assert "Content audit" in (cfg.out_dir / "index.html").read_text()


def test_split_highlight():
    assert split_highlight("Call us on 0300 123.", "0300 123") == ("Call us on ", "0300 123", ".")
    assert split_highlight("See The Leaflet", "the leaflet") == ("See ", "The Leaflet", "")
    assert split_highlight("Nothing here", "absent") is None
    assert split_highlight(None, "x") is None


def big_run(n_findings: int, n_pages: int) -> tuple[list[Page], list[Finding]]:
    site_pages = [
        Page(url=f"{SITE}/services/s{i // 50}/page-{i}/", final_url=f"{SITE}/services/s{i // 50}/page-{i}/",
             status=200, title=f"Service page {i}", figures={"reading_age": 8 + i % 9, "flesch_kincaid_grade": 3 + i % 9, "smog_index": 7.5})
        for i in range(n_pages)
    ]  # fmt: skip
    rules = ["link-broken", "image-alt-missing", "title-missing", "link-redirect"]
    sevs = ["error", "warning", "warning", "notice"]
    items = []
    for i in range(n_findings):
        page = site_pages[i % n_pages]
        k = i % 4
        items.append(
            Finding(
                rule=rules[k], severity=sevs[k], url=page.url,
                message=f"Broken link: the page no longer exists ({400 + k}).",
                target=f"{SITE}/old/{i}", text=f"leaflet {i}",
                context=f"Please read leaflet {i} before you come to the clinic for your appointment.",
                suggestion="Update the link to the page's new address, or remove it.",
            )
        )  # fmt: skip
    return site_pages, assign_fingerprints(items)


@functools.cache
def big_report() -> tuple[Path, float]:
    """20,000 findings on 2,000 pages of 40 owners, rendered once per test session."""
    site_pages, found = big_run(20_000, 2_000)
    out = Path(tempfile.mkdtemp(prefix="big-report-"))
    atexit.register(shutil.rmtree, out, True)
    cfg = config(out)
    cfg.report.owners = {f"{SITE}/services/s{i}/": f"Service {i}" for i in range(40)}
    started = time.perf_counter()
    write_reports(cfg.out_dir, dict(RUN), FakeStore(site_pages), found, cfg, rules=RULES)
    return cfg.out_dir, time.perf_counter() - started


def test_without_owners_the_site_report_is_the_only_one_and_says_how_to_split_it(tmp_path):
    """With no [report.owners], every page's owner is "Unassigned": a report for that one
    owner would repeat the site's. None is written, and the site's report says how to get
    a report per section."""
    cfg = config(tmp_path / "out", owners={})
    found = findings("b")
    write_reports(cfg.out_dir, dict(RUN), FakeStore(pages()), found, cfg, rules=RULES)
    index = (cfg.out_dir / "index.html").read_text(encoding="utf-8")
    owners = visible_text(section(index, "owners"))
    assert "No sections have owners yet" in owners
    assert "[report.owners]" in owners
    assert "owner-link" not in index
    assert not list(cfg.out_dir.glob("owners/*"))
    assert (cfg.out_dir / "findings.csv").is_file()  # the site's spreadsheet, as ever


def test_20000_findings_render_fast_and_small():
    out, elapsed = big_report()
    index = (out / "index.html").read_text()
    size = len(index.encode())
    print(f"\n20,000 findings: all reports in {elapsed:.1f} s, index.html {size / 1e6:.1f} MB")
    assert elapsed < 20
    assert size < 8_000_000
    # without JavaScript: the first findings, and a pointer to the CSV for the rest
    assert index.count('<article class="finding') == STATIC_FINDINGS
    assert "Showing the first 300 of 20,000 findings" in visible_text(index)
    assert 'href="findings.csv"' in index
    assert len(list((out / "owners").glob("*.html"))) == 40


def test_renderers_are_pure():
    """reports/ never imports the crawler or the checks (except the rule registry)."""
    for path in Path("reports").glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith("crawler"), f"{path} imports {name}"
                if name.startswith("checks"):
                    assert name == "content_audit.checks.engine.registry", f"{path} imports {name}"


def test_without_javascript_the_report_opens_on_what_to_fix_first(index):
    """The HTML itself, before any script runs, is in "fix these first" order (first-week
    review, item 14: it opened on four notices, grouped by owner): errors, new ones first,
    then warnings, pages near the top of the site first, then notices."""
    static = section(index, "findings")
    headings = re.findall(r'<h3 class="ghead">(.*?)</h3>', static, flags=re.S)
    assert headings == [
        "Errors: fix these first (2 findings)",
        "Warnings: fix these next (2 findings)",
        "Notices: when you can (1 finding)",
    ]
    texts = re.findall(r'<p class="msg">(.*?)</p>', static, flags=re.S)
    assert texts == [
        "Broken link: the server had an error (500).",  # new
        "Broken link: the page no longer exists (404).",
        "This page has no main heading (h1).",  # /news/: one folder down
        "An image in the page content has no alt text.",  # /services/maternity/antenatal/
        "This link redirects to https://www.nhs.uk/visiting/.",
    ]
    # the page's title and its address never run together ("...Trusthttp://...")
    assert '</a> <span class="url">' in static
    assert "</a><span" not in static


def test_priority_order_matches_the_script():
    """priority_order is report.js's priorityCompare: severity, pages it is on, new, depth
    of the page, owner, then the order findings came in."""
    from content_audit.reports.html import priority_order, url_depth

    assert url_depth("https://t.example/") == 0
    assert url_depth("https://t.example/services/msk/index.html") == 2
    assert url_depth("https://t.example/a/b.html?x=/c/d#e/f") == 2

    def row(sev, url, owner="B", status="persisting", pages=1):
        return {"severity": sev, "url": url, "owner": owner, "status": status,
                "page_count": pages}  # fmt: skip

    deep = row("error", "https://t.example/a/b/c.html")
    shallow = row("error", "https://t.example/a.html")
    footer = row("error", "https://t.example/a/b/c/d.html", pages=60)
    new = row("error", "https://t.example/x/y/z/w.html", status="new")
    owner_a = row("error", "https://t.example/a/b/d.html", owner="a")
    warning = row("warning", "https://t.example/", pages=99)
    rows = [warning, deep, shallow, footer, new, owner_a]
    assert priority_order(rows, has_history=True) == [footer, new, shallow, owner_a, deep, warning]
    # on a first audit every finding is new: none goes first for it
    assert priority_order(rows, has_history=False) == [footer, shallow, owner_a, deep, new, warning]


def test_an_owners_report_is_grouped_by_page_without_javascript(report):
    owner = (report / "owners" / "clinical-services.html").read_text(encoding="utf-8")
    headings = re.findall(r'<h3 class="ghead">(.*?)</h3>', section(owner, "findings"), flags=re.S)
    assert len(headings) == len(set(headings)) >= 1
    assert not any(h.startswith("Errors:") for h in headings)
