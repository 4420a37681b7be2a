"""The crawl against a real local server: scope, robots, sitemaps, traps, redirects,
documents, charsets, sizes and credentials."""

from __future__ import annotations

import time

import pytest

from tests.webserver import Reply, WebServer, html

pytestmark = pytest.mark.e2e  # a real crawl, server or browser: not in the fast tier

FAST = "[crawl]\ntimeout = 3\nretries = 0\n"


def site_routes(url_holder: list[str]) -> dict:
    def calendar(request):
        month = int(request.path.split("month=")[1])
        return Reply(
            body=html(
                f"Events {month}", f"<p><a href='/calendar?month={month + 1}'>Next month</a></p>"
            )
        )

    return {
        "/": Reply(
            body=html(
                "Home",
                "<p><a href='/a.html'>Advice A</a> <a href='/old'>Old advice</a>"
                " <a href='/doc.pdf'>Leaflet (PDF)</a> <a href='/private/secret.html'>Staff</a>"
                " <a href='/calendar?month=1'>Events</a> <a href='/a.html?sessionid=XYZ&utm_source=x'>A again</a>"
                " <a href='/loop1'>Loop</a> <a href='/b.html'>B</a></p>",
            )
        ),
        "/robots.txt": lambda r: Reply(
            body=f"User-agent: *\nDisallow: /private/\nSitemap: {url_holder[0]}/sitemap.xml\n",
            content_type="text/plain",
        ),
        "/sitemap.xml": lambda r: Reply(
            body=(
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>{url_holder[0]}/orphan.html</loc></url></urlset>"
            ),
            content_type="application/xml",
        ),
        "/a.html": Reply(body=html("Advice A", "<p>Rest and keep moving.</p>")),
        "/b.html": Reply(
            body="<html><head><title>Caf\xe9 opening times</title></head><body><main><h1>Caf\xe9</h1>"
            "<p>Open 9am to 5pm \u2013 closed on Sunday.</p></main></body></html>".encode("cp1252"),
            content_type="text/html; charset=utf-8",
        ),
        "/orphan.html": Reply(body=html("Orphan", "<p>Only in the sitemap.</p>")),
        "/old": Reply(301, headers={"Location": "/a.html"}),
        "/loop1": Reply(302, headers={"Location": "/loop2"}),
        "/loop2": Reply(302, headers={"Location": "/loop1"}),
        "/doc.pdf": Reply(body=b"%PDF-1.4\n" + b"0" * 500, content_type="application/pdf"),
        "/private/secret.html": Reply(body=html("Secret", "<p>Staff only</p>")),
        "/calendar": calendar,
    }


def test_crawl_scope_robots_sitemap_traps_redirects_and_documents(audit):
    holder: list[str] = []
    with WebServer(site_routes(holder)) as server:
        holder.append(server.url)
        run = audit([server.url + "/"], config=FAST, timeout=90)
        log = server.paths()
    assert run.code == 1, run.stderr  # the redirect loop is a broken link
    pages = run.pages()
    base = server.url
    assert f"{base}/a.html" in pages and f"{base}/orphan.html" in pages
    # robots.txt is obeyed
    assert not any(p.startswith("/private/") for p in log)
    # session ids and tracking parameters do not make a second copy of a page
    assert log.count("/a.html") <= 2  # once itself, once at the end of the /old redirect
    assert not any("sessionid" in p for p in log)
    # the endless calendar stays bounded
    calendar_hits = [p for p in log if p.startswith("/calendar")]
    assert 5 <= len(calendar_hits) <= 11
    # non-HTML documents: status and size recorded, not parsed
    pdf = pages[f"{base}/doc.pdf"]
    assert pdf["status"] == 200 and pdf["is_html"] is False and pdf["size"] == 509
    # the redirect is followed and recorded; the loop is reported, not followed forever
    assert log.count("/old") == 1
    loop = [f for f in run.findings("link-broken") if f["target"] == f"{base}/loop1"]
    assert loop and "redirect" in loop[0]["message"]
    assert len([p for p in log if p.startswith("/loop")]) <= 12
    # wrong charset: reported, and the text is still read correctly
    assert pages[f"{base}/b.html"]["title"] == "Café opening times"
    assert any(f["url"] == f"{base}/b.html" for f in run.findings("page-encoding"))
    # every response is recorded with status, type, size and time
    home = pages[f"{base}/"]
    assert home["status"] == 200 and home["content_type"].startswith("text/html")
    assert home["size"] > 0 and home["elapsed_ms"] >= 0


def test_limits_on_pages_and_depth(audit):
    def chain(request):
        if not request.path.startswith("/p"):
            return Reply(404, "not found")
        n = int(request.path[2:])
        return Reply(
            body=f"<html><title>Page {n}</title><main><a href='/p{n + 1}'>next</a></main></html>"
        )

    with WebServer(default=chain) as server:
        run = audit(
            [server.url + "/p0"], config=FAST + "[site]\nmax_depth = 3\nuse_sitemap = false\n"
        )
        assert sorted(run.pages()) == sorted(f"{server.url}/p{i}" for i in range(4))
        run = audit([server.url + "/p0", "--max-pages", "2"], config=FAST)
        assert len(run.pages()) == 2


def test_include_and_exclude_patterns(audit):
    routes = {
        "/": Reply(
            body=html("Home", "<a href='/services/a.html'>A</a> <a href='/news/b.html'>B</a>")
        ),
        "/services/a.html": Reply(body=html("A", "<p>a</p>")),
        "/news/b.html": Reply(body=html("B", "<p>b</p>")),
    }
    with WebServer(routes) as server:
        run = audit([server.url + "/"], config=FAST + '[site]\nexclude = ["/news/"]\n')
        assert f"{server.url}/news/b.html" not in run.pages()
        assert f"{server.url}/services/a.html" in run.pages()
        # excluded pages are still checked as links, with one request and no parsing
        assert server.paths().count("/news/b.html") == 1


def test_another_port_on_the_same_host_is_another_site(audit):
    with WebServer({"/": Reply(body=html("Other", "<a href='/deeper'>deeper</a>"))}) as other:
        routes = {"/": Reply(body=html("Home", f"<a href='{other.url}/'>Other service</a>"))}
        with WebServer(routes) as site:
            run = audit([site.url + "/"], config=FAST)
        assert list(run.pages()) == [f"{site.url}/"]
        assert "/deeper" not in other.paths()  # checked as a link, never crawled


def test_huge_page_is_stopped_and_reported(audit):
    big = html("Big", "<p>" + "word " * 40000 + "</p>")
    routes = {
        "/": Reply(body=html("Home", "<a href='/big.html'>Big page</a>")),
        "/big.html": Reply(body=big),
    }
    with WebServer(routes) as server:
        run = audit([server.url + "/"], config=FAST + "max_size_mb = 0.05\n")
    finding = [f for f in run.data["findings"] if f["target"] == f"{server.url}/big.html"]
    assert finding and "larger than" in finding[0]["message"]


def test_basic_auth_goes_to_the_audited_site_only(audit):
    import base64

    token = "Basic " + base64.b64encode(b"stage:s3cret-pass").decode()

    def guarded(body):
        def route(request):
            if request.headers.get("authorization") != token:
                return Reply(401, "login needed", {"WWW-Authenticate": 'Basic realm="staging"'})
            return Reply(body=body)

        return route

    with WebServer({"/": Reply(body=html("Elsewhere", "<p>x</p>"))}) as other:
        routes = {
            "/": guarded(
                html("Staging", f"<a href='/a.html'>A</a> <a href='{other.url}/'>Partner</a>")
            ),
            "/a.html": guarded(html("A", "<p>a</p>")),
        }
        with WebServer(routes) as site:
            env = {"CONTENT_AUDIT_USER": "stage", "CONTENT_AUDIT_PASSWORD": "s3cret-pass"}
            run = audit([site.url + "/"], config=FAST, env=env)
            site_auth = [
                h.headers.get("authorization") for h in site.log if h.path != "/robots.txt"
            ]
        assert run.code == 0, run.stdout + run.stderr
        assert all(value == token for value in site_auth)
        assert all("authorization" not in h.headers for h in other.log)
        assert all("referer" not in h.headers for h in other.log)  # staging URLs stay private
    for path in run.out.rglob("*"):
        if path.is_file():
            assert b"s3cret-pass" not in path.read_bytes(), path
    assert "s3cret-pass" not in run.stdout + run.stderr


def test_server_that_hangs_does_not_hang_the_audit(audit):
    def slow(request):
        time.sleep(5)
        return Reply(body=html("Slow", "<p>x</p>"))

    with WebServer({"/": slow}) as server:
        started = time.monotonic()
        run = audit([server.url + "/"], config="[crawl]\ntimeout = 1\nretries = 0\n")
        took = time.monotonic() - started
    assert run.code == 2
    assert "too long" in run.stdout
    assert took < 30


def test_crawl_is_breadth_first_so_depth_is_the_shortest_click_distance(audit):
    """/x is two clicks from home through /b, and four through /a: its depth must be 2,
    whatever order the downloader happens to take requests in."""
    routes = {
        "/": Reply(body=html("Home", "<a href='/b'>b</a> <a href='/a'>a</a>")),
        "/a": Reply(body=html("A", "<a href='/a1'>a1</a>")),
        "/a1": Reply(body=html("A1", "<a href='/a2'>a2</a>")),
        "/a2": Reply(body=html("A2", "<a href='/x'>x</a>")),
        "/b": Reply(body=html("B", "<a href='/x'>x</a>")),
        "/x": Reply(body=html("X", "<p>The end.</p>")),
    }
    with WebServer(routes) as server:
        config = FAST + "concurrency = 1\nper_host_concurrency = 1\n[site]\nuse_sitemap = false\n"
        run = audit([server.url + "/"], config=config)
    assert run.pages()[f"{server.url}/x"]["depth"] == 2


def test_a_pages_fetch_time_is_its_own_not_the_time_it_waited_its_turn(audit):
    """Twelve pages found at once and fetched one at a time, each answering in 0.1 s: the
    last waits over a second for its turn, and the one retried after a 503 waits behind
    all the others, but each fetch took 0.1 s, and that is what the reports say
    (elapsed_ms; a page's time in junit.xml)."""

    failed: set[str] = set()

    def page(request):
        time.sleep(0.1)
        if request.path == "/p0" and not failed:  # busy once: retried behind the others
            failed.add(request.path)
            return Reply(503, body=html("Busy", "<p>Try again.</p>"))
        return Reply(body=html("Page", "<p>Advice.</p>"))

    links = " ".join(f"<a href='/p{n}'>Page {n}</a>" for n in range(12))
    routes = {"/": Reply(body=html("Home", f"<p>{links}</p>"))}
    routes.update({f"/p{n}": page for n in range(12)})
    with WebServer(routes) as server:
        config = ("[crawl]\ntimeout = 3\nretries = 1\nconcurrency = 1\nper_host_concurrency = 1\n"
                  "[site]\nuse_sitemap = false\n")  # fmt: skip
        run = audit([server.url + "/"], config=config)
    times = {url: p["elapsed_ms"] for url, p in run.pages().items() if "/p" in url}
    assert len(times) == 12 and failed
    assert all(90 <= ms < 600 for ms in times.values()), times


def test_the_progress_line_says_when_it_waits_for_slow_answers(monkeypatch):
    """A progress line that stops moving says what it is waiting for (issue 22: it froze
    for 8 s in silence), and failed pages are not called 'errors' (error findings are)."""
    from types import SimpleNamespace

    from content_audit.crawler import progress as progress_module
    from content_audit.crawler.progress import Progress

    clock = [100.0]
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: clock[0])
    spider = SimpleNamespace(stats_pages=12, stats_links=40, stats_errors=1)
    engine = SimpleNamespace(scheduler=[], downloader=SimpleNamespace(active={"a", "b"}))
    settings = SimpleNamespace(getfloat=lambda name, default: 20.0)
    crawler = SimpleNamespace(spider=spider, engine=engine, settings=settings)
    shown = Progress(crawler, 5.0)
    first = shown.line()
    assert "pages that failed 1" in first and "errors" not in first and "waiting" not in first
    clock[0] += 4  # nothing moved for 4 s, two requests still out
    assert "waiting for 2 slow answers (each gives up after 20s)" in shown.line()
    spider.stats_links += 1  # movement again: no note
    assert "waiting" not in shown.line()
