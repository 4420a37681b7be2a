"""Retries that respect the server: Retry-After on 429/503, and fewer retries for timeouts
on link checks.

Scrapy's RetryMiddleware retries 429 straight away and ignores Retry-After (scrapy#3849),
which turns a polite "come back in a second" into a broken-link report. This middleware
replaces it: the retry waits for the time the server asked for (up to
``links.retry_after_max`` seconds) with an asynchronous sleep, so the reactor keeps serving
every other request meanwhile. A wait longer than the budget is not attempted: the answer
stands as it is (a 429 that never clears is "unverifiable", never "broken").
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import DownloadTimeoutError
from scrapy.http import Request, Response
from scrapy.utils.asyncio import sleep
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import response_status_message
from twisted.internet.error import TimeoutError as TwistedTimeoutError

log = logging.getLogger(__name__)

HOST_BUDGET_FACTOR = 3  # seconds of waiting per host per run: this many times the longest wait
DEFAULT_BACKOFF = 0.5  # seconds before the first retry when the server gives no Retry-After


def parse_retry_after(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():  # "²".isdigit() is True, and float("²") fails
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError, AttributeError):
        return None  # any other junk: no wait was asked for
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
    except OverflowError:
        return None


class RetryAfterMiddleware(RetryMiddleware):
    """RetryMiddleware with Retry-After, bounded back-off and link-specific timeout retries."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.retry_after_max = settings.getfloat("AUDIT_RETRY_AFTER_MAX", 30.0)
        # Waiting is bounded per host too: a host that rate-limits every link would otherwise
        # keep dozens of requests asleep (each holding one of the run's concurrent places).
        self.host_budget = HOST_BUDGET_FACTOR * self.retry_after_max
        self.waited: dict[str, float] = {}
        self.link_timeout_retries = settings.getint("AUDIT_LINK_TIMEOUT_RETRIES", 1)

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if request.meta.get("dont_retry", False):
            return response
        if response.status not in self.retry_http_codes:
            return response
        if request.method == "HEAD" and request.meta.get("audit_kind") == "link":
            return response  # the GET fallback asks again, with its own retries
        wait = parse_retry_after(response.headers.get("Retry-After"))
        attempt = request.meta.get("retry_times", 0)
        if wait is None:
            wait = min(DEFAULT_BACKOFF * (2**attempt), self.retry_after_max)
        elif wait > self.retry_after_max:
            log.info(
                "%s asks to wait %.0f s (more than %.0f s): not retried",
                request.url, wait, self.retry_after_max,
            )  # fmt: skip
            response.flags.append(f"retry-after-too-long:{wait:.0f}")
            return response
        host = urlparse_cached(request).netloc
        if wait > 0 and self.waited.get(host, 0.0) + wait > self.host_budget:
            log.info("%s: waiting budget for %s used up: not retried", request.url, host)
            response.flags.append(f"retry-after-too-long:{wait:.0f}")
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        if wait > 0:
            self.waited[host] = self.waited.get(host, 0.0) + wait
            await sleep(wait)  # asynchronous: every other request carries on meanwhile
        return retry

    def process_exception(self, request: Request, exception: Exception) -> Request | None:  # type: ignore[override]
        timeout = isinstance(exception, DownloadTimeoutError | TwistedTimeoutError | TimeoutError)
        link = request.meta.get("audit_kind") == "link"
        if timeout and link and request.meta.get("retry_times", 0) >= self.link_timeout_retries:
            return None
        return super().process_exception(request, exception)
