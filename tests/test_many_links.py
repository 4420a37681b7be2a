"""A page with 200,000 links (issue 23, case 10): it once took 1 GiB, and 8 GiB and a
crash when the links shared one paragraph (each link kept the whole paragraph as its
context). The audit keeps the first ``MAX_LINKS_PER_PAGE`` links of a page, each with at
most ``MAX_CONTEXT`` characters around it, and says the rest were not checked."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from content_audit.core.model import Page
from content_audit.crawler.extract import MAX_CONTEXT, MAX_LINKS_PER_PAGE, extract_page
from tests.webserver import Reply, WebServer, html

LINKS = 200_000


def wall_of_links(count: int) -> str:
    """``count`` links to pages of the site, all in one paragraph, with no digits in their
    text (digits would be read as phone numbers, which costs time, not memory)."""
    return "<p>" + "".join(f"<a href='/leaflet/{n}'>Leaflet</a> " for n in range(count)) + "</p>"


def test_links_past_the_limit_are_counted_not_kept():
    page = Page(url="https://trust.example/", final_url="https://trust.example/", status=200)
    extra = 7
    extract_page(page, html("Leaflets", wall_of_links(MAX_LINKS_PER_PAGE + extra)))
    assert len(page.links) == MAX_LINKS_PER_PAGE
    # the page's own navigation link to "/" comes first, so one more is left over
    assert page.links_not_kept == extra + 1
    assert page.links[-1].url.endswith(f"/leaflet/{MAX_LINKS_PER_PAGE - 2}")
    assert all(len(link.context) <= MAX_CONTEXT + 2 for link in page.links)
    middle = page.links[MAX_LINKS_PER_PAGE // 2]
    assert middle.text in middle.context and middle.context.endswith("…")


def test_a_long_paragraph_keeps_the_text_around_each_link():
    words = " ".join(f"word{n}" for n in range(2_000))
    body = f"<p>{words} <a href='/a'>the leaflet</a> {words}</p><p>See <a href='/b'>b</a>.</p>"
    page = Page(url="https://trust.example/", final_url="https://trust.example/", status=200)
    extract_page(page, html("Leaflets", body))
    long, short = page.links[1], page.links[2]
    assert "the leaflet" in long.context and len(long.context) <= MAX_CONTEXT + 2
    assert long.context.startswith("…word") and long.context.endswith("…")
    assert short.context == "See b."


def tree_memory_mib(pid: int) -> float:
    """Proportional set size of ``pid`` and every process below it, in MiB: memory that
    forked children share with their parent is counted once, not once a process."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        proc = Path(f"/proc/{current}")
        try:
            for line in (proc / "smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
            for task in (proc / "task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue  # it has just ended
    return total / 1024


@pytest.mark.e2e
@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="needs Linux /proc")
def test_a_page_of_200000_links_takes_bounded_memory_and_says_so(tmp_path):
    from tests.conftest import ROOT, AuditRun

    routes = {"/": Reply(body=html("Leaflets", wall_of_links(LINKS)))}
    leaflet = Reply(body=html("Leaflet", "<p>Our leaflet.</p>"))
    out = tmp_path / "out"
    with WebServer(routes, default=lambda request: leaflet) as site:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "run_audit.py"), site.url + "/", "--out", str(out),
             "--set", "site.use_sitemap=false", "--set", "site.max_depth=0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        )  # fmt: skip
        peak, deadline = 0.0, time.monotonic() + 300
        while proc.poll() is None and time.monotonic() < deadline:
            peak = max(peak, tree_memory_mib(proc.pid))
            time.sleep(0.05)
        proc.kill()
        stdout, stderr = proc.communicate()
    run = AuditRun(proc.returncode, stdout, stderr, out)
    assert run.code == 1, stdout + stderr  # an error found: the page was not fully audited
    print(f"{LINKS:,} links on one page: peak {peak:.0f} MiB for the audit's processes")
    assert peak < 800, peak  # 8 GiB and a crash before; about 500 here
    home = run.pages()[site.url + "/"]
    assert home["links"] == MAX_LINKS_PER_PAGE
    said = [f for f in run.findings("page-error") if f["url"] == site.url + "/"]
    assert said and "were not" in said[0]["message"], run.data["findings"]
    assert f"{LINKS + 1:,} links" in said[0]["message"]
    assert f"other {LINKS + 1 - MAX_LINKS_PER_PAGE:,}" in said[0]["message"]
