"""Links are checked as written: ``%2F`` stays escaped and IDN hosts are asked in punycode.

Only the key that tells two links apart is normalised (``core.urls.normalise``); the server
must be asked for what the page links to, and people must read hosts in their own letters.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from content_audit.core.urls import Scope, display_url, normalise, readable_hosts
from tests.webserver import Reply, Request, WebServer

PDF = Reply(200, b"%PDF-1.4 leaflet", content_type="application/pdf")


def page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><main><h1>{title}</h1>{body}</main></body></html>"
    )


# -- the key ----------------------------------------------------------------------------------
def test_escaped_slash_is_not_the_same_address_as_a_slash() -> None:
    escaped = normalise("http://127.0.0.1:8000/docs/leaflet%2F2026.pdf")
    assert escaped == "http://127.0.0.1:8000/docs/leaflet%2F2026.pdf"
    assert escaped != normalise("http://127.0.0.1:8000/docs/leaflet/2026.pdf")


def test_equivalent_spellings_share_a_key() -> None:
    assert normalise("HTTP://Example.COM:80/a/%7euser/x#top") == normalise(
        "http://example.com/a/~user/x"
    )
    assert normalise("http://x.example/caf%c3%a9") == normalise("http://x.example/café")


def test_tracking_parameters_go_and_the_rest_stays_as_written() -> None:
    key = normalise("http://x.example/a?utm_source=mail&print&q=a%20b", ("utm_*",))
    assert key == "http://x.example/a?print&q=a%20b"


def test_idn_site_is_one_site_whichever_way_its_host_is_written() -> None:
    scope = Scope(["http://Bücher.example/"], allowed_hosts=["Straße.example"])
    assert scope.is_site("http://xn--bcher-kva.example/list")
    assert scope.is_site("http://bücher.example/list")
    assert scope.is_site(normalise("http://strasse.example/a"))


def test_idn_host_is_punycode_in_the_key_and_readable_for_people() -> None:
    key = normalise("http://Bücher.example/leaflet")
    assert key == "http://xn--bcher-kva.example/leaflet"
    assert display_url(key) == "http://bücher.example/leaflet"
    assert display_url("http://127.0.0.1:8000/a") == "http://127.0.0.1:8000/a"
    assert display_url("http://x.example/docs/xn--bcher-kva.pdf") == (
        "http://x.example/docs/xn--bcher-kva.pdf"  # a path, not a host: as it is
    )
    assert readable_hosts("Content audit of xn--bcher-kva.example") == (
        "Content audit of bücher.example"
    )


# -- end to end ---------------------------------------------------------------------------------
@pytest.mark.e2e
def test_escaped_slash_link_is_requested_as_written_and_not_broken(audit) -> None:
    body = '<p>Read <a href="/docs/leaflet%2F2026.pdf">the 2026 leaflet (PDF)</a>.</p>'
    routes = {
        "/": Reply(body=page("Leaflets", body)),
        "/docs/leaflet%2F2026.pdf": PDF,
    }
    with WebServer(routes) as server:
        run = audit([server.url + "/"], config="[site]\nuse_sitemap = false\n")
        asked = [hit.path for hit in server.log]
    assert "/docs/leaflet%2F2026.pdf" in asked
    assert "/docs/leaflet/2026.pdf" not in asked
    assert run.findings("link-broken") == [], run.findings("link-broken")
    assert run.code == 0, run.stdout + run.stderr


@pytest.mark.e2e
def test_idn_site_is_asked_in_punycode_and_shown_in_its_own_letters(audit, tmp_path) -> None:
    """The local server stands in for bücher.example as an HTTP proxy: the crawler sends it
    the absolute address, so the test sees exactly what would go over the network."""
    seen: list[str] = []

    def proxy(request: Request) -> Reply:
        parts = urlsplit(request.path)
        seen.append(parts.netloc)
        if parts.path == "/":
            body = '<p>See <a href="/gone">the old list</a> and <a href="/list">the list</a>.</p>'
            return Reply(body=page("Books", body))
        if parts.path == "/list":
            return Reply(body=page("Book list", "<p>Our books.</p>"))
        return Reply(404, page("Not found", "<p>No such page.</p>"))

    with WebServer(default=proxy) as server:
        port = urlsplit(server.url).port
        env = {"http_proxy": server.url, "HTTP_PROXY": server.url, "no_proxy": "", "NO_PROXY": ""}
        run = audit(
            [f"http://bücher.example:{port}/"], config="[site]\nuse_sitemap = false\n", env=env
        )
    assert seen and set(seen) == {f"xn--bcher-kva.example:{port}"}, seen
    # the site's own pages, whichever way their host is written, are crawled as pages
    assert f"http://xn--bcher-kva.example:{port}/list" in run.pages()
    broken = run.findings("link-broken")
    # findings.json keeps the address as asked; the report and summary are for people
    assert [f["target"] for f in broken] == [f"http://xn--bcher-kva.example:{port}/gone"]
    for name in ("index.html", "summary.md"):
        shown = (run.out / name).read_text(encoding="utf-8")
        assert "xn--bcher-kva" not in shown, name
    report = (run.out / "index.html").read_text(encoding="utf-8")
    assert f"http://bücher.example:{port}/gone" in report


def test_a_lookalike_host_keeps_its_xn_form_in_reports():
    """A host in Latin letters is shown as people write it; one mixing in another script
    (a Cyrillic letter inside "nhs") keeps the xn-- form that exposes it."""
    from content_audit.core.urls import display_host, readable_hosts

    assert display_host("xn--bcher-kva.example") == "bücher.example"
    assert display_host("xn--ns-4wc.uk") == "xn--ns-4wc.uk"
    assert "xn--ns-4wc.uk" in readable_hosts("Link goes to https://xn--ns-4wc.uk/login")
