"""Run every enabled check over the pages in the run store, one page at a time."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from checks import load_all
from checks.registry import PAGE_CHECKS, RULES, SITE_CHECKS, CheckContext
from core.model import Finding, Page, assign_fingerprints
from core.store import RunStore

log = logging.getLogger(__name__)


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


def check_page(page: Page, ctx: CheckContext) -> list[Finding]:
    """All page checks on one page. A failing check is logged, never fatal."""
    found: list[Finding] = []
    for check in PAGE_CHECKS:
        try:
            found.extend(check(page, ctx))
        except Exception:
            log.exception("check %s failed on %s", check.__name__, page.url)
    return found


def run_checks(store: RunStore, ctx: CheckContext) -> list[Finding]:
    """Page checks per page, site checks over the stream; findings sorted and fingerprinted."""
    load_all()
    site_checks = [cls(ctx) for cls in SITE_CHECKS]
    findings: list[Finding] = []
    for page in store.pages():
        findings.extend(check_page(page, ctx))
        for site_check in site_checks:
            try:
                site_check.observe(page)
            except Exception:
                log.exception("check %s failed on %s", type(site_check).__name__, page.url)
        if page.figures:
            store.update_page(page)
    for site_check in site_checks:
        try:
            findings.extend(site_check.finish())
        except Exception:
            log.exception("check %s failed", type(site_check).__name__)
    store.commit()
    findings = _apply_settings(findings, ctx)
    order = {"error": 0, "warning": 1, "notice": 2}
    findings.sort(
        key=lambda f: (f.url, order.get(f.severity, 3), f.rule, f.target or "", f.text or "")
    )
    unknown = {f.rule for f in findings} - set(RULES)
    if unknown:  # pragma: no cover - a programming error, caught by tests
        raise RuntimeError(f"findings with undefined rules: {sorted(unknown)}")
    return assign_fingerprints(findings)
