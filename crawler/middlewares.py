"""Downloader middlewares: credentials scoped to the audited site, per-host politeness, and
robots.txt as RFC 9309 reads a server error."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response

from content_audit.core.policy import RequestPolicy, host_and_netloc

log = logging.getLogger(__name__)
DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"


def request_policy(crawler: Any) -> RequestPolicy:
    """The audit's request policy, which the spider builds from the settings
    (``AuditSpider.policy``). A crawler without the audit spider (a test that only names
    the middlewares) gets an empty one: no credentials, no host rules."""
    policy = getattr(getattr(crawler, "spider", None), "policy", None)
    return policy if isinstance(policy, RequestPolicy) else RequestPolicy()


class SiteAuthMiddleware:
    """Basic-auth credentials for a staging site, sent to the audited origins only.

    Scrapy's own HttpAuthMiddleware matches domains, not ports, and would send the password
    to another service on the same host; this one compares scheme, host and port (the
    policy's ``auth_for``), and runs again for every redirect hop.
    """

    def __init__(self, policy: RequestPolicy) -> None:
        self.policy = policy

    @classmethod
    def from_crawler(cls, crawler: Any) -> SiteAuthMiddleware:
        return cls(request_policy(crawler))

    def process_request(self, request: Request) -> None:
        auth = self.policy.auth_for(request.url)
        if auth:
            request.headers[b"Authorization"] = auth.encode("ascii")
        else:
            request.headers.pop(b"Authorization", None)


def slot_key(host: str, port: int | None) -> str:
    """The download slot of a request: host and port. The downloader and the scheduler's
    DownloaderAwarePriorityQueue must agree on it (``PoliteDownloader.get_slot_key``): when
    they did not, the queue saw nothing in flight for the site and let slow requests to
    other hosts take every place."""
    return host_and_netloc(host, port)[1]


class LinkPolicyMiddleware:
    """Per-host politeness and per-host request headers, applied at every redirect hop.

    * Download slots are keyed by host *and port* (Scrapy keys by host only), so two
      services on one machine, such as the audited site and a slow service next to it,
      never hold each other's places. Each slot gets ``crawl.per_host_concurrency``
      concurrent requests and ``crawl.delay`` between requests.
    * Headers from ``[[links.hosts]]`` rules are sent to the matching host only: a redirect
      to another host drops them again.
    """

    def __init__(self, policy: RequestPolicy) -> None:
        self.policy = policy

    @classmethod
    def from_crawler(cls, crawler: Any) -> LinkPolicyMiddleware:
        return cls(request_policy(crawler))

    def process_request(self, request: Request) -> None:
        from scrapy.utils.httpobj import urlparse_cached

        parsed = urlparse_cached(request)
        host, netloc = host_and_netloc(parsed.hostname or "", parsed.port)
        request.meta["download_slot"] = netloc
        if request.url in request.meta.get("redirect_urls", ()):
            # back at an address this chain already visited: a loop, stop now rather than
            # after REDIRECT_MAX_TIMES requests
            raise IgnoreRequest(f"redirect loop: {request.url} redirects back to itself")
        for name in request.meta.pop("audit_rule_headers", []):
            request.headers.pop(name, None)
        added = self.policy.headers_for_host(host, netloc)
        for name, value in added.items():
            request.headers[name] = value
        if added:
            request.meta["audit_rule_headers"] = list(added)


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
