"""Audit a folder of HTML served on 127.0.0.1 twice, external links off and then on, and
say how long each took (run inside ``tests/offline.py``'s namespace, so that every other
host is dead, as on a machine without internet).

    python tests/docs_offline_audit.py DOCS OUT CONFIG [--on-limit-factor 3]

Writes OUT/timings.json: for each of "off" and "on", the seconds, the exit status and the
output folder; the run with external links on is stopped at ``factor`` times the other's
time (plus a margin), and then says so ("timed_out").
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def audit(url: str, out: Path, config: Path, external: bool, limit: float) -> dict:
    command = [
        sys.executable, str(ROOT / "run_audit.py"), url, "--out", str(out),
        "--config", str(config), "--set", f"links.check_external={str(external).lower()}",
        "--fail-on", "never",
    ]  # fmt: skip
    started = time.monotonic()
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=limit, cwd=ROOT)
    except subprocess.TimeoutExpired as exc:
        took = time.monotonic() - started
        tail = (exc.stderr or b"")[-2000:]
        text = tail.decode("utf-8", "replace") if isinstance(tail, bytes) else tail
        return {"seconds": took, "code": None, "timed_out": True, "out": str(out), "log": text}
    took = time.monotonic() - started
    return {
        "seconds": took,
        "code": proc.returncode,
        "timed_out": False,
        "out": str(out),
        "log": (proc.stdout + proc.stderr)[-2000:],
    }


def main(argv: list[str]) -> int:
    docs, out, config = Path(argv[0]), Path(argv[1]), Path(argv[2])
    factor = float(argv[argv.index("--on-limit-factor") + 1]) if "--on-limit-factor" in argv else 3
    handler = functools.partial(QuietHandler, directory=str(docs))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
    out.mkdir(parents=True, exist_ok=True)
    timings = {"url": url}
    try:
        timings["off"] = audit(url, out / "off", config, external=False, limit=600)
        # past 3 times, the answer is known: stop there (and a margin for the start-up)
        limit = factor * timings["off"]["seconds"] + 30
        timings["on"] = audit(url, out / "on", config, external=True, limit=limit)
    finally:
        server.shutdown()
        (out / "timings.json").write_text(json.dumps(timings, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
