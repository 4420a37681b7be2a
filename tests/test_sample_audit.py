"""End to end: run_audit.py in a subprocess on the sample site, compared with its truth file."""

from __future__ import annotations

import pytest

from content_audit.checks import load_all
from content_audit.checks.engine.registry import RULES
from content_audit.sample.servers import SampleServers
from tests.conftest import AuditRun, run_cli
from tests.truth import TRUTH, Key, page_path

pytestmark = pytest.mark.e2e  # a real crawl, server or browser: not in the fast tier

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


# New rules whose examples the sample site's owners have yet to plant (the sample site is
# theirs to change). Remove a rule from here when its defects are in sample/truth.json.
# sitemap-problem (2026-12-05): the sample's one sitemap is also what several sample-site
# tests walk, so a broken entry there needs those tests to learn about it first; the rule
# has its fixture (tests/rules/sitemap-problem.html) and end-to-end tests in test_hostile.py.
AWAITING_PLANTS: frozenset[str] = frozenset({"sitemap-problem"})


def test_the_sample_site_plants_every_rule_and_every_planted_rule_exists():
    planted = {d["rule"] for d in TRUTH["defects"]}
    assert planted - set(RULES) == set(), "truth names rules the tool does not have"
    missing = set(RULES) - planted - AWAITING_PLANTS
    assert missing == set(), "rules with no planted example on the sample site"
    assert AWAITING_PLANTS & planted == set(), "planted now: remove from AWAITING_PLANTS"


def test_checks_in_one_process_find_exactly_what_the_background_worker_finds(sample_run, tmp_path):
    """The default audit runs the content checks in a second process during the crawl;
    with ``[checks] parallel = false`` they all run after it, in one process. Same site,
    same findings, same figures."""
    run, _key, servers = sample_run
    servers.reset_state()  # the flaky routes fail once per client, as on every night
    skips = "".join(f'[[links.hosts]]\nhost = "{h}"\nskip = true\n' for h in TRUTH["skipped_hosts"])
    config = CONFIG.format(external=servers.external_url, skips=skips)
    serial = run_cli(
        [servers.site_url + "/", "--sitemap", servers.site_url + "/sitemap.xml"],
        tmp_path / "serial",
        config=config + "\n[checks]\nparallel = false\n",
        timeout=300,
    )
    assert serial.code == run.code, serial.stdout + serial.stderr

    def comparable(audit: AuditRun) -> list[tuple]:
        return sorted(
            (
                f["rule"],
                f["url"],
                f["target"] or "",
                f["text"] or "",
                f["message"],
                f["fingerprint"],
            )
            for f in audit.findings()
            # which of the calendar's endless ?month= pages are crawled depends on timing
            if "?month=" not in f["url"] and "?month=" not in (f["target"] or "")
        )

    assert comparable(serial) == comparable(run)
    figures = {u: p.get("figures") for u, p in run.pages().items() if "?month=" not in u}
    assert figures == {u: p.get("figures") for u, p in serial.pages().items() if u in figures}
    assert any(p.get("figures") for p in run.pages().values())


def test_every_finding_says_what_to_do(sample_run):
    """A content owner can act on every finding without help: a suggested fix, or what to
    do (issue 22: 45 of 100 findings had neither). No raw tel: address as the advice."""
    run, _key, _servers = sample_run
    findings = run.data["findings"]
    assert findings
    silent = [(f["rule"], f["message"]) for f in findings if not (f["suggestion"] or f["action"])]
    assert silent == []
    assert not [f for f in findings if (f["suggestion"] or "").startswith("tel:")]
    report = (run.out / "index.html").read_text(encoding="utf-8")
    assert "What to do:" in report
