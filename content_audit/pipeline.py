"""The audit, stage by stage: crawl -> pages and link results -> checks -> findings ->
reports -> exit status. Data flows one way; each stage has one home.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from content_audit.baseline import BaselineRequest
from content_audit.core.config import PARALLEL_FROM_PAGES, Config, ConfigError
from content_audit.core.lifetime import usable_cpus
from content_audit.core.model import Finding
from content_audit.core.previous import STORE_NAME, PreviousRun, extraction_key
from content_audit.core.side_by_side import SideBySide
from content_audit.core.store import RunStore, early_links_path, notes_path
from content_audit.core.urls import Scope, normalise, origin
from content_audit.gate import REVIEW_FIELDS, gate  # noqa: F401  (gate: moved to content_audit.gate; kept importable here)

if TYPE_CHECKING:
    from content_audit.crawler.revalidate import Revalidation

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_NOT_AUDITED = 2


@dataclass(slots=True)
class RunResult:
    exit_code: int
    out_dir: Path
    message: str
    run: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    review: Any = None  # content_audit.gate.Review: verdict, changes since the last run, baseline

    @property
    def counts(self) -> Counter[str]:
        return Counter(f.severity for f in self.findings)


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _start_problem(config: Config, store: RunStore, complete: bool = True) -> str | None:
    """Why the site could not be audited at all, or None when it was. ``complete``: the
    crawl ran to its end (a start page it never fetched was then refused by robots.txt)."""
    problems = []
    failed = []  # start URLs that answered with an error or not at all: each is fatal
    scope = Scope(config.site.start_urls, config.site.allowed_hosts)
    for url in config.site.start_urls:
        fetch = store.fetch(normalise(url, config.site.ignore_query_params))
        if fetch is None and not complete:
            problems.append(f"{url}: not fetched before the crawl was stopped")
        elif fetch is None:
            problems.append(
                f"{url}: not requested (robots.txt forbids it, or answered with a server "
                "error, which means 'crawl nothing')"
            )
        elif fetch.status == 0:
            failed.append(f"{url}: {fetch.error_detail or fetch.error}")
        elif fetch.status >= 400:
            failed.append(f"{url}: the server answered {fetch.status}")
        elif fetch.final_url and not scope.is_site(fetch.final_url):
            failed.append(
                f"{url} redirects to {fetch.final_url}, another site; give that address as "
                "the start URL, or add its host to site.allowed_hosts"
            )
    problems = failed + problems
    if store.page_count() == 0:
        return "no pages could be crawled. " + "; ".join(problems)
    if not store.has_readable_page():
        return "no page of the site answered with readable HTML. " + "; ".join(problems)
    if failed:  # the rest of the site was crawled, but not all of what was asked for
        return "a start URL could not be audited. " + "; ".join(failed)
    return None


def check_context(config: Config, link_results: Any = None) -> Any:
    """What the checks may know besides the pages (checks.engine.registry.CheckContext)."""
    from content_audit.checks.engine.registry import CheckContext

    return CheckContext(
        config=config.checks,
        today=config.today_date(),
        site_origin=origin(config.site.start_urls[0]),
        site_hosts=frozenset(config.site.allowed_hosts),
        full_config=config,
        link_results=link_results,
    )


LOCK_NAME = ".content-audit.lock"


class FolderBusy(Exception):
    """Another audit is writing to the same output folder."""


def lock_output(out_dir: Path) -> Any:
    """Hold the output folder for this run: two audits writing one folder left one dead
    with "database is locked" and the reports of both mixed. The lock goes with the
    process (a killed run leaves none behind). Returns the open lock file, to keep."""
    out_dir.mkdir(parents=True, exist_ok=True)
    handle = open(out_dir / LOCK_NAME, "a+")  # noqa: SIM115 - held for the whole run
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        return handle
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        handle.close()
        raise FolderBusy(
            f"another audit is writing to {out_dir}; wait for it to finish, or give "
            "this one another --out folder"
        ) from exc
    return handle


def run(config: Config, write_baseline: BaselineRequest | None = None) -> RunResult:
    """Run one audit end to end and write its reports into ``config.out_dir``; refused
    (exit 2, the folder untouched) while another audit writes there. ``write_baseline``:
    accept every finding of this run in a new baseline file, before the reports are
    written, so that they show the run as the next one with that baseline will see it."""
    try:
        lock = lock_output(config.out_dir)
    except FolderBusy as exc:
        return RunResult(EXIT_NOT_AUDITED, config.out_dir, f"Not audited: {exc}.")
    try:
        return _run(config, write_baseline)
    finally:
        lock.close()


def _run(config: Config, write_baseline: BaselineRequest | None = None) -> RunResult:
    """Run one audit end to end and write its reports into ``config.out_dir``."""
    from content_audit.checks.engine.runner import results_key
    from content_audit.gate import ReviewStage
    from content_audit.reports.writer import not_audited

    out_dir = config.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    started = _now()
    try:
        # loads the baseline, opens the history
        review_stage = ReviewStage(config, started, write_baseline)
    except ConfigError as exc:
        return RunResult(
            EXIT_NOT_AUDITED, out_dir, not_audited(out_dir, f"Configuration error: {exc}")
        )
    key = extraction_key(config.site.main_selector)
    results = results_key(check_context(config))
    previous = (
        PreviousRun.take_over(out_dir, key, results) if config.crawl.reuse_unchanged else None
    )
    asking = _revalidate_ahead(config, previous)
    from content_audit.crawler.runner import (
        run_crawl,  # importing Scrapy overlaps the child's requests
    )

    # with a last run, this run goes on in its store (core.store.hand_over)
    store = RunStore(out_dir / STORE_NAME, fresh=previous is None)
    store.set_meta("extraction", key)  # whose page records these are (core.previous)
    store.set_meta("results", results)  # and whose check results (checks.engine.runner)
    background = _BackgroundStarter(config, store)
    try:
        outcome = run_crawl(
            config, store, on_pages=background.on_pages, previous=previous, asking=asking
        )
    except Exception as exc:  # the crawl machinery itself failed
        # the reason goes into the report's one line; the traceback only with --verbose
        log.error("crawl failed: %s", exc, exc_info=log.isEnabledFor(logging.INFO))
        review_stage.abandon()
        background.stop()
        return RunResult(
            EXIT_NOT_AUDITED, out_dir, not_audited(out_dir, f"The crawl failed: {exc}")
        )
    finally:
        if previous is not None:
            previous.close()
            store.forget_last_run()  # the store holds every page of it that is still there
    problem = _start_problem(config, store, outcome.complete)
    if problem:
        store.close()
        review_stage.abandon()
        background.stop()
        return RunResult(
            EXIT_NOT_AUDITED,
            out_dir,
            not_audited(out_dir, f"The site could not be audited: {problem}"),
        )

    return _analyse(config, store, outcome, started, review_stage, background.worker)


def _revalidate_ahead(
    config: Config, previous: PreviousRun | None
) -> SideBySide[Revalidation] | None:
    """Ask the server about the last run's pages (crawler.revalidate) in a forked child,
    started before this process imports Scrapy (0.8 s), which it does meanwhile. Forked
    here, while this process has no thread; the child reads the last run's store through
    a connection of its own."""
    if previous is None:
        return None
    path = previous.path

    def ask() -> Revalidation:
        from content_audit.crawler.revalidate import revalidate

        last = PreviousRun(path)
        try:
            return revalidate(config, last.conditional_pages(), last.error_pages())
        finally:
            last.close()

    return SideBySide(ask)


SPLIT_FROM_CPUS = 2  # the content checks in two workers only with this many CPUs or more
# a re-run that took at least this share of the pages it asked about unchanged (before the
# crawl: crawler.revalidate) checks in one worker: what is left to check is little, and
# a second worker's start (an interpreter, the checks, their dictionaries) is not repaid
ONE_WORKER_FROM_UNCHANGED = 0.5


def split_content_checks(unchanged_share: float = 0.0) -> bool:
    """Whether the content checks run in two workers (page checks, site checks) or one.
    Two, from two CPUs up: on the 2,000-page bench (two CPUs) eight interleaved pairs of
    full audits, two workers against one, took 39.9/40.8, 37.0/38.9, 30.9/36.4, 31.3/30.5,
    23.9/28.7, 23.2/26.5, 20.3/20.9 and 21.2/21.8 s (the machine sped up as they ran; each
    pair's order alternated by set). With one CPU, one worker: a second would only read
    every page and load its checks once more. One also on a re-run that takes most pages
    unchanged (``unchanged_share``, ONE_WORKER_FROM_UNCHANGED): 1%-changed re-runs of the
    bench, three sets of interleaved pairs, two workers against one: medians 3.48/3.17 s
    (CPU 5.24/4.71 s; one quicker in 6 of 8), 2.77/2.84 s (4.20/4.06; 4 of 8) and
    3.62/3.57 s (5.61/5.25; 7 of 10): less CPU, and no slower."""
    if unchanged_share >= ONE_WORKER_FROM_UNCHANGED:
        return False
    return usable_cpus() >= SPLIT_FROM_CPUS


class _BackgroundStarter:
    """Starts the content checks in a worker process, or two (``split_content_checks``;
    checks.engine.background) once the crawl has found enough pages to be worth it; a small site
    is checked here after the crawl, sooner than a worker could start."""

    def __init__(self, config: Config, store: RunStore) -> None:
        self.config = config
        self.store = store
        self.worker: Any = None
        self.tried = False

    def on_pages(self, crawled: int) -> None:
        if self.tried or crawled < PARALLEL_FROM_PAGES or not self.config.checks.parallel:
            return
        self.tried = True
        from content_audit.checks.engine.background import BackgroundChecks, SplitChecks

        self.store.commit()  # what is crawled so far is there to read
        asked = self.store.meta("revalidation") or {}  # a re-run's, before the crawl
        unchanged_share = asked.get("unchanged", 0) / max(asked.get("asked", 0), 1)
        try:
            if split_content_checks(unchanged_share):
                self.worker = SplitChecks(self.store.path, check_context(self.config))
            else:
                self.worker = BackgroundChecks(self.store.path, check_context(self.config))
        except Exception:  # no second process: the checks run here after the crawl
            log.warning("could not start the content-check worker", exc_info=True)

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()


def _run_checks(config: Config, store: RunStore, background: Any) -> list[Finding]:
    """Every check over every page. With a background worker, this process collects what
    it found (the content checks, and most pages' link checks, made during the crawl) and
    checks the rest of the links; without one (or if it failed), it runs them all."""
    from content_audit.checks.engine.link_reuse import for_link_checks
    from content_audit.checks.engine.runner import (
        FAILED_CHECKS,
        finalise,
        keep_results,
        run_checks,
    )

    FAILED_CHECKS.clear()  # one run's failures: not an earlier run's in this process

    def answers() -> dict[str, Any]:
        return {fetch.url: for_link_checks(fetch) for fetch in store.fetches()}

    if background is None:
        return run_checks(store, check_context(config, answers()))
    # the workers first: one has checked most pages' links during the crawl already
    # (checks.engine.early_links), and those findings are taken where the final answers
    # confirm them
    content = background.collect()
    # every answer, read once the workers have ended: held while they still run, they
    # were the main process's part of the audit's peak memory (at 20,000 pages, 28,000
    # answers, about 30 MiB)
    ctx = check_context(config, answers())
    early = (
        store.take_kept(early_links_path(store.path), "link_findings")
        if content is not None
        else None
    )
    findings = run_checks(store, ctx, phase="after_crawl", early_links=early)
    if content is None:  # the worker failed: check here, lose nothing
        notes_path(store.path).unlink(missing_ok=True)  # what it wrote may be partial
        early_links_path(store.path).unlink(missing_ok=True)
        findings += run_checks(store, ctx, phase="content")
    else:
        FAILED_CHECKS.update(content.failed or {})  # checks that raised in the worker
        store.set_figures(content.figures)
        keep_results(store, content.findings, content.kept, content.notes)
        store.take_site_notes(notes_path(store.path))  # the worker wrote them there
        findings += content.findings
    return finalise(findings, ctx, store.page_count())


def _analyse(
    config: Config,
    store: RunStore,
    outcome: Any,
    started: str,
    review_stage: Any,
    background: Any = None,
) -> RunResult:
    """Everything after the crawl: checks, history and gate, reports, exit status."""
    from content_audit.checks.engine.registry import RULES, checks_that_cannot_run
    from content_audit.checks.engine.runner import failures_as_not_run
    from content_audit.crawler.boilerplate import remove_boilerplate
    from content_audit.reports.writer import REPORT_PAGE_FIELDS, write_reports

    out_dir = config.out_dir
    remove_boilerplate(store)
    findings = _run_checks(config, store, background)
    complete, finish_reason = outcome.complete, outcome.finish_reason
    past_limit = getattr(outcome, "page_limit_skipped", 0)
    if past_limit and complete and not config.site.partial_ok:
        # part of the site was not audited: never a pass (exit 2), and nothing "fixed"
        complete = False
        finish_reason = page_limit_reason(config.site.max_pages, past_limit)
    run_meta = {
        "started": started,
        "finished": _now(),
        "start_urls": config.site.start_urls,
        "pages_crawled": outcome.pages_crawled,
        "links_checked": outcome.links_checked,
        "pages_unreachable": outcome.pages_unreachable,
        "complete": complete,
        "finish_reason": finish_reason,
        # pages found past site.max_pages and not audited (the history counts nothing as
        # fixed after such a run, and the next compares with the last full one)
        "pages_past_limit": past_limit,
        "today": config.today_date().isoformat(),
        "skipped_as_traps": outcome.trap_skipped,
        "skipped_by_limits": outcome.limit_skipped,
        # 304 to a conditional request, or an error page that sent the same bytes: not re-read
        "pages_unchanged": outcome.unchanged,
        "link_cache": store.meta("link_cache", {}),  # results reused from earlier runs
        # rules that are on but could not run here (a dictionary not installed): the run
        # says so and does not pass, rather than look clean
        "checks_not_run": checks_that_cannot_run(config.checks.disable) + failures_as_not_run(),
    }
    # history (new / persisting / fixed), baseline and the gate verdict, then the reports;
    # each reads a few fields of every page's summary: read once, for both
    pages = list(store.page_fields(tuple(dict.fromkeys((*REVIEW_FIELDS, *REPORT_PAGE_FIELDS)))))
    review = review_stage.review(run_meta, store, findings, pages=pages)
    write_reports(
        out_dir, run_meta, store, findings, config, review=review, pages=pages, rules=RULES
    )
    del pages
    review_stage.finish(complete and not past_limit, run_meta["finished"])
    store.close()
    if not complete:
        return RunResult(
            EXIT_NOT_AUDITED,
            out_dir,
            f"The crawl stopped early ({finish_reason}); the reports are incomplete.",
            run_meta,
            findings,
            review,
        )
    if review.verdict.exit_code == EXIT_NOT_AUDITED:
        message = review.verdict.headline + "."
    else:
        message = "Audit complete. " + review.verdict.headline + "."
    return RunResult(review.verdict.exit_code, out_dir, message, run_meta, findings, review)


def page_limit_reason(max_pages: int, past_limit: int) -> str:
    """Why a run stopped by site.max_pages does not count as an audit of the site."""
    return (
        f"the page limit was reached: site.max_pages is {max_pages:,}, and {past_limit:,} "
        f"more page{'s were' if past_limit != 1 else ' was'} found and not audited; raise "
        "it, or set site.partial_ok = true to judge a sample of the site"
    )


def merge(
    config: Config, shard_dirs: list[Path], write_baseline: BaselineRequest | None = None
) -> RunResult:
    """``_merge``, holding the output folder (``lock_output``) while it writes there."""
    try:
        lock = lock_output(config.out_dir)
    except FolderBusy as exc:
        return RunResult(EXIT_NOT_AUDITED, config.out_dir, f"Not audited: {exc}.")
    try:
        return _merge(config, shard_dirs, write_baseline)
    finally:
        lock.close()


def _merge(
    config: Config, shard_dirs: list[Path], write_baseline: BaselineRequest | None = None
) -> RunResult:
    """One report and one history from several shard runs of one site.

    Each shard crawled part of the site (a section, a sitemap part) into its own output
    folder; their run stores are combined and the checks run once over the whole, so
    site-wide rules (duplicates, consistency, repeated placeholders) see every page, as in
    a single run."""
    from content_audit.crawler.runner import CrawlOutcome
    from content_audit.gate import ReviewStage
    from content_audit.reports.writer import not_audited

    out_dir = config.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    started = _now()
    store = RunStore(out_dir / STORE_NAME, fresh=True)
    outcomes = []
    for shard in shard_dirs:
        path = Path(shard) / STORE_NAME
        if Path(shard).resolve() == out_dir.resolve() or not path.is_file():
            store.close()
            message = f"{shard} is not the output folder of a finished shard (no run.sqlite)"
            return RunResult(EXIT_NOT_AUDITED, out_dir, not_audited(out_dir, message))
        part = RunStore(path)
        outcomes.append(part.meta("crawl") or {"finish_reason": "unknown"})
        store.merge_from(part)
        part.close()
    if store.page_count() == 0:
        store.close()
        return RunResult(
            EXIT_NOT_AUDITED, out_dir, not_audited(out_dir, "The shards hold no pages.")
        )
    if not config.site.start_urls:  # the site the shards audited
        config.site.start_urls = list(outcomes[0].get("start_urls") or [])
    unfinished = [o.get("finish_reason") for o in outcomes if o.get("finish_reason") != "finished"]
    outcome = CrawlOutcome(
        pages_crawled=store.page_count(),
        links_checked=store.fetch_count("link"),
        finish_reason=unfinished[0] if unfinished else "finished",
        trap_skipped=sum(o.get("trap_skipped", 0) for o in outcomes),
        limit_skipped=sum(o.get("limit_skipped", 0) for o in outcomes),
        page_limit_skipped=sum(o.get("page_limit_skipped", 0) for o in outcomes),
        pages_unreachable=sum(o.get("pages_unreachable", 0) for o in outcomes),
    )
    try:
        review_stage = ReviewStage(config, started, write_baseline)
    except ConfigError as exc:
        store.close()
        return RunResult(
            EXIT_NOT_AUDITED, out_dir, not_audited(out_dir, f"Configuration error: {exc}")
        )
    return _analyse(config, store, outcome, started, review_stage)
