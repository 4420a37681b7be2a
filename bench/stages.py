"""Where one audit spends its time, stage by stage: run_audit.py with timers around the stages.

    python -m bench.stages --config bench.toml --out OUT [--json stages.json]

Wraps (in this process only; the project's code is not changed) the pipeline stages
(crawl, boilerplate removal, checks, reports), inside the crawl the per-page work done in the
reactor thread (HTML decoding, parse+extract, run-store writes), every page check (grouped by
family = module) and every site check's observe/finish. The crawl's remainder is Scrapy itself
(scheduling, middlewares, HTTP parsing) and waiting for the network. CPU seconds are shown
beside wall seconds: a stage whose CPU time is close to its wall time is CPU-bound.

bench/run.py --profile runs this once on the benchmark site after the timed runs. It runs
every check in this one process (``[checks] parallel = false``) so that each is timed.
"""

from __future__ import annotations

import functools
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WALL: dict[str, float] = defaultdict(float)
CPU: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)


def timed(name: str, fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        w, c = time.perf_counter(), time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            WALL[name] += time.perf_counter() - w
            CPU[name] += time.process_time() - c
            CALLS[name] += 1

    return wrapper


def timed_iter(name: str, fn):
    """For generator functions: time every step of the iteration, not just the call."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        it = iter(fn(*args, **kwargs))
        while True:
            w, c = time.perf_counter(), time.process_time()
            try:
                item = next(it)
            except StopIteration:
                return
            finally:
                WALL[name] += time.perf_counter() - w
                CPU[name] += time.process_time() - c
            CALLS[name] += 1
            yield item

    return wrapper


def consumed(fn):
    """Page checks and site-check finish() are generators: run them to the end inside the
    timer (the callers only extend lists with them, so a list is as good)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return list(fn(*args, **kwargs))

    return wrapper


def install() -> None:
    import importlib

    for name in [
        "checks.engine.runner",
        "core.store",
        "crawler.boilerplate",
        "crawler.pipelines",
        "crawler.runner",
        "crawler.spider",
        "reports.html",
        "reports.json_report",
        "reports.writer",
    ]:
        importlib.import_module(f"content_audit.{name}")  # the modules timed below
    from content_audit import checks, core, crawler, reports
    from content_audit.checks.engine.registry import PAGE_CHECKS, SITE_CHECKS

    crawler.runner.run_crawl = timed("1 crawl (total)", crawler.runner.run_crawl)
    crawler.spider.decode_html = timed("1a crawl: decode HTML", crawler.spider.decode_html)
    crawler.spider.extract_page = timed("1b crawl: parse + extract", crawler.spider.extract_page)
    pipe = crawler.pipelines.StorePipeline
    pipe.process_item = timed("1c crawl: run-store writes", pipe.process_item)
    crawler.boilerplate.remove_boilerplate = timed(
        "2 boilerplate removal", crawler.boilerplate.remove_boilerplate
    )
    checks.engine.runner.run_checks = timed("3 checks (total)", checks.engine.runner.run_checks)
    core.store.RunStore.pages = timed_iter("3a/4 read pages back (SQLite+JSON)",
                                           core.store.RunStore.pages)  # fmt: skip
    checks.load_all()
    for i, check in enumerate(PAGE_CHECKS):
        family = check.__module__.rsplit(".", 1)[-1]
        PAGE_CHECKS[i] = timed(f"3b page checks: {family}", consumed(check))
    for cls in SITE_CHECKS:
        family = cls.__module__.rsplit(".", 1)[-1]
        cls.observe = timed(f"3c site checks: {family} (observe)", cls.observe)
        cls.finish = timed(f"3c site checks: {family} (finish)", consumed(cls.finish))
    reports.writer.write_reports = timed("4 reports (total)", reports.writer.write_reports)
    reports.writer.write_findings_json = timed("4a reports: findings.json",
                                               reports.json_report.write_findings_json)  # fmt: skip
    # the HTML in this process, so that its time is counted here (not in forked children)
    reports.writer.SIDE_BY_SIDE_PAGES = 0
    reports.writer.write_index_report = timed("4b reports: index.html",
                                              reports.html.write_index_report)  # fmt: skip
    reports.writer.write_owner_reports = timed("4c reports: owners' pages",
                                               reports.html.write_owner_reports)  # fmt: skip


def breakdown(total_wall: float, total_cpu: float) -> list[dict]:
    rows = [{"stage": name, "wall_s": round(WALL[name], 2), "cpu_s": round(CPU[name], 2),
             "calls": CALLS[name]} for name in sorted(WALL)]  # fmt: skip
    crawl = WALL.get("1 crawl (total)", 0.0)
    inner = sum(WALL[n] for n in WALL if n.startswith(("1a", "1b", "1c")))
    crawl_cpu = CPU.get("1 crawl (total)", 0.0) - sum(
        CPU[n] for n in CPU if n.startswith(("1a", "1b", "1c"))
    )
    rows.append({"stage": "1d crawl: Scrapy engine + network wait (rest)",
                 "wall_s": round(crawl - inner, 2), "cpu_s": round(crawl_cpu, 2), "calls": 1})  # fmt: skip
    named = sum(WALL[n] for n in WALL if n[0] in "1234" and "total" in n) + WALL.get(
        "2 boilerplate removal", 0.0
    )
    rows.append({"stage": "5 other (start-up, imports, link table, store)",
                 "wall_s": round(total_wall - named, 2), "cpu_s": None, "calls": 1})  # fmt: skip
    rows.append({"stage": "TOTAL", "wall_s": round(total_wall, 2), "cpu_s": round(total_cpu, 2),
                 "calls": 1})  # fmt: skip
    rows.sort(key=lambda r: r["stage"])
    return rows


def main(argv: list[str] | None = None) -> int:
    import argparse

    started_wall, started_cpu = time.perf_counter(), time.process_time()
    parser = argparse.ArgumentParser(prog="python -m bench.stages")
    parser.add_argument("--config", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--json", type=Path, help="write the breakdown here too")
    args = parser.parse_args(argv)
    install()
    import content_audit.cli as run_audit

    # The timers see this process only, and an audit normally runs the content checks in a
    # second process (checks.engine.background). Profile with every check here, one after another:
    # each check costs the same CPU in either process; the crawl's figures are unchanged.
    config = Path(args.config)
    text = config.read_text(encoding="utf-8")
    if "[checks]" not in text:
        config = Path(args.out).with_suffix(".serial.toml")
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(text + "\n[checks]\nparallel = false\n", encoding="utf-8")
    code = run_audit.main(["--config", str(config), "--out", args.out])
    rows = breakdown(time.perf_counter() - started_wall, time.process_time() - started_cpu)
    print("\nStage breakdown (wall s, CPU s of this process, calls):")
    for r in rows:
        cpu = "-" if r["cpu_s"] is None else f"{r['cpu_s']:.2f}"
        print(f"  {r['stage']:<50} {r['wall_s']:>8.2f} {cpu:>8} {r['calls']:>7}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
