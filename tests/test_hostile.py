"""Hostile servers and broken state, end to end (issue 23): every run ends in bounded time,
never passes after auditing less, and says what went wrong in words an owner can act on."""

from __future__ import annotations

import time

import pytest

from tests.webserver import Reply, WebServer, html

pytestmark = pytest.mark.e2e

FAST = "[crawl]\ntimeout = 3\nretries = 0\n"
NO_SITEMAP = "[site]\nuse_sitemap = false\n"


def sitemap_index(*locs: str) -> Reply:
    entries = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return Reply(
        body='<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}'
        "</sitemapindex>",
        content_type="application/xml",
    )


def test_sitemap_index_that_lists_itself_ends_and_is_reported(audit):
    holder: list[str] = []
    routes = {
        "/": Reply(body=html("Home", "<p>Welcome to the clinic.</p>")),
        "/robots.txt": lambda r: Reply(
            body=f"User-agent: *\nSitemap: {holder[0]}/sitemap.xml\n", content_type="text/plain"
        ),
        # one lists itself, and through the other it loops in two steps
        "/sitemap.xml": lambda r: sitemap_index(
            f"{holder[0]}/sitemap.xml", f"{holder[0]}/sitemap-b.xml"
        ),
        "/sitemap-b.xml": lambda r: sitemap_index(f"{holder[0]}/sitemap.xml"),
    }
    with WebServer(routes) as server:
        holder.append(server.url)
        started = time.monotonic()
        run = audit([server.url + "/"], config=FAST, timeout=60)
        took = time.monotonic() - started
        log = server.paths()
    assert took < 45
    assert log.count("/sitemap.xml") == 1 and log.count("/sitemap-b.xml") == 1
    loops = [f for f in run.data["findings"] if "sitemap" in f["url"] and "loop" in f["message"]]
    assert loops, run.data["findings"]


def test_malformed_links_get_findings_and_the_crawl_goes_on(audit):
    bad = [
        "http://www.example.org:99999/",
        "http://www.example.org:abc/",
        "http://[::1",
    ]
    links = " ".join(f"<a href='{href}'>Bad {i}</a>" for i, href in enumerate(bad))
    routes = {
        "/": Reply(
            body=html("Home", f"<p><a href='/a.html'>A</a> {links} <a href='/b.html'>B</a></p>")
        ),
        "/a.html": Reply(body=html("A", "<p>Advice A.</p>")),
        "/b.html": Reply(body=html("B", "<p>Advice B.</p>")),
    }
    with WebServer(routes) as server:
        rule = '[[links.hosts]]\nhost = "www.linkedin.com"\naccept_status = [999]\n'
        run = audit([server.url + "/"], config=FAST + NO_SITEMAP + rule, timeout=60)
    pages = run.pages()
    assert f"{server.url}/a.html" in pages and f"{server.url}/b.html" in pages, run.stderr
    assert not pages[f"{server.url}/"].get("error")
    broken = {f["target"]: f["message"] for f in run.findings("link-broken")}
    for href in bad:
        assert href in broken, (href, broken)
        assert "not a valid web address" in broken[href]
    assert "99999" in broken[bad[0]] and "Passed" not in run.stdout
    assert "Traceback" not in run.stderr and "failed" not in run.stderr, run.stderr
    assert run.code == 1


def test_ipv6_literal_link_is_checked_and_the_crawl_goes_on(audit):
    with WebServer({"/": Reply(body=html("Dead", "<p>x</p>"))}) as dead:
        port = dead.url.rsplit(":", 1)[1]
    target = f"http://[::1]:{port}/"  # nothing listens there now: refused, on loopback
    routes = {
        "/": Reply(body=html("Home", f"<p><a href='{target}'>Six</a> <a href='/b.html'>B</a></p>")),
        "/b.html": Reply(body=html("B", "<p>Advice B.</p>")),
    }
    with WebServer(routes) as server:
        run = audit([server.url + "/"], config=FAST + NO_SITEMAP, timeout=60)
    assert f"{server.url}/b.html" in run.pages(), run.stderr
    assert [f for f in run.findings("link-broken") if f["target"] == target]
