"""Revalidation before a re-run's crawl (crawler.revalidate): the last run's pages are asked
about over plain connections, politely and with the crawl's own credentials and rules; only
a 304 counts, and anything doubtful is left to the crawl."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator

import pytest

from content_audit.core.config import Config, CrawlConfig, HostRule, LinksConfig, SiteConfig
from content_audit.core.previous import ErrorPage, body_digest
from content_audit.crawler.revalidate import (
    ERROR_BODY_MAX,
    JUDGE_AFTER,
    STOP_AFTER_FAILURES,
    revalidate,
)
from tests.webserver import Reply, WebServer

pytestmark = pytest.mark.e2e  # a real crawl, server or browser: not in the fast tier

ETAG = '"v1"'


def unchanged_route(request):
    if request.headers.get("if-none-match") == ETAG:
        return Reply(304, b"", {"ETag": ETAG})
    return Reply(body="<html><body><main>New text</main></body></html>", headers={"ETag": '"v2"'})


def config_for(server: WebServer, **crawl) -> Config:
    crawl = {"timeout": 3.0, **crawl}
    return Config(
        site=SiteConfig(start_urls=[server.url + "/"], auth_user_env="RV_USER",
                        auth_password_env="RV_PASSWORD"),
        crawl=CrawlConfig(**crawl),
    )  # fmt: skip


def pages(server: WebServer, *paths: str) -> list[tuple[str, dict[str, str]]]:
    return [(server.url + path, {"If-None-Match": ETAG}) for path in paths]


def gets(server: WebServer) -> Counter:
    return Counter(hit.path for hit in server.log if hit.path != "/robots.txt")


def test_only_pages_that_answer_304_are_known_unchanged():
    changed = Reply(body="<html><body><main>Changed</main></body></html>", headers={"ETag": '"x"'})
    routes = {"/a.html": unchanged_route, "/b.html": unchanged_route, "/c.html": changed,
              "/gone.html": Reply(404, "Not found")}  # fmt: skip
    with WebServer(routes) as server:
        result = revalidate(
            config_for(server), pages(server, "/a.html", "/b.html", "/c.html", "/gone.html")
        )
        asked = [hit for hit in server.log if hit.path != "/robots.txt"]
    assert sorted(result.unchanged) == [server.url + "/a.html", server.url + "/b.html"]
    assert result.unchanged[server.url + "/a.html"].headers == {"etag": ETAG}
    assert result.asked == 4 and result.stopped == ""
    assert all(hit.headers["if-none-match"] == ETAG for hit in asked)  # asked conditionally
    assert all(hit.headers["user-agent"] == CrawlConfig().user_agent for hit in asked)
    assert all("gzip" in hit.headers["accept-encoding"] for hit in asked)  # as Scrapy asks


def test_an_error_page_is_unchanged_only_with_the_same_status_and_the_same_bytes():
    body = b"<html><body><h1>Page not found</h1></body></html>"
    huge = b"x" * (ERROR_BODY_MAX + 1)  # not read to its end: left to the crawl
    routes = {"/gone.html": Reply(404, body), "/other.html": Reply(404, body + b"<p>New</p>"),
              "/back.html": Reply(200, body), "/huge.html": Reply(404, huge)}  # fmt: skip
    with WebServer(routes) as server:
        last = ErrorPage(404, body_digest(body))
        errors = [(server.url + path, last) for path in ("/gone.html", "/other.html", "/back.html")]
        errors.append((server.url + "/huge.html", ErrorPage(404, body_digest(huge))))
        result = revalidate(config_for(server), [], errors)
        asked = [hit for hit in server.log if hit.path != "/robots.txt"]
    assert list(result.unchanged) == [server.url + "/gone.html"]
    assert result.unchanged[server.url + "/gone.html"].headers == {}
    assert result.asked == 4 and len(asked) == 4
    assert not any("if-none-match" in hit.headers for hit in asked)  # nothing to ask with


def test_robots_txt_is_obeyed_and_pages_off_the_site_or_excluded_are_not_asked():
    robots = Reply(body="User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    routes = {"/robots.txt": robots, "/a.html": unchanged_route,
              "/private/b.html": unchanged_route, "/excluded/c.html": unchanged_route}  # fmt: skip
    with WebServer(routes) as server:
        config = config_for(server)
        config.site.exclude = ["/excluded/"]
        found = pages(server, "/a.html", "/private/b.html", "/excluded/c.html")
        found.append(("http://127.0.0.9:9/elsewhere.html", {"If-None-Match": ETAG}))
        result = revalidate(config, found)
    assert list(result.unchanged) == [server.url + "/a.html"]
    assert gets(server) == Counter({"/a.html": 1})  # the refused pages were never requested


def test_an_unreadable_robots_txt_leaves_the_pages_to_the_crawl():
    routes = {"/robots.txt": Reply(500, "oops"), "/a.html": unchanged_route}
    with WebServer(routes) as server:
        result = revalidate(config_for(server), pages(server, "/a.html"))
    assert result.unchanged == {} and gets(server) == Counter()
    assert "robots.txt" in result.stopped


def test_site_credentials_and_host_headers_are_sent_as_the_crawl_sends_them(monkeypatch):
    monkeypatch.setenv("RV_USER", "audit")
    monkeypatch.setenv("RV_PASSWORD", "secret")
    with WebServer({"/a.html": unchanged_route}) as server:
        config = config_for(server)
        config.links = LinksConfig(hosts=[HostRule(host="127.0.0.1", headers={"X-Audit": "1"})])
        result = revalidate(config, pages(server, "/a.html"))
        hit = next(hit for hit in server.log if hit.path == "/a.html")
    assert len(result.unchanged) == 1
    assert hit.headers["authorization"] == "Basic YXVkaXQ6c2VjcmV0"
    assert hit.headers["x-audit"] == "1"


def test_it_stops_when_the_server_asks_for_fewer_requests():
    busy = Reply(503, "Busy", {"Retry-After": "30"})
    with WebServer(default=lambda request: busy) as server:
        paths = [f"/p{i}.html" for i in range(40)]
        config = config_for(server, per_host_concurrency=2, obey_robots=False)
        result = revalidate(config, pages(server, *paths))
    assert "503" in result.stopped
    assert result.unchanged == {} and result.asked <= 4  # two in flight at most, then it stops


def test_it_stops_when_the_server_seldom_answers_304():
    always_new = Reply(body="<html><body><main>Fresh</main></body></html>", headers={"ETag": '"n"'})
    with WebServer(default=lambda request: always_new) as server:
        paths = [f"/p{i}.html" for i in range(JUDGE_AFTER * 3)]
        result = revalidate(config_for(server), pages(server, *paths))
    assert "seldom" in result.stopped
    assert JUDGE_AFTER <= result.asked < JUDGE_AFTER * 2


def test_it_stops_when_requests_keep_failing():
    with WebServer() as server:
        dead = server.url
    crawl = CrawlConfig(timeout=2.0, obey_robots=False)
    config = Config(site=SiteConfig(start_urls=[dead + "/"]), crawl=crawl)
    paths = [(f"{dead}/p{i}.html", {"If-None-Match": ETAG}) for i in range(40)]
    result = revalidate(config, paths)
    assert result.unchanged == {}
    assert str(STOP_AFTER_FAILURES) in result.stopped
    assert result.asked < 40


def test_the_crawl_delay_is_kept_between_requests():
    with WebServer({"/a.html": unchanged_route, "/b.html": unchanged_route,
                    "/c.html": unchanged_route}) as server:  # fmt: skip
        started = time.monotonic()
        result = revalidate(
            config_for(server, delay=0.3, obey_robots=False),
            pages(server, "/a.html", "/b.html", "/c.html"),
        )
        took = time.monotonic() - started
    assert len(result.unchanged) == 3
    assert took >= 0.6  # three requests, 0.3 s apart


def test_not_used_behind_a_proxy_or_when_reuse_is_off(monkeypatch):
    with WebServer({"/a.html": unchanged_route}) as server:
        off = revalidate(config_for(server, reuse_unchanged=False), pages(server, "/a.html"))
        monkeypatch.setenv("http_proxy", "http://proxy.invalid:3128")
        proxied = revalidate(config_for(server), pages(server, "/a.html"))
        assert server.log == []
    assert off.unchanged == {} and "switched off" in off.stopped
    assert proxied.unchanged == {} and "proxy" in proxied.stopped


@contextlib.contextmanager
def raw_server(answer: Callable[[socket.socket], None]) -> Iterator[str]:
    """A server on 127.0.0.1 that hands each connection to ``answer`` in a thread of its
    own (for answers no well-behaved server gives); yields its base URL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)

    def serve() -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=answer, args=(client,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()


def unchanged_pages(url: str, count: int = 6) -> list[tuple[str, dict[str, str]]]:
    return [(f"{url}/p{i}.html", {"If-None-Match": ETAG}) for i in range(count)]


def one_host_config(url: str, timeout: float) -> Config:
    return Config(
        site=SiteConfig(start_urls=[url + "/"]),
        crawl=CrawlConfig(timeout=timeout, obey_robots=False, per_host_concurrency=1),
    )


def test_a_kept_alive_connection_the_server_closed_is_asked_again_on_a_new_one():
    """Servers close idle kept-alive connections after a few seconds: a 304 on a fresh
    connection after that, not a failed request."""
    connections = []

    def answer_once(client: socket.socket) -> None:
        connections.append(client)
        with client:
            client.recv(65536)  # one request
            client.sendall(b'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\n\r\n')
        # and gone, though the answer promised to keep the connection open

    with raw_server(answer_once) as url:
        result = revalidate(one_host_config(url, timeout=3.0), unchanged_pages(url))
    assert len(result.unchanged) == 6 and result.stopped == ""
    assert len(connections) == 6  # one each: every reuse failed and was asked again


def test_a_server_that_trickles_its_answer_is_cut_off_at_the_timeout():
    """A socket timeout limits each read only; a whole answer must come within
    crawl.timeout, or the request fails (and after three, revalidation stops)."""
    stop = threading.Event()

    def trickle(client: socket.socket) -> None:
        with client:
            client.recv(65536)
            client.sendall(b"HTTP/1.1 304 Not Modified\r\n")
            for _ in range(200):  # a header line every 0.2 s: 40 s in all
                if stop.wait(0.2):
                    return
                try:
                    client.sendall(b"X-Slow: yes\r\n")
                except OSError:
                    return

    started = time.monotonic()
    try:
        with raw_server(trickle) as url:
            result = revalidate(one_host_config(url, timeout=1.0), unchanged_pages(url))
    finally:
        stop.set()
    assert time.monotonic() - started < 15  # three requests cut off at about 1 s each
    assert result.unchanged == {}
    assert "3 requests failed (TimeoutError)" in result.stopped


def test_it_accepts_the_encodings_the_crawl_accepts():
    """Not imported from Scrapy (revalidation runs in a child while Scrapy is imported):
    held equal to what Scrapy's compression middleware asks for here."""
    from scrapy.downloadermiddlewares.httpcompression import ACCEPTED_ENCODINGS

    from content_audit.crawler.revalidate import ACCEPT_ENCODING

    assert b", ".join(ACCEPTED_ENCODINGS).decode("ascii") == ACCEPT_ENCODING


def keep_answering(replies: Callable[[bytes], bytes], requests: list[bytes]) -> Callable:
    """A connection handler answering each request on the connection with ``replies``."""

    def answer(client: socket.socket) -> None:
        with client:
            reader = client.makefile("rb")
            while True:
                head = b""
                while not head.endswith(b"\r\n\r\n"):
                    line = reader.readline()
                    if not line:
                        return
                    head += line
                requests.append(head)
                reply = replies(head)
                try:
                    client.sendall(reply)
                except OSError:
                    return
                if b"Connection: close" in reply or reply.startswith(b"HTTP/1.0"):
                    return

    return answer


def test_an_answer_is_read_as_http_client_reads_it():
    """The status line and headers only: interim answers passed over, folded and repeated
    headers joined, the new validators of a 304 kept; the connection kept alive only when
    the answer allows it; the request as http.client writes it."""
    requests: list[bytes] = []

    def replies(head: bytes) -> bytes:
        if b"/hints" in head:
            return (b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
                    b'HTTP/1.1 304 Not Modified\r\nETag: "v2"\r\nX-Long: one,\r\n two\r\n\r\n')  # fmt: skip
        if b"/old" in head:
            return b"HTTP/1.0 304 Not Modified\r\n\r\n"  # no keep-alive: a new connection
        if b"/changed" in head:
            return b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
        if b"/odd" in head:  # a 304 said to have a body: the connection is not used again
            return b"HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        return (b"HTTP/1.1 304 Not Modified\r\nContent-Length: 5120\r\n"  # the page's: no body
                b"Last-Modified: Tue, 24 Nov 2026 09:00:00 GMT\r\n\r\n")  # fmt: skip

    paths = ["/hints", "/a", "/old", "/b", "/changed", "/odd", "/c"]
    connections: list[socket.socket] = []
    answer = keep_answering(replies, requests)

    def counted(client: socket.socket) -> None:
        connections.append(client)
        answer(client)

    with raw_server(counted) as url:
        config = one_host_config(url, timeout=3.0)
        config.crawl.user_agent = "ContentAudit/test"
        result = revalidate(config, [(url + p, {"If-None-Match": ETAG}) for p in paths])
    assert set(result.unchanged) == {url + p for p in paths if p != "/changed"}
    assert result.unchanged[url + "/hints"].headers == {"etag": '"v2"'}
    assert result.unchanged[url + "/a"].headers == {
        "last-modified": "Tue, 24 Nov 2026 09:00:00 GMT"}  # fmt: skip
    first = requests[0].decode("latin-1")
    host = url.removeprefix("http://")
    assert first.startswith(f"GET /hints HTTP/1.1\r\nHost: {host}\r\n")
    assert "User-Agent: ContentAudit/test\r\n" in first and f"If-None-Match: {ETAG}\r\n" in first
    assert len(requests) == len(paths)  # each asked once
    # one connection for /hints, /a and /old (HTTP/1.0: closed after it), one for /b and
    # /changed (its body was not read: dropped), one for /odd, one for /c
    assert len(connections) == 4


def test_a_stored_validator_that_would_break_the_request_is_not_sent():
    requests: list[bytes] = []
    with raw_server(keep_answering(lambda head: b"HTTP/1.1 304 Not Modified\r\n\r\n",
                                   requests)) as url:  # fmt: skip
        result = revalidate(
            one_host_config(url, timeout=3.0),
            [(url + "/a", {"If-None-Match": '"v1"\r\nX-Injected: yes'}),
             (url + "/b", {"If-None-Match": ETAG})],
        )  # fmt: skip
    assert set(result.unchanged) == {url + "/b"}
    assert not any(b"X-Injected" in r for r in requests)


def test_certificates_are_checked_over_https(tmp_path):
    """Over TLS, the site's certificate is checked as the crawl checks it: trusted through
    the configured CA bundle, and a page behind a certificate nothing trusts is left to
    the crawl (which reports it)."""
    import ssl

    from tests.test_linkcheck_safety import make_cert

    cert, key = make_cert(tmp_path, "site", ip="127.0.0.1", dns="localhost")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    requests: list[bytes] = []
    answer = keep_answering(lambda head: b"HTTP/1.1 304 Not Modified\r\n\r\n", requests)

    def tls_answer(client: socket.socket) -> None:
        try:
            client = context.wrap_socket(client, server_side=True)
        except (ssl.SSLError, OSError):
            client.close()
            return
        answer(client)

    with raw_server(tls_answer) as url:
        url = url.replace("http://", "https://")
        asked = unchanged_pages(url, count=3)
        trusted = one_host_config(url, timeout=3.0)
        trusted.links.ca_bundle = str(cert)
        ok = revalidate(trusted, asked)
        refused = revalidate(one_host_config(url, timeout=3.0), asked)
    assert set(ok.unchanged) == {u for u, _ in asked}
    assert refused.unchanged == {} and "SSLCertVerificationError" in refused.stopped
