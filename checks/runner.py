"""Run the enabled checks over pages, one page at a time.

Checks come in two phases: the *content* checks need only the page itself, so they may run
while the crawl is still going (see checks.background); the *after-crawl* checks read the
crawl's link results, complete only when the crawl has ended. ``run_checks`` runs both in
this process, one after the other.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, Literal

from checks import load_all
from checks.registry import PAGE_CHECKS, RULES, SITE_CHECKS, CheckContext, runs_after_crawl
from core.model import Finding, Page, assign_fingerprints
from core.store import RunStore

log = logging.getLogger(__name__)

Phase = Literal["all", "content", "after_crawl"]


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


def check_page(page: Page, ctx: CheckContext, phase: Phase = "all") -> list[Finding]:
    """The page checks of one phase on one page. A failing check is logged, never fatal."""
    found: list[Finding] = []
    for check in PAGE_CHECKS:
        if not _in_phase(check, phase):
            continue
        try:
            found.extend(check(page, ctx))
        except Exception:
            log.exception("check %s failed on %s", check.__name__, page.url)
    return found


class CheckRun:
    """One phase of the checks over a stream of pages: feed pages in crawl order, then
    finish. Keeps the findings and each page's figures (reading age and so on)."""

    def __init__(self, ctx: CheckContext, phase: Phase = "all") -> None:
        load_all()
        self.ctx = ctx
        self.phase = phase
        self.site_checks = [cls(ctx) for cls in SITE_CHECKS if _in_phase(cls, phase)]
        self.findings: list[Finding] = []
        self.figures: dict[str, dict[str, Any]] = {}

    def page(self, page: Page) -> None:
        page.figures = {}  # figures are the checks' own output: never carried in
        self.findings.extend(check_page(page, self.ctx, self.phase))
        for site_check in self.site_checks:
            try:
                site_check.observe(page)
            except Exception:
                log.exception("check %s failed on %s", type(site_check).__name__, page.url)
        if page.figures:
            self.figures[page.url] = page.figures

    def finish(self) -> list[Finding]:
        for site_check in self.site_checks:
            try:
                self.findings.extend(site_check.finish())
            except Exception:
                log.exception("check %s failed", type(site_check).__name__)
        return self.findings


def finalise(findings: list[Finding], ctx: CheckContext) -> list[Finding]:
    """Settings applied (disabled rules, severity overrides), sorted, fingerprinted."""
    findings = _apply_settings(findings, ctx)
    order = {"error": 0, "warning": 1, "notice": 2}
    findings.sort(
        key=lambda f: (f.url, order.get(f.severity, 3), f.rule, f.target or "", f.text or "")
    )
    unknown = {f.rule for f in findings} - set(RULES)
    if unknown:  # pragma: no cover - a programming error, caught by tests
        raise RuntimeError(f"findings with undefined rules: {sorted(unknown)}")
    return assign_fingerprints(findings)


def run_checks(store: RunStore, ctx: CheckContext, phase: Phase = "all") -> list[Finding]:
    """The checks of ``phase`` over every page in the store, in this process; figures are
    written back to the store. Returns the findings, finalised when ``phase`` is all."""
    run = CheckRun(ctx, phase)
    for page in store.pages():
        run.page(page)
    findings = run.finish()
    store.set_figures(run.figures)
    return finalise(findings, ctx) if phase == "all" else findings
