"""What a link target's answer means: ok, broken, a redirect, a soft 404, or not checkable.

``judge`` reads the raw facts the crawl recorded for one URL (a ``Fetch``: status, redirect
hops, the failure's kind) and returns a ``Verdict`` with a reason and the words a content
owner reads. The link rules (``checks/links.py``) turn verdicts into findings; kept apart,
the verdicts can be tested on their own and read by other checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from content_audit.core.model import FailureKind, Fetch, LinkProblem

STATUS_WORDS = {
    400: "the server did not understand the request (400)",
    401: "the page needs a login (401)",
    403: "access is forbidden (403)",
    404: "the page no longer exists (404)",
    405: "the server does not allow this page to be opened (405)",
    408: "the server gave up waiting (408)",
    410: "the page has been removed for good (410)",
    429: "the server kept answering 'too many requests' (429)",
    451: "the page is not available for legal reasons (451)",
    500: "the server had an error (500)",
    502: "the server's gateway failed (502)",
    503: "the service is unavailable (503)",
    504: "the server's gateway timed out (504)",
    999: "the site refuses automated checks (999)",
}
CONNECTION_ERRORS = ("refused", "reset", "error")
PERMANENT = (301, 308)


@dataclass(frozen=True, slots=True)
class Verdict:
    kind: str  # ok, broken, page-error, redirect, unverifiable, soft-404
    reason: str = ""
    why: str = ""  # plain words: "the page no longer exists (404)"


OK = Verdict("ok")


def describe_status(status: int) -> str:
    if status in STATUS_WORDS:
        return STATUS_WORDS[status]
    if status >= 500:
        return f"the server had an error ({status})"
    return f"the server refused the request ({status})"


def judge(fetch: Fetch, internal: bool = False, accept: tuple[int, ...] = ()) -> Verdict:
    """The verdict for one fetched target. ``internal``: the target is on the audited site
    (robots.txt refusals there are the site's own choice). ``accept``: statuses a host rule
    calls fine. A failing page of the site is also reported as page-error on itself."""
    if fetch.status == 0:
        return _judge_failure(fetch, internal)
    status = fetch.status
    if status in accept:
        return OK
    via = f" (after redirecting to {fetch.final_url})" if fetch.redirects else ""
    if status == 999:
        return Verdict("unverifiable", "blocked", STATUS_WORDS[999])
    if status == 429:
        return Verdict("unverifiable", "rate-limited", STATUS_WORDS[429] + _after_retries(fetch))
    facts = fetch.facts
    if status == 503 and facts.retry_after_too_long:
        # down for maintenance, by its own account: not seen to persist, so not "broken"
        wait = facts.retry_after_too_long
        return Verdict(
            "unverifiable",
            "temporarily-unavailable",
            f"the service is unavailable for now (503) and asked to be tried again in {wait} s",
        )
    if status in (401, 403):
        if "cf-mitigated" in fetch.headers:
            why = f"the site's bot protection blocked the check ({status})"
        else:
            why = f"the server refuses automated checks ({status})"
        return Verdict("unverifiable", "blocked", why)
    if status in (404, 410):
        return Verdict("broken", "gone", describe_status(status) + via)
    if 400 <= status < 500:
        return Verdict("broken", "client-error", describe_status(status) + via)
    if status >= 500:
        why = describe_status(status) + _after_retries(fetch) + via
        return Verdict("broken", "server-error", why)
    problem = facts.problem
    if problem is LinkProblem.SOFT_404:
        title = facts.title or facts.h1 or ""
        shown = f' ("{title}")' if title else ""
        return Verdict(
            "soft-404", "not-found-page", f"the page it opens says it does not exist{shown}"
        )
    if problem is LinkProblem.YOUTUBE_REMOVED:
        return Verdict(
            "soft-404",
            "video-removed",
            "YouTube says this video does not exist any more (it was removed or the "
            "address is wrong; YouTube's own video check answered "
            f"{facts.oembed if facts.oembed is not None else 404})",
        )
    if problem is LinkProblem.YOUTUBE_PRIVATE:
        return Verdict(
            "soft-404",
            "video-private",
            "YouTube says this video is private or restricted, so most people cannot watch it "
            "(YouTube's own video check answered "
            f"{facts.oembed if facts.oembed is not None else 401})",
        )
    if fetch.redirects and fetch.final_url and fetch.final_url != fetch.url:
        return Verdict("redirect", "redirect", f"redirects to {fetch.final_url}")
    return OK


def _after_retries(fetch: Fetch) -> str:
    retries = fetch.facts.retries
    wait = fetch.facts.retry_after_too_long
    if wait:
        return f", and asked to be tried again in {wait} s, longer than the audit waits"
    if retries:
        return f", and still did after {retries} more {'try' if retries == 1 else 'tries'}"
    return ""


def _judge_failure(fetch: Fetch, internal: bool) -> Verdict:
    error = fetch.error
    detail = fetch.error_detail or str(error) or "no answer"
    if error == FailureKind.ROBOTS:
        if internal:
            return OK  # the site itself asks not to be crawled there: not a defect
        return Verdict(
            "unverifiable", "robots", "the other site's robots.txt asks automated tools not to"
        )
    if error == FailureKind.BLOCKED_ADDRESS:
        return Verdict(
            "unverifiable",
            "private-address",
            "not checked: it points to a private or internal network address",
        )
    if error == FailureKind.YOUTUBE_UNKNOWN:
        return Verdict("unverifiable", "unknown", detail)
    if error == FailureKind.TOO_LARGE:
        # the server answered, with more than the audit reads: not broken, not verified
        return Verdict("unverifiable", "too-large", detail)
    if error == FailureKind.IGNORED:
        return OK  # nothing was asked: nothing to report
    if error == FailureKind.DNS:
        kind, reason = "broken", "gone"
    elif error == FailureKind.TIMEOUT:
        kind, reason = "broken", "timeout"
    elif error == FailureKind.TLS:
        kind, reason = "broken", "tls"
    elif error == FailureKind.REDIRECT_LOOP:
        kind, reason = "broken", "redirect-loop"
        detail = "the address redirects in a loop and never reaches a page"
    else:
        kind, reason = "broken", "connection"
    return Verdict(kind, reason, detail)
