"""Checking link targets that are not crawled as pages: other sites, documents, assets.

Each target is requested once per run, whatever number of pages use it, through Scrapy's
downloader (one engine, one politeness policy). The answer is recorded as a Fetch of raw
facts; the verdict (broken, redirect, unverifiable...) is the checks' job. What is learnt
besides the HTTP answer (title, ids, soft 404, YouTube's answer, the https:// version, the
HEAD status before a GET, retries) goes into ``Fetch.facts`` (core.model.FetchFacts).

How each target is asked (what a request may carry is core.policy's to say):

* Links to pages (``a``, ``area``, ``iframe`` without a document extension) are fetched
  with GET, because the verdict needs the body (soft 404s, #fragment ids). The body is read
  up to LINK_BODY_MAX; a non-HTML answer stops right after the headers.
* Everything else (images, scripts, stylesheets, documents) is asked with HEAD first; any
  HEAD answer of 400 or more (405, 501, 403, 404, 500...) is asked again with GET before a
  verdict, since many servers answer HEAD wrongly.
* External results are cached between runs (core.linkcache).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from content_audit.core.model import FailureKind, Fetch, FetchFacts, LinkProblem
from content_audit.core.policy import is_loopback
from content_audit.core.urls import origin
from content_audit.crawler.errors import classify_failure
from content_audit.crawler.responses import HTML_TYPES, fetch_from_response, unfollowed_redirect

if TYPE_CHECKING:
    from content_audit.crawler.spider import AuditSpider

PAGE_TAGS = ("a", "area", "iframe")
DOCUMENT_EXTENSIONS = frozenset(
    [
        ".pdf",
        ".doc",
        ".docx",
        ".xls",
        ".xlsx",
        ".ppt",
        ".pptx",
        ".odt",
        ".ods",
        ".odp",
        ".rtf",
        ".csv",
        ".zip",
        ".txt",
        ".xml",
        ".json",
        ".mp3",
        ".mp4",
        ".m4a",
        ".wav",
        ".avi",
        ".mov",
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".svg",
        ".webp",
        ".ico",
        ".css",
        ".js",
        ".woff",
        ".woff2",
        ".ttf",
        ".eps",
        ".epub",
    ]
)
LINK_BODY_MAX = 1024 * 1024  # bytes of an external page read for its title and ids
MAX_ANCHORS_CHARS = 50_000

# A page that answers 200 but tells the reader it does not exist.
_NOT_FOUND = re.compile(
    r"\b(?:page|file|document|article|content)s?\s+(?:was\s+|is\s+)?not\s+found\b"
    # 404 as the page's name ("404", "404 | Trust", "404 - Page not found") or as an error
    # ("Error 404", "404 error"); not a number in a name ("Service page 404", "Room 404")
    r"|^\W*(?:(?:oops|sorry|whoops)\W+)?404\b"
    r"|\berror\W{0,3}404\b|\b404\W{0,3}error\b"
    r"|\bnot\s+found\s*[-–—:|]?\s*$"
    r"|^\s*not\s+found\b"
    r"|\bcould\s*(?:n['’]t|\s+not)\s+(?:be\s+)?f(?:ind|ound)\s+(?:that|the|this|your)\s+page"
    r"|\b(?:page|file)\s+(?:does\s*n['’]t|does\s+not|no\s+longer)\s+exists?\b"
    r"|\bpage\s+(?:can\s*not|can['’]t)\s+be\s+found\b"
    r"|\bpage\s+(?:you\s+(?:are|were)\s+looking\s+for|you\s+requested)\s+"
    r"(?:could\s*not|can\s*not|can['’]t|does\s*n['’]t|does\s+not|is\s+no\s+longer)",
    re.IGNORECASE,
)


def says_not_found(title: str, h1: str) -> bool:
    """True when the title or main heading tells the reader the page does not exist."""
    return any(_NOT_FOUND.search(text) for text in (title, h1) if text and len(text) < 200)


def wants_body(tag: str, url: str) -> bool:
    """Whether the verdict needs the body (a page), or the headers are enough (a file)."""
    if tag not in PAGE_TAGS:
        return False
    path = urlsplit(url).path.lower()
    dot = path.rfind(".")
    return not (dot > path.rfind("/") and path[dot:] in DOCUMENT_EXTENSIONS)


# -- YouTube ----------------------------------------------------------------------------------
_YT_HOSTS = frozenset({"youtube.com", "www.youtube.com", "m.youtube.com"})
_YT_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")


def youtube_watch_url(url: str, oembed: str) -> str | None:
    """The watch URL to ask oEmbed about when ``url`` is a YouTube video, else None.

    Recognises www.youtube.com/watch?v=, /embed/, /shorts/, youtu.be/ and, for tests, the
    /youtube/watch path on the host that serves the configured oEmbed endpoint."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    video = ""
    if host in _YT_HOSTS or host == "www.youtube-nocookie.com":
        if parts.path == "/watch":
            video = parse_qs(parts.query).get("v", [""])[0]
        else:
            m = re.match(r"^/(?:embed|shorts|live)/([^/?#]+)", parts.path)
            video = m.group(1) if m else ""
    elif host == "youtu.be":
        video = parts.path.strip("/").split("/")[0]
    elif oembed and origin(url) == origin(oembed) and parts.path.endswith("/youtube/watch"):
        return url if parse_qs(parts.query).get("v") else None  # the test stand-in
    if video and _YT_ID.match(video):
        return f"https://www.youtube.com/watch?v={video}"
    return None


def oembed_url(oembed: str, watch: str) -> str:
    return f"{oembed}?url={quote(watch, safe='')}&format=json"


# -- requests ---------------------------------------------------------------------------------
def link_request(
    spider: AuditSpider, key: str, url: str, internal: bool, tag: str = "a"
) -> scrapy.Request | dict[str, Any] | None:
    """A request that checks one link target, a cached result (an item), or None when the
    target must not be requested at all (external checks off, or the request policy skips
    it: excluded, or a skipped host)."""
    config = spider.config.links
    if not internal and not config.check_external:
        return None
    if spider.policy.skips_link(url):
        return None
    if not internal and spider.link_cache is not None:
        cached = spider.link_cache.get(key)
        if cached is not None:
            return {"fetch": cached, "kind": "link"}
    meta = {"audit_kind": "link", "audit_key": key, "audit_internal": internal,
            "allow_offsite": True}  # fmt: skip
    watch = youtube_watch_url(key, config.youtube_oembed)
    if watch and tag in PAGE_TAGS:
        return scrapy.Request(
            oembed_url(config.youtube_oembed, watch),
            callback=on_oembed,
            errback=on_oembed_failure,
            dont_filter=True,
            cb_kwargs={"spider": spider},
            meta={**meta, "audit_watch": watch},
        )
    body = wants_body(tag, key)
    return scrapy.Request(
        key,
        method="GET" if body else "HEAD",
        # a body cut short at LINK_BODY_MAX must still decode: gzip and deflate do, br and
        # zstd may not
        headers={"Accept-Encoding": "gzip, deflate"},
        callback=on_response,
        errback=on_failure,
        dont_filter=True,
        cb_kwargs={"spider": spider},
        meta={**meta, "audit_want_body": body},
    )


def _html_facts(response: Response) -> FetchFacts:
    """Title, first h1 and ids/names of an HTML answer."""
    from content_audit.crawler.extract import clean, parse_html

    if not isinstance(response, TextResponse):
        return FetchFacts()
    try:
        root = parse_html(response.body)
    except Exception:  # a broken body is not a broken link
        return FetchFacts()
    if root is None:
        return FetchFacts()
    title_el = root.find(".//title")
    title = clean(title_el.text_content()) if title_el is not None else ""
    h1_el = root.find(".//h1")
    h1 = clean(h1_el.text_content()) if h1_el is not None else ""
    anchors = {el.get("id") for el in root.iterfind(".//*[@id]")}
    anchors |= {el.get("name") for el in root.iterfind(".//a[@name]")}
    text = " ".join(sorted(a for a in anchors if a and " " not in a))
    return FetchFacts(
        title=title[:300],
        h1=h1[:300],
        anchors=text[:MAX_ANCHORS_CHARS],
        anchors_truncated="download_stopped" in response.flags or len(text) > MAX_ANCHORS_CHARS,
        problem=LinkProblem.SOFT_404 if says_not_found(title, h1) else None,
    )


def on_response(response: Response, spider: AuditSpider) -> Iterator[Any]:
    request = response.request
    assert request is not None
    key = request.meta["audit_key"]
    if request.method == "HEAD" and response.status >= 400:
        # many servers refuse or mishandle HEAD: only a GET answer is a verdict
        yield request.replace(
            method="GET", meta={**request.meta, "audit_head_refused": response.status}
        )
        return
    fetch = fetch_from_response(response, key)
    nowhere = unfollowed_redirect(response)
    if nowhere:
        fetch.status, fetch.error, fetch.error_detail = 0, FailureKind.BAD_REDIRECT, nowhere
        yield finish(spider, fetch, request.meta.get("audit_internal", False))
        return
    if "audit_head_refused" in request.meta:
        fetch.facts.head_status = int(request.meta["audit_head_refused"])
    for flag in response.flags:
        if flag.startswith("retry-after-too-long:"):
            fetch.facts.retry_after_too_long = flag.split(":", 1)[1]
    if request.meta.get("audit_retry_times") or request.meta.get("retry_times"):
        fetch.facts.retries = int(request.meta.get("retry_times", 0))
    ctype = fetch.content_type.split(";")[0].strip().lower()
    if request.meta.get("audit_want_body") and response.status == 200 and ctype in HTML_TYPES:
        fetch.facts.update(_html_facts(response))
    yield from _maybe_probe_https(spider, fetch, request.meta.get("audit_internal", False))


def on_failure(failure: Failure) -> Iterator[Any]:
    request = failure.request  # type: ignore[attr-defined]
    spider = request.cb_kwargs.get("spider")
    reason, detail = classify_failure(failure)
    if reason is FailureKind.TIMEOUT:
        seconds = request.meta.get("download_timeout")
        if seconds:
            detail = f"the server took more than {seconds:g} s to answer"
    fetch = Fetch(url=request.meta.get("audit_key", request.url), final_url=request.url,
                  status=0, error=reason, error_detail=detail, method=request.method)  # fmt: skip
    if spider is None:  # pragma: no cover - always set by link_request
        yield {"fetch": fetch, "kind": "link"}
        return
    yield from _maybe_probe_https(spider, fetch, request.meta.get("audit_internal", False))


# -- http:// links: does the https:// version answer? ----------------------------------------
# failures an https:// version would not mend: no probe
NOT_ASKED_AGAIN = frozenset({FailureKind.DNS, FailureKind.BLOCKED_ADDRESS, FailureKind.ROBOTS})


def _maybe_probe_https(spider: AuditSpider, fetch: Fetch, internal: bool) -> Iterator[Any]:
    parts = urlsplit(fetch.url)
    final = urlsplit(fetch.final_url)
    if (
        internal
        or parts.scheme != "http"
        or is_loopback(parts.hostname or "")
        or (fetch.status == 0 and fetch.error in NOT_ASKED_AGAIN)
    ):
        yield finish(spider, fetch, internal)
        return
    if final.scheme == "https" and fetch.status and fetch.status < 400:
        fetch.facts.https = fetch.final_url  # it already redirects there
        yield finish(spider, fetch, internal)
        return
    secure = urlunsplit(("https", parts.netloc, parts.path, parts.query, ""))
    timeout = min(spider.config.crawl.timeout, 10.0)
    yield scrapy.Request(
        secure,
        method="HEAD",
        callback=_on_https_probe,
        errback=_on_https_probe_failed,
        dont_filter=True,
        cb_kwargs={"spider": spider, "fetch": fetch},
        meta={"audit_kind": "probe", "dont_retry": True, "download_timeout": timeout,
              "allow_offsite": True},
    )  # fmt: skip


def _on_https_probe(response: Response, spider: AuditSpider, fetch: Fetch) -> Iterator[Any]:
    if response.status < 400 or response.status in (405, 501):
        fetch.facts.https = response.url
    yield finish(spider, fetch, False)


def _on_https_probe_failed(failure: Failure) -> Iterator[Any]:
    request = failure.request  # type: ignore[attr-defined]
    yield finish(request.cb_kwargs["spider"], request.cb_kwargs["fetch"], False)


# -- YouTube --------------------------------------------------------------------------------
def on_oembed(response: Response, spider: AuditSpider) -> Iterator[Any]:
    request = response.request
    assert request is not None
    key = request.meta["audit_key"]
    status = response.status
    fetch = Fetch(url=key, final_url=key, status=200, method="GET",
                  facts=FetchFacts(oembed=status))  # fmt: skip
    if status == 200:
        try:
            title = str(response.json().get("title", ""))  # type: ignore[attr-defined]
        except Exception:
            title = ""
        fetch.facts.title = title[:300]
    elif status in (400, 404):
        fetch.facts.problem = LinkProblem.YOUTUBE_REMOVED
    elif status in (401, 403):
        fetch.facts.problem = LinkProblem.YOUTUBE_PRIVATE
    else:
        fetch.status = 0
        fetch.error = FailureKind.YOUTUBE_UNKNOWN
        fetch.error_detail = f"YouTube did not say whether the video is available ({status})"
    yield finish(spider, fetch, False)


def on_oembed_failure(failure: Failure) -> Iterator[Any]:
    request = failure.request  # type: ignore[attr-defined]
    reason, detail = classify_failure(failure)
    fetch = Fetch(url=request.meta["audit_key"], final_url=request.meta["audit_key"], status=0,
                  error=FailureKind.YOUTUBE_UNKNOWN,
                  error_detail=f"YouTube did not say whether the video is available ({detail})",
                  facts=FetchFacts(oembed_error=reason))  # fmt: skip
    yield finish(request.cb_kwargs["spider"], fetch, False)


def finish(spider: AuditSpider, fetch: Fetch, internal: bool) -> dict[str, Any]:
    """The item for the run store; healthy external results also go into the cache."""
    if not internal and spider.link_cache is not None:
        spider.link_cache.put(fetch)
    return {"fetch": fetch, "kind": "link"}
