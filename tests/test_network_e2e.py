"""A network of six local sites of 300 pages (bench/sitegen.py, one seed a site), audited
one site at a time as the matrix jobs would, then merged: the network's findings are
exactly those of six single-site audits of the same sites, and on the next night "new"
and "fixed" are worked out per site from the network's history."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from functools import partial
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler
from pathlib import Path

import pytest

from bench.sitegen import write_site
from tests.conftest import ROOT
from tests.test_gate_cli import serving

pytestmark = pytest.mark.e2e  # real crawls: not in the fast tier

SITES = 6
PAGES = 300
SETTINGS = '{ today = "2026-11-24", "crawl.timeout" = 2.0, "crawl.retries" = 1 }'


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class Gone(BaseHTTPRequestHandler):
    """The external web: every page has gone (a link-broken finding each, quickly)."""

    def do_GET(self) -> None:
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_GET

    def log_message(self, *args: object) -> None:
        pass


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "run_audit.py"), *map(str, args)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "GITHUB_STEP_SUMMARY": ""})  # fmt: skip


def in_parallel(calls) -> list[subprocess.CompletedProcess[str]]:
    """Four audits at a time: one audit waits on its crawl about half its time."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda call: cli(*call), calls))


def identities(findings: list[dict]) -> list[tuple]:
    keys = ("fingerprint", "rule", "severity", "url", "target", "text", "message")
    return sorted(tuple(f.get(k) for k in keys) for f in findings)


@pytest.fixture(scope="module")
def network(tmp_path_factory) -> Iterator[dict]:
    root = tmp_path_factory.mktemp("network")
    with ExitStack() as stack:
        external = stack.enter_context(serving(Gone))
        urls = []
        for i in range(1, SITES + 1):
            write_site(root / f"site{i}", PAGES, f"{external}/ext", seed=i)
            site = partial(Quiet, directory=str(root / f"site{i}" / "site"))
            urls.append(stack.enter_context(serving(site)) + "/")
        # one site with its own settings file, which its single-site audit uses too
        (root / "site3.toml").write_text('[checks]\ndisable = ["link-duplicate"]\n')
        lines = ['[network]\nname = "Northdale ICS"\n', f"settings = {SETTINGS}\n"]
        for i, url in enumerate(urls, 1):
            lines.append(f'[[sites]]\nname = "trust-{i}"\ntitle = "Trust {i}"\nurl = "{url}"\n')
            if i == 3:
                lines.append('config = "site3.toml"\n')
        (root / "network.toml").write_text("".join(lines), encoding="utf-8")
        yield {"root": root, "urls": urls}


@pytest.fixture(scope="module")
def night_one(network) -> dict:
    root, urls = network["root"], network["urls"]
    config = root / "network.toml"
    jobs = [("network", "audit", config, f"trust-{i}", "--out", root / "sites" / f"trust-{i}",
             "--history", root / "history") for i in range(1, SITES + 1)]  # fmt: skip
    singles = []
    for i, url in enumerate(urls, 1):
        single = root / f"single{i}.toml"
        own = (root / "site3.toml").read_text() if i == 3 else ""
        single.write_text(f'today = "2026-11-24"\n{own}[crawl]\ntimeout = 2.0\nretries = 1\n')
        singles.append((url, "--config", single, "--out", root / f"single{i}"))
    done = in_parallel(jobs + singles)  # the matrix's jobs and the controls, together
    jobs, plain = done[:SITES], done[SITES:]
    merge = cli("network", "merge", config, "--sites", root / "sites", "--out", root / "report",
                "--history", root / "history")  # fmt: skip
    return {"jobs": jobs, "plain": plain, "merge": merge}


def test_six_sites_merged_give_exactly_the_findings_of_six_single_site_audits(network, night_one):
    root = network["root"]
    for job in night_one["jobs"] + night_one["plain"]:
        assert job.returncode == 1, job.stdout[-2000:] + job.stderr[-2000:]  # planted errors
    merge = night_one["merge"]
    assert merge.returncode == 1, merge.stdout + merge.stderr  # every site failed its gate
    data = json.loads((root / "report" / "findings.json").read_text(encoding="utf-8"))
    assert [row["site"] for row in data["sites"]] == [f"trust-{i}" for i in range(1, SITES + 1)]
    total = 0
    for i in range(1, SITES + 1):
        single = json.loads((root / f"single{i}" / "findings.json").read_text(encoding="utf-8"))
        merged = [f for f in data["findings"] if f["site"] == f"trust-{i}"]
        assert identities(merged) == identities(single["findings"]), f"trust-{i}"
        row = data["sites"][i - 1]
        assert row["pages"] == len(single["pages"]) >= PAGES
        assert row["error"] == single["summary"]["error"]
        assert row["state"] == "failed"
        assert (root / "report" / row["report"]).is_file()  # the drill-down
        total += len(single["findings"])
    assert data["summary"]["findings"] == len(data["findings"]) == total
    # the site with its own settings file was audited with it
    assert not any(
        f["rule"] == "link-duplicate" for f in data["findings"] if f["site"] == "trust-3"
    )
    assert any(f["rule"] == "link-duplicate" for f in data["findings"] if f["site"] == "trust-1")
    # one history, keyed per site
    assert sorted(p.name for p in (root / "history" / "sites").iterdir()) == [
        f"trust-{i}.sqlite" for i in range(1, SITES + 1)]  # fmt: skip
    assert (root / "history" / "network.sqlite").is_file()
    assert all(row["has_history"] is False for row in data["sites"])  # the first night


def test_the_next_night_says_what_is_new_per_site(network, night_one):
    """Night two on fresh runners: two sites' jobs start from the network history; one of
    them has a new broken link. The other four sites' artefacts are last night's."""
    root = network["root"]
    assert night_one["merge"].returncode == 1
    page = root / "site1" / "site" / "about-us.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</h1>", '</h1>\n<p>See <a href="/no-such-page.html">our new leaflet</a>.</p>', 1),
        encoding="utf-8")  # fmt: skip
    tonight = root / "sites-night-2"
    for i in range(3, SITES + 1):
        shutil.copytree(root / "sites" / f"trust-{i}", tonight / f"trust-{i}")
    config = root / "network.toml"
    jobs = in_parallel(
        [("network", "audit", config, f"trust-{i}", "--out", tonight / f"trust-{i}",
          "--history", root / "history") for i in (1, 2)]
    )  # fmt: skip
    for job in jobs:
        assert job.returncode == 1, job.stdout[-2000:] + job.stderr[-2000:]
    merge = cli("network", "merge", config, "--sites", tonight, "--out", root / "report-2",
                "--history", root / "history")  # fmt: skip
    assert merge.returncode == 1, merge.stdout + merge.stderr
    data = json.loads((root / "report-2" / "findings.json").read_text(encoding="utf-8"))
    rows = {row["site"]: row for row in data["sites"]}
    assert rows["trust-1"]["has_history"] and rows["trust-2"]["has_history"]
    new_one = [f for f in data["findings"] if f["site"] == "trust-1" and f["status"] == "new"]
    assert [(f["rule"], f["url"]) for f in new_one] == [
        ("link-broken", network["urls"][0] + "about-us.html")]  # fmt: skip
    assert rows["trust-1"]["new"] == 1 and rows["trust-1"]["fixed"] == 0
    assert rows["trust-2"]["new"] == 0 and rows["trust-2"]["fixed"] == 0
    assert not rows["trust-3"]["has_history"]  # last night's artefact: its first audit
    html = (root / "report-2" / "index.html").read_text(encoding="utf-8")
    assert "new since each site" in html


def test_a_site_whose_job_failed_is_named_and_the_network_does_not_pass(network, night_one):
    root = network["root"]
    assert night_one["merge"].returncode == 1
    partial_sites = root / "sites-partial"
    for i in range(1, SITES):  # trust-6's job never uploaded
        shutil.copytree(root / "sites" / f"trust-{i}", partial_sites / f"trust-{i}")
    merge = cli("network", "merge", root / "network.toml", "--sites", partial_sites,
                "--out", root / "report-partial")  # fmt: skip
    assert merge.returncode == 2
    assert "trust-6: missing: no output folder" in merge.stdout


def test_a_site_that_cannot_be_reached_is_not_audited_and_says_why(tmp_path):
    with serving(Gone) as base:
        pass  # the port is free again: nothing answers there
    config = tmp_path / "network.toml"
    config.write_text(
        f'[network]\nsettings = {SETTINGS}\n[[sites]]\nname = "gone"\nurl = "{base}/"\n'
    )
    job = cli("network", "audit", config, "gone", "--out", tmp_path / "sites" / "gone")
    assert job.returncode == 2, job.stdout + job.stderr
    marker = json.loads((tmp_path / "sites" / "gone" / "network-site.json").read_text())
    assert marker["state"] == "finished" and marker["exit_code"] == 2 and marker["message"]
    merge = cli("network", "merge", config, "--sites", tmp_path / "sites", "--out", tmp_path / "report")  # fmt: skip
    assert merge.returncode == 2
    data = json.loads((tmp_path / "report" / "findings.json").read_text(encoding="utf-8"))
    (row,) = data["sites"]
    assert row["state"] == "not-audited" and row["problem"]
    assert data["verdict"]["reasons"] == [f"gone: not audited: {row['problem']}"]
