"""Downloader middlewares: credentials scoped to the audited site, per-host politeness, and
robots.txt as RFC 9309 reads a server error."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response

from content_audit.core.config import HostRule
from content_audit.core.urls import origin
from content_audit.crawler.credentials import site_auth_header

log = logging.getLogger(__name__)
DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"


class SiteAuthMiddleware:
    """Basic-auth credentials for a staging site, sent to the audited origins only.

    Scrapy's own HttpAuthMiddleware matches domains, not ports, and would send the password
    to another service on the same host; this one compares scheme, host and port, and runs
    again for every redirect hop.
    """

    def __init__(self, origins: frozenset[str], header: bytes | None) -> None:
        self.origins = origins
        self.header = header

    @classmethod
    def from_crawler(cls, crawler: Any) -> SiteAuthMiddleware:
        settings = crawler.settings
        header = site_auth_header(
            settings.get("AUDIT_AUTH_USER_ENV"), settings.get("AUDIT_AUTH_PASSWORD_ENV")
        )
        return cls(
            frozenset(settings.getlist("AUDIT_SITE_ORIGINS")),
            header.encode("ascii") if header else None,
        )

    def process_request(self, request: Request) -> None:
        if self.header and origin(request.url) in self.origins:
            request.headers[b"Authorization"] = self.header
        else:
            request.headers.pop(b"Authorization", None)


def host_matches(rule_host: str, host: str, netloc: str) -> bool:
    """A rule for "example.org" covers www.example.org too; "host:port" matches exactly."""
    return HostRule(host=rule_host).matches(host, netloc)


def slot_key(host: str, port: int | None) -> str:
    """The download slot of a request: host and port. The downloader and the scheduler's
    DownloaderAwarePriorityQueue must agree on it (``PoliteDownloader.get_slot_key``): when
    they did not, the queue saw nothing in flight for the site and let slow requests to
    other hosts take every place."""
    return f"{host}:{port}" if port else host


class LinkPolicyMiddleware:
    """Per-host politeness and per-host request headers, applied at every redirect hop.

    * Download slots are keyed by host *and port* (Scrapy keys by host only), so two
      services on one machine, such as the audited site and a slow service next to it,
      never hold each other's places. Each slot gets ``crawl.per_host_concurrency``
      concurrent requests and ``crawl.delay`` between requests.
    * Headers from ``[[links.hosts]]`` rules are sent to the matching host only: a redirect
      to another host drops them again.
    """

    def __init__(self, rules: list[dict[str, Any]]) -> None:
        self.rules = rules

    @classmethod
    def from_crawler(cls, crawler: Any) -> LinkPolicyMiddleware:
        return cls(list(crawler.settings.getlist("AUDIT_HOST_RULES")))

    def process_request(self, request: Request) -> None:
        from scrapy.utils.httpobj import urlparse_cached

        parsed = urlparse_cached(request)
        host = (parsed.hostname or "").lower()
        netloc = slot_key(host, parsed.port)
        request.meta["download_slot"] = netloc
        if request.url in request.meta.get("redirect_urls", ()):
            # back at an address this chain already visited: a loop, stop now rather than
            # after REDIRECT_MAX_TIMES requests
            raise IgnoreRequest(f"redirect loop: {request.url} redirects back to itself")
        for name in request.meta.pop("audit_rule_headers", []):
            request.headers.pop(name, None)
        added: list[str] = []
        for rule in self.rules:
            if rule.get("headers") and host_matches(rule.get("host", ""), host, netloc):
                for name, value in rule["headers"].items():
                    request.headers[name] = value
                    added.append(name)
        if added:
            request.meta["audit_rule_headers"] = added


class RobotsRfcMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with RFC 9309's rule for server errors: a robots.txt
    that answers 5xx (after the retries) means "crawl nothing" for that host this run, not
    "crawl everything" (Scrapy reads the error page's body as an empty robots.txt). A site
    whose robots.txt fails while it is being changed is left alone until it recovers."""

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if 500 <= response.status <= 599:
            log.warning(
                "robots.txt of %s answered %d: nothing there is requested this run "
                "(RFC 9309: a server error means 'crawl nothing' until it recovers)",
                netloc, response.status,
            )  # fmt: skip
            response = response.replace(body=DISALLOW_ALL)
        await super()._parse_robots(response, netloc, request)
