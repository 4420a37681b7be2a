"""End to end: run_audit.py in a subprocess on the sample site, compared with its truth file."""

from __future__ import annotations

import pytest

from checks import load_all
from checks.registry import RULES
from sample.servers import SampleServers
from tests.conftest import AuditRun, run_cli
from tests.truth import TRUTH, Key, page_path

load_all()
CONFIG = """
today = "2026-11-24"
[crawl]
timeout = 2.0
retries = 1
[links]
retry_after_max = 2
youtube_oembed = "{external}/youtube/oembed"
{skips}
"""


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory) -> tuple[AuditRun, Key, SampleServers]:
    """One audit of the sample site, shared by every test here (it takes a while)."""
    out = tmp_path_factory.mktemp("sample") / "out"
    skips = "".join(f'[[links.hosts]]\nhost = "{h}"\nskip = true\n' for h in TRUTH["skipped_hosts"])
    with SampleServers(slow_seconds=4) as servers:
        run = run_cli(
            [servers.site_url + "/", "--sitemap", servers.site_url + "/sitemap.xml"],
            out,
            config=CONFIG.format(external=servers.external_url, skips=skips),
            timeout=300,
        )
        key = Key(servers.rewrite, servers.site_url)
        yield run, key, servers


def implemented(rule: str) -> bool:
    return rule in RULES


def test_the_sample_site_is_audited(sample_run):
    run, _key, _servers = sample_run
    assert run.code == 1, run.stdout + run.stderr  # it has planted errors
    assert "Traceback" not in run.stderr, run.stderr  # no check crashed along the way
    data = run.data
    assert data["run"]["complete"] is True
    crawled = {page_path(url) for url in run.pages()}
    assert len(crawled) >= 40
    for orphan in TRUTH["orphans_in_sitemap"]:
        assert page_path(orphan) in crawled, orphan
    for private in TRUTH["not_crawled"]:
        assert page_path(private) not in crawled, private


def test_every_planted_defect_is_found(sample_run):
    run, key, _servers = sample_run
    findings = run.findings()
    missing = [
        d
        for d in TRUTH["defects"]
        if implemented(d["rule"]) and not any(key.matches(f, d) for f in findings)
    ]
    assert not missing, "\n".join(
        f"{d['rule']} {d['page']} {d.get('text')!r} {d.get('target')}" for d in missing
    )


def test_nothing_that_must_not_be_flagged_is_flagged(sample_run):
    run, key, _servers = sample_run
    findings = run.findings()
    wrong = [(d, f) for d in TRUTH["must_not_flag"] for f in findings if key.matches(f, d)]
    assert not wrong, "\n".join(
        f"{d['rule']} {d['page']} {f['text']!r} {f['target']}" for d, f in wrong
    )


def test_clean_pages_have_no_findings(sample_run):
    run, key, _servers = sample_run
    site_wide = [d for d in TRUTH["defects"] if d.get("site_wide")]
    clean = {page_path(p) for p in TRUTH["clean_pages"]}
    noisy = [
        f
        for f in run.findings()
        if page_path(f["url"]) in clean and not any(key.matches(f, d) for d in site_wide)
    ]
    assert not noisy, "\n".join(
        f"{f['rule']} {f['url']} {f['text']!r} {f['target']}" for f in noisy
    )


def test_no_finding_is_outside_the_answer_key(sample_run):
    """Precision: every finding on the sample site is a planted defect."""
    run, key, _servers = sample_run
    extra = [f for f in run.findings() if not any(key.matches(f, d) for d in TRUTH["defects"])]
    assert not extra, "\n".join(
        f"{f['rule']} {f['url']} {f['text']!r} {f['target']}" for f in extra
    )


def test_the_sample_site_plants_every_rule_and_every_planted_rule_exists():
    planted = {d["rule"] for d in TRUTH["defects"]}
    assert planted - set(RULES) == set(), "truth names rules the tool does not have"
    assert set(RULES) - planted == set(), "rules with no planted example on the sample site"
