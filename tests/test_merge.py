"""Beyond one machine: two shards of the sample site, merged, give the findings of one run."""

from __future__ import annotations

import subprocess
import sys

import pytest

from content_audit.sample.servers import SampleServers
from tests.conftest import ROOT, run_cli
from tests.truth import TRUTH

pytestmark = pytest.mark.e2e  # a real crawl, server or browser: not in the fast tier

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


def identities(run) -> set[tuple[str, str, str | None, str | None]]:
    return {(f["rule"], f["url"], f["target"], f["text"]) for f in run.findings()}


def html_pages(run) -> set[str]:
    return {u for u, p in run.pages().items() if p["is_html"] and "?month=" not in u}


def test_two_shards_merged_match_one_run(tmp_path):
    skips = "".join(f'[[links.hosts]]\nhost = "{h}"\nskip = true\n' for h in TRUTH["skipped_hosts"])
    with SampleServers(slow_seconds=4) as servers:
        config = CONFIG.format(external=servers.external_url, skips=skips)
        start = [servers.site_url + "/", "--sitemap", servers.site_url + "/sitemap.xml"]

        def audit(name: str, extra: str = ""):
            servers.reset_state()  # the flaky routes fail once per client, as on every night
            return run_cli(start, tmp_path / name, config=config + extra, timeout=300)

        whole = audit("whole")
        shard_a = audit("shard-a", '[site]\ninclude = ["/services/"]\n')
        shard_b = audit("shard-b", '[site]\nexclude = ["/services/"]\n')

    assert whole.code == 1 and shard_a.code == 1 and shard_b.code == 1
    assert 0 < len(shard_a.pages()) < len(whole.pages())
    assert 0 < len(shard_b.pages()) < len(whole.pages())

    merged_out = tmp_path / "merged"
    path = tmp_path / "merged.toml"
    path.write_text('today = "2026-11-24"\n', encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "run_audit.py"), "--merge", str(shard_a.out), str(shard_b.out),
         "--out", str(merged_out), "--config", str(path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stdout + proc.stderr
    from tests.conftest import AuditRun

    merged = AuditRun(proc.returncode, proc.stdout, proc.stderr, merged_out)
    assert identities(merged) == identities(whole)
    # the same advice pages (which ten months of the endless calendar get crawled depends on
    # the order pages arrive in; documents only one shard linked to are checked, not crawled)
    assert html_pages(merged) == html_pages(whole)
    assert merged.data["run"]["complete"] is True
    assert (merged_out / "index.html").is_file() and (merged_out / "history.sqlite").is_file()


def test_merge_refuses_a_folder_that_is_not_a_shard(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(ROOT / "run_audit.py"), "--merge", str(tmp_path / "nothing"),
         "--out", str(tmp_path / "out")],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "not the output folder of a finished shard" in proc.stdout
