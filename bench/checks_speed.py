"""Micro-benchmark of the content checks: ms per page for every page check and site check.

    python -m bench.checks_speed [--pages 500] [--repeat 3] [--dump findings.json]

Builds ``--pages`` pages with the benchmark site generator (bench/sitegen.py), adds the
sample site's pages (planted defects) and the spelling corpus wrapped in HTML, extracts them
with crawler.extract.extract_page (not timed, apart from its own line), then runs every page
check and every site check's observe/finish over them, timing each one. ``--dump`` writes
every finding (and the figures the checks store on pages) as JSON, so two versions of the
checks can be compared for identical output.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SITE = "https://www.example-trust.nhs.uk"


def _html_sources(n: int) -> list[tuple[str, str]]:
    from bench import sitegen

    _specs, files, _truth = sitegen.build(n, "http://127.0.0.2:8081")
    out = [(SITE + path, text) for path, text in files.items() if path.endswith((".html", "/"))]
    out = out[:n]
    sample = ROOT / "sample" / "site"
    for file in sorted(sample.rglob("*.html")):
        out.append(
            (
                SITE + "/sample/" + str(file.relative_to(sample)),
                file.read_text("utf-8", errors="replace"),
            )
        )
    corpus = ROOT / "tests" / "corpus" / "spelling"
    for file in sorted(corpus.glob("*.txt")):
        paras = [p for p in file.read_text("utf-8").split("\n\n") if p.strip()]
        body = "".join(f"<p>{p}</p>" for p in paras)
        html = (
            f"<!doctype html><html lang='en-GB'><head><title>{file.stem}</title></head><body>"
            f"<main><h1>{file.stem}</h1>{body}</main></body></html>"
        )
        out.append((SITE + "/corpus/" + file.stem + ".html", html))
    out += _stress_pages()
    return out


def _stress_pages() -> list[tuple[str, str]]:
    """Pages dense with what the checks look for, so a changed result shows in --dump."""
    import html as html_lib
    import random
    import tomllib

    rng = random.Random(7)
    data = tomllib.loads((ROOT / "checks" / "data" / "plain_english.toml").read_text("utf-8"))
    terms = list(data.get("words", {})) + list(data.get("verbs", {}))
    extras = [
        "Call 0113 843 1909 or 0800 123 4567, tel: 01234 56789, Tel. 111, mob: 07700 900123.",
        "Open 9am - 5pm, 09:00-17:00, Mon-Fri, 12 noon, 1700hrs, Tues 3 March 2026.",
        "Hello {{ name }} and ${value} and {0} and %s, lorem ipsum dolor, TODO, [insert date].",
        "Price: £NaN, undefined undefined, call us on null, Opening times: undefined.",
        "Page last reviewed: 6 August 2025. Next review due: November 2026.",
        "Email john..smith@nhs.net or appointments@northdale-nhs or help@nhs.con today.",
        "We will impact the key priorities and deliver high quality services to foster trust.",
        "Our agenda is set, our dialogue open; this is key to success. e.g. Dr. Smith said so.",
        "The color of the pediatric center was analyzed; we recieve accomodation requests.",
    ]
    pages = []
    for k in range(4):
        paras = []
        rng.shuffle(terms)
        for i in range(0, len(terms), 6):
            chunk = terms[i : i + 6]
            bits = []
            for j, t in enumerate(chunk):
                form = [t, t.capitalize(), t.upper(), f"({t})", t + "s", t + "ed", t + "ing"][
                    (i + j + k) % 7
                ]
                bits.append(f"You may {form} this")
            paras.append(". ".join(bits) + ". " + rng.choice(extras))
        paras += extras
        body = "".join(f"<p>{html_lib.escape(p)}</p>" for p in paras)
        body += "<ul>" + "".join(f"<li>{html_lib.escape(e)}</li>" for e in extras) + "</ul>"
        page = (
            f"<!doctype html><html lang='en-GB'><head><title>Stress {k} {{{{ x }}}}</title>"
            f"</head><body><header><p>{html_lib.escape(extras[k])}</p></header>"
            f"<main><h1>Stress {k}</h1>{body}</main></body></html>"
        )
        pages.append((SITE + f"/stress/{k}.html", page))
    return pages


def build_pages(n: int):
    from content_audit.core.model import Page
    from content_audit.crawler.extract import extract_page

    sources = _html_sources(n)
    started = time.perf_counter()
    pages = [extract_page(Page(url=u, final_url=u, status=200), h) for u, h in sources]
    return pages, time.perf_counter() - started


def clear_memos() -> None:
    """Empty the checks' per-text memos (lru_caches of 256 entries or more; data loaded
    once per process stays), so every timed run starts as an audit process does."""
    for name, module in list(sys.modules.items()):
        if not name.startswith(("checks", "core")):
            continue
        for value in list(vars(module).values()):
            info = getattr(value, "cache_info", None)
            if info is not None and (info().maxsize or 0) >= 256:
                value.cache_clear()
        memo = getattr(module, "_BLOCKS_MEMO", None)
        if isinstance(memo, dict):
            memo.clear()


def run(pages, timings=None):
    """All checks over `pages`; returns the findings sorted like checks.engine.runner does."""
    from content_audit.checks import load_all
    from content_audit.checks.engine.registry import PAGE_CHECKS, SITE_CHECKS, CheckContext
    from content_audit.core.config import ChecksConfig, Config

    load_all()
    ctx = CheckContext(
        config=ChecksConfig(),
        today=date(2026, 11, 24),
        site_origin=SITE,
        full_config=Config(today="2026-11-24"),
        link_results={},
    )
    t = timings if timings is not None else defaultdict(float)
    clock = time.process_time  # CPU time: steadier than wall time on a busy machine
    site_checks = [cls(ctx) for cls in SITE_CHECKS]
    findings = []
    for page in pages:
        for check in PAGE_CHECKS:
            s = clock()
            findings.extend(check(page, ctx))
            t[f"page  {check.__module__.rsplit('.', 1)[-1]}.{check.__name__}"] += clock() - s
        for sc in site_checks:
            s = clock()
            sc.observe(page)
            t[f"site  {type(sc).__module__.rsplit('.', 1)[-1]}.{type(sc).__name__} observe"] += (
                clock() - s
            )
    for sc in site_checks:
        s = clock()
        findings.extend(sc.finish())
        t[f"site  {type(sc).__module__.rsplit('.', 1)[-1]}.{type(sc).__name__} finish"] += (
            clock() - s
        )
    order = {"error": 0, "warning": 1, "notice": 2}
    findings.sort(
        key=lambda f: (f.url, order.get(f.severity, 3), f.rule, f.target or "", f.text or "")
    )
    return findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.checks_speed")
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    parser.add_argument("--dump", type=Path, help="write findings and page figures as JSON")
    args = parser.parse_args(argv)

    import copy

    pages, extract_s = build_pages(args.pages)
    # warm up: dictionaries, lexicon, textstat data, lru caches built once per process
    warm = copy.deepcopy(pages)
    s = time.perf_counter()
    findings = run(warm)
    first = time.perf_counter() - s
    if args.dump:
        data = {
            "findings": [f.to_dict() if hasattr(f, "to_dict") else vars(f) for f in findings],
            "figures": {p.url: p.figures for p in warm},
        }
        args.dump.write_text(json.dumps(data, indent=1, sort_keys=True, default=str), "utf-8")
    best: dict[str, float] = {}
    for _ in range(args.repeat):
        timings: dict[str, float] = defaultdict(float)
        fresh = copy.deepcopy(pages)
        clear_memos()
        run(fresh, timings)
        for k, v in timings.items():
            best[k] = min(best.get(k, v), v)
    n = len(pages)
    print(f"{n} pages, {len(findings)} findings; first run {first:.2f} s (with loading); "
          f"extract {1000 * extract_s / n:.2f} ms/page")  # fmt: skip
    print(f"{'check':<62} {'ms/page':>8}")
    total = 0.0
    for k in sorted(best):
        total += best[k]
        print(f"{k:<62} {1000 * best[k] / n:>8.3f}")
    print(f"{'TOTAL':<62} {1000 * total / n:>8.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
