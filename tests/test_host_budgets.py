"""Separate budgets: link checks to other hosts hold at most their share of the crawl's
places, so slow or hanging hosts never stop the site's own pages, and a site with many
pages never keeps link checks waiting until its pages are done."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
from scrapy.http import Request
from scrapy.settings import Settings

from content_audit.core.urls import Scope
from content_audit.crawler.scrapy_private import BudgetQueue, PoliteDownloader, other_hosts_limit


class Clock:
    """When each request to a group of servers started and ended, and how many were open
    at once over the whole group."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.open = 0
        self.most_open = 0
        self.spans: list[tuple[float, float, str]] = []  # (start, end, path)

    def begin(self) -> float:
        with self.lock:
            self.open += 1
            self.most_open = max(self.most_open, self.open)
        return time.monotonic()

    def end(self, started: float, path: str) -> None:
        with self.lock:
            self.open -= 1
            self.spans.append((started, time.monotonic(), path))

    def paths(self, prefix: str = "/") -> list[str]:
        with self.lock:
            return [p for _, _, p in self.spans if p.startswith(prefix)]


class TimedServer:
    """Answers every path after ``delay`` seconds; ``pages(path)`` gives the HTML for a path
    (None: a plain page). robots.txt answers 404 (allow all) after the same delay."""

    def __init__(self, clock: Clock, delay: float, pages=None) -> None:
        owner = self
        self.clock, self.delay, self.pages = clock, delay, pages

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                started = owner.clock.begin()
                try:
                    time.sleep(owner.delay)
                    html = owner.pages(self.path) if owner.pages else None
                    status = 404 if self.path == "/robots.txt" else 200
                    body = (html or "<!DOCTYPE html><title>Elsewhere</title><h1>Hi</h1>").encode()
                    self.send_response(status)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(body)
                finally:
                    owner.clock.end(started, self.path)

            do_HEAD = do_GET

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.request_queue_size = 64
        self.httpd.handle_error = lambda *a: None  # type: ignore[method-assign]
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> TimedServer:
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()  # fmt: skip
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def page(title: str, links: list[str]) -> str:
    items = "".join(f'<li><a href="{u}">{title} link {n}</a></li>' for n, u in enumerate(links))
    return (
        f"<!DOCTYPE html><html lang='en-GB'><head><title>{title}</title></head><body>"
        f"<main><h1>{title}</h1><p>Our clinic is open from 9am to 5pm.</p><ul>{items}</ul>"
        "</main></body></html>"
    )


CONFIG = """
[site]
use_sitemap = false
[crawl]
concurrency = 8
per_host_concurrency = 2
timeout = 10
retries = 0
[links]
timeout_retries = 0
cache = "{cache}"
"""


# -- the budget's arithmetic and the queue, without a crawl --------------------------------
def test_other_hosts_get_a_share_and_the_site_keeps_a_place():
    assert other_hosts_limit(16, 0.5) == 8
    assert other_hosts_limit(4, 0.5) == 2
    assert other_hosts_limit(16, 1.0) == 15  # one place is always the site's
    assert other_hosts_limit(16, 0.01) == 1  # and link checks always get one
    assert other_hosts_limit(1, 0.5) == 1  # one place in all: shared, as before
    assert other_hosts_limit(0, 0.5) == 0  # no global limit: none here either


def _queue(full: bool) -> BudgetQueue:
    from scrapy.squeues import FifoMemoryQueue

    class Bare(PoliteDownloader):
        def __init__(self) -> None:  # what the queue reads, without a crawler
            self.slots = {}
            self.scope = Scope(["https://www.trust.nhs.uk/"])

        def other_hosts_full(self) -> bool:
            return full

    crawler = SimpleNamespace(settings=Settings(), engine=SimpleNamespace(downloader=Bare()))
    return BudgetQueue(crawler, FifoMemoryQueue, "")


def test_while_other_hosts_hold_their_share_only_the_sites_requests_leave_the_queue():
    queue = _queue(full=True)
    for n in range(3):
        queue.push(Request(f"https://elsewhere.example/{n}"))
    queue.push(Request("https://www.trust.nhs.uk/a"))
    queue.push(Request("https://www.trust.nhs.uk/b"))
    assert queue.pop().url == "https://www.trust.nhs.uk/a"
    assert queue.pop().url == "https://www.trust.nhs.uk/b"
    assert queue.pop() is None  # other hosts wait for a place of their own
    assert len(queue) == 3


def test_with_places_free_other_hosts_come_first_as_in_scrapys_queue():
    queue = _queue(full=False)
    queue.push(Request("https://www.trust.nhs.uk/a"))
    queue.push(Request("https://elsewhere.example/1"))
    popped = [queue.pop().url for _ in range(2)]
    assert sorted(popped) == ["https://elsewhere.example/1", "https://www.trust.nhs.uk/a"]
    assert queue.pop() is None and len(queue) == 0


def test_a_stalled_progress_line_says_how_many_answers_are_other_sites(monkeypatch):
    """With the site's pages done and link checks to slow sites holding their share, the
    queue is not empty: the line still says what it waits for, and whose answers."""
    from content_audit.crawler import progress as progress_module
    from content_audit.crawler.progress import Progress

    clock = [100.0]
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: clock[0])
    spider = SimpleNamespace(stats_pages=30, stats_links=12, stats_errors=0)
    downloader = SimpleNamespace(active={"a", "b", "c"}, other_hosts_in_flight=3)
    engine = SimpleNamespace(scheduler=[1, 2, 3, 4], downloader=downloader)
    settings = SimpleNamespace(getfloat=lambda name, default: 20.0)
    shown = Progress(SimpleNamespace(spider=spider, engine=engine, settings=settings), 5.0)
    assert "waiting" not in shown.line()
    clock[0] += 4
    line = shown.line()
    assert "queued 4" in line
    assert (
        "waiting for 3 slow answers, 3 of them from other sites (each gives up after 20s)" in line
    )


# -- real crawls against servers on 127.0.0.1 ----------------------------------------------
@pytest.mark.e2e
def test_slow_other_hosts_never_hold_up_the_sites_pages(tmp_path):
    """30 pages, each linking to one of 8 other hosts that answer (robots.txt too) after
    1.5 s: the link checks take ~10 s at their share of 4 places, and the site's pages,
    at 2 at a time, are all crawled in the first seconds of it, not between the waits."""
    from tests.test_linkcheck_crawl import run_audit

    site_clock, other_clock = Clock(), Clock()
    others = [TimedServer(other_clock, 1.5) for _ in range(8)]
    pages = 30

    def site_pages(path: str) -> str | None:
        if path in ("/", "/index.html"):
            return page("Home", [f"/p{n}.html" for n in range(pages)])
        if path.startswith("/p"):
            n = int(path[2:].split(".")[0])
            return page(f"Page {n}", [f"{others[n % len(others)].url}/check-{n}"])
        return None

    site = TimedServer(site_clock, 0.05, site_pages)
    with site, others[0], others[1], others[2], others[3], others[4], others[5], others[6], \
            others[7]:  # fmt: skip
        started = time.monotonic()
        findings, _, proc = run_audit(
            site.url, tmp_path, CONFIG.format(cache=tmp_path / "c.db"), "--fail-on", "never"
        )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(site_clock.paths("/p")) == pages
    assert len(other_clock.paths("/check-")) == pages  # every link checked
    assert not [f for f in findings if f["rule"] == "link-broken"]
    site_done = max(end for _, end, p in site_clock.spans if p.startswith("/p")) - started
    others_done = max(end for _, end, _ in other_clock.spans) - started
    # 30 checks + 8 robots.txt at 1.5 s, 4 at a time: at least 14 s for the other hosts
    assert others_done > 12, others_done
    # the site's 31 pages need ~1 s at 2 at a time (plus start-up); with other hosts
    # holding every place they came in between the 1.5 s waits, done near the end
    assert site_done < others_done / 2, (site_done, others_done)
    assert other_clock.most_open <= 4  # their share: half of concurrency 8


@pytest.mark.e2e
def test_a_site_with_many_pages_does_not_keep_link_checks_waiting(tmp_path):
    """200 pages answering in 50 ms, 2 at a time (~5 s), and 20 links to another host:
    the link checks are done long before the site's pages, not after them."""
    from tests.test_linkcheck_crawl import run_audit

    site_clock, other_clock = Clock(), Clock()
    other = TimedServer(other_clock, 0.05)
    pages = 200

    def site_pages(path: str) -> str | None:
        if path in ("/", "/index.html"):
            return page("Home", [f"/p{n}.html" for n in range(pages)])
        if path.startswith("/p"):
            n = int(path[2:].split(".")[0])
            extra = [f"{other.url}/check-{n}"] if n % 10 == 0 else []
            return page(f"Page {n}", extra)
        return None

    site = TimedServer(site_clock, 0.05, site_pages)
    with site, other:
        run_audit(site.url, tmp_path, CONFIG.format(cache=tmp_path / "c.db"), "--fail-on", "never")
    assert len(other_clock.paths("/check-")) == 20
    crawled = {p: end for _, end, p in site_clock.spans if p.startswith("/p")}
    assert len(crawled) == pages
    site_time = max(crawled.values()) - min(crawled.values())
    waits = [
        start - crawled[f"/p{p.split('-')[1]}.html"]
        for start, _, p in other_clock.spans
        if p.startswith("/check-")
    ]
    # each check starts within moments of its page being crawled, not after the site
    assert max(waits) < min(1.0, site_time / 4), (max(waits), site_time)


DEAD_RESOLVER = """
import atexit, os, socket, threading, time
from content_audit.crawler import address_guard
lock, asked = threading.Lock(), []
def dead(host, port):
    with lock:
        asked.append(host)
    time.sleep(1.0)  # a resolver that takes its time to say "no such name"
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
address_guard.resolve = dead
atexit.register(lambda: open(os.environ["ASKED_FILE"], "w").write("\\n".join(asked)))
from content_audit.cli import cli
cli()
"""


@pytest.mark.e2e
def test_a_dead_domain_costs_one_lookup_a_run_and_never_holds_up_the_site(tmp_path):
    """30 pages, each linking to 2 addresses on each of 40 domains that do not resolve
    (2,400 link checks; every lookup takes 1 s to fail): 40 lookups in all, every link
    reported broken, and the site's pages crawled at their own pace meanwhile, not in the
    gaps between waves of lookups (10 s of them at 4 at a time)."""
    import json
    import os
    import subprocess
    import sys

    from tests.test_linkcheck_crawl import ROOT

    site_clock = Clock()
    pages, domains = 30, [f"dead-{k}.example" for k in range(40)]

    def site_pages(path: str) -> str | None:
        if path in ("/", "/index.html"):
            return page("Home", [f"/p{n}.html" for n in range(pages)])
        if path.startswith("/p"):
            n = int(path[2:].split(".")[0])
            return page(f"Page {n}", [f"https://{d}/p{n}-{k}" for d in domains for k in range(2)])
        return None

    (tmp_path / "audit.toml").write_text(CONFIG.format(cache=tmp_path / "c.db"))
    asked_file = tmp_path / "asked.txt"
    with TimedServer(site_clock, 0.05, site_pages) as site:
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-c", DEAD_RESOLVER, site.url + "/", "--out", str(tmp_path / "out"),
             "--config", str(tmp_path / "audit.toml"), "--fail-on", "never"],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
            env={**os.environ, "ASKED_FILE": str(asked_file)},
        )  # fmt: skip
        elapsed = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert sorted(asked_file.read_text().split()) == sorted(domains)  # one lookup each
    findings = json.loads((tmp_path / "out" / "findings.json").read_text())["findings"]
    broken = {f["target"] for f in findings if f["rule"] == "link-broken"}
    assert broken == {f"https://{d}/p{n}-{k}" for d in domains for n in range(pages)
                      for k in range(2)}  # fmt: skip
    site_done = max(end for _, end, p in site_clock.spans if p.startswith("/p")) - started
    # 31 pages at 2 at a time: ~1 s after start-up; the lookups alone take 10 s
    assert site_done < elapsed / 2, (site_done, elapsed)
    assert elapsed < 40, elapsed
