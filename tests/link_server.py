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
