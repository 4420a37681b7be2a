"""The benchmark's servers: nginx (or a Python fallback) for the site, and the external web.

    python -m bench.servers external --host 127.0.0.2 --port 8081
    python -m bench.servers static --root SITE_DIR --port 8080     # fallback when no nginx
    python -m bench.servers site --root SITE_DIR --port 8080       # the realistic mode's site

The realistic mode's site server answers each path after a deterministic 20-50 ms
(``site_latency_ms``), as a real trust's web server does, so that a polite crawl is bound by
the network, not by the CPU.

The external web is an asyncio HTTP/1.1 server (keep-alive, HEAD and GET) that answers every
path after a deterministic 50-200 ms delay (``bench.sitegen.latency_ms``):

* ``/gone/...``   404 (the planted broken external links)
* ``/moved/X``    301 to ``/X``
* ``/robots.txt`` allow everything
* anything else   200 with a small page that has no links

Every answer carries a ``LinkChecker`` header: LinkChecker only lifts its per-host rate limit
(0.1-0.6 s between requests to a host) for servers that send it, so LinkChecker gets the same
concurrency as the other tools. nginx adds the same header.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
import zlib
from email.utils import formatdate
from pathlib import Path

from bench.sitegen import latency_ms

SITE_LATENCY_MS = (20, 50)  # the realistic mode: what a real trust's server takes
TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/xml", ".txt": "text/plain",
         ".css": "text/css", ".js": "text/javascript", ".png": "image/png",
         ".svg": "image/svg+xml", ".pdf": "application/pdf"}  # fmt: skip

NGINX_CONF = """\
worker_processes 2;
{user}
error_log {work}/nginx-error.log warn;
pid {work}/nginx.pid;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 100000;
    client_body_temp_path {work}/nginx-tmp/body;
    proxy_temp_path {work}/nginx-tmp/proxy;
    fastcgi_temp_path {work}/nginx-tmp/fastcgi;
    uwsgi_temp_path {work}/nginx-tmp/uwsgi;
    scgi_temp_path {work}/nginx-tmp/scgi;
    server {{
        listen {host}:{port};
        root {root};
        index index.html;
        add_header LinkChecker bench always;
        error_page 404 /404.html;
        location = /404.html {{ internal; }}
    }}
}}
"""


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_listening(host: str, port: int, proc: subprocess.Popen | None = None, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited early with status {proc.returncode}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listening on {host}:{port} after {timeout} s")


def ensure_nginx(log=print) -> str | None:
    """The nginx binary, installing Debian's package when root and absent; None if none."""
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None
    )
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None
    log("nginx is absent: installing it with apt-get (root) ...")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "nginx"]):
        if subprocess.run(
            cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        ).returncode:
            return None
    return shutil.which("nginx") or "/usr/sbin/nginx"


def start_nginx(nginx: str, root: Path, work: Path, host: str, port: int) -> subprocess.Popen:
    work.mkdir(parents=True, exist_ok=True)
    (work / "nginx-tmp").mkdir(exist_ok=True)
    conf = work / "nginx.conf"
    user = "user root;" if os.geteuid() == 0 else ""
    conf.write_text(NGINX_CONF.format(user=user, work=work, host=host, port=port, root=root))
    proc = subprocess.Popen(
        [nginx, "-c", str(conf), "-p", str(work), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=open(work / "nginx-stderr.log", "wb"),  # noqa: SIM115
        start_new_session=True,
    )
    wait_listening(host, port, proc)
    return proc


def start_python_server(args: list[str], host: str, port: int, log_file: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.servers", *args, "--host", host, "--port", str(port)],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.DEVNULL,
        stderr=open(log_file, "wb"),  # noqa: SIM115
        start_new_session=True,
    )
    wait_listening(host, port, proc)
    return proc


# -- the external web ---------------------------------------------------------------------
EXT_PAGE = (
    '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8"><title>{t}</title></head>'
    '<body><main><h1 id="top">{t}</h1><p>A page on another website.</p></main></body></html>\n'
)


def external_answer(path: str) -> tuple[int, str, dict[str, str], str]:
    """(status, reason, extra headers, body) for a path of the external web."""
    if path == "/robots.txt":
        return 200, "OK", {"Content-Type": "text/plain"}, "User-agent: *\nAllow: /\n"
    if path.startswith("/gone/"):
        return 404, "Not Found", {}, EXT_PAGE.format(t="Page not found")
    if path.startswith("/moved/"):
        return 301, "Moved Permanently", {"Location": path[len("/moved") :]}, ""
    title = path.rstrip("/").rsplit("/", 1)[-1].replace("-", " ").capitalize() or "Home"
    return 200, "OK", {}, EXT_PAGE.format(t=title)


def site_latency_ms(path: str) -> int:
    """The realistic site's deterministic answer delay for a path: 20-50 ms."""
    low, high = SITE_LATENCY_MS
    return low + zlib.crc32(path.encode()) % (high - low + 1)


def site_answer(root: Path):
    """(status, reason, extra headers, body) for a path of the static site under root, with
    the validators a real web server sends (ETag, Last-Modified) and 304 Not Modified to a
    conditional request that matches, as nginx does: a nightly re-run relies on them."""
    not_found = (
        (root / "404.html").read_text(encoding="utf-8") if (root / "404.html").is_file() else ""
    )

    def answer(
        path: str, headers: dict[str, str] | None = None
    ) -> tuple[int, str, dict[str, str], str | bytes]:
        local = (root / path.lstrip("/")).resolve()
        if local.is_dir():
            local = local / "index.html"
        if root.resolve() not in local.parents or not local.is_file():
            return 404, "Not Found", {}, not_found
        stat = local.stat()
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        validators = {"ETag": etag, "Last-Modified": formatdate(stat.st_mtime, usegmt=True)}
        asked = (headers or {}).get("if-none-match")
        if asked and etag in [tag.strip() for tag in asked.split(",")]:
            return 304, "Not Modified", validators, b""
        kind = TYPES.get(local.suffix, "application/octet-stream")
        return 200, "OK", {"Content-Type": kind, **validators}, local.read_bytes()

    return answer


def handler(answer, latency):
    """An asyncio HTTP/1.1 connection handler (keep-alive, HEAD and GET) that answers each
    request with ``answer(path)`` after ``latency(path)`` milliseconds."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _serve(reader, writer, answer, latency)

    return handle


async def _handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await _serve(reader, writer, external_answer, latency_ms)


async def _serve(reader, writer, answer, latency) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, target, version = ([*lines[0].split(" "), "", ""])[:3]
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length") or 0)
            if length:
                await reader.readexactly(length)
            path = target.split("?", 1)[0].split("#", 1)[0]
            await asyncio.sleep(latency(path) / 1000)
            status, reason, extra, body = (
                answer(path, headers) if answer is not external_answer else answer(path)
            )
            data = body.encode() if isinstance(body, str) else body
            out = {
                "Content-Type": "text/html; charset=utf-8",
                "LinkChecker": "bench",
                "Server": "bench-external",
                **extra,
                "Content-Length": str(len(data)),
            }
            close = headers.get("connection", "").lower() == "close" or version == "HTTP/1.0"
            if close:
                out["Connection"] = "close"
            raw = f"HTTP/1.1 {status} {reason}\r\n" + "".join(
                f"{k}: {v}\r\n" for k, v in out.items()
            )
            writer.write(raw.encode("latin-1") + b"\r\n" + (b"" if method == "HEAD" else data))
            await writer.drain()
            if close:
                break
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        pass
    finally:
        writer.close()


async def serve_external(host: str, port: int) -> None:
    server = await asyncio.start_server(_handle, host, port, backlog=1024)
    async with server:
        await server.serve_forever()


async def serve_site(root: str, host: str, port: int) -> None:
    site = handler(site_answer(Path(root)), site_latency_ms)
    server = await asyncio.start_server(site, host, port, backlog=1024)
    async with server:
        await server.serve_forever()


# -- the Python static fallback -----------------------------------------------------------
def serve_static(root: str, host: str, port: int) -> None:
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    not_found = (Path(root) / "404.html").read_bytes()

    class Handler(SimpleHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):
            pass

        def end_headers(self):
            self.send_header("LinkChecker", "bench")
            super().end_headers()

        def send_error(self, code, message=None, explain=None):
            if code != 404:
                return super().send_error(code, message, explain)
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(not_found)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(not_found)

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 1024

    Server((host, port), partial(Handler, directory=root)).serve_forever()


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.servers")
    parser.add_argument("kind", choices=["external", "static", "site"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--root", help="site folder (static)")
    args = parser.parse_args(argv)
    try:
        if args.kind == "external":
            asyncio.run(serve_external(args.host, args.port))
        elif args.kind == "site":
            asyncio.run(serve_site(args.root, args.host, args.port))
        else:
            serve_static(args.root, args.host, args.port)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
