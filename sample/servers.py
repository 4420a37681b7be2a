"""Two local test servers: the sample trust website and a fake "external web".

Pure standard library. Both listen on free ports on 127.0.0.1, in background threads::

    with SampleServers() as servers:
        requests.get(servers.site_url + "/services/index.html")
        requests.get(servers.external_url + "/flaky")   # 503, then 200 next time

Pages are written with two marker origins that are swapped for the real ones when served:
``https://site.example`` (the site itself) and ``https://external.example`` (the external web).
``SampleServers.rewrite()`` does the same swap for test expectations.

Run ``python -m content_audit.sample.servers`` to serve both until Ctrl-C.
"""

from __future__ import annotations

import calendar
import contextlib
import hashlib
import html
import json
import mimetypes
import re
import socket
import struct
import threading
import time
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qs, unquote, urlsplit

SITE_MARKER = "https://site.example"
EXTERNAL_MARKER = "https://external.example"
DEFAULT_SITE_DIR = Path(__file__).resolve().parent / "site"
DEMO_CONFIG = Path(__file__).resolve().parent / "demo.toml"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".ico": "image/x-icon",
}
REWRITTEN_SUFFIXES = {".html", ".htm", ".xml", ".txt"}

# Site routes handled in code rather than by files.
SITE_REDIRECTS = {
    # Old address of the physiotherapy page, moved permanently.
    "/old-services/physio.html": (301, "/services/physiotherapy/index.html"),
}
SITE_ERROR_PAGES = {
    # The online booking page is broken: always a server error.
    "/services/online-booking.html": 500,
}
CALENDAR_PATH = "/events/calendar.html"
CALENDAR_START = "<!-- calendar:start -->"
CALENDAR_END = "<!-- calendar:end -->"
ENCODING_PAGE = "/news/new-cafe-opens.html"  # stored as cp1252 bytes, served as utf-8


class RequestRecord(NamedTuple):
    """One request as a server saw it."""

    method: str
    path: str  # path including the query string
    headers: dict[str, str]
    status: int  # 0 when the connection was reset on purpose


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], handler: type, owner: SampleServers) -> None:
        self.owner = owner
        super().__init__(address, handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet: a test client hanging up is not worth a traceback."""


class _BaseHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    kind = "site"
    _status = 0
    _logged = False

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default stderr logging."""

    # Every method goes through one guarded entry point.
    def do_GET(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_OPTIONS(self) -> None:
        self._dispatch()

    def send_response(self, code: int, message: str | None = None) -> None:
        # Log before the client can see the answer, so a test reading the log right after
        # its request always finds it.
        self._status = code
        self._log()
        super().send_response(code, message)

    def _log(self) -> None:
        if not self._logged:
            self._logged = True
            self.server.owner._record(self.kind, self)

    def _dispatch(self) -> None:
        self._status = 0
        self._logged = False
        try:
            owner = self.server.owner
            if owner.external_delay and self.kind == "external":
                owner.stopping.wait(owner.external_delay)
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(min(length, 1_000_000))
            self.route()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True
        except Exception:  # never let a bug take the server down
            self.close_connection = True
            with contextlib.suppress(Exception):
                self.send_body(500, b"Internal error in the test server", "text/plain")
        finally:
            self._log()

    def route(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    # -- helpers ------------------------------------------------------------------------
    def send_body(
        self,
        status: int,
        body: bytes | str,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
        reason: str | None = None,
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self._status = status
        self.send_response(status, reason)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD" and status not in (204, 304) and status >= 200:
            self.wfile.write(data)

    def redirect(self, status: int, location: str) -> None:
        body = (
            f'<!DOCTYPE html><html><body><a href="{html.escape(location)}">Moved</a></body></html>'
        )
        self.send_body(status, body, headers={"Location": location})

    def reset_connection(self) -> None:
        """Close the socket abruptly so the client sees a connection reset."""
        self._status = 0
        self._log()
        self.close_connection = True
        sock = self.connection
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        with contextlib.suppress(Exception):
            self.rfile.close()
        with contextlib.suppress(Exception):
            sock.close()


# ----------------------------------------------------------------------------------------
# The site server
# ----------------------------------------------------------------------------------------
class SiteHandler(_BaseHandler):
    kind = "site"

    def route(self) -> None:
        owner = self.server.owner
        parts = urlsplit(self.path)
        path = unquote(parts.path) or "/"
        if path in SITE_REDIRECTS:
            status, location = SITE_REDIRECTS[path]
            self.redirect(status, location)
            return
        if path in SITE_ERROR_PAGES:
            self.send_error_page(SITE_ERROR_PAGES[path])
            return
        if path == CALENDAR_PATH and parts.query:
            month = parse_qs(parts.query).get("month", [""])[0]
            if re.fullmatch(r"\d{4}-\d{2}", month) and 1 <= int(month[5:]) <= 12:
                self.send_calendar(month)
                return
        file = owner._site_file(path)
        if file is None:
            if path.endswith("/") is False and owner._site_file(path + "/") is not None:
                self.redirect(301, path + "/" + (("?" + parts.query) if parts.query else ""))
                return
            self.send_error_page(404)
            return
        self.send_static(file)

    def send_error_page(self, status: int) -> None:
        owner = self.server.owner
        file = owner.site_dir / "_errors" / f"{status}.html"
        if file.is_file():
            body = owner.rewrite_bytes(file.read_bytes())
        else:
            body = f"<!DOCTYPE html><title>Error {status}</title><h1>Error {status}</h1>".encode()
        self.send_body(status, body)

    def send_static(self, file: Path) -> None:
        owner = self.server.owner
        raw = file.read_bytes()
        suffix = file.suffix.lower()
        body = owner.rewrite_bytes(raw) if suffix in REWRITTEN_SUFFIXES else raw
        content_type = CONTENT_TYPES.get(suffix) or (
            mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        )
        mtime = int(file.stat().st_mtime)
        etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        headers = {"ETag": etag, "Last-Modified": formatdate(mtime, usegmt=True)}
        if self._not_modified(etag, mtime):
            self._status = 304
            self.send_response(304)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            return
        self.send_body(200, body, content_type, headers)

    def _not_modified(self, etag: str, mtime: int) -> bool:
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
            return "*" in tags or etag in tags
        ims = self.headers.get("If-Modified-Since")
        if ims:
            try:
                since = parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError, IndexError, OverflowError):
                return False
            return mtime <= since
        return False

    def send_calendar(self, month: str) -> None:
        """The crawler trap: every month links to the next and the previous, forever."""
        owner = self.server.owner
        file = owner.site_dir / CALENDAR_PATH.lstrip("/")
        text = file.read_text(encoding="utf-8")
        start, end = text.find(CALENDAR_START), text.find(CALENDAR_END)
        region = calendar_region(month)
        if start >= 0 and end > start:
            text = text[: start + len(CALENDAR_START)] + region + text[end:]
        self.send_body(200, owner.rewrite(text))


def _shift_month(month: str, delta: int) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    index = year * 12 + (mon - 1) + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def calendar_region(month: str) -> str:
    """The part of the events calendar page that changes with ``?month=``."""
    year, mon = int(month[:4]), int(month[5:7])
    name = f"{calendar.month_name[mon]} {year}"
    prev_m, next_m = _shift_month(month, -1), _shift_month(month, 1)
    days = calendar.monthrange(year, mon)[1]
    return (
        f"\n<h2>{name}</h2>\n"
        f"<p>There are no public events booked for {name} yet.</p>\n"
        f"<p>This month has {days} days.</p>\n"
        '<ul class="calendar-nav">\n'
        f'  <li><a href="/events/calendar.html?month={prev_m}">Previous month</a></li>\n'
        f'  <li><a href="/events/calendar.html?month={next_m}">Next month</a></li>\n'
        "</ul>\n"
    )


# ----------------------------------------------------------------------------------------
# The external web
# ----------------------------------------------------------------------------------------
def _ext_page(title: str, path: str, extra: str = "") -> str:
    t = html.escape(title)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en-GB"><head><meta charset="utf-8"><title>{t}</title></head>\n'
        f'<body><main><h1 id="top">{t}</h1>\n'
        f"<p>This is a page on another website, at {html.escape(path)}.</p>\n"
        '<h2 id="part-1">Part 1</h2><p>The first part of the guide.</p>\n'
        '<h2 id="part-2">Part 2</h2><p>The second part of the guide.</p>\n'
        '<h2 id="part-3">Part 3</h2><p>The third part of the guide.</p>\n'
        '<a name="summary"></a><p>Summary.</p>\n'
        f"{extra}</main></body></html>\n"
    )


class ExternalHandler(_BaseHandler):
    kind = "external"

    def route(self) -> None:
        owner = self.server.owner
        parts = urlsplit(self.path)
        path = parts.path or "/"
        query = parse_qs(parts.query)
        ua = self.headers.get("User-Agent", "")

        if path == "/" or path.startswith("/ok/") or path == "/ok":
            name = path.rsplit("/", 1)[-1] or "home"
            title = name.replace("-", " ").replace("_", " ").capitalize() or "External site"
            self.send_body(200, _ext_page(title, path))
        elif path == "/gone":
            self.send_body(404, _ext_page("Page not found", path))
        elif path == "/removed":
            self.send_body(410, _ext_page("This page has been removed", path))
        elif path == "/server-error":
            self.send_body(500, "<h1>Internal Server Error</h1>")
        elif path == "/unavailable":
            self.send_body(503, "<h1>Service Unavailable</h1>")
        elif path == "/flaky":
            if owner._count(path) == 1:
                self.send_body(503, "<h1>Service Unavailable</h1>")
            else:
                self.send_body(200, _ext_page("Flaky but fine", path))
        elif path == "/rate-limited-once":
            if owner._count(path) == 1:
                self.send_body(429, "<h1>Too Many Requests</h1>", headers={"Retry-After": "1"})
            else:
                self.send_body(200, _ext_page("Rate limited once", path))
        elif path == "/always-429":
            self.send_body(429, "<h1>Too Many Requests</h1>", headers={"Retry-After": "1"})
        elif path == "/moved":
            self.redirect(301, "/ok/new-home")
        elif path == "/chain":
            self.redirect(301, "/chain/step-2")
        elif path == "/chain/step-2":
            self.redirect(308, "/ok/chain-end")
        elif path == "/temporary":
            self.redirect(302, "/ok/temporary-home")
        elif path == "/loop":
            self.redirect(302, "/loop/b")
        elif path == "/loop/b":
            self.redirect(302, "/loop")
        elif path == "/slow":
            deadline = time.monotonic() + owner.slow_seconds
            while time.monotonic() < deadline and not owner.stopping.is_set():
                time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))
            self.send_body(200, _ext_page("Slow page", path))
        elif path == "/reset":
            self.reset_connection()
        elif path == "/head-refused":
            if self.command == "HEAD":
                self.send_body(405, "", headers={"Allow": "GET"})
            else:
                self.send_body(200, _ext_page("Head refused", path))
        elif path == "/bot-wall":
            if "ContentAudit" in ua or "Mozilla" not in ua:
                self.send_body(
                    403,
                    "<title>Just a moment...</title><h1>Checking your browser</h1>",
                    headers={"cf-mitigated": "challenge"},
                )
            else:
                self.send_body(200, _ext_page("Behind a bot wall", path))
        elif path == "/linkedin":
            self.send_body(999, "", reason="Request denied")
        elif path == "/soft-404":
            body = (
                '<!DOCTYPE html><html lang="en"><head><title>Page not found</title></head>'
                "<body><h1>Sorry, we could not find that page</h1>"
                "<p>The page you are looking for does not exist.</p></body></html>"
            )
            self.send_body(200, body)
        elif path == "/youtube/watch":
            video = query.get("v", [""])[0]
            self.send_body(200, _ext_page("YouTube", path, f"<p>Video {html.escape(video)}</p>"))
        elif path == "/youtube/oembed":
            url = query.get("url", [""])[0]
            video = parse_qs(urlsplit(url).query).get("v", [""])[0]
            if video.startswith("PRIVATE"):
                self.send_body(401, "Unauthorized", "text/plain")
            elif not video or video.startswith("REMOVED"):
                self.send_body(404, "Not Found", "text/plain")
            else:
                data = {
                    "type": "video",
                    "version": "1.0",
                    "title": f"Video {video}",
                    "author_name": "Northdale Community Health",
                    "provider_name": "YouTube",
                }
                self.send_body(200, json.dumps(data), "application/json")
        elif m := re.fullmatch(r"/status/(\d{3})", path):
            code = int(m.group(1))
            headers = {"Location": "/ok/status-target"} if 300 <= code < 400 else None
            self.send_body(code, f"<h1>Status {code}</h1>", headers=headers)
        elif m := re.fullmatch(r"/redirect/(\d+)", path):
            n = int(m.group(1))
            self.redirect(302, f"/redirect/{n - 1}" if n > 1 else "/ok/redirect-end")
        else:
            self.send_body(404, _ext_page("Page not found", path))


# ----------------------------------------------------------------------------------------
class SampleServers:
    """Start the sample site and the external web on free 127.0.0.1 ports."""

    config_path: Path = DEMO_CONFIG  # settings for auditing the sample (see demo_overrides)

    def __init__(
        self,
        site_dir: Path | None = None,
        external_delay: float = 0.0,
        slow_seconds: float = 30.0,
        site_port: int = 0,
        external_port: int = 0,
    ) -> None:
        self.site_dir = Path(site_dir or DEFAULT_SITE_DIR).resolve()
        self.site_port = site_port  # 0: any free port
        self.external_port = external_port
        self.external_delay = external_delay
        self.slow_seconds = slow_seconds
        self.site_url = ""
        self.external_url = ""
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}
        self._logs: dict[str, list[RequestRecord]] = {"site": [], "external": []}
        self._servers: list[_Server] = []
        self._threads: list[threading.Thread] = []

    # -- life cycle ---------------------------------------------------------------------
    def start(self) -> SampleServers:
        if self._servers:
            return self
        self.stopping.clear()
        site = _Server(("127.0.0.1", self.site_port), SiteHandler, self)
        try:
            external = _Server(("127.0.0.1", self.external_port), ExternalHandler, self)
        except OSError:
            site.server_close()
            raise
        self._servers = [site, external]
        self.site_url = f"http://127.0.0.1:{site.server_address[1]}"
        self.external_url = f"http://127.0.0.1:{external.server_address[1]}"
        for server in self._servers:
            thread = threading.Thread(
                target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
            )
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self.stopping.set()
        for server in self._servers:
            with contextlib.suppress(Exception):
                server.shutdown()
            with contextlib.suppress(Exception):
                server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers, self._threads = [], []

    def __enter__(self) -> SampleServers:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- state ------------------------------------------------------------------------
    def reset_state(self) -> None:
        """Forget per-path counters (flaky, rate-limited-once) and both request logs."""
        with self._lock:
            self._counts.clear()
            self._logs = {"site": [], "external": []}

    def site_log(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._logs["site"])

    def external_log(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._logs["external"])

    def _count(self, path: str) -> int:
        with self._lock:
            self._counts[path] = self._counts.get(path, 0) + 1
            return self._counts[path]

    def _record(self, kind: str, handler: _BaseHandler) -> None:
        try:
            headers = {k: v for k, v in handler.headers.items()} if handler.headers else {}
            record = RequestRecord(
                handler.command or "", handler.path or "", headers, handler._status
            )
        except Exception:
            return
        with self._lock:
            self._logs[kind].append(record)

    # -- markers ------------------------------------------------------------------------
    def rewrite(self, text: str) -> str:
        """Swap the marker origins for the real ones."""
        if self.site_url:
            text = text.replace(SITE_MARKER, self.site_url)
        if self.external_url:
            text = text.replace(EXTERNAL_MARKER, self.external_url)
        return text

    def rewrite_bytes(self, data: bytes) -> bytes:
        if self.site_url:
            data = data.replace(SITE_MARKER.encode(), self.site_url.encode())
        if self.external_url:
            data = data.replace(EXTERNAL_MARKER.encode(), self.external_url.encode())
        return data

    def _site_file(self, path: str) -> Path | None:
        """The file a URL path maps to, or None. Never leaves the site folder."""
        rel = path.lstrip("/")
        if rel.startswith("_errors"):
            return None
        candidate = (self.site_dir / rel).resolve()
        if candidate != self.site_dir and self.site_dir not in candidate.parents:
            return None
        if candidate.is_dir():
            if not path.endswith("/") and path != "":
                return None  # the caller redirects to the slash form
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None


def demo_overrides(servers: SampleServers) -> dict[str, Any]:
    """Dotted config overrides that point an audit at running sample servers.

    Use with ``content_audit.core.config.load(servers.config_path, demo_overrides(servers))``.
    """
    return {
        "site.start_urls": [servers.site_url + "/"],
        "site.sitemaps": [servers.site_url + "/sitemap.xml"],
        # the fake external web answers YouTube's oEmbed questions for its /youtube/ videos
        "links.youtube_oembed": servers.external_url + "/youtube/oembed",
    }


def main(argv: list[str] | None = None) -> int:
    """Serve the sample site and the external web until Ctrl-C."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m content_audit.sample.servers",
        description="Serve the sample trust website and a fake external web on 127.0.0.1.",
    )
    parser.add_argument("--site-port", type=int, default=0, help="default: any free port")
    parser.add_argument("--external-port", type=int, default=0, help="default: any free port")
    parser.add_argument(
        "--slow-seconds", type=float, default=30.0, help="how long /slow takes (default 30)"
    )
    parser.add_argument(
        "--delay", type=float, default=0.0, help="extra seconds before each external answer"
    )
    args = parser.parse_args(argv)
    servers = SampleServers(
        external_delay=args.delay,
        slow_seconds=args.slow_seconds,
        site_port=args.site_port,
        external_port=args.external_port,
    ).start()
    print(f"Sample site:  {servers.site_url}/", flush=True)
    print(f"External web: {servers.external_url}/", flush=True)
    print("Press Ctrl-C to stop.", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        servers.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
