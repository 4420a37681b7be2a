"""The link rules against the sample site's planted defects (sample/truth.json): every
planted link defect is found, nothing on the must-not-flag list is reported, and no other
link finding appears (a false alarm is a harm too)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sample.servers import SampleServers
from tests.test_linkcheck_crawl import run_audit

ROOT = Path(__file__).resolve().parent.parent
TRUTH = json.loads((ROOT / "sample" / "truth.json").read_text(encoding="utf-8"))
LINK_RULES = {"link-broken", "link-redirect", "link-fragment-missing", "link-unverifiable",
              "link-insecure", "link-duplicate", "link-text-unhelpful", "link-soft-404",
              "page-error"}  # fmt: skip

CONFIG = """
[crawl]
timeout = 2
retries = 1
[links]
retry_after_max = 2
cache = "{cache}"
youtube_oembed = "{external}/youtube/oembed"
{skips}
"""


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sample-links")
    skips = "".join(f'[[links.hosts]]\nhost = "{h}"\nskip = true\n' for h in TRUTH["skipped_hosts"])
    with SampleServers(slow_seconds=4) as servers:
        config = CONFIG.format(cache=tmp / "cache.sqlite", external=servers.external_url,
                               skips=skips)  # fmt: skip
        findings, elapsed, _ = run_audit(servers.site_url, tmp, config)
        yield servers, findings, elapsed


def _key(servers, page: str, target: str | None) -> tuple[str, str]:
    target = servers.rewrite(target or "")
    if target.startswith("/"):
        target = servers.site_url + target
    return servers.site_url + page, target


def _found(servers, findings) -> set[tuple[str, str, str]]:
    return {
        (f["rule"], f["url"], f.get("target") or "") for f in findings if f["rule"] in LINK_RULES
    }


def test_every_planted_link_defect_is_found(sample_run):
    servers, findings, _ = sample_run
    found = _found(servers, findings)
    missing = []
    for defect in TRUTH["defects"]:
        if defect["rule"] in LINK_RULES:
            page, target = _key(servers, defect["page"], defect["target"])
            if (defect["rule"], page, target) not in found:
                missing.append(defect)
    assert missing == []


def test_nothing_on_the_must_not_flag_list(sample_run):
    servers, findings, _ = sample_run
    found = _found(servers, findings)
    wrong = []
    for item in TRUTH["must_not_flag"]:
        if item["rule"] in LINK_RULES:
            page, target = _key(servers, item["page"], item["target"])
            if (item["rule"], page, target) in found:
                wrong.append(item)
    assert wrong == []


def test_no_other_link_findings(sample_run):
    servers, findings, _ = sample_run
    planted = {
        (d["rule"], *_key(servers, d["page"], d["target"]))
        for d in TRUTH["defects"]
        if d["rule"] in LINK_RULES
    }
    extra = sorted(_found(servers, findings) - planted)
    assert extra == []
