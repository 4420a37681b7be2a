"""Template-wide problems, reported once: a dead link in the footer is one finding, not 2,000.

A link (or other finding) in the site's header, menu or footer is on every page, so the
per-page checks find it on every page. One broken footer link on a 2,000-page site made
2,000 errors, all with one fix. Findings whose rule, target (or text) and message are the
same on ``MIN_PAGES`` or more pages, and that sit outside the main content (header,
navigation, footer, aside), or are links whose place is not recorded and show on at
least half of the audited pages, become one
finding: at one page of them (the shortest address, so the same page each night), with
the number of pages in ``details["pages"]``, every page in ``details["affected_pages"]``
(the report lists them under the finding), and a message that says it is in the
template. Its severity is unchanged: a broken link in the footer still fails the gate.

Placeholders, spelling and other repeated text have their own grouping
(``checks.text.RepeatCollapser``); findings it has grouped are left alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from content_audit.core.model import Finding

MIN_PAGES = 3
SHARE = 0.5  # of the audited pages: on at least this share, it is the template's
MAIN = "main"
REGION_WORDS = {
    "header": "header",
    "navigation": "menu",
    "footer": "footer",
    "aside": "side panel",
    "other": "page template",
}

Key = tuple[str, str, str]


def _key(finding: Finding) -> Key | None:
    """What makes two pages' findings one template problem; None for a finding that is
    about its own page (no target or text: "this page has no heading")."""
    if finding.details.get("site_wide"):
        return None
    what = finding.target or finding.text
    if not what:
        return None
    return (finding.rule, what, finding.message)


def _is_template(group: list[Finding], pages: int, site_pages: int) -> bool:
    """Outside the main content on MIN_PAGES pages or more; or a link (one target) on at
    least half the pages, wherever it sits (a templated panel inside the content). Words
    in the main content are each page's own, however many pages share them: "ensure" on 3
    of 6 pages is three pages' wording, not the template's."""
    if pages < MIN_PAGES:
        return False
    regions = {f.details.get("region") for f in group}
    if MAIN not in regions and None not in regions:
        return True  # header, menu, footer, side panel
    is_link = all(f.target for f in group)
    return is_link and site_pages > 0 and pages >= SHARE * site_pages


def _where(group: list[Finding]) -> str:
    """ "footer", "header and menu": the parts of the template it shows in."""
    words = sorted({REGION_WORDS.get(str(f.details.get("region")), "") for f in group} - {""})
    if not words:
        return "site template"
    return " and ".join(words)


def _one(group: list[Finding], urls: list[str]) -> Finding:
    """The group as one finding, at the page with the shortest address."""
    first = min(group, key=lambda f: (len(f.url), f.url))
    where = _where(group)
    first.message = (
        f"{first.message.rstrip()} It is in the {where}, so it shows on "
        f"{len(urls)} pages; fixing it once in the template fixes every page."
    )
    fix = first.suggestion or ""
    first.suggestion = (
        f"{fix} Ask the web team to change it in the {where} (the page template)."
    ).strip()
    occurrences = sum(int(f.details.get("occurrences", 1)) for f in group)
    details: dict[str, Any] = {
        **first.details,
        "pages": len(urls),
        "affected_pages": urls,
        "site_wide": True,
        "template": where,
    }
    if occurrences > len(urls):
        details["occurrences"] = occurrences
    first.details = details
    return first


def group_template_findings(findings: Iterable[Finding], site_pages: int = 0) -> list[Finding]:
    """``findings`` with each template-wide problem made one finding (order otherwise
    kept). ``site_pages``: how many pages were audited (0: unknown; then only findings
    outside the main content are grouped)."""
    findings = list(findings)
    groups: dict[Key, list[Finding]] = {}
    for finding in findings:
        key = _key(finding)
        if key is not None:
            groups.setdefault(key, []).append(finding)
    merged: dict[int, Finding | None] = {}  # id of each grouped finding -> its stand-in
    for group in groups.values():
        urls = sorted(dict.fromkeys(f.url for f in group), key=lambda u: (len(u), u))
        if not _is_template(group, len(urls), site_pages):
            continue
        one = _one(group, urls)
        for finding in group:
            merged[id(finding)] = None
        merged[id(one)] = one
    if not merged:
        return findings
    return [f for f in findings if merged.get(id(f), f) is not None]
