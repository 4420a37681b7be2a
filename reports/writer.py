"""Write every report format for one run into the output folder.

index.html (+ owners/<slug>.html and .csv), findings.json (the contract), findings.csv,
junit.xml, findings.sarif and summary.md; the summary is also appended to the GitHub job
summary when GITHUB_STEP_SUMMARY is set. Renderers are pure: data in, files out.
"""

from __future__ import annotations

import contextlib
import functools
import html
import os
import shutil
import signal
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from content_audit.core.config import Config
from content_audit.core.model import Finding
from content_audit.core.side_by_side import SideBySide
from content_audit.reports.csv_report import write_findings_csv
from content_audit.reports.data import ReportData, build
from content_audit.reports.html import write_index_report, write_owner_reports
from content_audit.reports.json_report import PAGE_FIELDS, page_summary, write_findings_json
from content_audit.reports.junit import write_junit
from content_audit.reports.markdown import render_markdown, render_not_audited
from content_audit.reports.sarif import write_sarif

# what reports.data.build reads of each page (the tables, owners, contacts, readability)
REPORT_PAGE_FIELDS = (
    "url", "title", "status", "word_count", "contacts", "figures", "elapsed_ms",
)  # fmt: skip
REPORT_FILES = ("findings.json", "findings.csv", "junit.xml", "findings.sarif", "summary.md")
# every report a run leaves in the output folder: the files, and the owners' folder
PUBLISHED = (*REPORT_FILES, "index.html", "owners")
# the reports are written here, in the output folder (so that a rename moves them), and
# moved into place only once every one is complete: a run killed while it writes its
# reports leaves the last run's, never some of each
STAGING_NAME = ".reports-being-written"
# in the staging folder once every report is written: from then on the move goes ahead,
# finished by the next run if this one is killed half-way through it
COMPLETE_MARK = ".complete"
# on a site of up to this many pages the HTML is written side by side
# (core.side_by_side): a forked child maps all of this process's memory, which
# resident-memory figures then count twice though it is shared; on a bigger site that
# would set the audit's peak (at 20,000 pages of the bench's site: 718 MiB against 635),
# for a few seconds saved in minutes
SIDE_BY_SIDE_PAGES = 5_000


def write_reports(
    out_dir: Path,
    run: dict[str, Any],
    store: Any,
    findings: list[Finding],
    config: Config,
    review: Any = None,
    pages: list[dict[str, Any]] | None = None,
    *,
    rules: Mapping[str, Any],
) -> dict[str, Path]:
    """``rules`` is the rule catalogue (id -> Rule) the reports explain findings with;
    ``store`` is the run store (anything with ``pages()``); ``review`` a content_audit.gate.Review;
    ``pages``, when given, the pages' ``REPORT_PAGE_FIELDS`` (and maybe more) as
    ``store.page_fields`` gives them (the pipeline reads them once for the gate and here)."""
    final_dir = out_dir
    out_dir = start_staging(final_dir)
    summaries: Any = None
    if pages is None and hasattr(store, "page_fields"):
        # the run store picks the fields out (no full decode): the reports' tables need
        # only these; findings.json reads the full summaries again, one page at a time, so
        # no page's headings and lists are held for the whole site
        pages = list(store.page_fields(REPORT_PAGE_FIELDS))
    elif pages is None:
        pages = summaries = [page_summary(page.to_dict()) for page in store.pages()]
    data = build(run, pages, findings, owners=config.report.owners, review=review, rules=rules)
    del pages  # data.pages has what the reports need
    verdict = getattr(review, "verdict", None)
    paths = {
        "json": out_dir / "findings.json",
        "csv": out_dir / "findings.csv",
        "junit": out_dir / "junit.xml",
        "sarif": out_dir / "findings.sarif",
        "markdown": out_dir / "summary.md",
    }
    # the HTML (the slowest to write) in two child processes, while this one writes
    # findings.json, junit.xml and summary.md: three about equal shares for two cores. With
    # owners, the site's report and the SARIF in one child, the owners' reports (together
    # as long as the site's) and findings.csv in the other. Without, the site's report
    # alone in one, the SARIF and findings.csv in the other: on the 2,000-page bench the
    # site's report took 0.43 s, the SARIF 0.2 s and findings.csv 0.14 s, and the first
    # child, with both of the first two, ended 0.2 s after everything else
    fork = len(data.pages) <= SIDE_BY_SIDE_PAGES
    if data.owners_configured:
        first = functools.partial(_index_and_sarif, out_dir, data, run, paths["sarif"])
        second = functools.partial(_owners_and_csv, out_dir, data, paths["csv"])
    else:
        first = functools.partial(write_index_report, out_dir, data)
        second = functools.partial(_sarif_and_csv, data, run, paths["sarif"], paths["csv"])
    side_by_side = [SideBySide(first, fork=fork), SideBySide(second, fork=fork)]
    try:
        write_findings_json(
            paths["json"],
            run,
            store,
            findings,
            summary=data.summary,
            fixed=data.fixed,
            verdict=data.verdict,
            accepted=getattr(review, "accepted", None) or {},
            owners={p["url"]: p["owner"] for p in data.pages},
            page_summaries=summaries
            if summaries is not None
            else store.page_fields((*PAGE_FIELDS, "headings"), counts=("links", "images")),
        )
        write_junit(
            paths["junit"],
            run,
            data.pages,
            data.findings,
            failing=set(verdict.failing) if verdict is not None else None,
            fail_on=config.report.fail_on,
        )
        summary = render_markdown(data, report_hint())
        paths["markdown"].write_text(summary, encoding="utf-8")
        for written in side_by_side:
            paths.update(written.result())
    except BaseException:
        # the children write into the staging folder too: wait for them, so that the next
        # run clears it of this one's part-written reports while nothing writes there
        for written in side_by_side:
            with contextlib.suppress(BaseException):
                written.result()
        raise
    publish(final_dir)
    append_step_summary(summary)
    return {key: final_dir / path.relative_to(out_dir) for key, path in paths.items()}


def _index_and_sarif(
    out_dir: Path, data: ReportData, run: dict[str, Any], sarif_path: Path
) -> dict[str, Path]:
    """The site's report, then findings.sarif: about as long to write, together, as the
    owners' reports or the other formats."""
    written = write_index_report(out_dir, data)
    write_sarif(sarif_path, run, data.findings, data.rules)
    return written


def _sarif_and_csv(
    data: ReportData, run: dict[str, Any], sarif_path: Path, csv_path: Path
) -> dict[str, Path]:
    """findings.sarif and findings.csv, when there are no owners' reports to write."""
    write_sarif(sarif_path, run, data.findings, data.rules)
    write_findings_csv(csv_path, data.findings)
    return {}


def _owners_and_csv(out_dir: Path, data: ReportData, csv_path: Path) -> dict[str, Path]:
    """Each owner's report and spreadsheet, then the whole site's spreadsheet."""
    written = write_owner_reports(out_dir, data)
    write_findings_csv(csv_path, data.findings)
    return written


def report_hint() -> str:
    """Where to find the full report: this run's artifacts on GitHub, else the folder."""
    where = "The full report is index.html in the report folder"
    server, repo, run_id = (
        os.environ.get(k, "") for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")
    )
    if server.startswith("https://") and repo and run_id.isdigit():
        where += (
            f" ([download it from this run's artifacts]({server}/{repo}/actions/runs/{run_id}))"
        )
    return where + "; each section's own report is in its owners folder."


def append_step_summary(text: str) -> None:
    """Append to the GitHub Actions job summary when running there."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    try:
        with open(target, "a", encoding="utf-8") as out:
            out.write(text.rstrip("\n") + "\n\n")
    except OSError:
        pass  # a summary we cannot write must not fail the audit


def not_audited(out_dir: Path, message: str) -> str:
    """The site could not be audited: say so in summary.md and index.html, remove the
    previous run's reports (they would look current), and return the message."""
    staging = start_staging(out_dir)
    summary = render_not_audited(message)
    (staging / "summary.md").write_text(summary, encoding="utf-8")
    (staging / "index.html").write_text(
        '<!doctype html><html lang="en-GB"><head><meta charset="utf-8">'
        "<title>Content audit: not audited</title></head><body>"
        "<h1>The site could not be audited</h1>"
        f"<p>{html.escape(message)}</p><p>No findings were produced. The web team has "
        "been told by the failed run.</p></body></html>\n",
        encoding="utf-8",
    )
    publish(out_dir)
    append_step_summary(summary)
    return message


def start_staging(out_dir: Path) -> Path:
    """An empty staging folder in ``out_dir`` for this run's reports. A move into place
    that a killed run left half-done is finished first (its reports were complete), so
    the folder never stays with the reports of two runs; reports a killed run left
    half-written are thrown away."""
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = out_dir / STAGING_NAME
    if (staging / COMPLETE_MARK).exists():
        publish(out_dir)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    return staging


def publish(out_dir: Path) -> None:
    """Move the complete reports in the staging folder into ``out_dir`` in place of the
    last run's, and remove those of the last run's reports this run has not written.

    Each file is replaced with one rename; the owners' folder is swapped with two. First
    the staging folder is marked complete with the list of what it holds, so that a run
    killed between these renames (a few microseconds) has the move finished by the next
    run (``start_staging``); every step can be done again. Ctrl-C and termination wait
    until the renames are done."""
    staging = out_dir / STAGING_NAME
    mark = staging / COMPLETE_MARK
    if mark.exists():  # a move a killed run began: what it was to publish
        written = set(mark.read_text(encoding="utf-8").split())
    else:
        written = {name for name in PUBLISHED if (staging / name).exists()}
        mark.write_text("".join(f"{name}\n" for name in sorted(written)), encoding="utf-8")
    with _signals_held():
        for name in PUBLISHED:
            new, old = staging / name, out_dir / name
            if name == "owners":
                _swap_folder(new if name in written else None, old, staging / ".owners-replaced")
            elif new.exists():
                _move(new, old)
            elif name not in written:
                old.unlink(missing_ok=True)
        mark.unlink()
    shutil.rmtree(staging, ignore_errors=True)


def _swap_folder(new: Path | None, old: Path, aside: Path) -> None:
    """Put the folder ``new`` (or nothing) where ``old`` is, moving ``old`` to ``aside``;
    ``aside`` once made says the first step is done."""
    if not aside.exists():
        if old.is_dir():
            _move(old, aside)
        else:
            old.unlink(missing_ok=True)
            aside.mkdir()
    if new is not None and new.exists():
        _move(new, old)


def _move(source: Path, target: Path) -> None:
    """One rename of the move into place (one name for the tests to stop it at)."""
    os.replace(source, target)


@contextlib.contextmanager
def _signals_held() -> Any:
    """Ctrl-C, hang-up and termination wait until the block is done (POSIX)."""
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
