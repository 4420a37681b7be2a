"""Per-page cost of extraction, the run store and findings.json, in ms per page.

    python -m bench.extract_speed [--pages 500] [--repeat 3]

Generates a synthetic site (bench/sitegen.py) in a temporary folder, then times, per page:
extract_page, Page.to_dict + json dumps, RunStore.add_page (with commits), reading every page
back (RunStore.pages), boilerplate removal, findings.json and the reports' page summaries.
The best of ``--repeat`` rounds is shown for each step.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.sitegen import write_site  # noqa: E402
from content_audit.core.model import Finding, Page, assign_fingerprints  # noqa: E402
from content_audit.core.store import RunStore  # noqa: E402
from content_audit.crawler.boilerplate import remove_boilerplate  # noqa: E402
from content_audit.crawler.extract import extract_page  # noqa: E402
from content_audit.reports.json_report import page_summary, write_findings_json  # noqa: E402


def _time(fn) -> float:
    start = time.process_time()  # CPU time: steadier than wall time on a busy machine
    fn()
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        truth = write_site(tmp, args.pages, "http://127.0.0.2:8081")
        site = tmp / "site"
        docs = []
        for path in truth["html_pages"]:
            url = "http://127.0.0.1:8080" + path
            docs.append((url, (site / path.lstrip("/")).read_text(encoding="utf-8")))
        n = len(docs)
        best: dict[str, float] = {}

        def record(name: str, seconds: float) -> None:
            best[name] = min(best.get(name, seconds), seconds)

        for round_ in range(args.repeat):
            pages: list[Page] = []

            def extract_all(pages=pages) -> None:
                for url, html in docs:
                    page = Page(url=url, final_url=url, status=200, content_type="text/html")
                    pages.append(extract_page(page, html))

            record("extract_page", _time(extract_all))
            record("to_dict", _time(lambda pages=pages: [p.to_dict() for p in pages]))
            record(
                "to_dict+json",
                _time(
                    lambda pages=pages: [
                        json.dumps(p.to_dict(), ensure_ascii=False, separators=(",", ":"))
                        for p in pages
                    ]
                ),
            )
            store = RunStore(tmp / f"run{round_}.sqlite", fresh=True)

            def add_all(store=store, pages=pages) -> None:
                for p in pages:
                    store.add_page(p)
                store.commit()

            record("store.add_page", _time(add_all))
            record("store.pages", _time(lambda store=store: sum(1 for _ in store.pages())))
            record("boilerplate", _time(lambda store=store: remove_boilerplate(store)))
            record(
                "report summaries",
                _time(lambda store=store: [page_summary(p.to_dict()) for p in store.pages()]),
            )
            # five findings a page, as a real audit of a site in poor shape might have
            findings = [
                Finding(
                    rule, "warning", p.url, "A problem ‘here’", target=p.url + "#x",
                    text=p.title, context=p.main_text[:200],
                    details={"reason": "x", "hops": [(p.url, 301)], "n": i},
                )
                for p in pages
                for i, rule in enumerate(("a", "b", "c", "d", "e"))
            ]  # fmt: skip
            assign_fingerprints(findings)
            out = tmp / f"findings{round_}.json"
            record(
                "findings.json",
                _time(
                    lambda store=store, out=out, findings=findings: write_findings_json(
                        out, {"id": "bench"}, store, findings, summary={}, fixed=[], owners={}
                    )
                ),
            )
            store.close()

    print(f"{n} pages, best of {args.repeat} rounds")
    print(f"{'step':<20} {'ms/page':>9}")
    for name, seconds in best.items():
        print(f"{name:<20} {seconds * 1000 / n:>9.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
