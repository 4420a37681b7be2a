"""The request policy: one answer, built once from the settings, to every question about a
request the audit makes or judges.

Which origins are the audited site (and so get its credentials), which ``[[links.hosts]]``
rule covers a host (its headers, the statuses it accepts, whether it is skipped), which
link addresses are never checked, the name robots.txt rules are read for, and whether
private addresses are refused. The crawl's middlewares, the link checks, the revalidation
before the crawl (which does not go through Scrapy) and the link rules all ask this one
object, so a host rule can never apply to one of them and not to the others.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from content_audit.core.config import Config, HostRule
from content_audit.core.urls import origin

# the name robots.txt rules are read for, by the crawl (Scrapy's ROBOTSTXT_USER_AGENT,
# set in crawler.settings) and by the revalidation before it
ROBOTS_AGENT = "ContentAudit"
LOOPBACK_NAMES = frozenset({"localhost", "::1"})


def is_loopback(host: str) -> bool:
    """Whether a host name or address is this machine: nobody else can open a link to it,
    and asking it for an https:// version would tell nothing."""
    host = host.lower().strip("[]")
    return host in LOOPBACK_NAMES or host.startswith("127.") or host.endswith(".localhost")


def host_and_netloc(host: str, port: int | None) -> tuple[str, str]:
    """The lower-case host and the "host:port" a rule for a port is compared with (the
    host alone when no port is written); the download slot of a request has the same
    form (crawler.middlewares.slot_key)."""
    host = host.lower()
    return host, f"{host}:{port}" if port else host


def basic_auth(user_env: str, password_env: str, environ: Mapping[str, str]) -> str:
    """The Basic-auth Authorization value from the credentials in those environment
    variables, or "" when no user is set."""
    user = environ.get(user_env or "", "")
    if not user:
        return ""
    password = environ.get(password_env or "", "")
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


@dataclass(frozen=True, slots=True)
class RequestPolicy:
    """What every request may carry and which requests are made at all.

    Build it with ``from_config``; it reads the credentials from the environment then, and
    never shows them (not in its repr)."""

    site_origins: frozenset[str] = frozenset()
    auth: str = field(default="", repr=False)
    rules: tuple[HostRule, ...] = ()
    link_exclude: tuple[re.Pattern[str], ...] = ()
    block_private: bool = False
    robots_agent: str = ROBOTS_AGENT
    # the rule found per (host, netloc): the same few hosts are asked about on every page
    rule_cache: dict[tuple[str, str], HostRule | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @classmethod
    def from_config(cls, config: Config, environ: Mapping[str, str] | None = None) -> RequestPolicy:
        site = config.site
        return cls(
            site_origins=frozenset(origin(u) for u in site.start_urls),
            auth=basic_auth(
                site.auth_user_env,
                site.auth_password_env,
                os.environ if environ is None else environ,
            ),
            rules=tuple(config.links.hosts),
            link_exclude=tuple(re.compile(p) for p in config.links.exclude),
            block_private=config.links.block_private,
        )

    # -- the audited site ------------------------------------------------------------------
    def is_site_origin(self, url: str) -> bool:
        """Whether ``url`` is on one of the start URLs' origins (scheme, host and port):
        only these get the site's credentials, and only these may be private addresses."""
        return origin(url) in self.site_origins

    def auth_for(self, url: str) -> str:
        """The Authorization value a request to ``url`` carries, or "": the site's
        credentials go to the site's own origins only, never to another port or host."""
        return self.auth if self.auth and self.is_site_origin(url) else ""

    # -- per-host rules --------------------------------------------------------------------
    def rule_for_host(self, host: str, netloc: str) -> HostRule | None:
        """The first ``[[links.hosts]]`` rule for a host (lower case) and its netloc."""
        if not self.rules:
            return None
        key = (host, netloc)
        try:
            return self.rule_cache[key]
        except KeyError:
            pass
        found = next((rule for rule in self.rules if rule.matches(host, netloc)), None)
        self.rule_cache[key] = found
        return found

    def rule_for(self, url: str) -> HostRule | None:
        """The rule for the host of ``url``; None for none, or for an address that cannot
        be read (a bad port: link-broken says so)."""
        if not self.rules:
            return None
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return None
        return self.rule_for_host(*host_and_netloc(parts.hostname or "", port))

    def headers_for_host(self, host: str, netloc: str) -> dict[str, str]:
        """The headers the rules add to a request to this host: those of every rule that
        matches, later rules winning."""
        added: dict[str, str] = {}
        for rule in self.rules:
            if rule.headers and rule.matches(host, netloc):
                added.update(rule.headers)
        return added

    def accepted_statuses(self, url: str) -> tuple[int, ...]:
        """Statuses that count as working for the host of ``url`` (``accept_status``)."""
        rule = self.rule_for(url)
        return tuple(rule.accept_status) if rule is not None else ()

    def skips_link(self, url: str) -> bool:
        """Whether a link target is never requested: ``links.exclude`` matches it, or its
        host's rule says ``skip``."""
        if any(pattern.search(url) for pattern in self.link_exclude):
            return True
        rule = self.rule_for(url)
        return rule is not None and rule.skip

    def request_headers(self, url: str) -> dict[str, str]:
        """What a request to ``url`` carries beyond the crawl's usual headers: the site's
        credentials where they belong, then the host's rule headers."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return {}
        headers: dict[str, str] = {}
        auth = self.auth_for(url)
        if auth:
            headers["Authorization"] = auth
        headers.update(self.headers_for_host(*host_and_netloc(parts.hostname or "", port)))
        return headers
