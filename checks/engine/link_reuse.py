"""Reusing a page's link findings on a night the page has not changed.

The after-crawl checks (checks.links) judge a page's links by what their targets answered.
Their findings on a page depend on the page itself, the check code and settings, and the
answers of the page's link targets (for #fragment links, also the ids on the target
page). So each run keeps, for every page, its findings with a digest of those inputs
(``LinkDigest``). The next run, for a page that has not changed (its record was copied over,
``RunStore.reuse_page``), works the digest out again from this run's answers; when it is
the same, the kept findings are taken and the page is not even read. When any answer its
findings rest on has changed (a link now broken, a redirect gone, a section removed), the
digests differ and the page is checked afresh.

A target's answer enters the digest as the checks see it: without the fields that change
every night or with every edit of the target page while no link check reads them (timing,
size, validators, the content hash), so one edited page does not make every page that
links to it be checked again. ``IGNORED_FIELDS``, ``IGNORED_HEADERS`` and ``IGNORED_FACTS`` list them; a test
fails if a check starts to read one.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from typing import Any

from content_audit.checks.engine.registry import CheckContext
from content_audit.checks.links import (
    ignored_links,
    is_site_template_404,
    link_keys,
    link_results_of,
)
from content_audit.core.model import STORED_FACTS, Fetch, Page
from content_audit.core.urls import normalise

# what a link check never reads (see the module docstring; a test holds checks to it);
# the content hash is read only to tell the site's 404 page, which the digest says as such
IGNORED_FIELDS = ("elapsed_ms", "size")
IGNORED_HEADERS = ("etag", "last-modified", "content-length", "server")
IGNORED_FACTS = ("unchanged", "content_hash", "body")
# the same, as they are stored (Fetch.to_dict), which is what the digest is made of
_IGNORED_STORED = frozenset(IGNORED_HEADERS) | {STORED_FACTS[name] for name in IGNORED_FACTS}


# of those, the ones no link check reads at all (the content hash is, for the 404 page)
UNREAD_HEADERS = frozenset(IGNORED_HEADERS)


def for_link_checks(fetch: Fetch) -> Fetch:
    """The answer as the link checks read it: without the headers and facts none of them
    reads, and with its header names shared. The after-crawl link checks hold every URL's
    answer at once (at 20,000 pages 28,672 of them), beside the check workers, when the
    audit's memory peaks."""
    fetch.headers = {sys.intern(name): value for name, value in fetch.headers.items()
                     if name not in UNREAD_HEADERS}  # fmt: skip
    fetch.facts.unchanged = fetch.facts.body = None
    return fetch


def reuse_key(ctx: CheckContext, results_key: str) -> str:
    """What the link findings depend on besides the page and its targets: the check code
    and check settings (``results_key``) and the site and link settings."""
    config = ctx.full_config
    parts = [results_key, ctx.site_origin, *sorted(ctx.site_hosts)]
    if config is not None:
        for section in (config.site, config.links):
            parts.append(json.dumps(asdict(section), sort_keys=True, default=str))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


class LinkDigest:
    """Digests of the link targets' answers, for one run's link results."""

    def __init__(self, ctx: CheckContext, key: str) -> None:
        self.ctx = ctx
        self.key = key
        self.ignore = ignored_links(ctx)
        self._answers: dict[str, bytes] = {}
        self._ids: dict[str, bytes] = {}

    def forget(self) -> None:
        """Drop the answers and ids remembered so far (they were read before something
        they depend on was known: checks.engine.early_links)."""
        self._answers.clear()
        self._ids.clear()

    def targets(self, page: Page) -> dict[str, list[str]]:
        """The page's link targets (as the link results are keyed), and those of its links
        with a #fragment, whose target's ids count too."""
        links: set[str] = set()
        fragments: set[str] = set()
        for link, key in zip(page.links, link_keys(page, self.ignore), strict=True):
            links.add(key)
            if link.fragment:
                fragments.add(key)
        return {"links": sorted(links), "fragments": sorted(fragments)}

    def digest(self, targets: Mapping[str, Iterable[str]]) -> str:
        # one update with every answer (the same bytes as one update each, in a tenth of
        # the calls: a page has 20-60 links, mostly to the same menu and footer targets)
        answers, ids = self._answers, self._ids
        h = hashlib.blake2b(self.key.encode(), digest_size=16)
        h.update(b"".join([answers.get(k) or self._answer(k) for k in targets.get("links", ())]))
        h.update(b"\x1d")
        h.update(b"".join([ids.get(k) or self._page_ids(k) for k in targets.get("fragments", ())]))
        return h.hexdigest()

    def _answer(self, key: str) -> bytes:
        """A digest of one target's answer as the checks read it (16 bytes: the answers of
        a big site's targets are held for the whole run, in the pipeline and in a check
        worker, and their text is 600 bytes each)."""
        known = self._answers.get(key)
        if known is None:
            fetch = link_results_of(self.ctx).get(key)
            text = key + "\0" + (_as_checked(fetch, self.ctx) if fetch is not None else "-")
            known = hashlib.blake2b(text.encode(), digest_size=16).digest()
            self._answers[sys.intern(key)] = known  # one string for an address, held everywhere
        return known

    def _page_ids(self, key: str) -> bytes:
        """The ids on the page a fragment link lands on (after redirects), as the crawl
        found them; another site's ids are in its answer already."""
        known = self._ids.get(key)
        if known is None:
            fetch = link_results_of(self.ctx).get(key)
            final = normalise(fetch.final_url, self.ignore) if fetch and fetch.final_url else key
            anchors = self.ctx.page_anchors or {}
            ids = [
                " ".join(sorted(anchors[url])) if url in anchors else "-" for url in (key, final)
            ]
            text = f"{key}\0{ids[0]}\0{ids[1]}"
            known = hashlib.blake2b(text.encode(), digest_size=16).digest()
            self._ids[sys.intern(key)] = known  # one string for an address, held everywhere
        return known


def _as_checked(fetch: Fetch, ctx: CheckContext) -> str:
    data: dict[str, Any] = fetch.to_dict()
    for name in IGNORED_FIELDS:
        data.pop(name, None)
    data["headers"] = {k: v for k, v in data["headers"].items() if k not in _IGNORED_STORED}
    data["site-404-page"] = is_site_template_404(fetch, ctx)
    return json.dumps(data, sort_keys=True, separators=(",", ":"))
