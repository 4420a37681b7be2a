"""The rule catalogue and the two kinds of check.

A *page check* is a pure function ``(page, ctx) -> iterable of Finding``. A *site check*
sees every page once, in a stream (``observe``), and reports at the end (``finish``): that
is how rules that compare pages (duplicates, consistency, site-wide word counts) stay in
bounded memory without comparing every page with every other.

Adding a rule means: ``define()`` it once here-by-import in its family module, write the
function, decorate it with ``@page_check`` (or subclass ``SiteCheck``), and add tests.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from content_audit.core.model import Finding, Page, Severity

if TYPE_CHECKING:
    from content_audit.core.config import ChecksConfig, Config


@dataclass(frozen=True, slots=True)
class Rule:
    """A stable rule id with what a content owner needs to know about it."""

    id: str
    severity: Severity
    summary: str  # one line: what is wrong and why it matters
    fix: str  # one or two lines: how to put it right
    family: str
    name: str = ""  # a short human name for reports: "Broken link"

    def finding(self, page_url: str, message: str, **kwargs: Any) -> Finding:
        return Finding(
            rule=self.id, severity=self.severity, url=page_url, message=message, **kwargs
        )


RULES: dict[str, Rule] = {}


def define(
    rule_id: str, severity: Severity, summary: str, fix: str, family: str, name: str = ""
) -> Rule:
    """Register a rule. Ids are kebab-case and never renamed once shipped; names may change."""
    if rule_id in RULES:
        raise ValueError(f"rule {rule_id!r} defined twice")
    default_name = rule_id.replace("-", " ").capitalize()
    rule = Rule(rule_id, severity, summary, fix, family, name or default_name)
    RULES[rule_id] = rule
    return rule


@dataclass(slots=True)
class CheckContext:
    """What a check may know besides the page: settings, the date, the site."""

    config: ChecksConfig
    today: date
    site_origin: str = ""  # scheme://host:port of the audited site
    site_hosts: frozenset[str] = frozenset()  # hosts that count as the site
    full_config: Config | None = None
    link_results: Any = None  # LinkResults lookup (see core.store); None in pure unit tests
    # the ids (#fragment targets) on each page of the site that was read, by URL
    # (RunStore.page_anchors); like link_results, complete only when the crawl has ended
    page_anchors: Mapping[str, frozenset[str]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


PageCheck = Callable[[Page, CheckContext], Iterable[Finding]]
PAGE_CHECKS: list[PageCheck] = []
SITE_CHECKS: list[type[SiteCheck]] = []


def page_check(
    func: PageCheck | None = None,
    *,
    rules: Sequence[Rule] = (),
    after_crawl: bool = False,
    reusable: bool = False,
    warm_up: Callable[[], None] | None = None,
) -> Any:
    """Register a page check: ``@page_check``, or ``@page_check(after_crawl=True)`` for a
    check that reads ``ctx.link_results``, which are complete only when the crawl ends.
    Other checks may run while the crawl is still going (see checks.engine.background).

    ``reusable=True`` promises that the check's findings and figures depend on nothing but
    the page record and ``ctx.config``: not on the date, other pages or link results. A
    nightly re-run then reuses them for a page the server says has not changed (see
    checks.engine.runner.results_key). Leave it off when in doubt: it only saves time.

    ``warm_up`` loads what the check needs (a dictionary, a heavy import) ahead of the first
    page: a check worker calls it as it starts, while the crawl is still getting going, so
    that on a nightly re-run the first changed page does not pay for it after the crawl.

    ``rules`` are the rules the check reports, as ruff's rules declare theirs: a check whose
    rules are all turned off is not run, and a finding of any other rule is a bug."""
    if after_crawl and reusable:
        raise ValueError("a check that reads link results cannot be reused across runs")

    def register(check: PageCheck) -> PageCheck:
        if not rules:
            raise ValueError(f"{check.__name__}: declare the rules it reports (rules=...)")
        check.rule_ids = frozenset(rule.id for rule in rules)  # type: ignore[attr-defined]
        check.after_crawl = after_crawl  # type: ignore[attr-defined]
        check.reusable = reusable  # type: ignore[attr-defined]
        check.warm_up = warm_up  # type: ignore[attr-defined]
        PAGE_CHECKS.append(check)
        return check

    return register(func) if func is not None else register


def declared_rules(check: Any) -> frozenset[str]:
    """The rule ids a page check (function) or site check (class or instance) reports."""
    return frozenset(getattr(check, "rule_ids", ()))


def is_active(check: Any, disabled: Collection[str]) -> bool:
    """False when every rule the check reports is turned off: it need not run at all."""
    return not declared_rules(check) <= set(disabled)


def checks_that_cannot_run(disabled: Collection[str] = ()) -> list[dict[str, Any]]:
    """The rules, of those turned on, that cannot run on this machine, and why: one entry
    per check, ``{"rules": [...], "why": "..."}``."""
    out = []
    for check in [*PAGE_CHECKS, *SITE_CHECKS]:
        probe = getattr(check, "unavailable", None)
        answer = probe() if probe is not None else None
        if answer is None:
            continue
        why, rule_ids = answer
        rules = sorted(set(rule_ids) - set(disabled))
        if rules:
            out.append({"rules": rules, "why": why})
    return out


def runs_after_crawl(check: Any) -> bool:
    """True for checks that need the crawl's link results (page checks and site checks)."""
    return bool(getattr(check, "after_crawl", False))


class SiteCheck:
    """A check that needs the whole site: observe every page, then report.

    A *reusable* site check splits ``observe`` in two: ``note(page)`` works out what the
    page adds, as plain JSON data that depends only on the page and ``ctx.config``, and
    ``take(url, note)`` adds it. The note is kept in the run store; for a page that has not
    changed since, the next run takes the kept note instead of working it out again."""

    rules: ClassVar[tuple[Rule, ...]] = ()  # the rules it reports (site_check requires some)
    rule_ids: ClassVar[frozenset[str]] = frozenset()
    after_crawl = False  # True when observe/finish read ctx.link_results
    reusable = False

    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx

    @classmethod
    def warm_up(cls) -> None:
        """Load what the check needs ahead of the first page (see ``page_check``)."""

    @classmethod
    def unavailable(cls) -> tuple[str, frozenset[str]] | None:
        """Why some of the check's rules cannot run on this machine (a dictionary that is
        not installed), and which rules: None when all of them can. A rule that cannot run
        must never look like a clean result: the run then says so and does not pass."""
        return None

    def observe(self, page: Page) -> None:
        if self.reusable:
            self.take(page.url, self.note(page))

    def note(self, page: Page) -> Any:  # pragma: no cover - interface
        """What the page adds, as JSON data (None for nothing): reusable checks only."""
        return None

    def take(self, url: str, note: Any) -> None:  # pragma: no cover - interface
        pass

    def finish(self) -> Iterable[Finding]:  # pragma: no cover - interface
        return ()


def site_check(cls: type[SiteCheck]) -> type[SiteCheck]:
    if not cls.rules:
        raise ValueError(f"{cls.__name__}: declare the rules it reports (rules = (...))")
    cls.rule_ids = frozenset(rule.id for rule in cls.rules)
    if cls.reusable and cls.after_crawl:
        raise ValueError(f"{cls.__name__}: a check reading link results cannot be reusable")
    SITE_CHECKS.append(cls)
    return cls
