"""One fixture per rule, run by one test (ruff's way): ``tests/rules/<rule-id>.html`` holds
pages that must be flagged by the rule and pages that must not, and this test runs them
through real extraction and every check. ``tests/rules/README.md`` describes the format.
A rule without a fixture fails here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from content_audit.checks import load_all
from content_audit.checks.engine.registry import RULES, CheckContext
from content_audit.checks.engine.runner import run_checks
from content_audit.core.config import ChecksConfig, Config
from content_audit.core.model import FailureKind, Fetch, FetchFacts, LinkProblem, Page
from content_audit.core.store import RunStore
from content_audit.core.urls import normalise
from content_audit.crawler.extract import extract_page
from content_audit.crawler.spider import decode_html

FIXTURES = Path(__file__).resolve().parent / "rules"
SITE = "https://www.example-trust.nhs.uk"
TODAY = date(2026, 11, 24)
REVIEW = "<p>Page last reviewed: 6 August 2025</p><p>Next review due: 6 August 2028</p>"
DIRECTIVE = re.compile(r"^<!-- (page|fetch) (.*?) -->$", re.M)
MARK = re.compile(r"<mark>(.*?)</mark>", re.S)

load_all()


@dataclass
class FixturePage:
    path: str
    body: str = ""
    expect: int = 0
    status: int = 200
    raw: bool = False
    review: bool = True
    charset: str = ""
    marks: list[str] = field(default_factory=list)
    fetch_only: bool = False  # a fetch directive with "expect": findings, but no page

    def html(self) -> str:
        if self.raw:
            return self.body
        footer = REVIEW if self.review else ""
        return (
            "<!doctype html><html lang='en-GB'><head><meta charset='utf-8'>"
            f"<title>{self.path}</title></head><body>"
            "<header><a href='/'>Home</a></header><nav><a href='/services/'>Services</a></nav>"
            f"<main>{self.body}{footer}</main>"
            "<footer><p>Northdale Community Health NHS Trust</p></footer></body></html>"
        )


def parse(text: str) -> tuple[list[FixturePage], dict[str, Fetch]]:
    pages: list[FixturePage] = []
    fetches: dict[str, Fetch] = {}
    matches = list(DIRECTIVE.finditer(text))
    for i, m in enumerate(matches):
        kind, words = m.group(1), m.group(2).split()
        body = text[m.end() : matches[i + 1].start() if i + 1 < len(matches) else len(text)]
        if kind == "fetch":  # fetch URL STATUS [-> FINAL] [problem KIND]
            detail = ""
            if "because" in words:  # [sitemap] [expect N] because DETAIL...
                at = words.index("because")
                words, detail = words[:at], " ".join(words[at + 1 :])
            url = words[0] if "://" in words[0] else SITE + words[0]
            final = words[3] if len(words) > 3 and words[2] == "->" else url
            final = final if "://" in final else SITE + final
            redirects = [(url, int(words[1]))] if final != url else []
            status = 200 if redirects else int(words[1])
            facts = FetchFacts()
            if "problem" in words:  # what the crawl found in the answer (a soft 404)
                facts.problem = LinkProblem(words[words.index("problem") + 1])
            fetches[normalise(url)] = Fetch(
                url=url, final_url=final, status=status, redirects=redirects,
                content_type="text/html", facts=facts,
            )  # fmt: skip
            if "sitemap" in words:  # a sitemap the crawl could not follow, and why
                facts.is_page = True
                fetches[normalise(url)] = Fetch(
                    url=normalise(url), final_url=url, status=0, error=FailureKind.SITEMAP,
                    error_detail=detail, facts=facts,
                )  # fmt: skip
            if "expect" in words:  # findings expected on the fetched address itself
                pages.append(FixturePage(
                    path=words[0], expect=int(words[words.index("expect") + 1]), fetch_only=True
                ))  # fmt: skip
            continue
        page = FixturePage(path=words[0], body=body.strip(), marks=MARK.findall(body))
        options = iter(words[1:])
        for option in options:
            if option == "expect":
                page.expect = int(next(options))
            elif option == "status":
                page.status = int(next(options))
            elif option == "bytes":
                page.charset = next(options)
            elif option == "raw":
                page.raw = True
            elif option == "noreview":
                page.review = False
            else:
                raise ValueError(f"unknown page option {option!r}")
        pages.append(page)
    return pages, fetches


def build(fixture: FixturePage) -> Page:
    url = SITE + fixture.path
    page = Page(url=url, final_url=url, status=fixture.status)
    html = fixture.html()
    if fixture.charset:  # served as UTF-8, written in another character set
        response = HtmlResponse(
            url, body=html.encode(fixture.charset),
            headers={"Content-Type": "text/html; charset=utf-8"},
        )  # fmt: skip
        html, page.encoding_problem = decode_html(response)
    return extract_page(page, html)


def findings_by_page(tmp_path: Path, text: str) -> tuple[list[FixturePage], dict]:
    pages, fetches = parse(text)
    store = RunStore(tmp_path / "run.sqlite", fresh=True)
    for fixture in pages:
        if not fixture.fetch_only:
            store.add_page(build(fixture))
    store.commit()
    ctx = CheckContext(
        config=ChecksConfig(),
        today=TODAY,
        site_origin=SITE,
        full_config=Config(today=TODAY.isoformat()),
        link_results=fetches,
    )
    found: dict[str, list] = {SITE + p.path: [] for p in pages}
    for finding in run_checks(store, ctx):
        found.setdefault(finding.url, []).append(finding)
    return pages, found


@pytest.mark.parametrize("rule", sorted(RULES))
def test_the_rules_fixture(tmp_path, rule):
    path = FIXTURES / f"{rule}.html"
    assert path.is_file(), f"every rule has a fixture: write tests/rules/{rule}.html"
    pages, found = findings_by_page(tmp_path, path.read_text(encoding="utf-8"))
    assert any(p.expect for p in pages), "a fixture has a page the rule must flag"
    assert any(not p.expect for p in pages), "and a page it must leave alone"
    for fixture in pages:
        mine = [f for f in found[SITE + fixture.path] if f.rule == rule]
        shown = [(f.text, f.message) for f in mine]
        assert len(mine) == fixture.expect, f"{fixture.path}: {shown}"
        if fixture.marks:
            texts = sorted((f.text or "").casefold() for f in mine)
            assert texts == sorted(m.casefold() for m in fixture.marks), f"{fixture.path}"
        for finding in mine:
            assert finding.message, "every finding says what is wrong"


def test_the_fixture_format_is_read_as_written():
    pages, fetches = parse(
        "<!-- page /a.html expect 2 noreview -->\n<p><mark>one</mark> <mark>two</mark></p>\n"
        "<!-- fetch /gone.html 404 -->\n<!-- page /b.html status 500 raw -->\n<html></html>\n"
    )
    assert [(p.path, p.expect, p.review, p.marks) for p in pages] == [
        ("/a.html", 2, False, ["one", "two"]),
        ("/b.html", 0, True, []),
    ]
    assert pages[1].status == 500 and pages[1].raw
    assert fetches[normalise(SITE + "/gone.html")].status == 404
