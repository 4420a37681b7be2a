"""A tiny external server that measures how politely it is treated: how many requests it
serves at once, and when each one started. Standard library only; for tests."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64  # the default listen backlog of 5 drops bursts of connections


class PoliteServer:
    def __init__(self, answer_after: float = 0.3) -> None:
        self.answer_after = answer_after
        self.lock = threading.Lock()
        self.active = 0
        self.max_active = 0
        self.starts: list[tuple[float, str]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                with owner.lock:
                    owner.active += 1
                    owner.max_active = max(owner.max_active, owner.active)
                    owner.starts.append((time.monotonic(), self.path))
                try:
                    wait = owner.answer_after * (20 if self.path.startswith("/sleep") else 1)
                    time.sleep(wait)
                    body = b"<!DOCTYPE html><title>Partner</title><h1>Partner</h1>"
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                finally:
                    with owner.lock:
                        owner.active -= 1

            do_HEAD = do_GET

            def log_message(self, *args: object) -> None:
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.server.handle_error = lambda *a: None  # type: ignore[method-assign]
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> PoliteServer:
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1},
                         daemon=True).start()  # fmt: skip
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def paths(self, prefix: str) -> list[str]:
        with self.lock:
            return [p for _, p in self.starts if p.startswith(prefix)]


class TemplateSite:
    """A site that answers 200 with the same 'sorry' page for every unknown address (its own
    404 template served as 200), so only a comparison with a made-up address reveals it."""

    SORRY = (
        "<!DOCTYPE html><html><head><title>Northdale Trust</title></head><body><main>"
        "<h1>Oops</h1><p>We moved things around. Try the search.</p></main></body></html>"
    )

    def __init__(self) -> None:
        owner = self
        self.paths: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                owner.paths.append(self.path)
                if self.path in ("/", "/index.html"):
                    body = (
                        "<!DOCTYPE html><html><head><title>Northdale Trust</title></head><body>"
                        "<main><h1>Welcome</h1><p>See our <a href='/old-clinic.html'>old clinic "
                        "page</a> and <a href='/about.html'>about us</a>.</p></main></body></html>"
                    )
                elif self.path == "/about.html":
                    body = (
                        "<!DOCTYPE html><html><head><title>About us</title></head><body><main>"
                        "<h1>About us</h1><p>We are a trust.</p></main></body></html>"
                    )
                else:
                    body = TemplateSite.SORRY
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> TemplateSite:
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1},
                         daemon=True).start()  # fmt: skip
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
