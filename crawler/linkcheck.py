"""Checking link targets that are not crawled as pages: other sites, documents, assets.

Each target is requested once per run, whatever number of pages use it. The response is
recorded as a Fetch; the verdict (broken, redirect, unverifiable...) is the checks' job.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from core.model import Fetch
from crawler.errors import classify_failure

if TYPE_CHECKING:
    from crawler.spider import AuditSpider


def link_request(spider: AuditSpider, key: str, url: str, internal: bool) -> scrapy.Request | None:
    """A request that checks one link target, or None when it must not be requested."""
    config = spider.config.links
    if not internal and not config.check_external:
        return None
    return scrapy.Request(
        key,
        method="HEAD",
        callback=on_response,
        errback=on_failure,
        dont_filter=True,
        cb_kwargs={"spider": spider},
        meta={"audit_kind": "link", "audit_key": key, "audit_internal": internal,
              "audit_started": time.monotonic(), "allow_offsite": True},
    )  # fmt: skip


def on_response(response: Response, spider: AuditSpider) -> Iterator[Any]:
    from crawler.spider import fetch_from_response

    request = response.request
    assert request is not None
    key = request.meta["audit_key"]
    if request.method == "HEAD" and response.status in (400, 403, 404, 405, 406, 500, 501, 503):
        # many servers refuse HEAD; only a GET answer is a verdict
        yield request.replace(
            method="GET", meta={**request.meta, "audit_head_refused": response.status}
        )
        return
    yield {"fetch": fetch_from_response(response, key), "kind": "link"}


def on_failure(failure: Failure) -> Iterator[Any]:
    request = failure.request  # type: ignore[attr-defined]
    reason, detail = classify_failure(failure)
    yield {
        "fetch": Fetch(url=request.meta.get("audit_key", request.url), final_url=request.url,
                       status=0, error=reason, error_detail=detail, method=request.method),
        "kind": "link",
    }  # fmt: skip
