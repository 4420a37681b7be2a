"""How the network merge's time grows with the network: N sites of 300 pages merged, for N
in 3, 6, 12, 24 (issue 24: it must grow linearly with pages).

    python -m bench.network_merge                   # audits one generated site first
    python -m bench.network_merge --from DIR        # or clones an audited site's folder

One site of bench/sitegen.py is served on 127.0.0.1 and audited once; its output folder is
cloned into N sites (each its own name and start URL, the same findings), so that what is
measured is the merge alone: reading each site's findings.json, copying its reports for the
drill-down, writing the merged findings.json and the network report, keeping the history.
Medians of --rounds rounds, in this process (no interpreter start-up).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = (3, 6, 12, 24)


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def audit_one_site(work: Path, pages: int) -> Path:
    """Generate a site of ``pages`` pages, serve it on loopback and audit it once."""
    from bench.sitegen import write_site

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(work / "gen" / "site")))  # fmt: skip
    base = f"http://127.0.0.1:{server.server_address[1]}"
    write_site(work / "gen", pages, f"{base}/ext", seed=1)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out = work / "audited"
    subprocess.run([sys.executable, str(ROOT / "run_audit.py"), base + "/", "--out", str(out),
                    "--today", "2026-11-24", "--fail-on", "never"], check=True,
                   capture_output=True, text=True, timeout=900)  # fmt: skip
    server.shutdown()
    return out


def clone(source: Path, root: Path, n: int) -> Path:
    """N copies of one site's folder, each saying it is the audit of its own site."""
    data = json.loads((source / "findings.json").read_text(encoding="utf-8"))
    old = data["run"]["start_urls"][0]
    lines = ['[network]\nname = "Bench network"\n']
    for i in range(1, n + 1):
        url = f"https://site-{i}.example.nhs.uk/"
        folder = root / "sites" / f"site-{i}"
        shutil.copytree(source, folder, ignore=shutil.ignore_patterns("run.sqlite", "link-cache.sqlite"))  # fmt: skip
        text = (source / "findings.json").read_text(encoding="utf-8").replace(old, url)
        (folder / "findings.json").write_text(text, encoding="utf-8")
        marker = {"site": f"site-{i}", "url": url, "state": "finished"}
        (folder / "network-site.json").write_text(json.dumps(marker), encoding="utf-8")
        lines.append(f'[[sites]]\nname = "site-{i}"\nurl = "{url}"\n')
    path = root / "network.toml"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="source", type=Path, help="an audited site's output folder")
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    from content_audit.network import load_network, merge_network

    with tempfile.TemporaryDirectory(prefix="network-merge-") as tmp:
        work = Path(tmp)
        source = args.source or audit_one_site(work, args.pages)
        one = json.loads((source / "findings.json").read_text(encoding="utf-8"))
        pages, findings = len(one["pages"]), len(one["findings"])
        print(f"one site: {pages} pages, {findings} findings")
        print("| sites | pages | findings | merge wall s | CPU s | wall ms per 1,000 pages |")
        print("|---|---|---|---|---|---|")
        for n in SIZES:
            root = work / f"n{n}"
            network = load_network(clone(source, root, n))
            walls, cpus = [], []
            for r in range(args.rounds):
                out = root / f"out{r}"
                before = resource.getrusage(resource.RUSAGE_SELF)
                start = time.perf_counter()
                merged = merge_network(network, root / "sites", out, root / f"history{r}")
                walls.append(time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_SELF)
                cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
                assert merged.findings == n * findings, merged.verdict["reasons"][:3]
                shutil.rmtree(out)
            wall, cpu = statistics.median(walls), statistics.median(cpus)
            print(f"| {n} | {n * pages:,} | {n * findings:,} | {wall:.2f} | {cpu:.2f} | "
                  f"{1000 * 1000 * wall / (n * pages):.0f} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
