"""A tiny scriptable web server for tests: routes are plain functions, every request logged."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"


@dataclass
class Hit:
    method: str
    path: str
    headers: dict[str, str]


Route = Callable[["Request"], Reply]


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]


class WebServer:
    """Serve ``routes`` (exact path with query -> Reply or function) on a free 127.0.0.1 port."""

    def __init__(
        self,
        routes: dict[str, Reply | Route] | None = None,
        default: Route | None = None,
        host: str = "127.0.0.1",
    ):
        self.routes: dict[str, Reply | Route] = dict(routes or {})
        self.default = default
        self.log: list[Hit] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _handle(self) -> None:
                request = Request(
                    self.command, self.path, {k.lower(): v for k, v in self.headers.items()}
                )
                with server._lock:
                    server.log.append(Hit(request.method, request.path, request.headers))
                route = server.routes.get(self.path) or server.routes.get(self.path.split("?")[0])
                if route is None and server.default is not None:
                    route = server.default
                if route is None:
                    reply = Reply(
                        404,
                        "<html><head><title>Not found</title></head><body>Not found</body></html>",
                    )
                else:
                    reply = route(request) if callable(route) else route
                body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
                self.send_response(reply.status)
                headers = {"Content-Type": reply.content_type, **reply.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_HEAD = do_POST = _handle

        server_class = _IPv6Server if ":" in host else ThreadingHTTPServer
        self.httpd = server_class((host, 0), Handler)
        self.httpd.daemon_threads = True
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> WebServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def paths(self, method: str | None = None) -> list[str]:
        with self._lock:
            return [h.path for h in self.log if method is None or h.method == method]


class _IPv6Server(ThreadingHTTPServer):
    """The same server on an IPv6 address (``host="::1"``)."""

    address_family = socket.AF_INET6


def html(title: str, body: str) -> str:
    return (
        f"<!doctype html><html lang='en-GB'><head><title>{title}</title></head>"
        f"<body><nav><a href='/'>Home</a></nav><main><h1>{title}</h1>{body}</main></body></html>"
    )
