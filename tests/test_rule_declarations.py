"""Rules the ruff way: every check declares the rules it reports. A finding of a rule its
check did not declare is a bug; a check whose rules are all turned off does not run."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from content_audit.checks import load_all
from content_audit.checks.engine.registry import (
    PAGE_CHECKS,
    RULES,
    SITE_CHECKS,
    CheckContext,
    declared_rules,
    page_check,
    site_check,
)
from content_audit.checks.engine.runner import check_page
from content_audit.core.config import ChecksConfig, Config
from content_audit.core.model import Page
from content_audit.crawler.extract import extract_page

ROOT = Path(__file__).resolve().parent.parent
SITE = "http://127.0.0.1:18731"


def sample_pages() -> list[Page]:
    """The sample site's pages, through real extraction (its planted defects included)."""
    pages = []
    for path in sorted((ROOT / "sample" / "site").rglob("*.html")):
        url = f"{SITE}/{path.relative_to(ROOT / 'sample' / 'site').as_posix()}"
        page = Page(url=url, final_url=url, status=200)
        pages.append(extract_page(page, path.read_text(encoding="utf-8", errors="replace")))
    return pages


def context(**checks) -> CheckContext:
    return CheckContext(
        config=ChecksConfig(**checks),
        today=date(2026, 11, 24),
        site_origin=SITE,
        full_config=Config(today="2026-11-24"),
        link_results={},
        page_anchors={},
    )


def test_every_check_declares_rules_that_exist():
    load_all()
    for check in [*PAGE_CHECKS, *SITE_CHECKS]:
        declared = declared_rules(check)
        assert declared, f"{check.__name__} declares no rules"
        assert declared <= set(RULES), f"{check.__name__}: {declared - set(RULES)}"
    reported = set().union(*(declared_rules(c) for c in [*PAGE_CHECKS, *SITE_CHECKS]))
    assert reported == set(RULES), f"rules no check reports: {set(RULES) - reported}"


def test_every_finding_is_of_a_rule_its_check_declared():
    load_all()
    pages = sample_pages()
    assert len(pages) > 10
    ctx = context()
    seen = 0
    for check in PAGE_CHECKS:
        for page in pages:
            for finding in check(page, ctx):
                seen += 1
                assert finding.rule in declared_rules(check), (check.__name__, finding.rule)
    for cls in SITE_CHECKS:
        site = cls(ctx)
        for page in pages:
            site.observe(page)
        for finding in site.finish():
            seen += 1
            assert finding.rule in cls.rule_ids, (cls.__name__, finding.rule)
    assert seen > 20, "the sample site's planted defects give findings"


def test_a_check_whose_rules_are_all_off_is_not_run(monkeypatch):
    load_all()
    page = sample_pages()[0]
    ran: list[str] = []
    spies = []
    for check in PAGE_CHECKS:

        def spy(page, ctx, _check=check):
            ran.append(_check.__name__)
            return _check(page, ctx)

        spy.rule_ids = check.rule_ids  # type: ignore[attr-defined]
        spy.after_crawl = check.after_crawl  # type: ignore[attr-defined]
        spy.reusable = check.reusable  # type: ignore[attr-defined]
        spies.append(spy)
    monkeypatch.setattr("content_audit.checks.engine.runner.PAGE_CHECKS", spies)
    check_page(page, context(disable=["readability-hard", "plain-english"]), phase="content")
    assert "check_readability" not in ran and "check_plain_english" not in ran
    assert "check_sentence_length" in ran  # a rule of the same family, still on


def test_a_check_must_declare_its_rules():
    with pytest.raises(ValueError, match="declare the rules"):
        page_check(lambda page, ctx: ())
    with pytest.raises(ValueError, match="declare the rules"):

        @site_check
        class Nothing:  # type: ignore[misc]
            rules = ()
            reusable = after_crawl = False


def test_a_check_that_raises_is_reported_as_not_run(monkeypatch):
    """A check that crashes (a bug) checked less than it should: the run lists its rules
    under checks_not_run, so the gate does not pass it (exit 2), and the log has the
    traceback."""
    from content_audit.checks.engine import runner

    load_all()
    page = sample_pages()[0]

    def broken(page, ctx):
        raise RuntimeError("a bug")

    broken.rule_ids = frozenset({"plain-english"})  # type: ignore[attr-defined]
    broken.after_crawl = False  # type: ignore[attr-defined]
    broken.reusable = True  # type: ignore[attr-defined]
    monkeypatch.setattr(runner, "PAGE_CHECKS", [broken])
    monkeypatch.setattr(runner, "FAILED_CHECKS", {})
    assert check_page(page, context(), phase="content") == []
    (entry,) = runner.failures_as_not_run()
    assert entry["rules"] == ["plain-english"] and "stopped with an error" in entry["why"]
