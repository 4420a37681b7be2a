"""What one page request costs in CPU: Scrapy against a bare asyncio HTTP/1.1 client.

    python -m bench.fetch_cost [--pages 2000] [--rounds 3] [--concurrency 16]

Serves the benchmark's site (bench/sitegen.py, nginx as in bench/run.py) and fetches every
page once per round with each client, each in a process of its own, rounds interleaved:

* **scrapy**: Scrapy as installed, its default middlewares, a spider that only fetches (no
  parsing, no links followed, robots.txt off), at the given concurrency;
* **bare**: an asyncio client with that many keep-alive connections, which sends a GET and
  reads the status line, the headers and a Content-Length body, nothing else (no
  redirects, retries, robots.txt, decompression, chunked bodies or size limits: a client
  fit for the audit would cost a few times as much).

It prints, for each, the median wall time and CPU of the fetching alone (imports and
start-up left out) and the CPU a page. This is the figure behind "What is slow, for the
team" in bench/README.md: how much of the crawl's process a Scrapy-free fetch of the
site's own pages could save. It measures the clients, not our audit.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CLIENTS = ("scrapy", "bare")
_LENGTH = re.compile(rb"^content-length:\s*(\d+)\s*$", re.I | re.M)


async def _bare_worker(origin: str, paths: list[str], got: list[int]) -> None:
    parts = urlsplit(origin)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
    try:
        while paths:
            path = paths.pop()
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUser-Agent: fetch-cost\r\n"
                "Accept-Encoding: identity\r\n\r\n".encode("ascii")
            )
            head = await reader.readuntil(b"\r\n\r\n")
            length = _LENGTH.search(head)
            body = await reader.readexactly(int(length.group(1))) if length else b""
            got[0] += 1
            got[1] += len(body)
    finally:
        writer.close()


def fetch_bare(origin: str, paths: list[str], concurrency: int) -> tuple[int, int]:
    """(pages, body bytes) fetched with ``concurrency`` keep-alive connections."""
    todo = list(reversed(paths))
    got = [0, 0]

    async def run() -> None:
        workers = min(concurrency, len(todo)) or 1
        await asyncio.gather(*(_bare_worker(origin, todo, got) for _ in range(workers)))

    asyncio.run(run())
    return got[0], got[1]


def fetch_scrapy(origin: str, paths: list[str], concurrency: int) -> tuple[int, int]:
    """(pages, body bytes) fetched by a Scrapy spider that only fetches."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    got = [0, 0]

    class FetchOnly(scrapy.Spider):
        name = "fetch-only"

        async def start(self):  # type: ignore[override]
            for path in paths:
                yield scrapy.Request(origin + path, callback=self.parse, dont_filter=True)

        def parse(self, response):  # type: ignore[override]
            got[0] += 1
            got[1] += len(response.body)
            return ()

    process = CrawlerProcess(
        {
            "LOG_ENABLED": False,
            "ROBOTSTXT_OBEY": False,
            "CONCURRENT_REQUESTS": concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
            "TELNETCONSOLE_ENABLED": False,
            "COOKIES_ENABLED": False,
        }
    )
    process.crawl(FetchOnly)
    process.start()
    return got[0], got[1]


def child(client: str, origin: str, paths_file: Path, concurrency: int) -> dict[str, float]:
    """One client's fetch of every page, timed from after its imports."""
    paths = json.loads(paths_file.read_text())
    fetch = fetch_bare if client == "bare" else fetch_scrapy
    if client == "scrapy":
        import scrapy.crawler  # noqa: F401  (imported before the clock starts)
    wall, cpu = time.perf_counter(), time.process_time()
    pages, size = fetch(origin, paths, concurrency)
    return {
        "pages": pages,
        "bytes": size,
        "wall_s": time.perf_counter() - wall,
        "cpu_s": time.process_time() - cpu,
    }


def summarise(runs: dict[str, list[dict[str, float]]]) -> list[str]:
    """A line per client: medians of wall and CPU, and the CPU a page."""
    lines = ["client   pages   MB  wall s  CPU s  CPU ms/page"]
    for client, results in runs.items():
        pages = results[0]["pages"]
        cpu = statistics.median(r["cpu_s"] for r in results)
        lines.append(
            f"{client:<7} {pages:>6} {results[0]['bytes'] / 1e6:>4.1f} "
            f"{statistics.median(r['wall_s'] for r in results):>7.2f} {cpu:>6.2f} "
            f"{1000 * cpu / max(pages, 1):>12.3f}"
        )
    return lines


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.fetch_cost", description=__doc__)
    p.add_argument("--pages", type=int, default=2000)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--work", type=Path, default=ROOT / "bench" / ".work")
    p.add_argument("--child", choices=CLIENTS, help=argparse.SUPPRESS)
    p.add_argument("--origin", help=argparse.SUPPRESS)
    p.add_argument("--paths", type=Path, help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.origin, args.paths, args.concurrency)))
        return 0
    from bench.run import SEED, Running, log, serve_site

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    args.work.mkdir(parents=True, exist_ok=True)
    run_dir = Path(tempfile.mkdtemp(prefix=f"fetch-{args.pages}-", dir=args.work.resolve()))
    run_dir.chmod(0o755)
    try:
        served = serve_site(run_dir, args.pages, SEED)
        paths_file = run_dir / "paths.json"
        paths_file.write_text(json.dumps(["/" + p.lstrip("/") for p in served.truth["html_pages"]]))
        runs: dict[str, list[dict[str, float]]] = {client: [] for client in CLIENTS}
        for round_no in range(args.rounds):
            for client in CLIENTS if round_no % 2 == 0 else reversed(CLIENTS):
                out = subprocess.run(
                    [sys.executable, "-m", "bench.fetch_cost", "--child", client,
                     "--origin", served.site_origin, "--paths", str(paths_file),
                     "--concurrency", str(args.concurrency)],
                    cwd=ROOT, capture_output=True, text=True, check=True, timeout=600,
                )  # fmt: skip
                result = json.loads(out.stdout.strip().splitlines()[-1])
                runs[client].append(result)
                log(f"round {round_no + 1}/{args.rounds} {client}: {result['pages']} pages, "
                    f"{result['wall_s']:.2f} s, CPU {result['cpu_s']:.2f} s")  # fmt: skip
        print("\n".join(summarise(runs)))
        return 0
    finally:
        Running.stop_all()
        shutil.rmtree(run_dir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
