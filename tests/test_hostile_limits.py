"""Two cases of issue 23 that were guarded in the code but only tested in part, end to
end: Ctrl-C while extraction and content-check workers are busy, and a site whose
sitemaps never end (an index of indexes generated without end: no loop to notice, only
the limit of 1,000 sitemaps a run stops it)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT, AuditRun
from tests.test_hostile import alive, children_of, sitemap_index
from tests.webserver import Reply, WebServer, html

pytestmark = pytest.mark.e2e


def endless_page(request) -> Reply:
    """/p<n> links to two pages further on, without end; a little slow, as a real server."""
    time.sleep(0.05)
    number = request.path.split("?")[0].removeprefix("/p")
    n = int(number) if number.isdigit() else 0
    return Reply(
        body=html(
            f"Page {n}",
            f"<p>Advice for patients, part {n}.</p>"
            f"<a href='/p{n + 1}'>Next part</a> <a href='/p{n + 2}'>The part after</a>",
        )
    )


def descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        for child in children_of(todo.pop()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def test_ctrl_c_with_workers_busy_says_one_line_and_leaves_no_worker(tmp_path):
    out = tmp_path / "out"
    with WebServer(default=endless_page) as site:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "run_audit.py"), site.url + "/p0", "--out", str(out),
             "--set", "site.use_sitemap=false", "--set", "site.max_depth=100000"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
            start_new_session=True,  # its own process group, as a terminal's job is
        )  # fmt: skip
        workers: set[int] = set()
        try:
            deadline = time.monotonic() + 60
            # past 50 pages the extraction and content-check workers start (spawned)
            while time.monotonic() < deadline and proc.poll() is None:
                workers = {
                    pid
                    for pid in descendants(proc.pid)
                    if b"spawn_main" in _cmdline(pid) and alive(pid)
                }
                if len(workers) >= 2:
                    break
                time.sleep(0.2)
            assert len(workers) >= 2, "the audit never started its workers"
            time.sleep(2)  # the workers are at work
            workers |= descendants(proc.pid)
            os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches every process of the job
            stopped = time.monotonic()
            stdout, stderr = proc.communicate(timeout=60)
            took = time.monotonic() - stopped
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and any(alive(w) for w in workers):
                time.sleep(0.2)
            left = [w for w in workers if alive(w)]
        finally:
            proc.kill()
            for worker in workers:
                if alive(worker):  # this test's own, if the audit left any
                    os.kill(worker, signal.SIGKILL)
    run = AuditRun(proc.returncode, stdout, stderr, out)
    text = stdout + stderr
    assert run.code == 2, text
    assert took < 30, took
    assert "Traceback" not in text and "KeyboardInterrupt" not in text, text
    assert not stderr.strip(), stderr  # nothing from the workers or the crawl
    last = stdout.strip().splitlines()[-1]
    assert "stopped early" in last and "incomplete" in last, stdout
    assert "Passed" not in text
    assert not left, f"workers still running after Ctrl-C: {left}"
    assert run.data["run"]["complete"] is False


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read()
    except OSError:
        return b""


def endless_sitemaps(base: list[str]):
    """/sitemap-<n>.xml is an index of ten sitemaps never seen before (n*10+1 to n*10+10):
    no loop, and no end."""

    def reply(request) -> Reply:
        n = int(request.path.removeprefix("/sitemap-").removesuffix(".xml"))
        return sitemap_index(
            *(f"{base[0]}/sitemap-{m}.xml" for m in range(n * 10 + 1, n * 10 + 11))
        )

    return reply


@pytest.fixture(scope="module")
def endless_sitemap_run(tmp_path_factory):
    """One audit of a site whose sitemaps never end: the run, the sitemaps the server was
    asked for, and how long it took."""
    from tests.conftest import run_cli

    base: list[str] = []
    routes = {
        "/": Reply(body=html("Home", "<p>Welcome to the clinic.</p>")),
        "/robots.txt": lambda r: Reply(
            body=f"User-agent: *\nSitemap: {base[0]}/sitemap-0.xml\n", content_type="text/plain"
        ),
    }
    sitemaps = endless_sitemaps(base)

    def route(request) -> Reply:
        if request.path.startswith("/sitemap-"):
            return sitemaps(request)
        return Reply(404, "<html><head><title>Not found</title></head></html>")

    out = tmp_path_factory.mktemp("sitemaps") / "out"
    with WebServer(routes, default=route) as site:
        base.append(site.url)
        started = time.monotonic()
        run = run_cli([site.url + "/"], out, config="[crawl]\nretries = 0\n", timeout=240)
        took = time.monotonic() - started
        asked = [p for p in site.paths() if p.startswith("/sitemap-")]
    return run, asked, took


def test_endless_sitemaps_stop_at_the_limit(endless_sitemap_run):
    run, asked, took = endless_sitemap_run
    assert len(asked) == 1000 and len(set(asked)) == 1000, len(asked)
    past = [f for f in run.data["findings"] if "past 1000" in f["message"]]
    assert past and {f["rule"] for f in past} == {"sitemap-problem"}, run.data["findings"]
    assert "the rest were not read" in past[0]["message"]
    # sitemaps left unread may list pages nothing links to: not a full audit
    assert run.code == 2, run.stdout + run.stderr
    assert "the site's sitemaps go past 1,000" in run.stdout
    assert "Traceback" not in run.stderr
    print(f"1,000 sitemaps read and the limit reported in {took:.1f} s")


def test_endless_sitemaps_say_so_once(endless_sitemap_run):
    run, _asked, _took = endless_sitemap_run
    past = [f for f in run.data["findings"] if "past 1000" in f["message"]]
    assert len(past) == 1, len(past)
