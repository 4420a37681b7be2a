"""The gate: does this run pass, fail, or not count at all?

Exit codes (the same for the CLI, the nightly workflow and the composite action):

- 0: the site was audited and nothing reached the failing severity, no threshold broke;
- 1: the site was audited and findings reached the failing severity, or a threshold broke;
- 2: the site was not audited (bad config, start URL unreachable, no pages, crawl stopped
  early). A run that audited nothing never exits 0.

What counts towards the failing severity: findings at or above ``fail_on`` that are not
accepted in the baseline (unexpired), and with ``fail_on_new`` only those that were not in
the previous complete run. Thresholds (``max_broken_internal_links``, ``max_reading_age``,
``max_placeholders``) fail the run whatever ``fail_on`` says, with a message naming them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from content_audit.core.model import SEVERITY_RANK, Finding

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_NOT_AUDITED = 2

PLURAL = {"error": "errors", "warning": "warnings", "notice": "notices"}
# what the history and the gate read of each page
REVIEW_FIELDS = ("url", "final_url", "title", "status", "figures")


@dataclass(slots=True)
class Thresholds:
    max_broken_internal_links: int = -1  # -1: no threshold
    max_reading_age: float = -1
    max_placeholders: int = -1

    @classmethod
    def from_config(cls, report: Any) -> Thresholds:
        return cls(
            max_broken_internal_links=int(getattr(report, "max_broken_internal_links", -1)),
            max_reading_age=float(getattr(report, "max_reading_age", -1)),
            max_placeholders=int(getattr(report, "max_placeholders", -1)),
        )


@dataclass(slots=True)
class Verdict:
    exit_code: int
    audited: bool
    fail_on: str
    fail_on_new: bool = False
    failing: list[str] = field(default_factory=list)  # fingerprints that fail the gate
    reasons: list[str] = field(default_factory=list)  # why it failed, one line each
    accepted: int = 0  # findings not counted because the baseline accepts them
    # --write-baseline: what was written, and what this run would have said without it
    baseline_written: str = ""
    # a run judged on part of the site (site.partial_ok): said beside the verdict
    partial_note: str = ""

    @property
    def passed(self) -> bool:
        return self.exit_code == EXIT_OK

    @property
    def headline(self) -> str:
        if self.baseline_written and self.exit_code == EXIT_OK:
            return self.baseline_written
        if self.exit_code == EXIT_NOT_AUDITED:
            return "Not audited: " + ("; ".join(self.reasons) or "the audit did not finish")
        if self.exit_code == EXIT_FINDINGS:
            return "Failed: " + "; ".join(self.reasons) + self._accepted_note() + self.partial_note
        if self.fail_on == "never":
            return "Passed: this run was not set to fail on findings"
        what = f"new {PLURAL[self.fail_on]}" if self.fail_on_new else PLURAL[self.fail_on]
        above = "" if self.fail_on == "notice" else " or worse"
        return f"Passed: no {what}{above}" + self._accepted_note() + self.partial_note

    def _accepted_note(self) -> str:
        """Why the line can pass (or count fewer) while the counts above it show findings:
        the baseline accepts them."""
        n = self.accepted
        if not n:
            return ""
        return f" apart from the {n} finding{'s' if n != 1 else ''} accepted in the baseline"

    def to_dict(self) -> dict[str, Any]:
        return {
            "exit_code": self.exit_code,
            "passed": self.passed,
            "audited": self.audited,
            "fail_on": self.fail_on,
            "fail_on_new": self.fail_on_new,
            "failing": len(self.failing),
            "accepted": self.accepted,
            "reasons": self.reasons,
            "headline": self.headline,
            "baseline_written": bool(self.baseline_written),
        }


def gate(findings: list[Finding], fail_on: str) -> int:
    """1 when any finding reaches the failing severity, else 0 (no baseline, no history)."""
    return decide(findings, fail_on=fail_on).exit_code


def _host(url: str | None) -> str:
    try:
        return (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return ""


def is_internal_link(finding: Finding, site_hosts: Collection[str] = ()) -> bool:
    host = _host(finding.target)
    return bool(host) and (host in site_hosts or host == _host(finding.url))


def decide(
    findings: list[Finding],
    *,
    fail_on: str,
    fail_on_new: bool = False,
    accepted: Collection[str] = (),
    audited: bool = True,
    not_audited_reason: str = "",
    thresholds: Thresholds | None = None,
    pages: Iterable[dict[str, Any]] = (),
    site_hosts: Collection[str] = (),
    min_words: int = 0,
    professional_age: float = -1,
    checks_not_run: str = "",
) -> Verdict:
    """The verdict on one run. ``accepted`` holds the fingerprints the baseline accepts.
    ``checks_not_run`` says which checks could not run and why: such a run never passes
    (exit 2), but what the other checks found still fails it as findings (exit 1), so
    that a missing dictionary never hides a broken link behind "not audited"."""
    verdict = Verdict(EXIT_OK, audited, fail_on, fail_on_new)
    accepted = set(accepted)
    verdict.accepted = sum(1 for f in findings if f.fingerprint in accepted)
    if not audited:
        verdict.exit_code = EXIT_NOT_AUDITED
        verdict.reasons.append(not_audited_reason or "the audit did not finish")
        return verdict
    counted = [f for f in findings if f.fingerprint not in accepted]
    if fail_on != "never":
        threshold = SEVERITY_RANK[fail_on]
        verdict.failing = [
            f.fingerprint
            for f in counted
            if SEVERITY_RANK.get(f.severity, 0) >= threshold
            and (not fail_on_new or f.status != "persisting")
        ]
        if verdict.failing:
            by_severity: dict[str, int] = {}
            failing = set(verdict.failing)
            for f in counted:
                if f.fingerprint in failing:
                    by_severity[f.severity] = by_severity.get(f.severity, 0) + 1
            parts = [
                f"{by_severity[s]} {'new ' if fail_on_new else ''}"
                f"{PLURAL[s] if by_severity[s] != 1 else s}"
                for s in ("error", "warning", "notice")
                if by_severity.get(s)
            ]
            worse = "" if fail_on == "error" else " or worse"
            verdict.reasons.append(
                " and ".join(parts) + f" (the gate fails on {PLURAL[fail_on]}{worse})"
            )
    limits = thresholds or Thresholds()
    if limits.max_broken_internal_links >= 0:
        broken = sum(
            1 for f in counted if f.rule == "link-broken" and is_internal_link(f, site_hosts)
        )
        if broken > limits.max_broken_internal_links:
            verdict.reasons.append(
                f"max_broken_internal_links: {broken} broken internal links, "
                f"more than the {limits.max_broken_internal_links} allowed"
            )
    if limits.max_placeholders >= 0:
        placeholders = sum(1 for f in counted if "placeholder" in f.rule)
        if placeholders > limits.max_placeholders:
            verdict.reasons.append(
                f"max_placeholders: {placeholders} placeholder texts, "
                f"more than the {limits.max_placeholders} allowed"
            )
    if limits.max_reading_age >= 0:
        over = []
        for page in pages:
            figures = page.get("figures") or {}
            age, words = figures.get("reading_age"), figures.get("words")
            if isinstance(words, int) and words < min_words:
                continue  # too short for the figures to mean much (checks.min_words_for_readability)
            kind = figures.get("page_kind")
            if kind not in (None, "advice", "professional"):
                continue  # a listing (an A to Z, a directory): figures, never a verdict
            limit = limits.max_reading_age
            if kind == "professional":  # written for clinicians (checks.professional_pages)
                limit = max(limit, professional_age)
            if isinstance(age, int | float) and age > limit:
                over.append((age, page.get("url", "")))
        if over:
            over.sort(reverse=True)
            worst = ", ".join(f"{url} ({age:g})" for age, url in over[:3])
            more = f" and {len(over) - 3} more" if len(over) > 3 else ""
            verdict.reasons.append(
                f"max_reading_age: {len(over)} page{'s' if len(over) != 1 else ''} above "
                f"reading age {limits.max_reading_age:g}: {worst}{more}"
            )
    if verdict.reasons:
        verdict.exit_code = EXIT_FINDINGS
    if checks_not_run:
        verdict.reasons.append(checks_not_run)
        if verdict.exit_code == EXIT_OK:
            verdict.exit_code = EXIT_NOT_AUDITED
            verdict.audited = False
    return verdict


# why a link failed (link-broken's details["reason"]) that may be one bad night; not
# "connection", which covers addresses no browser could open as well as dropped ones
TRANSIENT_REASONS = frozenset({"server-error", "timeout"})


def unconfirmed_transient(findings: Iterable[Finding], site_hosts: Collection[str]) -> None:
    """Another site's link that failed for a reason that may pass (a server error, a
    timeout) and was not failing at the last complete run is a warning, saying so; on the
    next audit that finds it still failing it is an error again. A failure on the site's
    own pages is always the web team's to fix now."""
    for f in findings:
        if f.rule != "link-broken" or f.severity != "error" or f.status == "persisting":
            continue
        details = f.details or {}
        if details.get("reason") not in TRANSIENT_REASONS or is_internal_link(f, site_hosts):
            continue
        f.severity = "warning"
        f.message += (
            " It is another site's problem and may be short-lived: if it still fails at the "
            "next audit, it becomes an error."
        )
        f.details = {**details, "unconfirmed": True}


@dataclass(slots=True)
class Review:
    """Everything the reports need besides the findings: the verdict and what changed."""

    verdict: Verdict
    changes: Any = None  # content_audit.history.Changes
    accepted: dict[str, dict[str, Any]] = field(default_factory=dict)  # fingerprint -> entry
    baseline_path: str = ""
    baseline_expired: int = 0  # baseline entries past their expiry date
    history_path: str = ""


class ReviewStage:
    """The pipeline stage between checks and reports: history, baseline, gate.

    Created before the crawl (so the run is recorded, as incomplete, from the start, and a bad
    baseline or history file stops the run before anything is fetched); ``review`` after
    the checks; ``finish`` or ``abandon`` at the end.
    """

    def __init__(self, config: Any, started: str, write_baseline: Any = None) -> None:
        """``write_baseline``: a content_audit.baseline.BaselineRequest, or None."""
        import sqlite3

        from content_audit.baseline import BaselineError, load_baseline
        from content_audit.core.config import ConfigError
        from content_audit.history import History

        self.config = config
        self.write_request = write_baseline
        self.baseline = None
        if config.report.baseline:
            try:
                self.baseline = load_baseline(config.resolve(config.report.baseline))
            except BaselineError as exc:
                raise ConfigError(f"report.baseline: {exc}") from exc
        self.history_path = config.history_path
        try:
            self.history = History(self.history_path)
            self.history.begin(started, config.today_date().isoformat(), config.site.start_urls)
        except sqlite3.DatabaseError as exc:
            raise ConfigError(  # the record of past nights is never thrown away unasked
                f"the history database {str(self.history_path)!r} cannot be used: {exc}; "
                "put back a copy, or move it aside to start a new history"
            ) from exc

    def review(
        self,
        run: dict[str, Any],
        store: Any,
        findings: list[Finding],
        pages: list[dict[str, Any]] | None = None,
    ) -> Review:
        """``pages``, when given, are the pages' ``REVIEW_FIELDS`` (and maybe more) as
        ``store.page_fields`` gives them, read once for this and the reports."""
        today = self.config.today_date()
        if pages is None and hasattr(store, "page_fields"):  # no page decoded in full
            pages = list(store.page_fields(REVIEW_FIELDS))
        elif pages is None:
            pages = [{name: getattr(p, name) for name in REVIEW_FIELDS} for p in store.pages()]
        changes = self.history.record(run, pages, findings)
        accepted = self.baseline.accepted(findings, today) if self.baseline else {}
        report = self.config.report
        hosts = {h.lower() for h in self.config.site.allowed_hosts}
        hosts |= {_host(u) for u in self.config.site.start_urls}
        if self.config.links.confirm_transient:
            unconfirmed_transient(findings, hosts)
        complete = bool(run.get("complete"))
        not_run = run.get("checks_not_run") or []
        reason = f"the crawl stopped early ({run.get('finish_reason', 'unknown')})"
        not_run_reason = ""
        if not_run:
            not_run_reason = (
                "; ".join(
                    f"{' and '.join(item['rules'])} could not run: {item['why']}"
                    for item in not_run
                )
                + " (or turn the rules off in [checks] disable)"
            )

        def verdict_with(accepted: Collection[str]) -> Verdict:
            return decide(
                findings,
                fail_on=report.fail_on,
                fail_on_new=report.fail_on_new,
                accepted=accepted,
                audited=complete,
                not_audited_reason=reason,
                checks_not_run=not_run_reason,
                thresholds=Thresholds.from_config(report),
                pages=pages,
                site_hosts=hosts,
                min_words=self.config.checks.min_words_for_readability,
                professional_age=self.config.checks.professional_reading_age,
            )

        verdict = verdict_with(accepted)
        if self.write_request is not None and verdict.exit_code != EXIT_NOT_AUDITED:
            accepted, verdict = self._adopt(findings, verdict, verdict_with)
        past_limit = int(run.get("pages_past_limit") or 0)
        if past_limit and complete:  # site.partial_ok: judged on the pages read
            verdict.partial_note = (
                f" (on part of the site only: {past_limit:,} page"
                f"{'s' if past_limit != 1 else ''} past the page limit, site.max_pages, "
                "were not audited)"
            )
        return Review(
            verdict=verdict,
            changes=changes,
            accepted=accepted,
            baseline_path=self.baseline.path if self.baseline else "",
            baseline_expired=len(self.baseline.expired(today)) if self.baseline else 0,
            history_path=str(self.history_path),
        )

    def _adopt(
        self, findings: list[Finding], before: Verdict, verdict_with: Any
    ) -> tuple[Any, Verdict]:
        """--write-baseline: accept every finding of this run, then review it as the next
        run with that baseline will be reviewed. The step passes (exit 0): writing the
        baseline is how a team adopts the gate, and the CI step that does it must not fail
        on the findings it has just accepted. What the run would have said without the
        baseline is kept in the headline, so the reports never say "Failed" over a step
        that passed, nor "Passed" without saying why."""
        from datetime import timedelta

        from content_audit.baseline import BaselineWriteError, load_baseline, write_baseline

        request = self.write_request
        today = self.config.today_date()
        try:
            count = write_baseline(
                request.path, findings, today, days=request.days, reason=request.reason
            )
        except OSError as exc:
            raise BaselineWriteError(
                f"cannot write the baseline {request.path}: {exc.strerror or exc}"
            ) from exc
        self.baseline = load_baseline(request.path)
        accepted = self.baseline.accepted(findings, today)
        verdict = verdict_with(accepted)
        until = today + timedelta(days=request.days)
        note = (
            f"Baseline written: {count} finding{'s' if count != 1 else ''} accepted in "
            f"{request.path} until {until.day} {until:%B %Y}"
        )
        if before.exit_code == EXIT_FINDINGS:
            note += f" (without it this run fails: {'; '.join(before.reasons)})"
        if verdict.exit_code == EXIT_FINDINGS:  # thresholds: a baseline does not cover them
            note += f"; still failing, whatever the baseline: {'; '.join(verdict.reasons)}"
        note += (
            f"; this step passes. Run with --baseline {request.path} to fail only on "
            "findings not in it"
        )
        verdict.exit_code = EXIT_OK
        verdict.baseline_written = note
        return accepted, verdict

    def finish(self, complete: bool, finished: str | None = None) -> None:
        self.history.finish(complete, finished)
        self.history.close()

    def abandon(self) -> None:
        """The run audited nothing: record it as incomplete."""
        self.finish(False)
