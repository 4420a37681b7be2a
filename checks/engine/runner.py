"""Run the enabled checks over pages, one page at a time.

Checks come in two phases: the *content* checks need only the page itself, so they may run
while the crawl is still going (see checks.engine.background); the *after-crawl* checks read the
crawl's link results, complete only when the crawl has ended. ``run_checks`` runs both in
this process, one after the other.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, Literal

from content_audit.checks import load_all
from content_audit.checks.engine.link_reuse import LinkDigest, reuse_key
from content_audit.checks.engine.registry import (
    PAGE_CHECKS,
    RULES,
    SITE_CHECKS,
    CheckContext,
    SiteCheck,
    declared_rules,
    is_active,
    runs_after_crawl,
)
from content_audit.checks.engine.template_wide import group_template_findings
from content_audit.core import __version__
from content_audit.core.code_digest import code_digest
from content_audit.core.lifetime import usable_cpus
from content_audit.core.model import Finding, Page, assign_fingerprints
from content_audit.core.records import decode_page
from content_audit.core.side_by_side import SideBySide
from content_audit.core.store import RunStore

log = logging.getLogger(__name__)

Phase = Literal["all", "content", "after_crawl"]
Part = Literal["all", "pages", "site"]  # of a phase's checks: page checks, site checks, both


def _in_phase(check: Any, phase: Phase) -> bool:
    if phase == "all":
        return True
    return runs_after_crawl(check) == (phase == "after_crawl")


def _apply_settings(findings: Iterable[Finding], ctx: CheckContext) -> list[Finding]:
    disabled = set(ctx.config.disable)
    kept = []
    for finding in findings:
        if finding.rule in disabled:
            continue
        override = ctx.config.severity.get(finding.rule)
        if override:
            finding.severity = override  # type: ignore[assignment]
        kept.append(finding)
    return kept


def check_page(
    page: Page, ctx: CheckContext, phase: Phase = "all", reusable: bool | None = None
) -> list[Finding]:
    """The page checks of one phase on one page (only the reusable ones, or only the
    others, when ``reusable`` says so). A failing check is logged, never fatal."""
    found: list[Finding] = []
    disabled = ctx.config.disable
    for check in PAGE_CHECKS:
        if not _in_phase(check, phase) or not is_active(check, disabled):
            continue
        if reusable is not None and bool(getattr(check, "reusable", False)) != reusable:
            continue
        try:
            found.extend(check(page, ctx))
        except Exception:
            log.exception("check %s failed on %s", check.__name__, page.url)
            note_failure(check)
    return found


# checks that raised in this process (a bug): name -> the rules they report. A check that
# failed checked less than it should, so the run must not pass (content_audit.pipeline)
FAILED_CHECKS: dict[str, list[str]] = {}


def note_failure(check: Any) -> None:
    name = getattr(check, "__name__", None) or type(check).__name__
    FAILED_CHECKS[name] = sorted(declared_rules(check))


def failures_as_not_run() -> list[dict[str, Any]]:
    """The failed checks as ``run.checks_not_run`` entries."""
    return [
        {"rules": rules, "why": f"the {name} check stopped with an error (run with -v to see it)"}
        for name, rules in sorted(FAILED_CHECKS.items())
    ]


LINK_BATCH = 500  # pages' link findings written to the store at a time

# where one page's reusable results lie in CheckRun.findings: url, start, end, figures
Kept = tuple[str, int, int, dict[str, Any]]
# one page's notes of the reusable site checks, by check: url, {check name: note}
Notes = tuple[str, dict[str, Any]]


class CheckRun:
    """One phase of the checks over a stream of pages: feed pages in crawl order, then
    finish. Keeps the findings and each page's figures (reading age and so on).

    ``earlier(url)`` gives the last run's results of the reusable page checks for a page
    that has not changed since (``RunStore.page_result``), or None: those checks are then
    not run again. ``kept`` says where this run's own results of them are, to store.
    ``earlier_notes(url)`` and ``notes`` do the same for the reusable site checks' notes
    (``RunStore.site_notes``); with ``note_sink``, each page's new notes go there as they
    are made instead of into ``notes``. With ``links`` (checks.engine.link_reuse),
    ``earlier_links(url)`` and ``link_kept`` do it for the after-crawl checks' findings,
    which are taken only while the answers of the page's link targets are the same; with
    ``link_sink``, they go there a batch at a time (not held for the whole site)."""

    def __init__(
        self,
        ctx: CheckContext,
        phase: Phase = "all",
        earlier: Callable[[str], dict[str, Any] | None] | None = None,
        part: Part = "all",
        earlier_notes: Callable[[str], dict[str, Any] | None] | None = None,
        note_sink: Callable[[str, dict[str, Any]], None] | None = None,
        links: LinkDigest | None = None,
        earlier_links: Callable[[str], dict[str, Any] | None] | None = None,
        link_sink: Callable[[list[tuple[str, dict[str, Any]]]], None] | None = None,
        early_links: Collection[str] | None = None,
    ) -> None:
        load_all()
        self.ctx = ctx
        self.phase = phase
        self.part = part  # the page checks, the site checks, or both
        self.site_checks = (
            [
                cls(ctx)
                for cls in SITE_CHECKS
                if _in_phase(cls, phase) and is_active(cls, ctx.config.disable)
            ]
            if part != "pages"
            else []
        )
        self.findings: list[Finding] = []
        self.figures: dict[str, dict[str, Any]] = {}
        self.earlier = earlier if phase != "after_crawl" else None
        self.kept: list[Kept] = []
        self.reused = 0  # pages whose reusable results came from the last run
        self.earlier_notes = earlier_notes if phase != "after_crawl" else None
        self.notes: list[Notes] = []
        self.note_sink = note_sink
        self.reused_notes = 0  # pages whose site checks' notes came from the last run
        self.links = links if phase != "content" else None
        self.earlier_links = earlier_links if self.links is not None else None
        self.link_kept: list[tuple[str, dict[str, Any]]] = []
        self.link_sink = link_sink
        self.reused_links = 0  # pages whose link findings came from the last run
        self.checked_links = 0  # pages whose links were checked here
        # pages whose kept link findings were made while the crawl went on
        # (checks.engine.early_links), not by the last run
        self.early_links = early_links if self.links is not None else None
        self.taken_early = 0  # pages whose link findings came from those
        # every content page check keeps its results: an unchanged page need not be read
        self._page_checks_kept = all(
            getattr(check, "reusable", False)
            for check in PAGE_CHECKS
            if _in_phase(check, "content")
        )

    def warm_up(self) -> None:
        """Load what this run's checks need before the first page comes (a check worker
        does this as it starts; see ``page_check``'s ``warm_up``). Each loader runs once."""
        loaders: list[Callable[[], None]] = []
        if self.part != "site":
            loaders += [
                getattr(c, "warm_up", None) for c in PAGE_CHECKS if _in_phase(c, self.phase)
            ]
        loaders += [type(check).warm_up for check in self.site_checks]
        for load in dict.fromkeys(filter(None, loaders)):
            load()

    def page(self, page: Page, links_tried: bool = False) -> None:
        """Check one page (``links_tried``: ``reuse_links`` said no for it already)."""
        page.figures = {}  # figures are the checks' own output: never carried in
        if self.part != "site":
            self._page_checks(page, links_tried)
        if self.site_checks:
            self._site_checks(page)
        if page.figures:
            self.figures[page.url] = page.figures

    def _page_checks(self, page: Page, links_tried: bool = False) -> None:
        if self.phase != "after_crawl":
            self._reusable_checks(page)
            self.findings.extend(check_page(page, self.ctx, "content", reusable=False))
        if self.phase != "content":
            self._after_crawl_checks(page, links_tried)

    def _after_crawl_checks(self, page: Page, tried: bool) -> None:
        if self.links is None:
            self.findings.extend(check_page(page, self.ctx, "after_crawl"))
            return
        if not tried and self.reuse_links(page.url):
            return
        targets = self.links.targets(page)
        start = len(self.findings)
        self.findings.extend(check_page(page, self.ctx, "after_crawl"))
        kept = {"digest": self.links.digest(targets), "targets": targets,
                "findings": [f.to_dict() for f in self.findings[start:]]}  # fmt: skip
        self.link_kept.append((page.url, kept))
        self.checked_links += 1
        if self.link_sink is not None and len(self.link_kept) >= LINK_BATCH:
            self.link_sink(self.link_kept)
            self.link_kept = []

    def reuse_links(self, url: str) -> bool:
        """Take the page's after-crawl findings as kept in the store (made during the crawl,
        or by the last run for a page that has not changed) when its link targets' answers
        are those the findings rest on (checks.engine.link_reuse)."""
        earlier = self.earlier_links(url) if self.earlier_links is not None else None
        if earlier is None or self.links is None:
            return False
        if self.links.digest(earlier["targets"]) != earlier["digest"]:
            return False
        self.findings.extend(Finding.from_dict(f) for f in earlier["findings"])
        if self.early_links and url in self.early_links:
            self.taken_early += 1  # made during the crawl
        else:
            self.reused_links += 1  # made by the last run
        return True

    def reads_every_page(self) -> bool:
        """True when a site check of the phase must see every page (not only the pages
        whose after-crawl findings could not be reused)."""
        return any(
            type(check).observe is not SiteCheck.observe or check.reusable
            for check in self.site_checks
        )

    def _reusable_checks(self, page: Page) -> None:
        earlier = self.earlier(page.url) if self.earlier is not None else None
        if earlier is not None:
            page.figures.update(self._take_results(earlier))
            return
        start = len(self.findings)
        self.findings.extend(check_page(page, self.ctx, self.phase, reusable=True))
        self.kept.append((page.url, start, len(self.findings), dict(page.figures)))

    def reuse_page(self, url: str) -> bool:
        """Take everything the content checks of this part would find on the page from the
        last run, without the page: the page checks' results and the site checks' notes.
        True when the page has not changed and every check kept what it needs; the page
        need not even be decoded then (checks.engine.background)."""
        if self.phase != "content":
            return False
        results = notes = None
        if self.part != "site":
            if not self._page_checks_kept:
                return False
            results = self.earlier(url) if self.earlier is not None else None
            if results is None:
                return False
        if self.site_checks:
            notes = self.earlier_notes(url) if self.earlier_notes is not None else None
            if notes is None or not all(
                check.reusable and type(check).__name__ in notes for check in self.site_checks
            ):
                return False
        if results is not None and (figures := self._take_results(results)):
            self.figures[url] = dict(figures)
        if notes is not None:
            for site_check in self.site_checks:
                self._take(site_check, url, notes[type(site_check).__name__])
            self.reused_notes += 1
        return True

    def _take_results(self, results: dict[str, Any]) -> dict[str, Any]:
        """A page's kept results of the reusable page checks: their findings are taken,
        their figures returned."""
        self.findings.extend(Finding.from_dict(f) for f in results["findings"])
        self.reused += 1
        return results["figures"]

    def _take(self, site_check: SiteCheck, url: str, note: Any) -> None:
        try:
            site_check.take(url, note)
        except Exception:
            log.exception("check %s failed on %s", type(site_check).__name__, url)
            note_failure(site_check)

    def _site_checks(self, page: Page) -> None:
        earlier = self.earlier_notes(page.url) if self.earlier_notes is not None else None
        noted: dict[str, Any] = {}
        for site_check in self.site_checks:
            name = type(site_check).__name__
            if site_check.reusable and earlier is not None and name in earlier:
                self._take(site_check, page.url, earlier[name])
                continue
            try:
                if not site_check.reusable:
                    site_check.observe(page)
                else:
                    noted[name] = site_check.note(page)
                    site_check.take(page.url, noted[name])
            except Exception:
                log.exception("check %s failed on %s", name, page.url)
                note_failure(site_check)
        if earlier is not None:
            self.reused_notes += 1
        elif noted and self.note_sink is not None:
            self.note_sink(page.url, noted)
        elif noted:
            self.notes.append((page.url, noted))

    def finish(self) -> list[Finding]:
        for site_check in self.site_checks:
            try:
                self.findings.extend(site_check.finish())
            except Exception:
                log.exception("check %s failed", type(site_check).__name__)
                note_failure(site_check)
        return self.findings


def finalise(findings: list[Finding], ctx: CheckContext, site_pages: int = 0) -> list[Finding]:
    """Settings applied (disabled rules, severity overrides), template-wide problems made
    one finding each (checks.engine.template_wide), sorted, fingerprinted. ``site_pages``: how
    many pages were audited."""
    findings = group_template_findings(_apply_settings(findings, ctx), site_pages)
    order = {"error": 0, "warning": 1, "notice": 2}
    findings.sort(
        key=lambda f: (f.url, order.get(f.severity, 3), f.rule, f.target or "", f.text or "")
    )
    unknown = {f.rule for f in findings} - set(RULES)
    if unknown:  # pragma: no cover - a programming error, caught by tests
        raise RuntimeError(f"findings with undefined rules: {sorted(unknown)}")
    for finding in findings:
        if not finding.suggestion and not finding.action:
            finding.action = RULES[finding.rule].fix
    return assign_fingerprints(findings)


def run_checks(
    store: RunStore,
    ctx: CheckContext,
    phase: Phase = "all",
    early_links: Collection[str] | None = None,
) -> list[Finding]:
    """The checks of ``phase`` over every page in the store, in this process; figures (and
    the reusable results, for the next run) are written back to the store. Returns the
    findings, finalised when ``phase`` is all. ``early_links``: the pages whose kept link
    findings in the store were made during the crawl (checks.engine.early_links): taken,
    as last night's are, where the final answers confirm them."""
    links = None
    if phase != "content":
        if ctx.page_anchors is None:
            ctx.page_anchors = store.page_anchors()
        links = LinkDigest(ctx, reuse_key(ctx, store.meta("results") or results_key(ctx)))
    run = CheckRun(
        ctx, phase, earlier=store.page_result, earlier_notes=store.site_notes,
        links=links, earlier_links=store.link_findings, link_sink=store.add_link_findings,
        early_links=early_links,
    )  # fmt: skip
    # a page whose link findings are reused is not even read (one read a page costs more
    # than one pass over them all: with nothing to reuse, every page is read in turn)
    by_url = phase == "after_crawl" and not run.reads_every_page() and store.keeps_link_findings()
    other_half = None
    pages_left = store.page_count() - len(early_links or ())
    if phase == "after_crawl" and not run.reads_every_page() and split_link_checks(pages_left):
        store.commit()  # the child reads the store over a connection of its own
        share = functools.partial(_check_share, store.path, ctx, links, by_url, early_links)
        other_half = SideBySide(share)
        check_pages(run, store, by_url, share=0)
    else:
        check_pages(run, store, by_url)
    if other_half is not None:
        _take_share(run, other_half.result())
    findings = run.finish()
    store.set_figures(run.figures)
    keep_results(store, findings, run.kept, run.notes)
    store.add_link_findings(run.link_kept)
    store.commit()
    if links is not None:  # how much of the link checks' work was done before
        summary = {"reused": run.reused_links, "checked": run.checked_links,
                   "during_crawl": run.taken_early}  # fmt: skip
        store.set_meta("link_findings", summary)
        log.info("link checks: %(reused)d pages' findings reused, %(during_crawl)d taken from "
                 "the crawl's, %(checked)d checked", summary)  # fmt: skip
    return finalise(findings, ctx, store.page_count()) if phase == "all" else findings


# the after-crawl link checks in two processes from this many pages: a forked child takes
# every other page. On the 2,000-page bench they took 2.1 s in one process; the child's
# start and its answer cost about a tenth of that, so below a few hundred pages it is not
# worth it (and on one CPU never)
SPLIT_LINK_CHECKS_FROM = 300


def split_link_checks(pages_left: int) -> bool:
    """Whether the after-crawl page checks run in two processes: from two CPUs, for at
    least ``SPLIT_LINK_CHECKS_FROM`` pages not already checked during the crawl."""
    return usable_cpus() >= 2 and hasattr(os, "fork") and pages_left >= SPLIT_LINK_CHECKS_FROM


def check_pages(run: CheckRun, store: RunStore, by_url: bool, share: int | None = None) -> None:
    """Feed the store's pages to ``run`` in crawl order: all of them, or (``share`` 0 or
    1) every other one, the other process taking the rest. ``by_url``: try each page's
    kept link findings first, and read the page only when they cannot be reused."""
    if by_url:
        for index, url in enumerate(store.page_urls()):
            if share is not None and index % 2 != share:
                continue
            if not run.reuse_links(url):
                row = store.stored_page(url)
                if row is not None:
                    run.page(decode_page(row), links_tried=True)
        return
    for index, row in enumerate(store.stored_pages()):
        if share is None or index % 2 == share:
            run.page(decode_page(row))


# what the child that checked the other share answers: its findings, each page's link
# findings and digest to keep, figures, how many pages it reused and checked, and the
# checks that failed there
Share = tuple[list[Finding], list[tuple[str, dict[str, Any]]], dict[str, dict[str, Any]], int, int, int, dict[str, list[str]]]  # fmt: skip


def _check_share(
    path: Path,
    ctx: CheckContext,
    links: LinkDigest | None,
    by_url: bool,
    early_links: Collection[str] | None = None,
) -> Share:
    """In the forked child: the after-crawl page checks of every other page (share 1),
    read over a connection of its own; nothing is written, all is answered."""
    FAILED_CHECKS.clear()  # the parent's are its own
    reader = RunStore.reader(path)
    try:
        run = CheckRun(ctx, "after_crawl", part="pages", links=links,
                       earlier_links=reader.link_findings, early_links=early_links)  # fmt: skip
        check_pages(run, reader, by_url, share=1)
    finally:
        reader.db.close()
    return (run.findings, run.link_kept, run.figures, run.reused_links, run.checked_links,
            run.taken_early, dict(FAILED_CHECKS))  # fmt: skip


def _take_share(run: CheckRun, share: Share) -> None:
    """The child's answer, added to this process's run."""
    findings, link_kept, figures, reused, checked, early, failed = share
    run.findings.extend(findings)
    run.link_kept.extend(link_kept)
    run.figures.update(figures)
    run.reused_links += reused
    run.checked_links += checked
    run.taken_early += early
    FAILED_CHECKS.update(failed)


def keep_results(
    store: RunStore, findings: list[Finding], kept: list[Kept], notes: Sequence[Notes] = ()
) -> None:
    """Store each page's results of the reusable checks, and its notes of the reusable
    site checks, for the next run to reuse if the page has not changed. Call before
    ``finalise`` (which applies severity overrides)."""
    store.set_site_notes(notes)
    store.set_page_results(
        (url, {"findings": [f.to_dict() for f in findings[start:end]], "figures": figures})
        for url, start, end, figures in kept
    )


def results_key(ctx: CheckContext) -> str:
    """Names what the reusable checks' results depend on besides the page: the check code
    (every family module, what each imports, and the word lists beside them) and the check
    settings. Stored results count only under the same key."""
    from content_audit.checks import FAMILIES

    modules = tuple(f"content_audit.checks.{family}" for family in FAMILIES)
    code = code_digest((*modules, __name__), __version__)
    settings = json.dumps(asdict(ctx.config), sort_keys=True, default=str)
    return hashlib.sha256(f"{code}\n{settings}\n{_word_files(ctx)}".encode()).hexdigest()[:16]


def _word_files(ctx: CheckContext) -> str:
    """What the word files the checks read say, beyond their names in the settings: the
    site dictionary's words (an owner's word added tonight must count on unchanged pages
    too) and which hunspell dictionaries are installed."""
    from content_audit.checks.engine.lexicon import DICTIONARY_FILES, HUNSPELL_DIRS, find_hunspell

    digest = hashlib.sha256()
    if ctx.config.site_dictionary:
        path = (
            ctx.full_config.resolve(ctx.config.site_dictionary)
            if ctx.full_config
            else Path(ctx.config.site_dictionary)
        )
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"unreadable")
    for name in DICTIONARY_FILES:
        found = find_hunspell(name, HUNSPELL_DIRS)
        digest.update(f"{name}={found.stat().st_size if found else 'missing'}\n".encode())
    return digest.hexdigest()[:16]
