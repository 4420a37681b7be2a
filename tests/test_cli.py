"""The command line: exit codes 0/1/2 and the findings.json contract."""

from __future__ import annotations

import socket

import pytest

from tests.webserver import Reply, WebServer, html

pytestmark = pytest.mark.e2e  # a real crawl, server or browser: not in the fast tier

FAST = "[crawl]\ntimeout = 3\nretries = 0\n"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_port_pair() -> int:
    """A port P below the range Linux hands out to outgoing connections, with P+1 free too."""
    import random

    for _ in range(200):
        port = random.randrange(20000, 30000)
        try:
            with socket.socket() as a, socket.socket() as b:
                a.bind(("127.0.0.1", port))
                b.bind(("127.0.0.1", port + 1))
            return port
        except OSError:
            continue
    raise RuntimeError("no free pair of ports")


def test_clean_site_exits_0(audit):
    with WebServer({"/": Reply(body=html("Home", "<p>Welcome.</p>"))}) as server:
        run = audit([server.url + "/", "--today", "2026-11-24"], config=FAST)
    assert run.code == 0, run.stdout + run.stderr
    assert "Pages audited" in run.stdout and "index.html" in run.stdout
    assert (run.out / "index.html").is_file()


def test_findings_at_the_failing_severity_exit_1_and_never_passes(audit):
    routes = {"/": Reply(body=html("Home", "<p><a href='/gone.html'>Old page</a></p>"))}
    with WebServer(routes) as server:
        run = audit([server.url + "/"], config=FAST)
        assert run.code == 1
        run = audit([server.url + "/", "--fail-on", "never"], config=FAST)
        assert run.code == 0
        # a warning does not fail the default gate (error) but fails --fail-on warning
        server.routes["/"] = Reply(body=html("Home", "<p>Hello</p><img src='/x.png'>"))
        server.routes["/x.png"] = Reply(body=b"png", content_type="image/png")
        assert audit([server.url + "/"], config=FAST).code == 0
        assert audit([server.url + "/", "--fail-on", "warning"], config=FAST).code == 1


def test_unreachable_start_url_exits_2(audit):
    run = audit([f"http://127.0.0.1:{closed_port()}/"], config=FAST)
    assert run.code == 2
    assert "could not be audited" in run.stdout and "refused" in run.stdout


def test_start_url_answering_an_error_exits_2(audit):
    with WebServer({}) as server:
        run = audit([server.url + "/"], config=FAST)
    assert run.code == 2
    assert "404" in run.stdout


def test_zero_pages_crawled_exits_2(audit):
    routes = {"/robots.txt": Reply(body="User-agent: *\nDisallow: /\n", content_type="text/plain")}
    with WebServer(routes) as server:
        run = audit([server.url + "/"], config=FAST)
    assert run.code == 2
    assert "no pages could be crawled" in run.stdout


def test_bad_config_exits_2_naming_the_setting(audit):
    run = audit(["http://127.0.0.1:9/"], config="[crawl]\nconcurency = 4\n")
    assert run.code == 2
    assert "crawl.concurency" in run.stderr and "concurrency" in run.stderr
    run = audit(["not-a-url"])
    assert run.code == 2 and "not an http(s) URL" in run.stderr
    run = audit(["http://127.0.0.1:9/", "--today", "yesterday"])
    assert run.code == 2 and "today" in run.stderr
    # with no URL (the sample site): refused before any server is started
    run = audit(["--today", "2026-13-01"])
    assert run.code == 2, run.stdout + run.stderr
    assert run.stderr.strip() == (
        "content-audit: configuration error: --today must be a date as YYYY-MM-DD, not '2026-13-01'"
    )
    assert "Serving the sample site" not in run.stdout


def test_help_lists_the_exit_statuses():
    import subprocess
    import sys

    from tests.conftest import ROOT

    shown = subprocess.run(
        [sys.executable, str(ROOT / "run_audit.py"), "--help"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    flat = " ".join(shown.split())
    assert "exit status: 0 the site was audited" in flat
    assert "1 findings" in flat and "2 the site could not be fully audited" in flat


def test_output_contract(audit):
    routes = {
        "/": Reply(
            body=html(
                "Home",
                "<p>Phone <a href='tel:01138431909'>0113 843 1909</a>.</p>"
                "<p><a href='/gone.html'>Old page</a></p><p>Page last reviewed: 6 August 2025</p>",
            )
        )
    }
    with WebServer(routes) as server:
        run = audit([server.url + "/", "--today", "2026-11-24"], config=FAST)
    data = run.data
    assert data["schema_version"] == 1
    assert data["tool"]["name"] == "content-audit" and data["tool"]["version"]
    for key in ("started", "finished", "start_urls", "pages_crawled", "links_checked", "complete"):
        assert key in data["run"]
    assert data["run"]["complete"] is True and data["run"]["pages_crawled"] == 2
    page = run.pages()[server.url + "/"]
    for key in (
        "url",
        "final_url",
        "status",
        "title",
        "word_count",
        "contacts",
        "last_reviewed",
        "next_review_due",
    ):
        assert key in page
    assert page["last_reviewed"] == "2025-08-06"
    assert page["contacts"]["phones"][0]["text"] == "0113 843 1909"
    broken = run.findings("link-broken")
    assert len(broken) == 1
    finding = broken[0]
    assert set(finding) >= {
        "rule",
        "severity",
        "url",
        "target",
        "text",
        "context",
        "message",
        "suggestion",
        "fingerprint",
    }
    assert finding["severity"] == "error" and finding["url"] == server.url + "/"
    assert finding["target"] == server.url + "/gone.html" and finding["text"] == "Old page"
    assert "no longer exists (404)" in finding["message"]


def test_fingerprints_are_stable_across_runs(audit):
    routes = {
        "/": Reply(body=html("Home", "<p><a href='/gone.html'>Old page</a></p><img src='/a.png'>"))
    }
    with WebServer(routes) as server:
        first = audit([server.url + "/"], config=FAST).findings()
        second = audit([server.url + "/"], config=FAST).findings()
    assert [f["fingerprint"] for f in first] == [f["fingerprint"] for f in second]
    assert len({f["fingerprint"] for f in first}) == len(first)


def test_progress_is_logged_when_not_on_a_terminal(audit):
    import time as _time

    def slow(request):
        _time.sleep(0.4)
        return Reply(
            body=html("Page", "<p><a href='/a'>a</a> <a href='/b'>b</a> <a href='/c'>c</a></p>")
        )

    with WebServer(default=slow) as server:
        run = audit(
            [server.url + "/"],
            config="[crawl]\ntimeout = 3\nretries = 0\nprogress_interval = 0.3\nconcurrency = 1\n",
        )
    assert run.code == 0
    lines = [line for line in run.stderr.splitlines() if line.startswith("pages crawled")]
    assert lines, run.stderr
    assert "queued" in lines[0] and "links checked" in lines[0] and "elapsed" in lines[0]


def test_interrupted_run_keeps_its_results_and_exits_2(tmp_path):
    """Ctrl-C stops the crawl gracefully: what was crawled is reported, marked incomplete."""
    import signal
    import subprocess
    import sys
    import time as _time

    from tests.conftest import ROOT

    def slow_chain(request):
        _time.sleep(0.2)
        n = int(request.path.strip("/p") or 0) if request.path.startswith("/p") else 0
        links = "".join(f"<a href='/p{n * 5 + i}'>page {n * 5 + i}</a> " for i in range(1, 6))
        return Reply(body=html(f"Page {n}", f"<p>{links}</p>"))

    out = tmp_path / "out"
    with WebServer(default=slow_chain) as server:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "run_audit.py"), server.url + "/p0", "--out", str(out)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # Ctrl-C once a few pages have been served (a fixed wait is too short on a loaded
        # machine, where start-up alone can take seconds)
        deadline = _time.monotonic() + 60
        while sum(p.startswith("/p") for p in server.paths("GET")) < 8:
            assert _time.monotonic() < deadline, "the audit never started crawling"
            _time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        stdout, _stderr = proc.communicate(timeout=60)
    assert proc.returncode == 2, stdout
    assert "stopped early" in stdout
    import json

    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert data["run"]["complete"] is False
    assert len(data["pages"]) >= 1


def test_a_start_page_never_fetched_is_blamed_on_robots_only_when_the_crawl_finished(tmp_path):
    """A crawl stopped early (Ctrl-C during start-up) has no answer for its start page
    either: the message must say it was stopped, not that robots.txt forbade the page."""
    from content_audit.core.config import Config, SiteConfig
    from content_audit.core.store import RunStore
    from content_audit.pipeline import _start_problem

    config = Config(site=SiteConfig(start_urls=["https://www.example.nhs.uk/"]))
    store = RunStore(tmp_path / "run.sqlite", fresh=True)
    stopped = _start_problem(config, store, complete=False)
    finished = _start_problem(config, store, complete=True)
    assert stopped is not None and "not fetched before the crawl was stopped" in stopped
    assert "robots" not in stopped
    assert finished is not None and "robots.txt forbids it" in finished


def test_the_demo_run_twice_compares_like_with_like(tmp_path):
    """The README's audit command (no site given) serves the sample site at the same
    address each time it can, so a second run finds nothing new since the first. (Run at a
    free pair of ports chosen here: another audit on the machine may hold the default.)"""
    import re
    import subprocess
    import sys

    from content_audit.cli import DEMO_PORTS, parse_args
    from tests.conftest import ROOT

    assert parse_args([]).sample_port is None and DEMO_PORTS == (18731, 18732)
    port = free_port_pair()

    def demo() -> tuple[int, str]:
        proc = subprocess.run(
            [sys.executable, str(ROOT / "run_audit.py"), "--sample-port", str(port)],
            cwd=tmp_path, capture_output=True, text=True, timeout=180,
        )  # fmt: skip
        return proc.returncode, proc.stdout

    first_code, first = demo()
    second_code, second = demo()
    assert first_code == second_code == 1, first + second  # the planted errors
    where = [
        re.search(r"Serving the sample site at (\S+)", out).group(1) for out in (first, second)
    ]
    assert where[0] == where[1] == f"http://127.0.0.1:{port}/"
    assert "Since the last complete run: 0 new, 0 fixed" in second
    assert (tmp_path / "audit-output" / "index.html").is_file()


def test_the_sample_sites_port_can_be_chosen_and_a_taken_one_is_said(audit):
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        run = audit(["--sample-port", str(port)])
    assert run.code == 2
    assert f"--sample-port {port}" in run.stderr and "in use" in run.stderr
    assert "Traceback" not in run.stderr


def test_verbose_shows_failures_in_one_line_each_and_very_verbose_adds_tracebacks(audit):
    """-v: our steps and the framework's warnings, one line each (it once printed 261 lines
    of Scrapy tracebacks for a 60-page site); -vv keeps everything for debugging."""
    dead = f"http://127.0.0.1:{closed_port()}/"
    routes = {"/": Reply(body=html("Home", f"<p><a href='{dead}'>Partner site</a></p>"))}
    with WebServer(routes) as server:
        run = audit([server.url + "/", "-v"], config=FAST)
        loud = audit([server.url + "/", "-vv"], config=FAST)
    assert run.code == 1  # the dead link is a finding
    assert "Traceback" not in run.stderr
    assert "Overridden settings" not in run.stderr and "Dumping Scrapy stats" not in run.stderr
    assert len(run.stderr.splitlines()) < 30, run.stderr
    assert "Dumping Scrapy stats" in loud.stderr


def test_a_check_that_cannot_run_is_never_a_clean_result(audit, tmp_path):
    """Without the spelling dictionaries (GitHub's runners ship none) the typo check cannot
    run: the console, summary.md, the report and the exit status say so (issue 22), and
    turning the rule off is the way to accept it."""
    routes = {"/": Reply(body=html("Home", "<p>Welcome to the clinic.</p>"))}
    env = {"CONTENT_AUDIT_HUNSPELL_DIRS": str(tmp_path / "no-dictionaries")}
    with WebServer(routes) as server:
        run = audit([server.url + "/"], config=FAST, env=env)
        accepted = audit(
            [server.url + "/"], config=FAST + '[checks]\ndisable = ["typo"]\n', env=env
        )
    assert run.code == 2, run.stdout + run.stderr
    assert "typo could not run" in run.stdout + run.stderr
    summary = (run.out / "summary.md").read_text(encoding="utf-8")
    assert "Not every check could run: typo" in summary
    report = (run.out / "index.html").read_text(encoding="utf-8")
    assert 'id="checks-not-run"' in report and "spelling dictionaries are not installed" in report
    assert run.data["run"]["checks_not_run"][0]["rules"] == ["typo"]
    assert accepted.code == 0, accepted.stdout + accepted.stderr


def test_a_baseline_that_cannot_be_written_is_one_line_and_exit_2(audit, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    routes = {"/": Reply(body=html("Home", "<p>Welcome to the clinic.</p>"))}
    with WebServer(routes) as server:
        run = audit([server.url + "/", "--write-baseline", str(blocker / "baseline.json")],
                    config=FAST)  # fmt: skip
    assert run.code == 2, run.stdout + run.stderr
    assert "cannot write the baseline" in run.stderr and "Traceback" not in run.stderr
