"""Link verdicts: each link on each page, judged from the one fetch of its target.

Findings are per page: ``url`` is the page, ``target`` the link as resolved, ``text`` the
link text, so a content owner sees where to fix it; the report groups them by target. A
target used several times on one page gives one finding per rule on that page, with the
number of uses in ``details["occurrences"]``.

What is never reported as broken: refusals of automated checks (401/403 to bots, 999,
a 429 that never clears, robots.txt), private addresses not requested, and a HEAD refusal
(the crawler always confirms with GET first). ``details["reason"]`` says which class of
failure it is: gone, client-error, server-error, timeout, tls, connection, redirect-loop,
blocked, rate-limited, temporarily-unavailable, robots, private-address, too-large,
not-found-page, video-removed, video-private, unknown.

Redirect decision: a chain of hops is one finding. Permanent (301/308 first hop): warning.
Temporary (302/303/307 first): notice. A chain whose every hop only adds or removes a
trailing slash, or only moves http to https on the same host, is a notice ("tidy-up");
when the link is http:// and reported as link-insecure, a scheme-only redirect is not
reported again.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from urllib.parse import urlsplit

from content_audit.checks.engine.link_verdicts import PERMANENT, Verdict, describe_status, judge
from content_audit.checks.engine.registry import (
    CheckContext,
    SiteCheck,
    define,
    page_check,
    site_check,
)
from content_audit.checks.engine.text import page_blocks
from content_audit.checks.readability import listing_kind
from content_audit.core.model import FailureKind, Fetch, Finding, Link, Page
from content_audit.core.policy import RequestPolicy, is_loopback
from content_audit.core.urls import Scope, host_of, normalise, origin, url_problem

LINK_BROKEN = define(
    "link-broken",
    "error",
    "The link leads nowhere: people following it get an error instead of the page.",
    "Update the link to the page's new address, or remove it.",
    "links",
    name="Broken link",
)
LINK_REDIRECT = define(
    "link-redirect",
    "warning",
    "The link goes through a redirect; redirects break when the other site changes again.",
    "Change the link to point straight at the final address shown.",
    "links",
    name="Redirected link",
)
LINK_UNVERIFIABLE = define(
    "link-unverifiable",
    "notice",
    "The other site refuses automated checks, so this link could not be verified.",
    "Open the link yourself once to confirm it still works.",
    "links",
    name="Link could not be checked",
)
LINK_FRAGMENT = define(
    "link-fragment-missing",
    "warning",
    "The link points at a section of a page that does not exist, so readers land at the top "
    "of the page instead of the part they need.",
    "Point the link at a section that exists (or at the page itself).",
    "links",
    name="Link to a missing section",
)
LINK_INSECURE = define(
    "link-insecure",
    "warning",
    "The link uses http://, so browsers mark the page it opens as not secure.",
    "Change the link to the https:// address.",
    "links",
    name="Insecure (http) link",
)
LINK_DUPLICATE = define(
    "link-duplicate",
    "notice",
    "The page repeats a link, or uses the same link text for different places, which "
    "confuses people who move from link to link with a screen reader.",
    "Keep one link to each place, and give links to different places different text.",
    "links",
    name="Repeated link",
)
LINK_TEXT = define(
    "link-text-unhelpful",
    "warning",
    "The link text does not say where the link goes; screen reader users often hear links "
    "on their own, out of context.",
    "Use words that describe the destination, such as the title of the page it opens.",
    "links",
    name="Unhelpful link text",
)
LINK_SOFT_404 = define(
    "link-soft-404",
    "warning",
    "The link opens a page that says it does not exist (or a video that was removed), even "
    "though the server answers as if all is well.",
    "Find the content's new address, or remove the link.",
    "links",
    name="Link to a 'page not found' page",
)
SITEMAP_PROBLEM = define(
    "sitemap-problem",
    "warning",
    "The site's sitemap (the list of pages it gives search engines) cannot be followed as "
    "it is, so search engines, and this audit, may miss pages.",
    "Ask the web team to fix the sitemap, as the finding says.",
    "links",
    name="Sitemap problem",
)
PAGE_ERROR = define(
    "page-error",
    "error",
    "A page of the site could not be loaded, so nobody can read it.",
    "Ask the web team to fix the page or remove the links to it.",
    "links",
    name="Page error",
)


# -- helpers ------------------------------------------------------------------------------
def link_results_of(ctx: CheckContext) -> Mapping[str, Fetch]:
    return ctx.link_results or {}


def ignored_links(ctx: CheckContext) -> tuple[str, ...]:
    ignore = ctx.extra.get("links.ignore")
    if ignore is None:  # a tuple, once: normalise() is called millions of times on big sites
        params = ctx.full_config.site.ignore_query_params if ctx.full_config else ()
        ignore = ctx.extra["links.ignore"] = tuple(params)
    return ignore


def _scope(ctx: CheckContext) -> Scope:
    scope = ctx.extra.get("links.scope")
    if scope is None:
        if ctx.full_config is not None and ctx.full_config.site.start_urls:
            site = ctx.full_config.site
            scope = Scope(site.start_urls, site.allowed_hosts)
        else:
            scope = Scope([ctx.site_origin] if ctx.site_origin else [], list(ctx.site_hosts))
        ctx.extra["links.scope"] = scope
    return scope


def request_policy(ctx: CheckContext) -> RequestPolicy | None:
    """The request policy the crawl obeyed, once per run (None without the settings)."""
    if ctx.full_config is None:
        return None
    policy = ctx.extra.get("links.policy")
    if policy is None:
        policy = ctx.extra["links.policy"] = RequestPolicy.from_config(ctx.full_config, {})
    return policy


def _accept(ctx: CheckContext, url: str) -> tuple[int, ...]:
    """The statuses the host of ``url`` accepts as working (``[[links.hosts]]``)."""
    policy = request_policy(ctx)
    return policy.accepted_statuses(url) if policy is not None else ()


def _probes(ctx: CheckContext) -> dict[str, Fetch]:
    """The site's answer to an address that cannot exist, per origin (soft-404 template)."""
    probes = ctx.extra.get("links.probes")
    if probes is None:
        probes = {
            f.facts.probe: f
            for f in link_results_of(ctx).values()
            if f.facts.probe is not None and f.status == 200
        }
        ctx.extra["links.probes"] = probes
    return probes


def is_site_template_404(fetch: Fetch, ctx: CheckContext) -> bool:
    probe = _probes(ctx).get(origin(fetch.final_url or fetch.url))
    if probe is None or fetch.status != 200:
        return False
    facts, template = fetch.facts, probe.facts
    if not facts.content_hash:
        return False
    return (
        (facts.title or "") == (template.title or "")
        and (facts.h1 or "") == (template.h1 or "")
        and facts.content_hash == (template.content_hash or "")
    )


def _where(link: Link, fetch: Fetch | None, links: list[Link]) -> dict:
    details: dict = {"link_text": link.text, "region": link.region, "tag": link.tag}
    if fetch is not None:
        details["status"] = fetch.status
        if fetch.facts.cached:
            details["checked"] = fetch.facts.cached
    if len(links) > 1:
        details["occurrences"] = len(links)
        details["texts"] = list(dict.fromkeys(x.text for x in links))
    return details


def _redirect_finding(page: Page, link: Link, fetch: Fetch, details: dict) -> Finding | None:
    chain = [url for url, _ in fetch.redirects] + [fetch.final_url]
    codes = [code for _, code in fetch.redirects]
    tidy = _tidy_kind(chain)
    if tidy == "https" and urlsplit(link.url).scheme == "http" and _insecure_applies(link.url):
        return None  # link-insecure reports it, with the https address as the fix
    # the address to use now: the end of the leading permanent hops (the whole chain when
    # every hop is permanent)
    suggestion = fetch.final_url
    for i, code in enumerate(codes):
        if code not in PERMANENT:
            suggestion = chain[i] if i > 0 else fetch.final_url
            break
    hops = len(codes)
    kind = "permanent" if codes and codes[0] in PERMANENT else "temporary"
    shown = ", ".join(str(c) for c in codes)
    home = urlsplit(fetch.final_url).path in ("", "/") and urlsplit(link.url).path not in ("", "/")
    if home and not tidy:
        message = (
            f"This link now redirects to the home page {fetch.final_url} ({shown}): the page "
            "it pointed at has probably been removed. Find its new address or remove the link."
        )
        details["probably_removed"] = True
    elif tidy:
        what = "only adds or removes a slash" if tidy == "slash" else "only moves to https"
        message = f"This link redirects to {fetch.final_url} ({what}); link straight there."
    elif kind == "permanent":
        message = (
            f"This link has moved permanently to {fetch.final_url}"
            f"{f' through {hops} redirects' if hops > 1 else ''} ({shown}). Update the link."
        )
    else:
        message = (
            f"This link redirects for now to {fetch.final_url}"
            f"{f' through {hops} redirects' if hops > 1 else ''} ({shown}). Check that the "
            "link still points at the right address."
        )
    finding = LINK_REDIRECT.finding(
        page.url, message, target=link.url, text=link.text, context=link.context or None,
        suggestion=suggestion,
        details={**details, "reason": "redirect", "hops": hops, "codes": codes,
                 "final_url": fetch.final_url, "kind": "tidy-up" if tidy else kind},
    )  # fmt: skip
    if tidy or kind == "temporary":
        finding.severity = "notice"
    return finding


def _tidy_kind(chain: list[str]) -> str:
    """ "slash" or "https" when every hop only changes a trailing slash or only the scheme
    (http to https) on the same host; "" otherwise."""
    kinds = set()
    for a, b in itertools.pairwise(chain):
        pa, pb = urlsplit(a), urlsplit(b)
        if (pa.hostname or "").lower() != (pb.hostname or "").lower() or pa.query != pb.query:
            return ""
        if pa.scheme == "http" and pb.scheme == "https" and pa.path == pb.path:
            kinds.add("https")
        elif pa.scheme == pb.scheme and pa.path.rstrip("/") == pb.path.rstrip("/"):
            kinds.add("slash")
        else:
            return ""
    if not kinds:
        return ""
    return "https" if "https" in kinds else "slash"


# -- the link verdicts ---------------------------------------------------------------------
def link_keys(page: Page, ignore: tuple[str, ...]) -> list[str]:
    """Each of the page's links as the link results are keyed (``normalise``), in order.

    The link checks ask for one page's keys in turn (four checks and the reuse digest):
    the last page's answer is kept, while its list of links is the same object, as long."""
    links = page.links
    last = _LAST_KEYS[0]
    if last is not None and last[0] is links and last[1] == len(links) and last[2] == ignore:
        return last[3]
    keys = [normalise(link.url, ignore) for link in links]
    _LAST_KEYS[0] = (links, len(links), ignore, keys)
    return keys


# (the page's list of links, its length, the ignored parameters, their keys): link_keys
_LAST_KEYS: list[tuple[list[Link], int, tuple[str, ...], list[str]] | None] = [None]


def _grouped(page: Page, ignore: tuple[str, ...]) -> dict[str, list[Link]]:
    groups: dict[str, list[Link]] = {}
    for link, key in zip(page.links, link_keys(page, ignore), strict=True):
        groups.setdefault(key, []).append(link)
    return groups


_TRY_LATER = (
    "Open the link later; if it still fails, link to another page with this advice, or "
    "remove the link."
)
# what to do about a broken link, by why it failed: (on the site's own pages, elsewhere)
_BROKEN_LINK_ACTIONS = {
    "gone": (
        "Link to the page that replaced it, or remove the link; if the page should still "
        "be there, ask the web team to put it back.",
        "Find the page's new address on that site and update the link, or remove the link.",
    ),
    "client-error": (
        "Ask the web team why the site refuses this address.",
        "Open the link in a browser: if it fails there too, find the page's new address or "
        "remove the link.",
    ),
    "server-error": (
        "Tell the web team: the site's own page has an error, which its server logs explain.",
        f"The other site had an error. {_TRY_LATER}",
    ),
    "timeout": (
        "Tell the web team: the site's own page took too long to answer.",
        f"The other site did not answer in time. {_TRY_LATER}",
    ),
    "tls": (
        "Tell the web team: the site's security certificate needs fixing, or browsers warn "
        "people away.",
        "That site's security certificate is not valid, so browsers warn people away: link "
        "to another source for this advice, or remove the link.",
    ),
    "redirect-loop": (
        "Ask the web team to fix the redirect, which goes round in a loop.",
        "Find the page's current address on that site and update the link, or remove it.",
    ),
    "connection": (
        "Tell the web team: the site's own server could not be reached at this address.",
        f"The other site could not be reached. {_TRY_LATER}",
    ),
}


def broken_link_action(reason: str, internal: bool, why: str) -> str:
    """What a content owner does about a broken link, by why it failed: a dead page is
    replaced or removed, another site's bad night is tried again, the site's own server
    error goes to the web team (who can see why), a mistyped address is corrected."""
    if "not a valid web address" in why:
        return "Correct the address in the link: it is written in a way no browser can open."
    own, elsewhere = _BROKEN_LINK_ACTIONS.get(reason, _BROKEN_LINK_ACTIONS["gone"])
    return own if internal else elsewhere


@page_check(
    rules=(
        LINK_BROKEN,
        LINK_UNVERIFIABLE,
        LINK_SOFT_404,
        LINK_REDIRECT,
    ),
    after_crawl=True,
)
def check_links(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    if page.status >= 400 or page.status == 0:
        return  # an error page's own links are the site's error template: not content
    results = link_results_of(ctx)
    scope = _scope(ctx)
    for key, links in _grouped(page, ignored_links(ctx)).items():
        fetch = results.get(key)
        if fetch is None or key == page.url:
            continue  # unchecked, or a link to the page itself ("skip to content")
        link = links[0]
        internal = scope.is_site(link.url)
        verdict = judge(fetch, internal, _accept(ctx, link.url))
        if verdict.kind == "ok" and internal and is_site_template_404(fetch, ctx):
            verdict = Verdict(
                "soft-404",
                "not-found-page",
                "the page it opens is the site's 'page not found' page",
            )
        if verdict.kind == "ok":
            continue
        details = _where(link, fetch, links)
        details["reason"] = verdict.reason
        common = {"target": link.url, "text": link.text, "context": link.context or None}
        if verdict.kind == "broken":
            yield LINK_BROKEN.finding(
                page.url,
                f"Broken link: {verdict.why}.",
                details=details,
                action=broken_link_action(verdict.reason, internal, verdict.why),
                **common,
            )
        elif verdict.kind == "unverifiable":
            yield LINK_UNVERIFIABLE.finding(
                page.url,
                f"This link could not be checked: {verdict.why}. It is not reported as broken.",
                details=details,
                **common,
            )
        elif verdict.kind == "soft-404":
            yield LINK_SOFT_404.finding(
                page.url,
                f"This link looks fine to the server but {verdict.why}.",
                details=details,
                **common,
            )
        elif verdict.kind == "redirect":
            finding = _redirect_finding(page, link, fetch, details)
            if finding is not None:
                yield finding


@page_check(rules=(PAGE_ERROR,), after_crawl=True)
def check_page_error(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """A page of the site that answers with a server error, or whose content could not be
    read. (Pages that gave no HTTP answer at all are reported by LinkSiteCheck; the links
    to a failing page are link-broken on the pages that have them.)"""
    if page.status >= 500:
        yield PAGE_ERROR.finding(
            page.url,
            f"This page could not be loaded: {describe_status(page.status)}.",
            details={"status": page.status, "reason": "server-error"},
        )
    elif page.error:
        yield PAGE_ERROR.finding(
            page.url,
            f"This page could not be loaded: {page.error}.",
            details={"status": page.status, "reason": "unreadable"},
        )
    if page.links_not_kept:
        kept = len(page.links)
        yield PAGE_ERROR.finding(
            page.url,
            f"This page has {kept + page.links_not_kept:,} links and images, too many to "
            f"audit: the first {kept:,} were checked and the other "
            f"{page.links_not_kept:,} were not.",
            suggestion="Split the page into smaller pages, or ask the web team whether it "
            "is made by mistake.",
            details={"status": page.status, "reason": "too-many-links", "kept": kept,
                     "not_kept": page.links_not_kept},
        )  # fmt: skip


# -- link-insecure ----------------------------------------------------------------------------
@lru_cache(maxsize=8192)
def _insecure_applies(url: str) -> bool:
    # the scheme as written, and only for a valid address: one that is not (an unclosed
    # "[", port 99999) is reported as link-broken, once, and must not stop this check
    return url[:5].lower() == "http:" and not is_loopback(host_of(url)) and not url_problem(url)


@page_check(rules=(LINK_INSECURE,), after_crawl=True)
def check_insecure(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    results = link_results_of(ctx)
    site_hosts = {host_of(o) for o in _scope(ctx).origins} | set(_scope(ctx).hosts)
    site_is_https = urlsplit(ctx.site_origin or page.url).scheme == "https"
    for key, links in _grouped(page, ignored_links(ctx)).items():
        link = links[0]
        if not _insecure_applies(link.url):
            continue
        own = host_of(link.url) in site_hosts
        if own and not site_is_https:
            continue  # the whole site is served over http: not this link's problem
        fetch = results.get(key)
        secure = "https://" + link.url.split("://", 1)[1]
        suggestion = None
        if own:
            suggestion = secure
        elif fetch is not None and fetch.facts.https:
            suggestion = fetch.facts.https
        where = "one of this site's own pages" if own else "another website"
        message = f"This link to {where} uses http://, so browsers mark it as not secure." + (
            " The https:// address works: use it." if suggestion else ""
        )
        details = _where(link, fetch, links)
        details["reason"] = "insecure"
        yield LINK_INSECURE.finding(
            page.url, message, target=link.url, text=link.text, context=link.context or None,
            suggestion=suggestion, details=details,
        )  # fmt: skip


# -- link-text-unhelpful -------------------------------------------------------------------
GENERIC_TEXTS = frozenset(
    {
        "click here", "here", "read more", "more", "link", "click", "this link", "click this link",
        "more info", "more information", "this page", "this", "go", "click here for more",
        "here for more", "read more here", "more here", "see more", "continue reading",
        "continue", "details", "more details",
    }
)  # fmt: skip
_BARE_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_EDGE_PUNCT = re.compile(r"^[\s\W_]+|[\s\W_]+$")


_WORDS_RE = re.compile(r"[^\W_]+")


@lru_cache(maxsize=8192)
def link_words(text: str) -> str:
    """Link text as a screen reader user hears it: words only, so texts that differ only
    in spacing, case or punctuation ("Watch the video , part 1" and "Watch the video,
    part 1") compare equal."""
    return " ".join(_WORDS_RE.findall(text.casefold()))


@lru_cache(maxsize=8192)
def normalise_text(text: str) -> str:
    """Link text compared as a reader sees it. Remembered: the same texts recur page after
    page (8% of the link checks' time before)."""
    return _EDGE_PUNCT.sub("", " ".join(text.split()).casefold())


@lru_cache(maxsize=8192)
def unhelpful_reason(text: str, href: str = "") -> str | None:
    """Why a link text does not work out of context, or None when it is fine. Remembered:
    menus and footers repeat the same links on every page."""
    if not text.strip():
        return "empty"
    if _BARE_URL.match(text.strip()) or (href and text.strip() == href.strip()):
        return "bare-url"
    words = normalise_text(text)
    if words in GENERIC_TEXTS or words.startswith("click here"):
        return "generic"
    return None


@page_check(rules=(LINK_TEXT,), after_crawl=True)
def check_link_text(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    results = link_results_of(ctx)
    ignore = ignored_links(ctx)
    seen: set[tuple[str, str]] = set()
    for link, key in zip(page.links, link_keys(page, ignore), strict=True):
        if link.tag != "a":
            continue
        reason = unhelpful_reason(link.text, link.href)
        if reason is None or (link.url, link.text) in seen:
            continue
        seen.add((link.url, link.text))
        fetch = results.get(key)
        title = (fetch.facts.title or "") if fetch else ""
        if reason == "empty":
            message = "This link has no text, so screen readers can only read out its address."
        elif reason == "bare-url":
            message = "This link shows a web address as its text; say what the page is instead."
        else:
            message = f'The link text "{link.text}" does not say where the link goes.'
        suggestion = (
            f'Describe the destination, for example "{title}".' if title else None
        )  # fmt: skip
        yield LINK_TEXT.finding(
            page.url, message, target=link.url, text=link.text, context=link.context or None,
            suggestion=suggestion, details={"reason": reason, "region": link.region},
        )  # fmt: skip


# -- link-duplicate ---------------------------------------------------------------------------
def _is_entry(link: Link) -> bool:
    """The link is an entry of a list (its line is little more than its text and is not a
    sentence), not a link in a sentence."""
    line = link.context.strip()
    sentence = line.endswith((".", "!", "?"))
    return not sentence and len(line.split()) <= len(link.text.split()) + 8


@page_check(rules=(LINK_DUPLICATE,), after_crawl=True)
def check_duplicates(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """In the main content: a target linked more than once (reported on the repeat), and one
    link text used for different targets. Navigation and footers repeat links by design."""
    ignore = ignored_links(ctx)
    results = link_results_of(ctx)
    # (link, where it really goes: two addresses that end at one page are one target), for
    # the links in the main content; links within the page ("back to top", contents lists)
    # repeat by design
    main: list[tuple[Link, str]] = []
    for link, key in zip(page.links, link_keys(page, ignore), strict=True):
        if link.tag != "a" or link.region != "main" or key == page.url:
            continue
        fetch = results.get(key)
        if fetch is not None and fetch.final_url and fetch.status and fetch.status < 400:
            key = normalise(fetch.final_url, ignore)
        main.append((link, key))

    # an A to Z or a directory lists a service under each name it goes by ("Wound care
    # (see leg ulcer and wound care)"): a target repeated between two of its entries is by
    # design; one repeated in a sentence of such a page is still a repeat. Whether the page
    # is a listing is asked only then: most pages repeat no target, and reading the whole
    # text for it was a fifth of the after-crawl link checks
    listing: bool | None = None
    first_by_target: dict[str, tuple[int, Link]] = {}
    for index, (link, final) in enumerate(main):
        target = youtube_video(final) or final + (f"#{link.fragment}" if link.fragment else "")
        seen = first_by_target.get(target)
        first_by_target[target] = (index, link) if seen is None else (index, seen[1])
        if seen is None:
            continue
        if _is_entry(link) and _is_entry(seen[1]):
            if listing is None:
                listing = listing_kind(page, page_blocks(page)) is not None
            if listing:
                continue
        first = seen[1]
        same_words = bool(link_words(link.text)) and link_words(link.text) == link_words(first.text)
        if index - seen[0] == 1 and not (same_words and not _wraps_image(page, first, link)):
            continue  # side by side (an image and its heading in one card): one link really
        if same_words:
            message = (
                f'The page has the same link twice: "{link.text}". Screen readers read '
                "both out; keep one of them."
            )
        else:
            message = (
                f'The page links to the same place twice: "{first.text}" and '
                f'"{link.text}". Keep one of them.'
            )
        yield LINK_DUPLICATE.finding(
            page.url,
            message,
            target=link.url,
            text=link.text,
            context=link.context or None,
            details={"reason": "same-target", "first_text": first.text},
        )
    by_text: dict[str, list[tuple[Link, str]]] = {}
    for link, final in main:
        words = link_words(link.text)
        if not words or unhelpful_reason(link.text, link.href):
            continue
        by_text.setdefault(words, []).append((link, youtube_video(final) or final))
    for links in by_text.values():
        targets = list(dict.fromkeys(final for _link, final in links))
        if len(targets) < 2:
            continue
        first = links[0][0]
        others = list(dict.fromkeys(x.url for x, final in links if final != targets[0]))
        yield LINK_DUPLICATE.finding(
            page.url,
            f'The same link text "{first.text}" goes to {len(targets)} different places; '
            "give each link text that says where it goes.",
            target=first.url,
            text=first.text,
            context=first.context or None,
            details={"reason": "same-text", "other_target": others[0], "other_targets": others},
        )


_YOUTUBE_HOSTS = frozenset(
    {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "www.youtube-nocookie.com",
     "youtube-nocookie.com"}
)  # fmt: skip
_YOUTUBE_ID_RE = re.compile(r"^[\w-]{6,20}$")


@lru_cache(maxsize=4096)
def youtube_video(url: str) -> str | None:
    """One key for the addresses of one YouTube video (watch?v=, youtu.be/, embed/,
    shorts/), with its start time, which makes a different link ("part 2 starts at 5:30");
    None for anything else (an address that cannot be read is reported as link-broken)."""
    try:
        parts = urlsplit(url)
    except ValueError:  # an unclosed "[": not YouTube, and no reason to stop the check
        return None
    if parts.hostname not in _YOUTUBE_HOSTS:
        return None
    query = dict(pair.split("=", 1) for pair in parts.query.split("&") if "=" in pair)
    path = parts.path.rstrip("/")
    if parts.hostname == "youtu.be":
        video = path.lstrip("/")
    elif path == "/watch":
        video = query.get("v", "")
    elif path.startswith(("/embed/", "/shorts/", "/live/")):
        video = path.rsplit("/", 1)[-1]
    else:
        return None
    if not _YOUTUBE_ID_RE.match(video):
        return None
    start = query.get("t") or query.get("start") or ""
    return f"youtube:{video}" + (f"@{start}" if start else "")


def _wraps_image(page: Page, *links: Link) -> bool:
    """Whether one of these links holds an image (the extractor lists an <a>'s own <img>
    right after it): an image and its caption to one place make one card, even when the
    image's alt text repeats the caption."""
    after = {link.position + 1 for link in links}
    return any(other.tag == "img" and other.position in after for other in page.links)


# -- fragments, and server errors nothing links to ---------------------------------------------
def ignorable_fragment(fragment: str) -> bool:
    """Fragments that are not element ids: #top (browsers scroll to the top), text
    fragments, app routes and viewer parameters (#page=2)."""
    f = fragment.strip()
    return not f or f.lower() == "top" or f.startswith(("!", ":~:", "/")) or "=" in f or "/" in f


def _page_anchors(ctx: CheckContext) -> Mapping[str, frozenset[str]]:
    return ctx.page_anchors or {}


def _target_anchors(link: Link, ctx: CheckContext) -> tuple[frozenset[str] | None, bool]:
    """(ids on the link's target page or None when unknown, whether the list may be partial).
    A page of the site has the ids its crawl found; another site's page, those its link
    check read."""
    ignore = ignored_links(ctx)
    key = normalise(link.url, ignore)
    fetch = link_results_of(ctx).get(key)
    if _scope(ctx).is_site(link.url):
        if fetch is not None and (fetch.status >= 400 or fetch.status == 0):
            return None, False
        final = normalise(fetch.final_url, ignore) if fetch and fetch.final_url else key
        anchors = _page_anchors(ctx)
        return anchors.get(final, anchors.get(key)), False
    if fetch is None or fetch.status != 200 or fetch.facts.anchors is None:
        return None, False
    if fetch.facts.problem:
        return None, False
    ids = frozenset(fetch.facts.anchors.split())
    if not ids:
        return None, False  # no ids at all: a page built by script; cannot judge
    return ids, fetch.facts.anchors_truncated


@page_check(rules=(LINK_FRAGMENT,), after_crawl=True)
def check_fragments(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """#fragment links to sections that the target page does not have."""
    reported: set[tuple[str, str]] = set()
    for link in page.links:
        if (
            not link.fragment
            or link.tag not in ("a", "area")
            or ignorable_fragment(link.fragment)
            or (link.url, link.fragment) in reported
        ):
            continue
        anchors, partial = _target_anchors(link, ctx)
        if anchors is None or link.fragment in anchors or partial:
            continue  # unknown, there, or only part of the page was read: cannot be sure
        reported.add((link.url, link.fragment))
        close = difflib.get_close_matches(link.fragment, sorted(anchors), n=1, cutoff=0.6)
        yield LINK_FRAGMENT.finding(
            page.url,
            f'This link goes to the section "#{link.fragment}", but that page has no such '
            "section, so readers land at the top of the page.",
            target=f"{link.url}#{link.fragment}",
            text=link.text,
            context=link.context or None,
            suggestion=f"{link.url}#{close[0]}" if close else link.url,
            details={"reason": "fragment-missing", "fragment": link.fragment,
                     "region": link.region},
        )  # fmt: skip


@site_check
class LinkSiteCheck(SiteCheck):
    """Site pages that gave no HTTP answer at all (timeout, TLS, reset): they have a fetch
    but no page, so no page check sees them. Reads the link results only, no page."""

    rules = (PAGE_ERROR, SITEMAP_PROBLEM)

    after_crawl = True

    def finish(self) -> Iterator[Finding]:
        for fetch in link_results_of(self.ctx).values():
            if not fetch.facts.is_page or fetch.status != 0:
                continue
            if fetch.error == FailureKind.SITEMAP:  # a sitemap, not a page: not an error
                yield SITEMAP_PROBLEM.finding(
                    fetch.url,
                    f"The sitemap {fetch.final_url or fetch.url} has a problem: "
                    f"{fetch.error_detail}.",
                    target=fetch.final_url or fetch.url,
                    details={"reason": "sitemap"},
                )
                continue
            verdict = judge(fetch, internal=True)
            if verdict.kind != "broken":
                continue
            yield PAGE_ERROR.finding(
                fetch.url,
                f"This page could not be loaded: {verdict.why}.",
                details={"status": 0, "reason": verdict.reason},
            )
