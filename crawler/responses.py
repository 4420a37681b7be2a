"""What an HTTP answer says: its raw facts as a Fetch, where a redirect leads that is not
followed, and the text of a page (its character set, or bytes that are no page at all).
Read alike by the page callbacks (crawler.spider) and the link checks (crawler.linkcheck).
"""

from __future__ import annotations

import re
import time

from scrapy.http import Response, TextResponse

from content_audit.core.model import Fetch

# request.meta key: when the transfer that answered began (the downloader stamps it each
# time a slot takes a request: PoliteDownloader). A fetch's elapsed_ms is that answer's
# own time (the last hop's, after redirects), never the time it waited in the scheduler.
STARTED = "audit_started"

HTML_TYPES = ("text/html", "application/xhtml+xml")
KEPT_HEADERS = ("content-type", "content-length", "etag", "last-modified", "retry-after",
                "cf-mitigated", "server", "location")  # fmt: skip


def response_headers(response: Response) -> dict[str, str]:
    headers = {}
    for name in KEPT_HEADERS:
        value = response.headers.get(name)
        if value is not None:
            headers[name] = value.decode("latin-1")
    return headers


def fetch_from_response(response: Response, url: str) -> Fetch:
    """The raw facts of an HTTP answer, including the redirect hops that led to it."""
    meta = response.meta
    hops = meta.get("redirect_urls", [])
    reasons = meta.get("redirect_reasons", [])
    redirects = [
        (u, int(r) if isinstance(r, int) else 0) for u, r in zip(hops, reasons, strict=False)
    ]
    started = meta.get(STARTED)
    elapsed = int((time.monotonic() - started) * 1000) if started else 0
    return Fetch(
        url=url,
        final_url=response.url,
        status=response.status,
        content_type=(response.headers.get("Content-Type") or b"").decode("latin-1"),
        size=len(response.body),
        elapsed_ms=elapsed,
        redirects=redirects,
        method=response.request.method if response.request else "GET",
        headers=response_headers(response),
    )


def unfollowed_redirect(response: Response) -> str:
    """Why a redirect was not followed, in plain words, or "": Scrapy follows http(s)
    redirects only, and hands back one to file:///etc/passwd or ftp:// as it came."""
    if response.status not in (301, 302, 303, 307, 308):
        return ""
    location = (response.headers.get("Location") or b"").decode("latin-1").strip()
    if not location:
        return ""
    scheme = location.partition(":")[0].lower() if ":" in location else ""
    if scheme in ("http", "https") or "/" in scheme or not scheme:
        return ""
    shown = location if len(location) <= 200 else location[:200] + "..."
    return (
        f"it redirects to {shown}, which is not a web address ({scheme}:), so browsers stop there"
    )


# share of a page's first characters that may be control characters or undecodable bytes
# before it counts as binary data sent as text/html: real pages, even in the wrong
# character set (decode_html), have next to none; random bytes have about half
UNREADABLE_SHARE = 0.1
UNREADABLE_SAMPLE = 65536


_UNREADABLE = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def looks_binary(text: str) -> bool:
    """Whether decoded "HTML" is really binary data (an image, a zip, random bytes). On
    every page: a real page has no such character at all, and costs one regex search."""
    sample = text[:UNREADABLE_SAMPLE]
    if len(sample) < 512 or _UNREADABLE.search(sample) is None:
        return False  # a few odd characters in a tiny page are not worth a verdict
    return len(_UNREADABLE.findall(sample)) / len(sample) > UNREADABLE_SHARE


def decode_html(response: TextResponse) -> tuple[str, str]:
    """The page's text, and a note when the declared character set did not fit the bytes."""
    text = response.text
    if "\ufffd" in text and b"\xef\xbf\xbd" not in response.body:
        declared = response.encoding or "unknown"
        for fallback in ("utf-8", "cp1252"):
            if fallback == declared.lower().replace("_", "-"):
                continue
            try:
                better = response.body.decode(fallback)
            except UnicodeDecodeError:
                continue
            return better, (
                f"The page says its text is in one character set ({declared}) but it is written "
                f"in another ({fallback}), so some letters show as \ufffd."
            )
        return text, (
            f"The page says its text is in one character set ({declared}) but some of it is "
            "not, so some letters show as \ufffd."
        )
    return text, ""
