"""Configuration: defaults, the TOML file, then command-line flags, validated once.

A wrong key or value stops the run before anything is fetched, with a message that names
the setting, so a typo in audit.toml can never silently turn a check off.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints
from urllib.parse import urlsplit

from content_audit.core import __version__
from content_audit.core.urls import url_problem


class ConfigError(ValueError):
    """A setting is unknown or has a value the tool cannot use."""


DEFAULT_USER_AGENT = (
    f"ContentAudit/{__version__} (+https://github.com/nhs-content-audit/content-audit; "
    "website quality checker)"
)


@dataclass(slots=True)
class HostRule:
    """Per-host link rules: skip a host, accept extra statuses, send headers."""

    host: str = ""
    skip: bool = False
    accept_status: list[int] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def matches(self, host: str, netloc: str) -> bool:
        """A rule for "example.org" covers www.example.org too; "host:port" matches exactly."""
        rule = self.host.lower().strip()
        if ":" in rule and not rule.startswith("["):
            return rule == netloc
        return host == rule or host.endswith("." + rule)


@dataclass(slots=True)
class SiteConfig:
    start_urls: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    use_sitemap: bool = True  # also read sitemaps named in robots.txt, or /sitemap.xml
    allowed_hosts: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=list)  # regexes; empty means everything
    exclude: list[str] = field(default_factory=list)
    main_selector: str = "main, article, [role=main]"
    max_pages: int = 10000
    # a run stopped by max_pages audited part of the site: it exits 2 (never passes),
    # unless this is true (a sample audit, as of a pull request), when it is judged on
    # the pages it read; either way nothing counts as fixed
    partial_ok: bool = False
    max_depth: int = 25
    max_query_variants: int = 10  # distinct query strings crawled per path (trap guard)
    ignore_query_params: list[str] = field(
        default_factory=lambda: [
            "utm_*",
            "fbclid",
            "gclid",
            "sessionid",
            "session_id",
            "sid",
            "jsessionid",
            "phpsessid",
            "aspsessionid*",
        ]
    )
    auth_user_env: str = "CONTENT_AUDIT_USER"
    auth_password_env: str = "CONTENT_AUDIT_PASSWORD"


# crawled pages before extraction and the content checks move to worker processes: a smaller
# site is done before a worker would have started (crawler.spider, content_audit.pipeline)
PARALLEL_FROM_PAGES = 50


@dataclass(slots=True)
class CrawlConfig:
    concurrency: int = 16
    per_host_concurrency: int = 4
    # the most of `concurrency` that requests to other hosts (link checks) may hold at once;
    # the rest is kept for the site's own pages (crawler.scrapy_private.BudgetQueue)
    other_hosts_share: float = 0.5
    delay: float = 0.0  # seconds between requests to one host
    timeout: float = 20.0
    max_size_mb: float = 10.0
    obey_robots: bool = True
    user_agent: str = DEFAULT_USER_AGENT
    retries: int = 2
    progress_interval: float = 5.0  # seconds between log lines when not on a terminal
    parallel_extract: bool = True  # extract pages in a second process (crawler.extract_pool)
    reuse_unchanged: bool = True  # conditional requests; a 304 reuses the last run's record


@dataclass(slots=True)
class LinksConfig:
    check_external: bool = True
    exclude: list[str] = field(default_factory=list)  # regexes of link URLs never checked
    cache_days_ok: float = 7.0  # healthy external results are reused this long
    cache_days_redirect: float = 3.0
    recheck_all: bool = False  # ignore the cache
    block_private: bool = False  # refuse private/loopback targets for external links
    ca_bundle: str = ""
    retry_after_max: float = 30.0  # longest Retry-After we wait for, seconds
    hosts: list[HostRule] = field(default_factory=list)
    cache: str = ""  # link cache file; default: <out>/link-cache.sqlite
    timeout_retries: int = 1  # retries after a link check times out (pages use crawl.retries)
    # a link to another site that fails with a server error, a timeout or a dropped
    # connection is a warning until it fails on two audits in a row: one bad night of
    # someone else's server must not fail the gate, nor show as "fixed" the next night
    confirm_transient: bool = True
    youtube_oembed: str = "https://www.youtube.com/oembed"  # asked whether a video still exists


@dataclass(slots=True)
class ChecksConfig:
    disable: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    reading_age_target: float = 11.0  # the aim, for figures and the readability table
    reading_age_finding: float = 15.0  # a readability-hard finding from this reading age
    min_words_for_readability: int = 100
    sentence_max_words: int = 25  # GOV.UK's limit; 20 is the stricter NHS aim
    # URL prefixes of pages written for clinicians ("/professionals/"): their own reading-age
    # threshold, and no plain-English findings for clinical terms
    professional_pages: list[str] = field(default_factory=list)
    professional_reading_age: float = 18.0

    def is_professional(self, url: str) -> bool:
        """Whether the page at `url` is written for clinicians (``professional_pages``): a
        prefix starting with / is matched against the path, any other against the URL."""
        if not self.professional_pages:
            return False
        path = urlsplit(url).path or "/"
        return any(
            path.startswith(prefix) if prefix.startswith("/") else url.startswith(prefix)
            for prefix in self.professional_pages
        )

    review_cycle_years: float = 3.0
    site_dictionary: str = ""
    plain_english: dict[str, str] = field(default_factory=dict)
    # retired names: { "Old name" = "what replaced it" }; "" removes a project entry
    outdated_terms: dict[str, str] = field(default_factory=dict)
    duplicate_threshold: float = 0.9
    parallel: bool = True  # content checks in a second process while the crawl runs


@dataclass(slots=True)
class ReportConfig:
    out: str = "audit-output"
    history: str = ""  # default: <out>/history.sqlite
    owners: dict[str, str] = field(default_factory=dict)  # URL prefix -> owner name
    fail_on: str = "error"
    fail_on_new: bool = False
    baseline: str = ""
    max_broken_internal_links: int = -1  # -1: no threshold
    max_reading_age: float = -1
    max_placeholders: int = -1


@dataclass(slots=True)
class Config:
    site: SiteConfig = field(default_factory=SiteConfig)
    crawl: CrawlConfig = field(default_factory=CrawlConfig)
    links: LinksConfig = field(default_factory=LinksConfig)
    checks: ChecksConfig = field(default_factory=ChecksConfig)
    report: ReportConfig = field(default_factory=ReportConfig)
    today: str = ""  # YYYY-MM-DD; empty means the real date
    base_dir: str = "."  # folder relative paths in the file are resolved from

    def today_date(self) -> date:
        return date.fromisoformat(self.today) if self.today else date.today()

    def resolve(self, path: str) -> Path:
        p = Path(path).expanduser()
        return p if p.is_absolute() else Path(self.base_dir) / p

    @property
    def out_dir(self) -> Path:
        return self.resolve(self.report.out)

    @property
    def history_path(self) -> Path:
        return (
            self.resolve(self.report.history)
            if self.report.history
            else self.out_dir / ("history.sqlite")
        )


FAIL_ON_VALUES = ("error", "warning", "notice", "never")


def _describe(tp: Any) -> str:
    origin = get_origin(tp)
    if origin is list:
        return f"a list of {_plural(get_args(tp)[0])}"
    if origin is dict:
        return "a table"
    return {str: "a string", int: "a whole number", float: "a number", bool: "true or false"}.get(
        tp, getattr(tp, "__name__", str(tp))
    )


def _plural(tp: Any) -> str:
    """What a list holds, in the plural: "a list of strings", never "of a string"."""
    return {
        str: "strings",
        int: "whole numbers",
        float: "numbers",
        bool: "true or false values",
    }.get(tp, "tables" if get_origin(tp) is dict else _describe(tp))


def _convert(value: Any, tp: Any, where: str) -> Any:
    """Check one value against its declared type; return it converted."""
    origin = get_origin(tp)
    if origin is list:
        if not isinstance(value, list):
            raise ConfigError(f"{where} must be {_describe(tp)}, not {value!r}")
        (item_tp,) = get_args(tp)
        return [_convert(v, item_tp, f"{where}[{i}]") for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"{where} must be a table of names to values, not {value!r}")
        _key_tp, val_tp = get_args(tp)
        return {str(k): _convert(v, val_tp, f"{where}.{k}") for k, v in value.items()}
    if tp is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where} must be true or false, not {value!r}")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where} must be a whole number, not {value!r}")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{where} must be a number, not {value!r}")
        if not math.isfinite(value):  # inf waits or reads for ever, nan passes every test
            raise ConfigError(f"{where} must be an ordinary number, not {value!r}")
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where} must be a string, not {value!r}")
        return value
    if hasattr(tp, "__dataclass_fields__"):
        if not isinstance(value, dict):
            raise ConfigError(f"{where} must be a table, not {value!r}")
        return _build(tp, value, where)
    raise ConfigError(f"{where}: unsupported setting type")  # pragma: no cover


def _build(cls: type, data: dict[str, Any], where: str, base: Any = None) -> Any:
    hints = get_type_hints(cls)
    names = [f.name for f in fields(cls)]
    obj = base if base is not None else cls()
    for key, value in data.items():
        if key not in names:
            near = difflib.get_close_matches(key, names, n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            prefix = f"{where}." if where else ""
            raise ConfigError(f"unknown setting '{prefix}{key}'{hint}")
        name = f"{where}.{key}" if where else key
        current = getattr(obj, key)
        if hasattr(current, "__dataclass_fields__") and isinstance(value, dict):
            _build(type(current), value, name, base=current)
        else:
            setattr(obj, key, _convert(value, hints[key], name))
    return obj


def validate(config: Config, rule_ids: Collection[str] | None = None) -> Config:
    """Check values that types alone cannot: ranges, choices, patterns, dates. Rule ids in
    ``checks.disable`` and ``checks.severity`` are checked against ``rule_ids`` when given:
    the rule catalogue belongs to the checks, a layer above this one, so the application
    layer passes it in (``content_audit.settings.load_config``)."""

    def need(cond: bool, message: str) -> None:
        if not cond:
            raise ConfigError(message)

    config.site.start_urls = [_scheme_lowered(u) for u in config.site.start_urls]
    config.site.sitemaps = [_scheme_lowered(u) for u in config.site.sitemaps]
    for url in config.site.start_urls + config.site.sitemaps:
        # first, and without the address: it would print the password it holds
        need(
            not _has_credentials(url),
            "site.start_urls: a start URL must not hold a user name or password (they "
            "would be printed and stored); put them in the environment variables "
            f"{config.site.auth_user_env} and {config.site.auth_password_env} instead",
        )
        need(
            re.match(r"^https?://[^/\s]+", url) is not None,
            f"site.start_urls: {url!r} is not an http(s) URL",
        )
        problem = url_problem(url)
        need(not problem, f"site.start_urls: {url!r} is not a valid web address: {problem}")
    for key in ("include", "exclude"):
        for pattern in getattr(config.site, key):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(
                    f"site.{key}: {pattern!r} is not a valid pattern ({exc})"
                ) from exc
    for pattern in config.links.exclude:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"links.exclude: {pattern!r} is not a valid pattern ({exc})") from exc
    need(config.site.max_pages > 0, "site.max_pages must be at least 1")
    need(config.site.max_depth >= 0, "site.max_depth must be 0 or more")
    need(config.crawl.concurrency > 0, "crawl.concurrency must be at least 1")
    need(config.crawl.per_host_concurrency > 0, "crawl.per_host_concurrency must be at least 1")
    need(
        0 < config.crawl.other_hosts_share <= 1,
        "crawl.other_hosts_share must be more than 0 and at most 1, "
        f"not {config.crawl.other_hosts_share:g}",
    )
    # upper bounds too: a night has hours, not years (a delay of 1e9 s hangs like inf)
    crawl = config.crawl
    need(0 <= crawl.delay <= 60, f"crawl.delay must be from 0 to 60 seconds, not {crawl.delay:g}")
    need(
        0 < crawl.timeout <= 600,
        f"crawl.timeout must be more than 0 and at most 600 seconds, not {crawl.timeout:g}",
    )
    need(
        0 < crawl.max_size_mb <= 1024,
        f"crawl.max_size_mb must be more than 0 and at most 1024, not {crawl.max_size_mb:g}",
    )
    need(config.crawl.retries >= 0, "crawl.retries must be 0 or more")
    need(
        0 <= config.links.retry_after_max <= 3600,
        "links.retry_after_max must be from 0 to 3600 seconds, not "
        f"{config.links.retry_after_max:g}",
    )
    need(config.links.timeout_retries >= 0, "links.timeout_retries must be 0 or more")
    need(config.links.cache_days_ok >= 0, "links.cache_days_ok must be 0 or more")
    need(config.links.cache_days_redirect >= 0, "links.cache_days_redirect must be 0 or more")
    need(
        re.match(r"^https?://[^/\s]+", config.links.youtube_oembed) is not None,
        "links.youtube_oembed must be an http(s) URL",
    )
    for rule in config.links.hosts:
        need(bool(rule.host.strip()), "links.hosts: every rule needs a host")
    need(
        config.report.fail_on in FAIL_ON_VALUES,
        f"report.fail_on must be one of {', '.join(FAIL_ON_VALUES)}, not {config.report.fail_on!r}",
    )
    _validate_readability(config.checks, need)
    known = (lambda rule_id: rule_id in rule_ids) if rule_ids is not None else (lambda _: True)

    def unknown_rule(where: str, rule_id: str) -> str:
        near = difflib.get_close_matches(rule_id, sorted(rule_ids or ()), n=1)
        hint = f" (did you mean '{near[0]}'?)" if near else ""
        return f"{where}: unknown rule {rule_id!r}{hint}; docs/rules.md lists them"

    for rule_id in config.checks.disable:
        need(known(rule_id), unknown_rule("checks.disable", rule_id))
    for rule_id, severity in config.checks.severity.items():
        need(known(rule_id), unknown_rule("checks.severity", rule_id))
        need(
            severity in ("error", "warning", "notice"),
            f"checks.severity.{rule_id} must be error, warning or notice, not {severity!r}",
        )
    if config.today:
        try:
            date.fromisoformat(config.today)
        except ValueError as exc:
            raise ConfigError(f"today must be a date as YYYY-MM-DD, not {config.today!r}") from exc
    if config.checks.site_dictionary:
        path = config.resolve(config.checks.site_dictionary)
        need(path.is_file(), f"checks.site_dictionary: no such file {str(path)!r}")
    if config.links.ca_bundle:
        path = config.resolve(config.links.ca_bundle)
        need(path.is_file(), f"links.ca_bundle: no such file {str(path)!r}")
    if config.report.baseline:
        path = config.resolve(config.report.baseline)
        need(path.is_file(), f"report.baseline: no such file {str(path)!r}")
    return config


def _scheme_lowered(url: str) -> str:
    """HTTP://Example.org/ as http://Example.org/: the scheme is not case-sensitive."""
    scheme, sep, rest = url.strip().partition("://")
    return f"{scheme.lower()}{sep}{rest}" if sep and scheme.isalpha() else url


def _has_credentials(url: str) -> bool:
    """Whether the address carries user:password@ (it would be printed and stored)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.username is not None or parts.password is not None


def _read_text(path: Path) -> str:
    """The settings file's text, or a ConfigError that says in one line why not."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"config file not found: {path}") from exc
    except IsADirectoryError as exc:
        raise ConfigError(f"{path} is a folder, not a settings file") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path} is not a text file (TOML settings are text)") from exc
    except OSError as exc:
        raise ConfigError(f"{path} cannot be read: {exc.strerror or exc}") from exc


def _validate_readability(checks: ChecksConfig, need: Any) -> None:
    """Readability settings that would silence or flood the rules without saying so."""
    need(checks.sentence_max_words >= 5, "checks.sentence_max_words must be at least 5")
    need(checks.reading_age_target >= 5, "checks.reading_age_target must be at least 5")
    need(
        checks.reading_age_finding >= checks.reading_age_target,
        "checks.reading_age_finding must be at least checks.reading_age_target "
        f"({checks.reading_age_target:g})",
    )
    need(checks.professional_reading_age >= 5, "checks.professional_reading_age must be at least 5")
    for prefix in checks.professional_pages:
        need(
            prefix.startswith("/") or re.match(r"^https?://[^/\s]+", prefix) is not None,
            f"checks.professional_pages: {prefix!r} must be a path starting with / or an "
            "http(s) URL",
        )


def load(
    path: str | Path | None = None,
    overrides: dict[str, Any] | None = None,
    rule_ids: Collection[str] | None = None,
) -> Config:
    """Defaults, then the TOML file, then overrides (dotted keys from command-line flags);
    ``rule_ids``, when given, are the rule ids the settings may name (see ``validate``)."""
    config = Config()
    if path is not None:
        path = Path(path)
        text = _read_text(path)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
        config = _build(Config, data, "")
        if "base_dir" not in data:
            config.base_dir = str(path.parent)
    for dotted, value in (overrides or {}).items():
        section, _, key = dotted.rpartition(".")
        nested: dict[str, Any] = {key: value}
        for part in reversed(section.split(".")) if section else []:
            nested = {part: nested}
        _build(Config, nested, "", base=config)
    return validate(config, rule_ids)
