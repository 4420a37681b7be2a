"""Before a re-run's crawl, ask the server which of the last run's pages are unchanged.

On a nightly re-run most pages have not changed, yet each still needs one conditional
request (If-None-Match / If-Modified-Since). Through Scrapy each request costs its scheduler,
middlewares, signals and Deferreds (about 3 ms of CPU on the benchmark machine). Here they
go out over plain keep-alive connections (a few threads), with the crawl's own headers,
credentials, certificate checks, robots.txt rules, per-host concurrency and delay, for
about 0.2 ms each: the request is written in one send, and of the answer only the status
line and headers are read (``_KeptAlive``; ``http.client``, which parses each answer's
headers as an email message, took 0.45 ms). robots.txt and error pages, whose bodies are
read, go through ``http.client``. The crawl then takes each page that answered 304 from the
last run's store without a request of its own (``AuditSpider``). On the benchmark's 2,000
pages that made a re-run 10-12% quicker (bench/README.md).

Only a 304 counts. Any other answer, a failure, or a page robots.txt now refuses is left
to the crawl, which asks again as it always did. A page that answered a client error last
time (a 404 that broken links point at) has no validators to ask with: it is asked for
again in full here, and counts as unchanged only if the same status and the same bytes
come back (``PreviousRun.error_pages``). Revalidation stops early, leaving the rest
to the crawl, when the server asks to slow down (429, 503), when requests keep failing, or
when it hardly ever answers 304 (a site whose validators change on every request). It is
not used behind a proxy, which only Scrapy's downloader knows how to use.
"""

from __future__ import annotations

import contextlib
import http.client
import itertools
import logging
import re
import socket
import ssl
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from protego import Protego

from content_audit.core.config import Config
from content_audit.core.policy import RequestPolicy
from content_audit.core.previous import ErrorPage, body_digest
from content_audit.core.urls import Scope, origin

log = logging.getLogger(__name__)

# what Scrapy's HttpCompressionMiddleware accepts, as the crawl asks (a test holds them
# equal); not imported from Scrapy: this module runs in a child while Scrapy is imported
ACCEPT_ENCODING = "gzip, deflate, br, zstd"
STOP_AFTER_FAILURES = 3  # requests that failed outright (timeouts, refused connections)
SLOW_DOWN = frozenset({429, 503})  # the server asks for fewer requests
# after this many answers, stop unless at least this share were 304
JUDGE_AFTER = 50
MIN_UNCHANGED_SHARE = 0.25
ROBOTS_MAX = 500 * 1024  # as Google reads: rules past this are ignored
ERROR_BODY_MAX = 256 * 1024  # an error page with a longer body is left to the crawl
# a thread's two connections to a host: for conditional requests (_KeptAlive), and for
# the requests whose body is read (robots.txt, error pages)
KEPT_ALIVE, HTTP_CLIENT = "kept_alive", "http_client"


@dataclass(slots=True)
class Unchanged:
    """A page the server said is unchanged: how long it took, and the validators of the
    304 (a server may send new ones), by lower-case header name."""

    elapsed_ms: int
    headers: dict[str, str]


@dataclass(slots=True)
class Revalidation:
    unchanged: dict[str, Unchanged] = field(default_factory=dict)
    asked: int = 0  # conditional requests sent
    stopped: str = ""  # why it stopped before asking about every page, if it did

    def summary(self) -> dict[str, object]:
        return {"asked": self.asked, "unchanged": len(self.unchanged), "stopped": self.stopped}


def not_usable(config: Config) -> str:
    """Why revalidation before the crawl cannot be used in this run, or ""."""
    if not config.crawl.reuse_unchanged:
        return "reuse of unchanged pages is switched off"
    if urllib.request.getproxies():
        return "a proxy is set, which only the crawl's downloader uses"
    return ""


def revalidate(
    config: Config,
    pages: Iterable[tuple[str, dict[str, str]]],
    error_pages: Iterable[tuple[str, ErrorPage]] = (),
) -> Revalidation:
    """Ask about each (url, conditional headers) of ``pages`` (``PreviousRun.
    conditional_pages``) that the crawl may still visit, and each (url, last answer) of
    ``error_pages`` (``PreviousRun.error_pages``); the pages that answered 304, and the
    error pages that answered as they did."""
    result = Revalidation()
    reason = not_usable(config)
    if reason:
        result.stopped = reason
        return result
    site = config.site
    scope = Scope(site.start_urls, site.allowed_hosts, site.include, site.exclude)
    policy = RequestPolicy.from_config(config)
    hosts: dict[str, _Host] = {}
    work: list[tuple[_Host, str, dict[str, str] | ErrorPage]] = []
    for url, asked in itertools.chain(pages, error_pages):
        if not scope.may_crawl(url):
            continue
        key = origin(url)
        host = hosts.get(key)
        if host is None:
            host = hosts[key] = _Host(key, config, policy)
        work.append((host, url, asked))
    if not work:
        return result
    log.info("asking the server which of the last run's %d pages have changed", len(work))
    run = _Run(result)
    workers = min(config.crawl.concurrency, config.crawl.per_host_concurrency * len(hosts))
    try:
        for host in hosts.values():
            if not host.read_robots():
                result.stopped = f"robots.txt of {host.key} could not be read"
        _in_threads(run.ask, work, max(1, workers))
    finally:
        for host in hosts.values():
            host.close()
    return result


def _in_threads(ask: Callable[..., None], work: list[tuple], workers: int) -> None:
    """``ask(*item)`` for each item of ``work``, in ``workers`` threads, each taking the next
    item as it is done with one (an executor's future and queue for each page cost a third
    of the CPU of asking). ``ask`` handles its own failures."""
    items = iter(work)
    lock = threading.Lock()

    def asking() -> None:
        while True:
            with lock:
                item = next(items, None)
            if item is None:
                return
            ask(*item)

    threads = [threading.Thread(target=asking, name=f"revalidate-{i}", daemon=True)
               for i in range(min(workers, len(work)))]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


class _Deadlines:
    """A limit on each request's whole time. A socket timeout limits each read only, so a
    server that trickles out its answer could hold a thread far longer than
    ``crawl.timeout`` (Scrapy's downloader limits the whole download). A request still
    going at its deadline has its connection shut, which ends it with an error."""

    def __init__(self, limit: float) -> None:
        self.limit = limit
        self.lock = threading.Lock()
        self.running: dict[int, tuple[float, http.client.HTTPConnection | _KeptAlive]] = {}
        self.cut: set[int] = set()  # threads whose request was ended here
        self.stopped = threading.Event()
        self.watcher: threading.Thread | None = None

    def begin(self, conn: http.client.HTTPConnection | _KeptAlive) -> None:
        ident = threading.get_ident()
        with self.lock:
            self.running[ident] = (time.monotonic() + self.limit, conn)
            self.cut.discard(ident)
            if self.watcher is None:
                self.watcher = threading.Thread(
                    target=self._watch, name="revalidate-deadlines", daemon=True
                )
                self.watcher.start()

    def end(self) -> bool:
        """The request of this thread is over: True if it was cut off at its deadline."""
        ident = threading.get_ident()
        with self.lock:
            self.running.pop(ident, None)
            return ident in self.cut

    def _watch(self) -> None:
        while not self.stopped.wait(min(0.25, self.limit / 4)):
            now = time.monotonic()
            with self.lock:
                late = [(i, c) for i, (due, c) in self.running.items() if due <= now]
                self.cut.update(i for i, _ in late)
            for _, conn in late:
                sock = conn.sock
                if sock is not None:
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.stopped.set()
        if self.watcher is not None:
            self.watcher.join()


class _Host:
    """One origin of the site: its connections (one per thread), its robots.txt rules,
    its share of the concurrency and its delay, and the headers the request policy gives
    every request to it (the site's credentials, the host's rule headers)."""

    def __init__(self, key: str, config: Config, policy: RequestPolicy) -> None:
        parts = urlsplit(key)
        self.key = key
        self.https = parts.scheme == "https"
        self.address = parts.hostname or ""
        self.port = parts.port or (443 if self.https else 80)
        self.robots_agent = policy.robots_agent
        crawl = config.crawl
        self.timeout = crawl.timeout
        self.delay = crawl.delay
        self.slots = threading.Semaphore(1 if crawl.delay > 0 else crawl.per_host_concurrency)
        self.next_at = 0.0
        self.clock = threading.Lock()
        self.local = threading.local()
        self.opened: set[http.client.HTTPConnection | _KeptAlive] = set()  # closed at the end
        bracketed = f"[{self.address}]" if ":" in self.address else self.address  # IPv6
        default = 443 if self.https else 80  # as http.client writes it:
        self.host_header = bracketed if self.port == default else f"{bracketed}:{self.port}"
        self.deadlines = _Deadlines(crawl.timeout)
        self.opened_lock = threading.Lock()
        self.robots: Protego | None = None
        self.usable = True  # False when its robots.txt could not be read
        self.obey_robots = crawl.obey_robots
        self.context = _tls_context(config) if self.https else None
        self.headers = {
            "User-Agent": crawl.user_agent,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language": "en",
            "Accept-Encoding": ACCEPT_ENCODING,
        }  # what Scrapy sends, so that a server varying its validators by them agrees
        self.headers.update(policy.request_headers(key + "/"))

    def read_robots(self) -> bool:
        """Fetch robots.txt as Scrapy's RobotsTxtMiddleware would: a 4xx means no rules;
        a failure or a 5xx leaves this origin's pages to the crawl (False)."""
        if not self.obey_robots:
            return True
        try:
            status, body = self.robots_txt()
        except Exception:  # as unreadable: the crawl reads it itself
            status, body = 0, b""
        if status == 200:
            self.robots = Protego.parse(body.decode("utf-8", "replace"))
        elif not 400 <= status < 500:
            self.usable = False
            log.info("robots.txt of %s not read (%s): its pages are left to the crawl",
                     self.key, status or "no answer")  # fmt: skip
        return self.usable

    def allows(self, url: str) -> bool:
        return self.robots is None or self.robots.can_fetch(url, self.robots_agent)

    def conditional(self, target: str, asked: dict[str, str]) -> tuple[int, dict[str, str]]:
        """One conditional GET: the status and headers. A changed page's body is not read
        (the connection is dropped instead): the crawl downloads it."""
        request = _request_head(target, self.host_header, {**self.headers, **asked})

        def answered(sent: tuple[int, dict[str, str], bool]) -> tuple[tuple, bool]:
            status, headers, keep = sent
            return (status, headers), status == 304 and keep  # else a body may follow

        return self._request(KEPT_ALIVE, lambda conn: conn.ask(request), answered)

    def robots_txt(self) -> tuple[int, bytes]:
        status, _, body = self._exchange("/robots.txt", read_body=ROBOTS_MAX)
        return status, body

    def whole(self, target: str) -> tuple[int, bytes | None]:
        """One GET: the status and the body, or None for a body longer than
        ERROR_BODY_MAX (not read to its end)."""
        status, _, body = self._exchange(target, read_body=ERROR_BODY_MAX + 1)
        return status, body if len(body) <= ERROR_BODY_MAX else None

    def _exchange(self, target: str, read_body: int) -> tuple[int, dict[str, str], bytes]:
        """One GET through http.client, at most ``read_body`` bytes of the body read (the
        connection is kept when that was all of it)."""

        def sent(conn: http.client.HTTPConnection) -> http.client.HTTPResponse:
            conn.request("GET", target, headers=self.headers)
            return conn.getresponse()

        def answered(response: http.client.HTTPResponse) -> tuple[tuple, bool]:
            found = {k.lower(): v for k, v in response.getheaders()}
            body = response.read(read_body)
            whole = response.isclosed() and not response.will_close  # read to its end
            return (response.status, found, body), whole

        return self._request(HTTP_CLIENT, sent, answered)

    def _request(
        self, kind: str, send: Callable[[Any], Any], answered: Callable[[Any], tuple[Any, bool]]
    ) -> Any:
        """One request on this thread's connection of ``kind``, within the host's share of
        the concurrency, its delay and the request's deadline: ``send(conn)`` gives what
        came back, ``answered(that)`` the answer and whether the connection may be kept."""
        with self.slots:
            self._wait_turn()
            conn, reused = self._connection(kind)
            self.deadlines.begin(conn)
            try:
                try:
                    sent = send(conn)
                except ConnectionError:
                    if not reused or self.deadlines.end():
                        raise
                    # the server closed the kept-alive connection while it was idle (as
                    # servers do after a few seconds): ask once more on a new one
                    self._drop(kind, conn)
                    conn, _ = self._connection(kind)
                    self.deadlines.begin(conn)
                    sent = send(conn)
                answer, keep = answered(sent)
                if not keep:
                    self._drop(kind, conn)
            except Exception as exc:
                self._drop(kind, conn)
                if self.deadlines.end():
                    raise TimeoutError(f"no whole answer within {self.timeout:g} s") from exc
                raise
            if self.deadlines.end():  # cut off: what was read may be a part only
                self._drop(kind, conn)
                raise TimeoutError(f"no whole answer within {self.timeout:g} s")
            return answer

    def _wait_turn(self) -> None:
        if self.delay <= 0:
            return
        with self.clock:
            now = time.monotonic()
            start = max(now, self.next_at)
            self.next_at = start + self.delay
        if start > now:
            time.sleep(start - now)

    def _connection(self, kind: str) -> tuple[http.client.HTTPConnection | _KeptAlive, bool]:
        """This thread's connection of ``kind``, and whether it has been used before."""
        conn = getattr(self.local, kind, None)
        if conn is not None:
            return conn, True
        if kind == KEPT_ALIVE:
            conn = _KeptAlive(self.address, self.port, self.timeout, self.context)
        elif self.https:
            conn = http.client.HTTPSConnection(
                self.address, self.port, timeout=self.timeout, context=self.context
            )
        else:
            conn = http.client.HTTPConnection(self.address, self.port, timeout=self.timeout)
        setattr(self.local, kind, conn)
        with self.opened_lock:
            self.opened.add(conn)
        return conn, False

    def _drop(self, kind: str, conn: http.client.HTTPConnection | _KeptAlive) -> None:
        conn.close()
        setattr(self.local, kind, None)
        with self.opened_lock:
            self.opened.discard(conn)

    def close(self) -> None:
        self.deadlines.close()
        with self.opened_lock:
            for conn in self.opened:
                conn.close()
            self.opened.clear()


class _Run:
    """The shared tally of one revalidation, and the decision to stop."""

    def __init__(self, result: Revalidation) -> None:
        self.result = result
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.failures = 0
        self.answers = 0

    def ask(self, host: _Host, url: str, asked: dict[str, str] | ErrorPage) -> None:
        """``asked``: the conditional headers to ask with, or what an error page answered
        last time."""
        if self.stop.is_set() or not host.usable or not host.allows(url):
            return
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        started = time.monotonic()
        try:
            if isinstance(asked, ErrorPage):
                status, body = host.whole(target)
                same = status == asked.status and body is not None
                unchanged = same and body_digest(body or b"") == asked.body
                kept: dict[str, str] = {}
            else:
                status, headers = host.conditional(target, asked)
                unchanged = status == 304
                kept = {k: headers[k] for k in ("etag", "last-modified") if k in headers}
        except Exception as exc:  # any failure leaves the page to the crawl
            self._failed(url, exc)
            return
        elapsed_ms = int((time.monotonic() - started) * 1000)
        with self.lock:
            self.result.asked += 1
            self.answers += 1
            if unchanged:
                self.result.unchanged[url] = Unchanged(elapsed_ms, kept)
            elif status in SLOW_DOWN:
                self._halt(f"the server answered {status}, asking for fewer requests")
            if (
                self.answers >= JUDGE_AFTER
                and len(self.result.unchanged) < self.answers * MIN_UNCHANGED_SHARE
            ):
                self._halt("the server seldom answers 304 Not Modified")

    def _failed(self, url: str, exc: BaseException) -> None:
        with self.lock:
            self.result.asked += 1
            self.failures += 1
            log.debug("revalidation of %s failed: %s", url, exc)
            if self.failures >= STOP_AFTER_FAILURES:
                self._halt(f"{self.failures} requests failed ({exc.__class__.__name__})")

    def _halt(self, reason: str) -> None:
        if not self.stop.is_set():
            self.result.stopped = reason
            self.stop.set()


MAX_LINE = 65536  # as http.client: a longer status or header line is not an HTTP answer
MAX_HEADERS = 100


_BAD_TARGET = re.compile(r"[\x00-\x20\x7f]")  # as http.client refuses in a URL
_BAD_VALUE = re.compile(r"[\r\n]")
_HEADER_NAME = re.compile(r"[^:\s][^:\r\n]*")


def _request_head(target: str, host: str, headers: dict[str, str]) -> bytes:
    """A GET request as http.client would write it, refusing what it refuses: a target
    with a space or a control character, a header that would break its line (a stored
    ETag could hold anything)."""
    if _BAD_TARGET.search(target):
        raise ValueError(f"not a request target: {target!r}")
    lines = [f"GET {target} HTTP/1.1", f"Host: {host}"]
    for name, value in headers.items():
        if not _HEADER_NAME.fullmatch(name) or _BAD_VALUE.search(value):
            raise ValueError(f"not a header to send: {name!r}: {value!r}")
        lines.append(f"{name}: {value}")
    lines += ["", ""]
    return "\r\n".join(lines).encode("latin-1")


class _KeptAlive:
    """One keep-alive connection for conditional GETs. Of each answer only the status line
    and the headers are read, with the limits http.client sets; a 304 has no body, so the
    connection can take the next request. Interim answers (1xx, such as 103 Early Hints)
    are passed over. Certificates are checked as http.client checks them."""

    def __init__(
        self, address: str, port: int, timeout: float, context: ssl.SSLContext | None
    ) -> None:
        sock = socket.create_connection((address, port), timeout=timeout)
        try:
            if context is not None:
                sock = context.wrap_socket(sock, server_hostname=address)
        except BaseException:
            sock.close()
            raise
        self.sock: socket.socket | None = sock
        self.reader = sock.makefile("rb")

    def ask(self, request: bytes) -> tuple[int, dict[str, str], bool]:
        """Send ``request``; the answer's status, its headers (lower-case names) and whether
        the connection may take another request."""
        assert self.sock is not None
        self.sock.sendall(request)
        while True:
            version, status = self._status_line()
            headers = self._headers()
            if not 100 <= status < 200 or status == 101:
                break
        connection = headers.get("connection", "").lower()
        keep = "close" not in connection and (version == "HTTP/1.1" or "keep-alive" in connection)
        if "transfer-encoding" in headers:
            # a 304 never has a body (its Content-Length, if any, is the page's); a server
            # that says one is coming may send one: the connection is not used again
            keep = False
        return status, headers, keep

    def _line(self) -> bytes:
        line = self.reader.readline(MAX_LINE + 1)
        if len(line) > MAX_LINE:
            raise http.client.LineTooLong("header line")
        return line

    def _status_line(self) -> tuple[str, int]:
        line = self._line()
        if not line:  # as http.client: closed before answering (a kept-alive connection)
            raise http.client.RemoteDisconnected("closed without an answer")
        parts = line.decode("latin-1").split(None, 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
            raise http.client.BadStatusLine(line.decode("latin-1", "replace"))
        status = int(parts[1])
        if not 100 <= status <= 999:
            raise http.client.BadStatusLine(line.decode("latin-1", "replace"))
        return parts[0], status

    def _headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        name = ""
        for _ in range(MAX_HEADERS + 1):
            line = self._line()
            if line in (b"\r\n", b"\n", b""):
                return headers
            text = line.decode("latin-1").rstrip("\r\n")
            if text[:1] in (" ", "\t") and name:  # a folded line goes on the header before
                headers[name] += " " + text.strip()
                continue
            name, colon, value = text.partition(":")
            if not colon:
                raise http.client.HTTPException(f"not a header line: {text[:100]!r}")
            name = name.strip().lower()
            value = value.strip()
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        raise http.client.HTTPException(f"got more than {MAX_HEADERS} headers")

    def close(self) -> None:
        sock, self.sock = self.sock, None
        with contextlib.suppress(OSError):
            self.reader.close()
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.close()


def _tls_context(config: Config) -> ssl.SSLContext:
    """Verified, as every request of the crawl is (crawler.tls)."""
    context = ssl.create_default_context()
    if config.links.ca_bundle:
        context.load_verify_locations(str(config.resolve(config.links.ca_bundle)))
    return context
