"""findings.json, findings.csv, junit.xml, findings.sarif and summary.md."""

from __future__ import annotations

import csv
import json
from datetime import date
from xml.etree import ElementTree as ET

import pytest

from content_audit.baseline import write_baseline
from content_audit.checks.engine.registry import RULES
from content_audit.gate import ReviewStage
from content_audit.reports.markdown import md, md_link
from content_audit.reports.writer import write_reports
from tests.test_history import run_stage
from tests.test_report_fixtures import RUN, SITE, XSS_TITLE, FakeStore, config, findings, pages


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    """Two nights; the second with a baseline accepting yesterday's redirect notice."""
    tmp = tmp_path_factory.mktemp("formats")
    cfg = config(tmp / "out")
    first = findings("a")
    run_stage(cfg, "2026-11-23", first)
    baseline = tmp / "baseline.json"
    redirect = [f for f in first if f.rule == "link-redirect"]
    write_baseline(
        baseline, redirect, date(2026, 11, 23), reason="NHS.uk moves this page; checked monthly"
    )
    cfg.report.baseline = str(baseline)
    found = findings("b")
    review = run_stage(cfg, "2026-11-24", found)
    assert isinstance(review.accepted, dict) and len(review.accepted) == 1
    write_reports(
        cfg.out_dir, dict(RUN), FakeStore(pages()), found, cfg, review=review, rules=RULES
    )
    return cfg.out_dir


def test_findings_json_contract_is_additive(out):
    data = json.loads((out / "findings.json").read_text())
    assert data["schema_version"] == 1
    assert data["tool"]["name"] == "content-audit"
    for key in ("started", "finished", "start_urls", "pages_crawled", "links_checked", "complete"):
        assert key in data["run"]
    assert len(data["pages"]) == 5
    page = next(p for p in data["pages"] if p["url"].endswith("/antenatal/"))
    assert page["figures"]["reading_age"] == 14
    assert page["contacts"]["phones"][0]["text"] == "01632 960 123"
    assert page["owner"] == "Maternity services"
    finding = data["findings"][0]
    for key in ("rule", "severity", "url", "message", "target", "text", "context",
                "suggestion", "details", "fingerprint", "status", "first_seen"):  # fmt: skip
        assert key in finding
    assert {f["status"] for f in data["findings"]} == {"new", "persisting"}
    accepted = [f for f in data["findings"] if "accepted" in f]
    assert [f["rule"] for f in accepted] == ["link-redirect"]
    assert accepted[0]["accepted"] == {
        "reason": "NHS.uk moves this page; checked monthly",
        "expires": "2027-02-21",
    }
    assert [f["text"] for f in data["fixed"]] == ["scan information"]
    assert data["summary"]["new"] == 1 and data["summary"]["fixed"] == 1
    assert data["summary"]["accepted"] == 1
    assert data["verdict"]["exit_code"] == 1 and data["verdict"]["accepted"] == 1


def test_csv_has_every_finding_and_no_formulas(out, tmp_path):
    with (out / "findings.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 5
    assert list(rows[0])[:7] == ["Severity", "Status", "First seen", "Accepted", "Owner",
                                 "Page title", "Page URL"]  # fmt: skip
    broken = next(r for r in rows if r["Text found"] == "exercise leaflet")
    assert broken["Owner"] == "Clinical services"
    assert broken["In the sentence"].startswith("Download the exercise leaflet")
    redirect = next(r for r in rows if r["Rule"] == "link-redirect")
    assert redirect["Accepted"] == "until 2027-02-21: NHS.uk moves this page; checked monthly"

    from content_audit.reports.csv_report import write_findings_csv

    path = tmp_path / "f.csv"
    write_findings_csv(path, [{"message": "=HYPERLINK(\"http://evil\")", "text": "+1", "title": "-x", "url": "@y"}])  # fmt: skip
    row = next(csv.DictReader(path.open(encoding="utf-8-sig")))
    assert row["Problem"].startswith("'=") and row["Text found"] == "'+1"
    assert row["Page title"] == "'-x" and row["Page URL"] == "'@y"


def test_csv_lists_the_pages_a_template_wide_problem_is_on(tmp_path):
    """A broken footer link is one row, at the first page; the row says how many pages it
    is on and which, within what a spreadsheet cell holds."""
    from content_audit.reports.csv_report import MAX_CELL, write_findings_csv

    site = "https://www.example-trust.nhs.uk"
    every = [f"{site}/services/page-{i:05d}-with-a-long-enough-name.html" for i in range(2000)]
    rows = [
        {"url": every[0], "rule": "link-broken", "page_count": 2000, "pages": every},
        {"url": f"{site}/a", "rule": "placeholder", "page_count": 61,
         "example_pages": [f"{site}/a", f"{site}/b", f"{site}/c"]},
        {"url": f"{site}/d", "rule": "typo", "page_count": 1},
    ]  # fmt: skip
    path = tmp_path / "f.csv"
    write_findings_csv(path, rows)
    footer, banner, typo = list(csv.DictReader(path.open(encoding="utf-8-sig", newline="")))
    assert footer["Pages affected"] == "2000"
    also = footer["Also on"].split("\n")
    assert also[0] == every[1] and every[0] not in also
    assert len(footer["Also on"]) <= MAX_CELL
    assert also[-1] == f"and {2000 - len(also):,} more (findings.json lists them)"
    assert banner["Pages affected"] == "61"
    assert banner["Also on"].split("\n") == [f"{site}/b", f"{site}/c", "and 58 more pages"]
    assert typo["Pages affected"] == "1" and typo["Also on"] == ""


def test_junit_one_case_per_page_failures_at_failing_severity(out):
    root = ET.parse(out / "junit.xml").getroot()
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == 5
    # one failing page is one failure, however many findings it has
    assert suite.get("tests") == "5" and suite.get("failures") == "1"
    assert root.get("tests") == "5" and root.get("failures") == "1"
    assert sum(len(c.findall("failure")) for c in cases) == 1
    assert max(len(c.findall("failure")) for c in cases) == 1
    # times in seconds: the whole audit on the suite (14 min 30 s), each page's fetch
    assert suite.get("time") == root.get("time") == "870.000"
    assert all(float(c.get("time")) >= 0 for c in cases)
    physio = next(c for c in cases if c.get("name") == f"{SITE}/services/physiotherapy/")
    assert physio.get("classname") == "Clinical services"
    (failure,) = physio.findall("failure")
    assert failure.get("type") == "link-broken"
    assert failure.get("message") == "2 problems to fix on this page: link-broken"
    assert failure.text.count("[error] link-broken:") == 2
    assert "Suggested fix: Update the link" in failure.text
    news = next(c for c in cases if c.get("name") == f"{SITE}/news/")
    assert news.findall("failure") == []  # a warning, below the failing severity
    assert "[warning] title-missing" in news.find("system-out").text


def test_sarif_2_1_0(out):
    doc = json.loads((out / "findings.sarif").read_text())
    assert doc["version"] == "2.1.0"
    assert doc["$schema"].endswith("sarif-2.1.0.json")
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    by_id = {r["id"]: r for r in rules}
    assert by_id["link-broken"]["name"] == "BrokenLink"
    assert by_id["link-broken"]["shortDescription"]["text"] == RULES["link-broken"].name
    assert by_id["link-broken"]["fullDescription"]["text"] == RULES["link-broken"].summary
    assert RULES["link-broken"].fix in by_id["link-broken"]["help"]["text"]
    results = run["results"]
    assert len(results) == 5
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels == {"link-broken": "error", "image-alt-missing": "warning",
                      "title-missing": "warning", "link-redirect": "note"}  # fmt: skip
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        where = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert where["uriBaseId"] == "SITE" and not where["uri"].startswith(("http", "/"))
        assert result["properties"]["pageUrl"].startswith(SITE)
        assert result["properties"]["pageUrl"] in result["message"]["text"]
        assert len(result["partialFingerprints"]["contentAudit/v1"]) == 16
    redirect = next(r for r in results if r["ruleId"] == "link-redirect")
    assert redirect["suppressions"][0]["status"] == "accepted"
    assert {r.get("baselineState") for r in results} == {"new", "unchanged"}


def test_markdown_summary(out):
    text = (out / "summary.md").read_text()
    assert text.startswith("## ❌ Content audit: Failed: 2 errors (the gate fails on errors)")
    assert "| Pages audited | 5 |" in text
    assert "| New since 23 November 2026 | 1 |" in text
    assert "| Fixed since 23 November 2026 | 1 |" in text
    assert "| Accepted in the baseline | 1 |" in text
    assert "### New since the last audit (1)" in text
    assert "[Physiotherapy](https://www.example-trust.nhs.uk/services/physiotherapy/)" in text
    assert "| Clinical services | 2 | 0 | 0 | 1 |" in text


def test_markdown_escapes_page_text():
    assert "<script>" not in md(XSS_TITLE)
    assert md("a|b [x](javascript:y)") == "a\\|b \\[x\\](javascript:y)"
    assert md_link("click", "javascript:alert(1)") == "click"
    assert md_link("x", "https://e.org/a (b)") == "[x](https://e.org/a%20%28b%29)"


def test_step_summary_is_appended_when_set(tmp_path, monkeypatch):
    target = tmp_path / "step.md"
    target.write_text("## Earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "nhs-trust/website-audit")
    monkeypatch.setenv("GITHUB_RUN_ID", "123456")
    cfg = config(tmp_path / "out")
    stage = ReviewStage(cfg, RUN["started"])
    found = findings("b")
    review = stage.review(dict(RUN), FakeStore(pages()), found)
    write_reports(
        cfg.out_dir, dict(RUN), FakeStore(pages()), found, cfg, review=review, rules=RULES
    )
    stage.finish(True)
    text = target.read_text()
    assert text.startswith("## Earlier step\n")
    assert "(https://github.com/nhs-trust/website-audit/actions/runs/123456)" in text
    assert "Content audit: Failed" in text
    assert text.endswith((cfg.out_dir / "summary.md").read_text().rstrip("\n") + "\n\n")


def test_not_audited_writes_a_summary_and_no_stale_reports(tmp_path, monkeypatch):
    from content_audit.reports.writer import not_audited

    target = tmp_path / "step.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    out = tmp_path / "out"
    out.mkdir()
    (out / "findings.json").write_text("{}")  # yesterday's
    message = not_audited(out, "The site could not be audited: <b>refused</b>")
    assert message.startswith("The site could not be audited")
    assert not (out / "findings.json").exists()
    assert "not audited" in target.read_text()
    assert "&lt;b&gt;refused" in (out / "index.html").read_text()


def test_pages_read_once_for_the_gate_and_the_reports_give_the_same_reports(tmp_path):
    """The pipeline reads every page's summary once, for the history, the gate and the
    reports (``pages=``); each reading the run store itself gives the same files."""
    from content_audit.core.store import RunStore
    from content_audit.gate import REVIEW_FIELDS
    from content_audit.reports.writer import REPORT_FILES, REPORT_PAGE_FIELDS

    store = RunStore(tmp_path / "run.sqlite", fresh=True)
    for page in pages():
        store.add_page(page)
    store.commit()
    written = {}
    for way in ("each reads", "read once"):
        cfg = config(tmp_path / way)
        stage = ReviewStage(cfg, RUN["started"])
        found = findings("b")
        shared = None
        if way == "read once":
            shared = list(store.page_fields(tuple({*REVIEW_FIELDS, *REPORT_PAGE_FIELDS})))
            assert len(shared) == 5
        review = stage.review(dict(RUN), store, found, pages=shared)
        write_reports(
            cfg.out_dir, dict(RUN), store, found, cfg, review=review, pages=shared, rules=RULES
        )
        stage.finish(True)
        written[way] = {
            name: (cfg.out_dir / name).read_text(encoding="utf-8")
            for name in (*REPORT_FILES, "index.html")
        }
        assert review.verdict.failing  # the fixture's findings fail the gate: a real verdict
    for name, text in written["each reads"].items():
        assert written["read once"][name] == text, name
    assert '"Antenatal care"' in written["read once"]["findings.json"]


def test_the_job_summary_lists_the_errors_to_fix_first(tmp_path):
    """summary.md (the GitHub job summary) names the worst problems, not only counts."""
    cfg = config(tmp_path / "out")
    found = findings("b")
    write_reports(cfg.out_dir, dict(RUN), FakeStore(pages()), found, cfg, rules=RULES)
    summary = (cfg.out_dir / "summary.md").read_text(encoding="utf-8")
    errors = [f for f in found if f.severity == "error"]
    assert errors and f"### Fix these first: errors ({len(errors)})" in summary
    for f in errors:
        assert f.message.split(":")[0] in summary
