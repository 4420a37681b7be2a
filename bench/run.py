#!/usr/bin/env python3
"""Benchmark: our full audit against LinkChecker and linkinator on one synthetic site.

    python bench/run.py --pages 2000 --runs 3      # the standard figures
    python bench/run.py --pages 20000 --runs 1     # the large site
    python bench/run.py --quick                    # smoke test: 200 pages, 1 run
    python bench/run.py --pages 2000 --rerun       # also: change 1% of pages, audit again
    python bench/run.py --mode loopback            # the CPU figures: nginx, concurrency 16
    python bench/run.py --memory                   # ours at 2,000 and 20,000 pages: the ratio

Two modes. **realistic** (the default, for headline figures): the site answers each request
after 20-50 ms, as a real trust's server does, and every tool keeps 4 requests open to it
(our polite default); the politeness bound (every address on the site's host that a
complete link check must ask for, missing pages included, x mean latency / concurrency)
and a measured floor (a plain keep-alive client fetching just those addresses over the
same number of connections) are printed beside each tool's time. **loopback**: nginx
answers in microseconds and every tool runs at concurrency 16, so the figures measure CPU.

In one invocation: generate a deterministic site (bench/sitegen.py), serve it with nginx on
127.0.0.1 (installed with apt-get when root and absent; else a Python static server, which
is said), start the "external web" (bench/servers.py, asyncio, 50-200 ms per URL) on
127.0.0.2, then run each tool ``--runs`` times, interleaved, at concurrency 16:

* ours        run_audit.py with a bench config: every link and content check, all reports
* LinkChecker links only, recursive, external links checked (pip, in a venv under --work)
* linkinator  links only, recursive, external links checked (npm, under --work)
* advertools  a Scrapy-based SEO crawler that extracts each page's content: crawl only, no
              link checks (pip, in a venv under --work): the like-for-like Python peer

and print a table of medians: wall seconds, pages/s, URLs checked, peak RSS of the process
tree, broken links found against the truth file, false positives. Machine, versions and
every run go to bench/results/<date>-<pages>.json. Servers and temp folders are removed at
the end, on Ctrl-C too.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar, NamedTuple
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import servers as srv  # noqa: E402
from bench.sitegen import SEED, TODAY, latency_ms, mutate, write_site  # noqa: E402

CONCURRENCY = {"realistic": 4, "loopback": 16}
TOOLS = ("ours", "linkchecker", "linkinator", "advertools")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


# -- measuring --------------------------------------------------------------------------
def _stat(pid: int | str) -> tuple[int, int] | None:
    """(parent pid, resident bytes) of a process, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return None
    fields = stat[stat.rfind(b")") + 2 :].split()
    return int(fields[1]), int(fields[21]) * PAGE_SIZE


def _descendants(root: int) -> list[int]:
    """``root`` and every process below it (one scan of /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            st = _stat(entry)
            if st:
                children.setdefault(st[0], []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _tree_rss(pids: list[int]) -> int:
    return sum(st[1] for st in map(_stat, pids) if st)


def _pss(pid: int) -> int:
    """Proportional set size in bytes (Linux 4.14+ smaps_rollup), 0 when unknown. A page
    shared by n processes counts 1/n in each: a forked child (the audit's reports and
    after-crawl link checks) shares its parent's pages, which RSS counts in both."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _tree_pss(pids: list[int]) -> int:
    return sum(map(_pss, pids))


def _machine_busy_s() -> float:
    """CPU seconds the whole machine has been busy (all cores), from /proc/stat."""
    with open("/proc/stat") as f:
        ticks = [int(x) for x in f.readline().split()[1:]]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


class Running:
    """Processes this harness started, so that Ctrl-C can end them all."""

    procs: ClassVar[list[subprocess.Popen]] = []

    @classmethod
    def stop_all(cls) -> None:
        for proc in reversed(cls.procs):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
        cls.procs = []


def measure(cmd: list[str], stdout: Path, env: dict | None = None, cwd: Path | None = None,
            timeout: float = 3600) -> dict:  # fmt: skip
    """Run cmd; wall seconds, peak RSS of its process tree (sampled every 50 ms) and
    ru_maxrss (largest single process, from wait4)."""
    busy_before = _machine_busy_s()
    with open(stdout, "wb") as out, open(stdout.with_suffix(".stderr"), "wb") as err:
        started = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=cwd,
                                start_new_session=True)  # fmt: skip
        Running.procs.append(proc)
        peak = peak_pss = 0
        done = threading.Event()

        def sample() -> None:
            # RSS of the known tree every 50 ms, PSS every 250 ms (the kernel walks each
            # process's pages for it); a full /proc scan for new children every second
            # (scanning all of /proc every 50 ms cost ~10% of a core)
            nonlocal peak, peak_pss
            pids, rescan, next_pss = [proc.pid], 0.0, 0.0
            while not done.is_set():
                now = time.monotonic()
                if now >= rescan:
                    pids, rescan = _descendants(proc.pid), now + 1.0
                peak = max(peak, _tree_rss(pids))
                if now >= next_pss:
                    peak_pss, next_pss = max(peak_pss, _tree_pss(pids)), now + 0.25
                done.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            deadline = started + timeout
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.monotonic() > deadline:
                    os.killpg(proc.pid, signal.SIGKILL)
                    pid, status, usage = os.wait4(proc.pid, 0)
                    break
                time.sleep(0.05)
        finally:
            done.set()
            sampler.join()
        wall = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        Running.procs.remove(proc)
    return {
        "wall_s": round(wall, 3),
        "peak_rss_mib": round(peak / 2**20, 1),
        # the same tree's peak proportional set size: shared pages counted once
        "peak_pss_mib": round(peak_pss / 2**20, 1) if peak_pss else None,
        "maxrss_mib": round(usage.ru_maxrss / 1024, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "exit": proc.returncode,
        # all CPU used on the machine meanwhile (the tool, the servers and anything else):
        # much more than cpu_s plus the servers' share means the figures are noisy
        "machine_cpu_s": round(_machine_busy_s() - busy_before, 2),
        "loadavg_1m_after": os.getloadavg()[0],
    }


# -- normalising results against the truth ------------------------------------------------
class Scorer:
    def __init__(self, truth: dict, site_origin: str) -> None:
        self.site_origin = site_origin
        self.broken = {(p, b["target"]) for b in truth["broken"] for p in b["pages"]}
        self.fragments = {(p, f["target"]) for f in truth["missing_fragments"] for p in f["pages"]}
        self.error_pages = {b["target"] for b in truth["broken"]}

    def norm(self, url: str, keep_fragment: bool = False) -> str:
        if not keep_fragment:
            url = url.split("#", 1)[0]
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" == self.site_origin:
            return (parts.path or "/") + (f"#{parts.fragment}" if parts.fragment else "")
        return url

    def score(self, reported: set[tuple[str, str]]) -> dict:
        """reported: (page URL, target URL with any fragment) pairs a tool called broken."""
        found_b, found_f, false_pos, on_error_pages = set(), set(), set(), set()
        for page, target in reported:
            if not target.startswith(("http://", "https://", "/")):
                continue  # mailto:, tel: - not links the tools fetch
            pair = (self.norm(page), self.norm(target))
            fpair = (self.norm(page), self.norm(target, keep_fragment=True))
            if pair[0] in self.error_pages:
                # a link on a 404 page itself (its "skip to content" #fragment, say): the
                # page is already a broken target; counted apart, not as a false positive
                on_error_pages.add(fpair)
            elif pair in self.broken:
                found_b.add(pair)
            elif fpair in self.fragments:
                found_f.add(fpair)
            else:
                false_pos.add(fpair)
        return {
            "broken_found": len(found_b),
            "broken_expected": len(self.broken),
            "targets_found": len({t for _, t in found_b}),
            "targets_expected": len({t for _, t in self.broken}),
            "fragments_found": len(found_f),
            "fragments_expected": len(self.fragments),
            "false_positives": len(false_pos),
            "reports_on_error_pages": len(on_error_pages),
            "false_positive_examples": sorted(false_pos)[:5],
        }


def parse_ours(out_dir: Path) -> tuple[set, int]:
    data = json.loads((out_dir / "findings.json").read_text(encoding="utf-8"))
    run = data.get("run", {})
    reported = set()
    for f in data.get("findings", []):
        if f.get("rule") in ("link-broken",) or "fragment" in f.get("rule", ""):
            target = f.get("target") or ""
            frag = (f.get("details") or {}).get("fragment")
            reported.add((f["url"], target + (f"#{frag}" if frag and "#" not in target else "")))
    return reported, int(run.get("pages_crawled", 0)) + int(run.get("links_checked", 0))


def parse_linkchecker(csv_file: Path, stdout: Path) -> tuple[set, int]:
    lines = [ln for ln in csv_file.read_text(encoding="utf-8").splitlines()
             if ln and not ln.startswith("#")]  # fmt: skip
    reported = set()
    for row in csv.DictReader(lines, delimiter=";"):
        if row.get("valid") == "False":
            reported.add((row.get("parentname") or "", row.get("url") or row.get("urlname", "")))
    text = stdout.read_text(encoding="utf-8", errors="replace")
    m = re.search(r"([\d,.]+) links? in ([\d,.]+) URLs? checked", text)
    checked = int(re.sub(r"[,.]", "", m.group(2))) if m else -1
    return reported, checked


def parse_advertools(jl_file: Path) -> tuple[set, int]:
    """advertools crawls and extracts; it reports no broken links. URLs: one JSON line a
    response (pages, and the 404s among them)."""
    lines = [ln for ln in jl_file.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return set(), len({json.loads(ln).get("url") for ln in lines})


def parse_linkinator(stdout: Path) -> tuple[set, int]:
    text = stdout.read_text(encoding="utf-8", errors="replace")
    data = json.loads(text[text.find("{") :])
    links = data.get("links", [])
    reported = {(ln.get("parent") or "", ln["url"]) for ln in links if ln.get("state") == "BROKEN"}
    return reported, len({ln["url"].split("#")[0] for ln in links})


# -- tools ------------------------------------------------------------------------------
def install_peers(work: Path, tools: list[str]) -> dict[str, list[str]]:
    """Install the peers under ``work`` once (kept between invocations); their commands."""
    cmds = {}
    if "linkchecker" in tools:
        venv = work / "linkchecker-venv"
        exe = venv / "bin" / "linkchecker"
        if not exe.exists():
            log("installing LinkChecker into a venv under the work folder (pip) ...")
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "LinkChecker"], check=True)
        cmds["linkchecker"] = [str(exe)]
    if "linkinator" in tools:
        prefix = work / "linkinator"
        exe = prefix / "node_modules" / ".bin" / "linkinator"
        if not exe.exists():
            if not shutil.which("npm"):
                raise SystemExit("npm is needed for linkinator (or leave it out with --tools)")
            log("installing linkinator under the work folder (npm) ...")
            subprocess.run(["npm", "install", "--silent", "--prefix", str(prefix), "linkinator"],
                           check=True)  # fmt: skip
        cmds["linkinator"] = [str(exe)]
    if "advertools" in tools:
        venv = work / "advertools-venv"
        python = venv / "bin" / "python"
        if not (venv / "bin" / "scrapy").exists():
            log("installing advertools into a venv under the work folder (pip) ...")
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "advertools"], check=True)
        cmds["advertools"] = [str(python)]
    return cmds


def _first_line(cmd: list[str]) -> str:
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    out = (p.stdout or p.stderr).strip().splitlines()
    lines = [ln for ln in out if "WARNING" not in ln]
    return lines[0].strip() if lines else "unknown"


def machine_info() -> dict:
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) * 1024
    os_name = "unknown"
    if Path("/etc/os-release").exists():
        m = re.search(r'PRETTY_NAME="([^"]+)"', Path("/etc/os-release").read_text())
        os_name = m.group(1) if m else os_name
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem / 2**30, 1),
        "os": os_name,
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def ours_config(path: Path, start_url: str, pages: int, concurrency: int) -> None:
    path.write_text(
        f"""# Benchmark settings: same concurrency as the peers, every check on.
today = "{TODAY}"

[site]
start_urls = ["{start_url}"]
use_sitemap = false          # the peers find pages by links only; so do we
max_pages = {pages * 2 + 100}
max_depth = 1000000          # off: the crawl is depth-first, so "depth" is not click depth
                             # (on 20,000 pages, max_depth 100 dropped ~100 planted 404s)

[crawl]
concurrency = {max(concurrency, 16)}   # requests at once over all hosts (16, our default)
per_host_concurrency = {concurrency}   # to one host: the same for every tool (4 by default)
timeout = 20.0

[links]
check_external = true

[report]
fail_on = "never"
""",
        encoding="utf-8",
    )


LINKCHECKERRC = """\
[checking]
threads={concurrency}
timeout=20
recursionlevel=-1
# Lifted from the default 10/s: the bench servers send the "LinkChecker" header that
# LinkChecker requires before it stops waiting 0.1-0.6 s between requests to a host.
maxrequestspersecond=10000
[filtering]
checkextern=1
# no DNS here: mailto: would fail on MX look-ups; the other tools do not fetch them either
ignore=
  ^mailto:
  ^tel:
[output]
status=0
"""


def tool_command(tool: str, k: int, ctx: dict) -> tuple[list[str], dict]:
    run_dir: Path = ctx["run_dir"]
    start = ctx["start_url"]
    c = ctx["concurrency"]
    if tool == "ours":
        out = run_dir / f"ours-{k}"
        cmd = [sys.executable, str(ROOT / "run_audit.py"), "--config", str(ctx["ours_config"]),
               "--out", str(out)]  # fmt: skip
        return cmd, {"out": out}
    if tool == "linkchecker":
        out = run_dir / f"linkchecker-{k}.csv"
        cmd = ctx["peers"]["linkchecker"] + [
            "-f", str(ctx["linkcheckerrc"]), "-t", str(c), "--check-extern", "--no-status",
            "-F", f"csv/utf-8/{out}", start,
        ]  # fmt: skip
        return cmd, {"csv": out}
    if tool == "advertools":
        out = run_dir / f"advertools-{k}.jl"
        out.unlink(missing_ok=True)  # advertools appends to an existing file
        # the same politeness as ours: c requests to a host, 16 in all, robots.txt obeyed;
        # advertools runs Scrapy in a child process (scrapy runspider), measured with it
        settings = {"CONCURRENT_REQUESTS": max(c, 16), "CONCURRENT_REQUESTS_PER_DOMAIN": c,
                    "ROBOTSTXT_OBEY": True, "DOWNLOAD_TIMEOUT": 20, "LOG_LEVEL": "WARNING"}  # fmt: skip
        # allowed_domains by host: advertools' default keeps the port, which Scrapy's
        # offsite filter never matches (it dropped the start URL itself)
        code = ("import sys, json, urllib.parse, advertools as adv; "
                "adv.crawl(sys.argv[1], sys.argv[2], follow_links=True, "
                "allowed_domains=[urllib.parse.urlsplit(sys.argv[1]).hostname], "
                "custom_settings=json.loads(sys.argv[3]))")  # fmt: skip
        cmd = ctx["peers"]["advertools"] + ["-c", code, start, str(out), json.dumps(settings)]
        # it starts `scrapy runspider` from PATH: its own venv's
        return cmd, {"jl": out, "path": str(Path(cmd[0]).parent)}
    # No --timeout (linkinator's default). On 20,000 pages linkinator reports ~100,000 links
    # with status 0 with or without it (cause not established; see bench/README.md).
    cmd = ctx["peers"]["linkinator"] + [
        start, "--recurse", "--concurrency", str(c), "--format", "json",
    ]  # fmt: skip
    return cmd, {}


def run_tool(tool: str, k: int, ctx: dict, scorer: Scorer) -> dict:
    cmd, extra = tool_command(tool, k, ctx)
    stdout = ctx["run_dir"] / f"{tool}-{k}.stdout"
    env = {**os.environ, "HOME": str(ctx["home"])}
    if "path" in extra:
        env["PATH"] = extra["path"] + os.pathsep + env.get("PATH", "")
    m = measure(cmd, stdout, env=env, cwd=ROOT)
    try:
        if tool == "ours":
            reported, checked = parse_ours(extra["out"])
        elif tool == "linkchecker":
            reported, checked = parse_linkchecker(extra["csv"], stdout)
        elif tool == "advertools":
            reported, checked = parse_advertools(extra["jl"])
        else:
            reported, checked = parse_linkinator(stdout)
        if tool != "advertools":  # a crawler, not a link checker: nothing to score
            m.update(scorer.score(reported))
        m["urls_checked"] = checked
    except (OSError, ValueError, KeyError) as exc:
        m["error"] = f"could not read the result: {exc.__class__.__name__}: {exc}"
        tail = stdout.with_suffix(".stderr").read_text(errors="replace")[-800:]
        m["stderr_tail"] = tail
    m["pages_per_s"] = round(ctx["pages"] / m["wall_s"], 1)
    # how many cores the whole machine kept busy meanwhile, the tool's own work included:
    # far above the tool's CPU / wall means others were running too, and the run is noisy
    m["machine_busy_cores"] = round(m["machine_cpu_s"] / m["wall_s"], 2) if m["wall_s"] else None
    return m


def run_profile(args: argparse.Namespace, ctx: dict, work: Path, run_dir: Path) -> dict:
    """One more audit of the same site with stage timers; with --py-spy also sampled."""
    out, stages = run_dir / "profile", run_dir / "stages.json"
    cmd = [sys.executable, "-m", "bench.stages", "--config", str(ctx["ours_config"]),
           "--out", str(out), "--json", str(stages)]  # fmt: skip
    result: dict = {}
    raw = run_dir / "py-spy.txt"
    if args.py_spy:
        venv = work / "tools-venv"
        if not (venv / "bin" / "py-spy").exists():
            log("installing py-spy into a venv under the work folder (pip) ...")
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
            subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "py-spy"], check=True)
        cmd = [str(venv / "bin" / "py-spy"), "record", "--format", "raw", "--rate", "200",
               "--nonblocking", "-o", str(raw), "--", *cmd]  # fmt: skip
    log("profiling one audit" + (" under py-spy" if args.py_spy else "") + " ...")
    m = measure(cmd, run_dir / "profile.stdout", cwd=ROOT)
    result["wall_s"] = m["wall_s"]
    result["stages"] = json.loads(stages.read_text()) if stages.exists() else []
    if raw.exists():
        result["py_spy_top"] = py_spy_top(raw)
        keep = args.results / "py-spy-latest.txt"
        args.results.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(raw, keep)
    return result


def py_spy_top(raw: Path, n: int = 40) -> list[tuple[str, float]]:
    """Own-sample shares by function from py-spy's raw (collapsed stacks) output."""
    own: dict[str, int] = {}
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        total += int(count)
        leaf = stack.rsplit(";", 1)[-1]
        leaf = re.sub(r":\d+\)$", ")", leaf)  # one entry per function, not per line
        own[leaf] = own.get(leaf, 0) + int(count)
    top = sorted(own.items(), key=lambda kv: -kv[1])[:n]
    return [(fn, round(c / total, 4)) for fn, c in top] if total else []


# -- reporting --------------------------------------------------------------------------
def median_of(runs: list[dict], key: str) -> float | None:
    vals = [r[key] for r in runs if isinstance(r.get(key), (int, float))]
    return statistics.median(vals) if vals else None


def summarise(results: dict[str, list[dict]]) -> dict[str, dict]:
    keys = ("wall_s", "pages_per_s", "urls_checked", "peak_rss_mib", "peak_pss_mib",
            "maxrss_mib", "cpu_s",
            "broken_found", "broken_expected", "targets_found", "targets_expected",
            "false_positives", "reports_on_error_pages", "fragments_found",
            "fragments_expected", "machine_busy_cores")  # fmt: skip
    return {tool: {k: median_of(runs, k) for k in keys} for tool, runs in results.items()}


def fmt(v: float | None, digits: int = 1) -> str:
    if v is None:
        return "-"
    return f"{v:.{digits}f}" if isinstance(v, float) and v != int(v) else f"{int(v)}"


_SITE_REF = re.compile(r'(?:href|src)="([^"#]*)')


def site_addresses(site_dir: Path, site_origin: str) -> list[str]:
    """Every address on the site's own host that a complete link check must request, as
    paths (query kept): robots.txt, each page reached by following links from the home
    page, and each other target on the host its pages link to (missing pages, files).
    Missing pages count: no tool can report a link broken without asking for it (2,000
    pages of the bench site link to 300-odd missing ones, all requested by every tool)."""
    import html as html_lib
    from urllib.parse import urljoin

    found = {"/robots.txt"}
    todo = ["/"]
    seen = {"/"}
    while todo:
        path = todo.pop()
        found.add(path)
        local = site_dir / path.split("?", 1)[0].lstrip("/")
        if local.is_dir():
            local = local / "index.html"
        if local.suffix != ".html" or not local.is_file():
            continue  # a file or a missing page: requested, not read
        text = local.read_text(encoding="utf-8", errors="replace")
        for ref in _SITE_REF.findall(text):
            parts = urlsplit(urljoin(site_origin + path, html_lib.unescape(ref)))
            if f"{parts.scheme}://{parts.netloc}" != site_origin:
                continue
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return sorted(found)


def politeness_bound(paths: list[str], concurrency: int) -> float:
    """The least time a polite tool can take over the site's own host: every address's
    answer delay (``site_addresses``), ``concurrency`` at a time, in seconds."""
    total_ms = sum(srv.site_latency_ms(path.split("?", 1)[0]) for path in paths)
    return total_ms / 1000 / concurrency


def measured_floor(site_origin: str, paths: list[str], concurrency: int) -> float:
    """What the bound costs in practice on this machine and server: a plain HTTP client,
    ``concurrency`` keep-alive connections, fetching ``paths`` and nothing else (no
    parsing, no politeness beyond the connection count). Seconds of wall time."""
    import http.client
    import queue

    parts = urlsplit(site_origin)
    work: queue.SimpleQueue[str] = queue.SimpleQueue()
    for path in paths:
        work.put(path)

    def fetch_all() -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        try:
            while True:
                try:
                    path = work.get_nowait()
                except queue.Empty:
                    return
                conn.request("GET", path)
                conn.getresponse().read()
        finally:
            conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=fetch_all) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


_EXTERNAL_HREF = re.compile(r'href="(https?://127\.0\.0\.[0-9]+:[0-9]+(/[^"#]*))')


def external_bound(site_dir: Path, external: str, concurrency: int) -> float:
    """The same bound for the bench's "external web", which is one host here (on the real
    web these links spread over many hosts): every distinct external URL's answer delay,
    ``concurrency`` at a time. A polite tool cannot finish sooner than the larger bound."""
    paths: set[str] = set()
    for page in site_dir.rglob("*.html"):
        for url, path in _EXTERNAL_HREF.findall(page.read_text(encoding="utf-8", errors="replace")):
            if url.startswith(external):
                paths.add(path)
    return sum(latency_ms(path) for path in paths) / 1000 / concurrency


def table(
    summary: dict[str, dict],
    runs: int,
    pages: int = 0,
    bound: float | None = None,
    floor: float | None = None,
) -> str:
    head = ["tool", "wall s", "x bound", "x floor", "pages/s", "URLs checked", "peak RSS MiB",
            "peak PSS MiB", "CPU s",
            "CPU ms/page", "broken links", "broken targets", "false pos", "fragments",
            "busy cores"]  # fmt: skip
    rows = [head]
    for tool, s in summary.items():
        ratio = f"x{s['wall_s'] / bound:.2f}" if bound and s["wall_s"] else "-"
        to_floor = f"x{s['wall_s'] / floor:.2f}" if floor and s["wall_s"] else "-"
        per_page = fmt(s["cpu_s"] * 1000 / pages, 2) if s["cpu_s"] and pages else "-"
        rows.append([
            tool, fmt(s["wall_s"], 2), ratio, to_floor, fmt(s["pages_per_s"]), fmt(s["urls_checked"]),
            fmt(s["peak_rss_mib"]), fmt(s.get("peak_pss_mib")), fmt(s["cpu_s"]), per_page,
            f"{fmt(s['broken_found'])}/{fmt(s['broken_expected'])}",
            f"{fmt(s['targets_found'])}/{fmt(s['targets_expected'])}",
            fmt(s["false_positives"]),
            f"{fmt(s['fragments_found'])}/{fmt(s['fragments_expected'])}",
            fmt(s.get("machine_busy_cores"), 2),
        ])  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = [f"Medians of {runs} run(s) (busy cores: the whole machine's, others' work too):"]
    if bound:
        lines[0] += (f" politeness bound {bound:.2f} s (per host: requests x mean latency / "
                     "concurrency; the larger of the site's and the external web's)")  # fmt: skip
    if floor:
        lines[0] += (f"; measured floor {floor:.2f} s (a plain keep-alive client, the same "
                     "addresses, the same connections)")  # fmt: skip
    for n, r in enumerate(rows):
        lines.append("  " + "  ".join(c.rjust(w) if i else c.ljust(w)
                                      for i, (c, w) in enumerate(zip(r, widths, strict=True))))  # fmt: skip
        if n == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    ours = summary.get("ours")
    if ours and ours["wall_s"]:
        for peer in ("linkchecker", "linkinator", "advertools"):
            p = summary.get(peer)
            if p and p["wall_s"]:
                mem = (ours["peak_rss_mib"] / p["peak_rss_mib"]) if p["peak_rss_mib"] else 0
                lines.append(
                    f"  ours/{peer}: wall time x{ours['wall_s'] / p['wall_s']:.2f}, "
                    f"peak RSS x{mem:.2f}"
                )
    return "\n".join(lines)


# -- main -------------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python bench/run.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--pages", type=int, default=2000)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--quick", action="store_true", help="200 pages, 1 run (smoke test)")
    p.add_argument("--rerun", action="store_true",
                   help="after the runs, change 1%% of pages and audit again (ours only)")  # fmt: skip
    p.add_argument("--profile", action="store_true",
                   help="then one more audit with stage timers (bench/stages.py), and py-spy "
                   "when --py-spy is given")  # fmt: skip
    p.add_argument(
        "--py-spy",
        action="store_true",
        help="with --profile: also sample it with py-spy (pip, into --work)",
    )
    p.add_argument(
        "--tools", default=",".join(TOOLS), help="comma-separated subset of " + ",".join(TOOLS)
    )
    p.add_argument("--mode", choices=sorted(CONCURRENCY), default="realistic",
                   help="realistic: the site answers in 20-50 ms, concurrency 4 (default); "
                   "loopback: nginx, concurrency 16, for CPU figures")  # fmt: skip
    p.add_argument("--concurrency", type=int, default=None,
                   help="requests open at once (default: 4 realistic, 16 loopback)")  # fmt: skip
    p.add_argument("--python-server", action="store_true", help="serve with Python, not nginx")
    p.add_argument("--work", type=Path, default=ROOT / "bench" / ".work",
                   help="where peers are installed and temp sites go (default bench/.work)")  # fmt: skip
    p.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    p.add_argument("--keep", action="store_true", help="keep the site and the tools' outputs")
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--memory", action="store_true",
                   help="ours only, loopback (--mode and --tools are not used): --pages "
                   "(--runs runs) then ten times as many (one run); prints each peak and "
                   "the ratio (target at most x1.5)")  # fmt: skip
    args = p.parse_args(argv)
    if args.memory:
        if args.runs < 1:
            p.error("--memory needs --runs 1 or more")
        args.mode, args.tools = "loopback", "ours"
    if args.quick:
        args.pages, args.runs = 200, 1
    if args.concurrency is None:
        args.concurrency = CONCURRENCY[args.mode]
    if args.runs < 0 or args.pages < 20:
        p.error("--runs must be 0 or more (0: only --profile) and --pages at least 20")
    args.tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = set(args.tools) - set(TOOLS)
    if unknown:
        p.error(f"unknown tools: {', '.join(sorted(unknown))}")
    return args


def _sigterm(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _sigterm)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started with nohup &
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    try:
        if args.memory:
            return memory(args, work)
        return bench_once(args, work)[0]
    except KeyboardInterrupt:
        log("interrupted: stopping servers and tools")
        return 130


def bench_once(args: argparse.Namespace, work: Path) -> tuple[int, dict]:
    """One site, generated, served and benched; the exit status and the results record."""
    run_dir = Path(tempfile.mkdtemp(prefix=f"run-{args.pages}-", dir=work))
    run_dir.chmod(0o755)
    try:
        return _bench(args, work, run_dir)
    finally:
        Running.stop_all()
        if args.keep:
            log(f"kept {run_dir}")
        else:
            shutil.rmtree(run_dir, ignore_errors=True)


MEMORY_TARGET = 1.5  # the large site's peak at most this many times the small site's


def memory(args: argparse.Namespace, work: Path) -> int:
    """How memory grows with the site: ours on --pages (median of --runs) and on ten times
    as many (one run), loopback, each peak of the process tree and their ratio."""
    small = argparse.Namespace(**{**vars(args), "rerun": False, "profile": False})
    large = argparse.Namespace(**{**vars(small), "pages": args.pages * 10, "runs": 1})
    figures = []
    for one in (small, large):
        code, record = bench_once(one, work)
        if code:
            return code
        figures.append((one.pages, one.runs, record["summary"]["ours"]))
    print()
    print(f"Memory, ours, loopback (peak of the process tree; target: the large site at most "
          f"x{MEMORY_TARGET} the small one's)")  # fmt: skip
    print("  pages  runs  peak RSS MiB  peak PSS MiB  wall s  CPU s")
    for pages, runs, s in figures:
        print(f"  {pages:>5}  {runs:>4}  {fmt(s['peak_rss_mib']):>12}  "
              f"{fmt(s.get('peak_pss_mib')):>12}  {fmt(s['wall_s'], 2):>6}  {fmt(s['cpu_s']):>5}")  # fmt: skip
    ratios = []
    for key, name in (("peak_rss_mib", "RSS"), ("peak_pss_mib", "PSS")):
        low, high = figures[0][2].get(key), figures[1][2].get(key)
        if low and high:
            ratios.append(high / low)
            verdict = "met" if ratios[-1] <= MEMORY_TARGET else "missed"
            print(f"  {name}: x{ratios[-1]:.2f} ({verdict})")
        else:
            print(f"  {name}: not measured")
    # nothing measured is not a pass
    return 0 if ratios and max(ratios) <= MEMORY_TARGET else 3


def compile_ours(root: Path = ROOT) -> None:
    """Our modules as an installed tool has them, compiled to bytecode: pip compiles the
    peers' Python (LinkChecker) as it installs them, but our checkout is run from source,
    and with PYTHONDONTWRITEBYTECODE set (as on some CI machines) every process of every
    run would compile our modules again (0.1-0.2 s of CPU a process)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    dirs = [str(root / d) for d in ("core", "crawler", "checks", "reports", "bench")]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *dirs, str(root / "run_audit.py")],
                   env=env, check=False, stdout=subprocess.DEVNULL)  # fmt: skip


class Served(NamedTuple):
    """The bench's site and its external web, served until ``Running.stop_all``."""

    start_url: str  # linkinator recurses only below the start URL's path
    site_origin: str
    site_dir: Path
    truth: dict
    external: str
    server_name: str


def serve_site(
    run_dir: Path, pages: int, seed: int, python_server: bool = False, mode: str = "loopback"
) -> Served:
    """Generate the site into ``run_dir`` and serve it (realistic: the asyncio server with
    20-50 ms a request; loopback: nginx, else Python), with the external web on 127.0.0.2
    (127.0.0.1 where that cannot be bound)."""
    # the external web first: its origin is baked into the generated pages
    ext_host = "127.0.0.2"
    try:
        ext_port = srv.free_port(ext_host)
    except OSError:
        ext_host = "127.0.0.1"
        ext_port = srv.free_port(ext_host)
    ext = srv.start_python_server(["external"], ext_host, ext_port, run_dir / "external.log")
    Running.procs.append(ext)
    external = f"http://{ext_host}:{ext_port}"
    t0 = time.monotonic()
    truth = write_site(run_dir, pages, external, seed)
    site_dir = run_dir / "site"
    log(f"generated {pages} pages in {time.monotonic() - t0:.1f} s: "
        f"{truth['broken_pairs']} broken links ({len(truth['broken'])} targets), "
        f"{truth['fragment_pairs']} missing fragments; external web at {external}")  # fmt: skip
    port = srv.free_port()
    nginx = None if python_server or mode == "realistic" else srv.ensure_nginx(log)
    if mode == "realistic":
        low, high = srv.SITE_LATENCY_MS
        site_proc = srv.start_python_server(
            ["site", "--root", str(site_dir)], "127.0.0.1", port, run_dir / "site.log"
        )
        server_name = f"bench site server ({low}-{high} ms a request)"
    elif nginx:
        site_proc = srv.start_nginx(nginx, site_dir, run_dir / "nginx", "127.0.0.1", port)
        server_name = _first_line([nginx, "-v"])
    else:
        if not python_server:
            log("nginx is not available (not root, or apt-get failed): "
                "serving with the Python fallback, which is slower than nginx")  # fmt: skip
        site_proc = srv.start_python_server(
            ["static", "--root", str(site_dir)], "127.0.0.1", port, run_dir / "static.log"
        )
        server_name = "python ThreadingHTTPServer (fallback)"
    Running.procs.append(site_proc)
    site_origin = f"http://127.0.0.1:{port}"
    log(f"site served by {server_name} at {site_origin}/")
    return Served(f"{site_origin}/", site_origin, site_dir, truth, external, server_name)


def _bench(args: argparse.Namespace, work: Path, run_dir: Path) -> tuple[int, dict]:
    peers = install_peers(work, args.tools)
    compile_ours()
    served = serve_site(run_dir, args.pages, args.seed, args.python_server, args.mode)
    start_url, site_origin, site_dir, truth, external, server_name = served
    (run_dir / "home").mkdir(mode=0o777)
    (run_dir / "home").chmod(0o777)  # LinkChecker drops root to nobody and writes its CSV
    lc_dir = run_dir / "lc"
    lc_dir.mkdir()
    lc_dir.chmod(0o777)
    ctx = {
        "run_dir": run_dir,
        "home": run_dir / "home",
        "start_url": start_url,
        "pages": args.pages,
        "concurrency": args.concurrency,
        "peers": {k: v for k, v in peers.items()},
        "ours_config": run_dir / "bench.toml",
        "linkcheckerrc": run_dir / "linkcheckerrc",
    }
    ours_config(ctx["ours_config"], start_url, args.pages, args.concurrency)
    ctx["linkcheckerrc"].write_text(LINKCHECKERRC.format(concurrency=args.concurrency))
    ctx["linkcheckerrc"].chmod(0o644)
    versions = {
        "ours": _first_line([sys.executable, str(ROOT / "run_audit.py"), "--version"]),
        "linkchecker": _first_line(peers["linkchecker"] + ["--version"]) if "linkchecker" in peers else None,
        "linkinator": "linkinator " + _first_line(peers["linkinator"] + ["--version"]) if "linkinator" in peers else None,
        "advertools": "advertools " + _first_line(peers["advertools"] + ["-c", "import advertools, scrapy; print(advertools.__version__, 'on Scrapy', scrapy.__version__)"]) if "advertools" in peers else None,
        "node": _first_line(["node", "--version"]) if shutil.which("node") else None,
        "server": server_name,
    }  # fmt: skip
    machine = machine_info()
    log(f"machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB, "
        f"{machine['os']}")  # fmt: skip
    log("versions: " + "; ".join(f"{k}: {v}" for k, v in versions.items() if v))
    bound = floor = None
    if args.mode == "realistic":
        addresses = site_addresses(site_dir, site_origin)
        site_bound = politeness_bound(addresses, args.concurrency)
        ext_bound = external_bound(site_dir, external, args.concurrency)
        bound = max(site_bound, ext_bound)
        log(f"politeness bound: the site's host {site_bound:.2f} s ({len(addresses)} "
            f"addresses), the external web's {ext_bound:.2f} s (one host here), at "
            f"{args.concurrency} requests a host")  # fmt: skip
        floors = [measured_floor(site_origin, addresses, args.concurrency)]
        log(f"measured floor: {floors[0]:.2f} s")
    results: dict[str, list[dict]] = {t: [] for t in args.tools}
    for k in range(1, args.runs + 1):
        for tool in args.tools:
            m = run_tool(tool, k, {**ctx, "run_dir": run_dir if tool != "linkchecker" else lc_dir},
                         Scorer(truth, site_origin))  # fmt: skip
            results[tool].append(m)
            note = f" ERROR {m['error']}" if "error" in m else ""
            log(f"run {k}/{args.runs} {tool}: {m['wall_s']:.2f} s, {m['pages_per_s']} pages/s, "
                f"peak RSS {m['peak_rss_mib']} MiB (PSS {m.get('peak_pss_mib')}), broken {m.get('broken_found')}/"
                f"{m.get('broken_expected')}, false pos {m.get('false_positives')}, CPU {m['cpu_s']} s "
                f"(machine {m['machine_cpu_s']} s), exit {m['exit']}{note}")  # fmt: skip
    summary = summarise(results)
    rerun = None
    if args.rerun and "ours" in args.tools:
        changed = mutate(site_dir, truth, 0.01, args.seed)
        log(f"nightly re-run: changed {len(changed)} pages; auditing again into the last run's "
            "output folder (its run store and any cache it keeps)")  # fmt: skip
        m = run_tool("ours", args.runs, {**ctx, "run_dir": run_dir}, Scorer(truth, site_origin))
        full = summary["ours"]["wall_s"]
        share = round(m["wall_s"] / full, 3) if full else None
        rerun = {**m, "pages_changed": len(changed), "share_of_full": share}
        # every later night follows a re-run, not a full audit: measure one of those too
        changed = mutate(site_dir, truth, 0.01, args.seed + 1)
        log(f"a later night: changed {len(changed)} other pages; auditing again")
        m = run_tool("ours", args.runs, {**ctx, "run_dir": run_dir}, Scorer(truth, site_origin))
        share = round(m["wall_s"] / full, 3) if full else None
        rerun["later_night"] = {**m, "pages_changed": len(changed), "share_of_full": share}
    profile = None
    if args.profile and "ours" in args.tools:
        profile = run_profile(args, ctx, work, run_dir)
    if args.mode == "realistic" and args.runs:
        # before and after the tools: the better of the two is the floor
        floors.append(measured_floor(site_origin, addresses, args.concurrency))
        floor = min(floors)
        log(f"measured floor: {floors[-1]:.2f} s; taken as {floor:.2f} s")
    text = table(summary, args.runs, args.pages, bound, floor)
    print()
    print(f"Site: {args.pages} pages, {truth['broken_pairs']} planted broken links, "
          f"{truth['fragment_pairs']} missing fragments; {args.mode} mode, concurrency "
          f"{args.concurrency}; "
          f"served by {server_name}")  # fmt: skip
    print(f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB, "
          f"{machine['os']}, Python {machine['python']}")  # fmt: skip
    print("Versions: " + "; ".join(f"{k} {v}" for k, v in versions.items() if v))
    print(text)
    if profile:
        print("Stage breakdown of one audit (wall s / CPU s):")
        for r in profile["stages"]:
            cpu = "-" if r["cpu_s"] is None else f"{r['cpu_s']:.2f}"
            print(f"  {r['stage']:<50} {r['wall_s']:>8.2f} {cpu:>8}")
        if profile.get("py_spy_top"):
            print("py-spy, top functions by own samples (share of all samples):")
            for fn, share in profile["py_spy_top"][:25]:
                print(f"  {share * 100:5.1f}%  {fn}")
    if rerun and rerun["share_of_full"]:
        later = rerun["later_night"]
        against = f" (x{rerun['wall_s'] / bound:.2f} the bound)" if bound else ""
        print(
            f"  nightly re-run (1% of pages changed), the night after the full audit: "
            f"{rerun['wall_s']:.2f} s = {rerun['share_of_full'] * 100:.0f}% of the full audit"
            f"{against}; CPU {rerun['cpu_s']} s"
        )
        print(f"  a later night (another 1% changed, after a re-run): {later['wall_s']:.2f} s = "
              f"{later['share_of_full'] * 100:.0f}% of the full audit")  # fmt: skip
    record = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "pages": args.pages,
        "runs": args.runs,
        "concurrency": args.concurrency,
        "mode": args.mode,
        "politeness_bound_s": bound,
        "measured_floor_s": floor,
        "seed": args.seed,
        "machine": machine,
        "versions": versions,
        "site": {k: truth[k] for k in ("broken_pairs", "fragment_pairs")}
        | {"broken_targets": len(truth["broken"]), "external_origin": external},
        "summary": summary,
        "runs_raw": results,
        "rerun": rerun,
        "profile": profile,
    }
    args.results.mkdir(parents=True, exist_ok=True)
    suffix = "-quick" if args.quick else ("-profile" if args.runs == 0 else "")
    suffix += f"-{args.mode}"
    if set(args.tools) != set(TOOLS) and args.runs:
        suffix += "-" + "-".join(args.tools)
    stem = f"{datetime.now(UTC):%Y-%m-%d}-{args.pages}{suffix}"
    path = args.results / f"{stem}.json"
    for n in range(2, 1000):  # a second run on the same day must not replace the first
        if not path.exists():
            break
        path = args.results / f"{stem}-{n}.json"
    path.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"Results: {path}")
    failed = [t for t, runs in results.items() if any("error" in r for r in runs)]
    return (1 if failed else 0), record


if __name__ == "__main__":
    sys.exit(main())
