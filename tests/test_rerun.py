"""The nightly re-run: pages the server says are unchanged (304 to If-None-Match or
If-Modified-Since) are not downloaded or extracted again, and the audit finds what a full
audit finds; a changed page is read afresh."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter

import pytest

from tests.webserver import Reply, WebServer, html

pytestmark = pytest.mark.e2e  # a real crawl, server or browser: not in the fast tier

CONFIG = 'today = "2026-11-24"\n[crawl]\ntimeout = 3\nretries = 0\n'
LAST_MODIFIED = "Tue, 24 Nov 2026 09:00:00 GMT"


def versioned_site() -> tuple[dict, dict[str, str]]:
    """Routes answering 304 to a matching If-None-Match (pages with an ETag) or
    If-Modified-Since (the page with only Last-Modified), and the bodies to change."""
    bodies = {
        "/": html(
            "Home",
            "<p><a href='/a.html'>Back pain</a> <a href='/b.html'>Knee pain</a> "
            "<a href='/c.html'>Hip pain</a></p>",
        ),
        "/a.html": html("Back pain", "<p>Keep moving and take painkillers if you need them.</p>"),
        "/b.html": html("Knee pain", "<p>Rest your knee and use an ice pack.</p>"),
        "/c.html": html("Hip pain", "<p>Gentle exercise can help your hip.</p>"),
    }

    def route(path: str):
        def answer(request):
            body = bodies[path]
            if path == "/c.html":  # Last-Modified only, as many servers send
                headers = {"Last-Modified": LAST_MODIFIED}
                if request.headers.get("if-modified-since") == LAST_MODIFIED:
                    return Reply(304, b"", headers)
                return Reply(body=body, headers=headers)
            etag = '"' + hashlib.sha1(body.encode()).hexdigest()[:12] + '"'
            if request.headers.get("if-none-match") == etag:
                return Reply(304, b"", {"ETag": etag})
            return Reply(body=body, headers={"ETag": etag})

        return answer

    return {path: route(path) for path in bodies}, bodies


def conditional(server: WebServer, since: int) -> dict[str, str]:
    """The conditional header each page was asked with, from request ``since`` on."""
    asked = {}
    for hit in server.log[since:]:
        if hit.method == "GET" and hit.path in ("/", "/a.html", "/b.html", "/c.html"):
            asked[hit.path] = hit.headers.get("if-none-match") or hit.headers.get(
                "if-modified-since", ""
            )
    return asked


def comparable(run) -> list[tuple]:
    return sorted((f["rule"], f["url"], f["text"] or "", f["message"]) for f in run.findings())


def test_unchanged_pages_are_not_read_again_and_the_findings_stay_true(tmp_path):
    from tests.conftest import run_cli

    routes, bodies = versioned_site()
    out = tmp_path / "nightly"
    with WebServer(routes) as server:
        first = run_cli([server.url + "/"], out, config=CONFIG)
        assert first.code in (0, 1), first.stdout + first.stderr
        assert all(not v for v in conditional(server, 0).values())  # nothing to ask yet
        assert first.data["run"]["pages_unchanged"] == 0

        bodies["/b.html"] = html(
            "Knee pain", "<p>Rest your knee. You will recieve an ice pack.</p>"
        )
        mark = len(server.log)
        second = run_cli([server.url + "/"], out, config=CONFIG)
        asked = conditional(server, mark)
        assert asked["/a.html"].startswith('"') and asked["/c.html"] == LAST_MODIFIED
        assert second.data["run"]["pages_unchanged"] == 3  # home, a and c: 304
        # asked about before the crawl (crawler.revalidate); the crawl then took the
        # unchanged pages from the last run without asking again, and downloaded the changed
        # one
        gets = Counter(h.path for h in server.log[mark:] if h.method == "GET")
        assert {path: gets[path] for path in bodies} == {
            "/": 1, "/a.html": 1, "/b.html": 2, "/c.html": 1
        }  # fmt: skip
        with sqlite3.connect(out / "run.sqlite") as db:
            (summary,) = db.execute("SELECT value FROM meta WHERE key = 'revalidation'").fetchone()
        assert json.loads(summary) == {"asked": 4, "unchanged": 3, "stopped": ""}
        pages = second.pages()
        assert pages[server.url + "/a.html"]["title"] == "Back pain"  # the kept record
        assert pages[server.url + "/a.html"]["status"] == 200
        typos = [f for f in second.findings("typo") if f["url"].endswith("/b.html")]
        assert [f["text"] for f in typos] == ["recieve"]  # the changed page was read afresh

        # a full audit of the site as it is now, in a fresh folder, finds the same
        full = run_cli([server.url + "/"], tmp_path / "full", config=CONFIG)
        assert comparable(second) == comparable(full)
        assert {u: p["word_count"] for u, p in second.pages().items()} == {
            u: p["word_count"] for u, p in full.pages().items()
        }

        # other extraction settings: the kept records are not trusted, nothing is asked
        mark = len(server.log)
        third = run_cli([server.url + "/"], out, config=CONFIG + '[site]\nmain_selector = "main"\n')
        assert all(not v for v in conditional(server, mark).values())
        assert third.data["run"]["pages_unchanged"] == 0
        assert comparable(third) == comparable(full)


def test_reuse_can_be_switched_off(tmp_path):
    from tests.conftest import run_cli

    routes, _bodies = versioned_site()
    out = tmp_path / "nightly"
    config = CONFIG.replace("[crawl]\n", "[crawl]\nreuse_unchanged = false\n")
    with WebServer(routes) as server:
        run_cli([server.url + "/"], out, config=config)
        mark = len(server.log)
        again = run_cli([server.url + "/"], out, config=config)
        assert all(not v for v in conditional(server, mark).values())
        assert again.data["run"]["pages_unchanged"] == 0


def test_a_page_whose_record_cannot_be_read_is_asked_for_again_in_full():
    import scrapy

    from content_audit.crawler.spider import AuditSpider

    asked = scrapy.Request(
        "http://127.0.0.1/a.html",
        headers={"If-None-Match": '"abc"', "If-Modified-Since": LAST_MODIFIED, "X-Keep": "1"},
        meta={"audit_kind": "page", "audit_conditional": True, "audit_depth": 2},
    )
    again = AuditSpider._unconditional(asked)
    assert again.url == asked.url and again.callback == asked.callback
    assert "If-None-Match" not in again.headers and "If-Modified-Since" not in again.headers
    assert again.headers.get("X-Keep") == b"1"
    assert again.meta["audit_conditional"] is False and again.meta["audit_depth"] == 2


def test_check_results_are_reused_only_under_the_same_check_settings(tmp_path):
    from tests.conftest import run_cli

    routes, _bodies = versioned_site()
    out = tmp_path / "nightly"
    words = '[checks.plain_english]\n"painkillers" = "pain relief"\n'
    with WebServer(routes) as server:
        page_a = server.url + "/a.html"
        first = run_cli([server.url + "/"], out, config=CONFIG + words)
        assert [f["url"] for f in first.findings("plain-english")] == [page_a]
        # mark the kept result, to tell a reused result from one worked out again
        with sqlite3.connect(out / "run.sqlite") as db:
            (data,) = db.execute(
                "SELECT data FROM page_results WHERE url = ?", (page_a,)
            ).fetchone()
            marked = data.replace("pain relief", "pain relief (kept)")
            db.execute("UPDATE page_results SET data = ? WHERE url = ?", (marked, page_a))

        again = run_cli([server.url + "/"], out, config=CONFIG + words)
        assert again.data["run"]["pages_unchanged"] == 4
        assert ["(kept)" in f["suggestion"] for f in again.findings("plain-english")] == [True]
        others = [x for x in comparable(again) if x[0] != "plain-english"]
        assert others == [x for x in comparable(first) if x[0] != "plain-english"]

        # other settings for the checks: the pages are unchanged, their results are not
        third = run_cli([server.url + "/"], out, config=CONFIG)
        assert third.data["run"]["pages_unchanged"] == 4
        assert third.findings("plain-english") == []
        fourth = run_cli([server.url + "/"], out, config=CONFIG + words)
        assert ["(kept)" in f["suggestion"] for f in fourth.findings("plain-english")] == [False]


def test_a_link_that_broke_since_is_reported_on_an_unchanged_page(tmp_path):
    """The unchanged page's link findings are reused only while its links' targets answer
    as they did (checks.engine.link_reuse)."""
    from tests.conftest import run_cli

    routes, bodies = versioned_site()
    bodies["/a.html"] = html(
        "Back pain", "<p>Keep moving. Read our <a href='/leaflet.html'>back pain leaflet</a>.</p>"
    )
    leaflet = {"status": 200}
    routes["/leaflet.html"] = lambda request: Reply(
        leaflet["status"], html("Back pain leaflet", "<p>Exercises for your back.</p>")
    )
    out = tmp_path / "nightly"

    def reuse() -> dict:
        with sqlite3.connect(out / "run.sqlite") as db:
            (value,) = db.execute("SELECT value FROM meta WHERE key = 'link_findings'").fetchone()
        return json.loads(value)

    with WebServer(routes) as server:
        first = run_cli([server.url + "/"], out, config=CONFIG)
        assert first.findings("link-broken") == []
        assert reuse()["reused"] == 0

        leaflet["status"] = 404  # the leaflet was taken down; the page linking to it is as it was
        second = run_cli([server.url + "/"], out, config=CONFIG)
        assert second.data["run"]["pages_unchanged"] == 4
        broken = [(f["url"], f["target"]) for f in second.findings("link-broken")]
        assert broken == [(server.url + "/a.html", server.url + "/leaflet.html")]
        assert reuse()["reused"] == 3  # home, b and c; a was checked again

        third = run_cli([server.url + "/"], out, config=CONFIG)  # nothing changed since
        assert reuse()["reused"] == 5  # the leaflet's error page too: the same bytes again
        assert comparable(third) == comparable(second)
        full = run_cli([server.url + "/"], tmp_path / "full", config=CONFIG)
        assert comparable(third) == comparable(full)


def test_an_error_page_that_answers_as_it_did_is_not_fetched_again(tmp_path):
    """A page that answered 404 is asked for again before the crawl (it has no validators);
    the same status and the same bytes make it unchanged, anything else is crawled."""
    from tests.conftest import run_cli

    routes, bodies = versioned_site()
    bodies["/a.html"] = html(
        "Back pain", "<p>Keep moving. Read <a href='/gone.html'>the back pain leaflet</a>.</p>"
    )
    gone = {"status": 404, "body": html("Page not found", "<p>Sorry, there is no such page.</p>")}
    routes["/gone.html"] = lambda request: Reply(gone["status"], gone["body"])
    out = tmp_path / "nightly"

    def gets(server: WebServer, since: int) -> int:
        return sum(1 for h in server.log[since:] if h.method == "GET" and h.path == "/gone.html")

    with WebServer(routes) as server:
        first = run_cli([server.url + "/"], out, config=CONFIG)
        broken = [(f["url"], f["target"]) for f in first.findings("link-broken")]
        assert broken == [(server.url + "/a.html", server.url + "/gone.html")]

        mark = len(server.log)
        second = run_cli([server.url + "/"], out, config=CONFIG)
        assert gets(server, mark) == 1  # before the crawl, and taken as it was
        assert second.data["run"]["pages_unchanged"] == 5  # four 304s and the error page
        assert comparable(second) == comparable(first)

        gone["body"] = html("Page not found", "<p>Sorry, this page has moved.</p>")
        mark = len(server.log)
        third = run_cli([server.url + "/"], out, config=CONFIG)
        assert gets(server, mark) == 2  # other bytes: the crawl reads it again
        assert third.data["run"]["pages_unchanged"] == 4
        assert comparable(third) == comparable(first)

        gone.update(status=200, body=html("Back pain leaflet", "<p>Exercises for your back.</p>"))
        fourth = run_cli([server.url + "/"], out, config=CONFIG)
        assert fourth.findings("link-broken") == []  # put back: the link works again
        full = run_cli([server.url + "/"], tmp_path / "full", config=CONFIG)
        assert comparable(fourth) == comparable(full)


def test_the_night_after_a_full_audit_reuses_link_findings_on_cached_answers(tmp_path):
    """A healthy external link's answer goes into the link cache marked with when it was
    checked, and the full audit's copy carries the same mark: the next night reads back
    the very answer the findings rest on, so an unchanged page's link findings stand from
    the first night (checks.engine.link_reuse), not only from the second."""
    from tests.conftest import run_cli

    partner = {
        "/exercises": lambda request: Reply(body=html("Exercises", "<p>Stretches.</p>")),
        "/old": lambda request: Reply(301, b"", {"Location": "/exercises"}),
    }
    routes, bodies = versioned_site()
    out = tmp_path / "nightly"

    def reuse() -> dict:
        with sqlite3.connect(out / "run.sqlite") as db:
            (value,) = db.execute("SELECT value FROM meta WHERE key = 'link_findings'").fetchone()
        return json.loads(value)

    with WebServer(partner) as ext, WebServer(routes) as server:
        bodies["/a.html"] = html(
            "Back pain",
            f"<p>Try <a href='{ext.url}/exercises'>these exercises</a> or "
            f"<a href='{ext.url}/old'>the exercise page</a>.</p>",
        )
        first = run_cli([server.url + "/"], out, config=CONFIG)
        moved = first.findings("link-redirect")
        assert [f["target"] for f in moved] == [ext.url + "/old"]
        assert moved[0]["details"]["checked"]  # when it was checked, as the cache keeps it
        asked = len(ext.log)

        second = run_cli([server.url + "/"], out, config=CONFIG)
        assert second.data["run"]["pages_unchanged"] == 4
        assert len(ext.log) == asked  # both answers came from the link cache
        assert reuse() == {"reused": 4, "checked": 0, "during_crawl": 0}  # the page linking out too
        again = second.findings("link-redirect")
        assert [{**f, "status": "new"} for f in again] == moved  # the same finding, persisting
        assert comparable(second) == comparable(first)


def test_the_last_runs_pages_are_asked_about_in_a_child_while_scrapy_is_imported(tmp_path):
    """The pipeline forks the revalidation before it imports Scrapy (content_audit.pipeline): the
    child's answer is what asking in this process gives."""
    from content_audit import pipeline
    from content_audit.core.config import Config
    from content_audit.core.previous import PreviousRun
    from content_audit.crawler.revalidate import revalidate
    from tests.conftest import run_cli

    routes, _ = versioned_site()
    out = tmp_path / "nightly"
    with WebServer(routes) as server:
        run_cli([server.url + "/"], out, config=CONFIG)
        config = Config(today="2026-11-24")
        config.site.start_urls = [server.url + "/"]
        last = PreviousRun(out / "run.sqlite")
        asking = pipeline._revalidate_ahead(config, last)
        assert asking is not None and asking._pid  # a child asks
        ahead = asking.result()
        here = revalidate(config, last.conditional_pages(), last.error_pages())
        last.close()
    pages = {server.url + path for path in ("/", "/a.html", "/b.html", "/c.html")}
    assert set(ahead.unchanged) == set(here.unchanged) == pages
    assert ahead.asked == here.asked == 4


def problem_link_site(ext_url: str) -> tuple[dict, dict[str, str]]:
    """The versioned site, its deepest page linking to three problem links on another
    site: a page that is gone, an image the server refuses HEAD for and then cannot find,
    and a leaflet that hangs past the crawl's timeout; /b.html links to one more gone
    page, which a later night removes."""
    routes, bodies = versioned_site()
    bodies["/c.html"] = html(
        "Hip pain",
        f"<p>Gentle exercise can help. See <a href='{ext_url}/gone'>hip exercises</a>, "
        f"<a href='{ext_url}/slow'>the hip leaflet</a> and "
        f"<img src='{ext_url}/missing.png' alt='A hip stretch'>.</p>",
    )
    bodies["/b.html"] = html(
        "Knee pain", f"<p>Rest your knee. Read <a href='{ext_url}/old-knee'>knee advice</a>.</p>"
    )
    return routes, bodies


def test_last_nights_problem_links_are_asked_first_with_their_method(tmp_path):
    """A re-run asks about the last run's problem links on other sites before it walks
    any page (an external server that hung last night must not hold the end of a quick
    walk of unchanged pages): failures first, each with the method it was asked with."""
    import asyncio
    import time

    import scrapy

    from content_audit.checks.engine.runner import results_key
    from content_audit.core.config import Config
    from content_audit.core.previous import PreviousRun, extraction_key
    from content_audit.core.store import RunStore
    from content_audit.crawler.spider import AuditSpider
    from content_audit.pipeline import check_context
    from tests.conftest import run_cli

    def hang(request):
        time.sleep(4)  # past the crawl's timeout of 3 s
        return Reply(body=html("Hip leaflet", "<p>Stretches.</p>"))

    external = {
        "/gone": lambda request: Reply(404, html("Not found", "<p>No such page.</p>")),
        "/old-knee": lambda request: Reply(404, html("Not found", "<p>No such page.</p>")),
        "/missing.png": lambda request: Reply(405 if request.method == "HEAD" else 404, b""),
        "/slow": hang,
    }
    with WebServer(external) as ext:
        routes, _ = problem_link_site(ext.url)
        out = tmp_path / "nightly"
        with WebServer(routes) as server:
            first = run_cli([server.url + "/"], out, config=CONFIG)
            broken = {f["target"] for f in first.findings("link-broken")}
            assert broken == {ext.url + p for p in ("/gone", "/old-knee", "/missing.png", "/slow")}

            config = Config(today="2026-11-24")
            config.site.start_urls = [server.url + "/"]
            previous = PreviousRun.take_over(
                out, extraction_key(config.site.main_selector), results_key(check_context(config))
            )
            assert previous is not None
            spider = AuditSpider(
                config=config, store=RunStore(out / "run.sqlite"), previous=previous
            )

            async def started() -> list[scrapy.Request]:
                return [request async for request in spider.start()]

            requests = asyncio.run(started())
            previous.close()
    asked = [(r.url, r.method) for r in requests if r.meta.get("audit_kind") == "link"]
    # the timeout first (no answer at all), then the error statuses; the image by HEAD
    # as last night (a refused HEAD then a GET), the pages by GET
    assert asked[0] == (ext.url + "/slow", "GET")
    assert sorted(asked[1:]) == sorted(
        [(ext.url + "/gone", "GET"), (ext.url + "/old-knee", "GET"),
         (ext.url + "/missing.png", "HEAD")]
    )  # fmt: skip
    kinds = [r.meta.get("audit_kind") for r in requests]
    assert kinds.index("page") > max(i for i, k in enumerate(kinds) if k == "link")
    assert spider.early == {ext.url + p for p in ("/slow", "/gone", "/old-knee", "/missing.png")}


def test_a_problem_link_asked_first_counts_only_while_a_page_links_to_it(tmp_path):
    """The findings and the count of links checked are what a full audit gives, also when
    a page no longer links to one of last night's problem links: asked first all the same,
    its answer is dropped when the crawl ends."""
    from tests.conftest import run_cli

    external = {
        "/gone": lambda request: Reply(404, html("Not found", "<p>No such page.</p>")),
        "/old-knee": lambda request: Reply(404, html("Not found", "<p>No such page.</p>")),
        "/missing.png": lambda request: Reply(405 if request.method == "HEAD" else 404, b""),
        "/slow": lambda request: Reply(body=html("Hip leaflet", "<p>Stretches.</p>")),
    }

    def link_fetches(out) -> set[str]:
        with sqlite3.connect(out / "run.sqlite") as db:
            return {url for (url,) in db.execute("SELECT url FROM fetches WHERE kind = 'link'")}

    with WebServer(external) as ext:
        routes, bodies = problem_link_site(ext.url)
        out = tmp_path / "nightly"
        with WebServer(routes) as server:
            first = run_cli([server.url + "/"], out, config=CONFIG)
            assert ext.url + "/old-knee" in {f["target"] for f in first.findings("link-broken")}

            bodies["/b.html"] = html("Knee pain", "<p>Rest your knee and use an ice pack.</p>")
            mark = len(ext.log)
            second = run_cli([server.url + "/"], out, config=CONFIG)
            assert second.data["run"]["pages_unchanged"] == 3  # home, a and c
            asked = [(h.method, h.path) for h in ext.log[mark:]]
            assert ("GET", "/old-knee") in asked  # last night's, asked first all the same
            assert asked.count(("HEAD", "/missing.png")) == 1  # HEAD refused, then GET
            assert ext.url + "/old-knee" not in link_fetches(out)
            full = run_cli([server.url + "/"], tmp_path / "full", config=CONFIG)
    assert comparable(second) == comparable(full)
    assert second.data["run"]["links_checked"] == full.data["run"]["links_checked"]
    assert link_fetches(out) == link_fetches(tmp_path / "full")


def test_problem_links_are_asked_while_the_revalidation_waits_on_the_site(tmp_path):
    """The re-run's problem links on other sites do not wait for the revalidation, which
    asks the site about its pages meanwhile: a slow site used to hold them all back."""
    import time

    from tests.conftest import run_cli

    arrived: dict[str, float] = {}
    external = {
        path: (lambda request, path=path: arrived.setdefault(path, time.monotonic())
               and Reply(404, html("Not found", "<p>No such page.</p>")))
        for path in ("/gone", "/old-knee", "/slow", "/missing.png")
    }  # fmt: skip
    conditional_answers: list[float] = []

    def slow_when_asked(answer):
        def route(request):
            if request.headers.get("if-none-match") or request.headers.get("if-modified-since"):
                time.sleep(1.5)  # the site takes its time over "has it changed?"
                conditional_answers.append(time.monotonic())
            return answer(request)

        return route

    with WebServer(external) as ext:
        routes, _ = problem_link_site(ext.url)
        out = tmp_path / "nightly"
        with WebServer({path: slow_when_asked(r) for path, r in routes.items()}) as server:
            first = run_cli([server.url + "/"], out, config=CONFIG)
            assert ext.url + "/gone" in {f["target"] for f in first.findings("link-broken")}
            arrived.clear()
            second = run_cli([server.url + "/"], out, config=CONFIG)
    assert second.data["run"]["pages_unchanged"] == 4, second.stdout + second.stderr
    assert len(conditional_answers) == 4  # the revalidation asked about every page
    # every problem link was asked before the site had answered the revalidation
    assert set(arrived) == {"/gone", "/old-knee", "/slow", "/missing.png"}
    assert max(arrived.values()) < min(conditional_answers)
    assert comparable(second) == comparable(first)


def test_a_rerun_stopped_during_the_revalidation_stops_at_once_and_asks_no_more(tmp_path):
    """SIGTERM (a cancelled CI job) while the revalidation waits on a slow site: the audit
    ends within seconds, not when the revalidation would have, and the child asking the
    site is stopped with it."""
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import ROOT, run_cli

    routes, _ = versioned_site()
    slow = {"on": False}

    def hang_when_asked(answer):
        def route(request):
            if slow["on"] and request.headers.get("if-none-match"):
                time.sleep(3)
            return answer(request)

        return route

    out = tmp_path / "nightly"
    with WebServer({path: hang_when_asked(r) for path, r in routes.items()}) as server:
        first = run_cli([server.url + "/"], out, config=CONFIG)
        assert first.code in (0, 1), first.stdout + first.stderr
        config = out.parent / "nightly.toml"  # run_cli wrote it
        slow["on"] = True
        mark = len(server.log)
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "run_audit.py"), server.url + "/", "--out", str(out),
             "--config", str(config)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while not any(h.headers.get("if-none-match") for h in server.log[mark:]):
            assert time.monotonic() < deadline, "the re-run never asked the site"
            time.sleep(0.05)
        time.sleep(1.5)  # Scrapy is started meanwhile, the revalidation still waiting
        stopped = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        stdout, _stderr = proc.communicate(timeout=60)
        took = time.monotonic() - stopped
        asked = len(server.log)
        time.sleep(4)  # a child left behind would go on asking about the other pages
        later = len(server.log) - asked
    assert proc.returncode == 2, stdout
    assert "stopped" in stdout
    assert took < 2.5, f"the audit took {took:.1f} s to stop"
    assert later == 0, f"{later} more requests after the audit ended"
