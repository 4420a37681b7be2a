"""The report's view of one run: plain data built once, shared by every renderer.

Pure: run facts, page records, findings and the review (history, baseline, verdict) in;
dicts and lists out. No crawling, no checks, no files.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from content_audit.core.model import Finding

SEVERITY_ORDER = {"error": 0, "warning": 1, "notice": 2}
SEVERITY_LABEL = {"error": "Error", "warning": "Warning", "notice": "Notice"}
SEVERITY_MEANING = {
    "error": "People cannot use the page, or the information is wrong. Fix these first.",
    "warning": "The page works but is harder to use or trust. Fix these soon.",
    "notice": "Worth a look when you next edit the page.",
}
UNASSIGNED = "Unassigned"


def owner_for(url: str, owners: dict[str, str]) -> str:
    """The owner of a URL: the longest matching prefix wins; none matches -> Unassigned.

    A prefix starting with "/" is matched against the URL's path, so one config serves
    the live site and a staging copy; any other prefix is matched against the whole URL.
    """
    path = urlsplit(url).path or "/"
    best, best_len = UNASSIGNED, -1
    for prefix, name in owners.items():
        subject = path if prefix.startswith("/") else url
        if subject.startswith(prefix) and len(prefix) > best_len:
            best, best_len = name, len(prefix)
    return best


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:60] or "owner"


def owner_slugs(names: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        base = slugify(name)
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        out[name] = slug
    return out


def split_highlight(context: str | None, text: str | None) -> tuple[str, str, str] | None:
    """(before, match, after) when ``text`` occurs in ``context`` (case-insensitive)."""
    if not context or not text:
        return None
    at = context.lower().find(text.lower())
    if at < 0 or len(context.lower()) != len(context):  # lower() changed lengths: no match
        return None
    return context[:at], context[at : at + len(text)], context[at + len(text) :]


# a web address inside a message ("for example http://.../district-nursing/"): shown as
# the page's title, linked (report.js MESSAGE_URL is the same expression)
MESSAGE_URL = re.compile(r"https?://[^\s<>\"'’”)]+")


def message_parts(message: str | None, titles: Mapping[str, str]) -> list[tuple[str, str]]:
    """A message in pieces: (text, "") and, for each address of an audited page with a
    title, (title, url), so the reports show the page's name rather than its address."""
    text = message or ""
    parts: list[tuple[str, str]] = []
    at = 0
    for match in MESSAGE_URL.finditer(text):
        url = match.group().rstrip(".,;:!?")
        title = titles.get(url)
        if not title:
            continue
        parts.append((text[at : match.start()], ""))
        parts.append((title, url))
        at = match.start() + len(url)
    parts.append((text[at:], ""))
    return [part for part in parts if part[0]]


def message_text(message: str | None, titles: Mapping[str, str]) -> str:
    """A message with each audited page's address replaced by its title, in quotes."""
    return "".join(f"‘{t}’" if url else t for t, url in message_parts(message, titles))


READING_AGE_CAP = 18


def reading_age_text(age: Any) -> str:
    """A reading age as owners read it: past 18 the number means nothing ("31")."""
    if age is None:
        return "–"
    if isinstance(age, int | float) and age > READING_AGE_CAP:
        return f"very hard (above {READING_AGE_CAP})"
    return str(age)


def rule_info(rule_id: str, rules: Mapping[str, Any]) -> dict[str, str]:
    """What a content owner reads about a rule: from the catalogue the checks layer owns
    (``checks.engine.registry.RULES``), which the application passes in as ``rules``."""
    rule = rules.get(rule_id)
    if rule is None:
        return {
            "id": rule_id,
            "severity": "notice",
            "summary": "No explanation is recorded for this rule.",
            "fix": "Ask the web team what this finding means.",
            "family": "",
            "name": humanise(rule_id),
        }
    return {
        "id": rule.id,
        "severity": rule.severity,
        "summary": rule.summary,
        "fix": rule.fix,
        "family": rule.family,
        "name": rule.name or humanise(rule.id),
    }


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


def long_date(value: str | None, short: bool = False) -> str:
    """2026-11-24 -> 24 November 2026 (or 24 Nov); anything else comes back unchanged."""
    text = str(value or "")
    try:
        day = datetime.fromisoformat(text[:10]).date()
    except ValueError:
        return text
    month = MONTHS[day.month - 1]
    return f"{day.day} {month[:3]}" if short else f"{day.day} {month} {day.year}"


def humanise(rule_id: str) -> str:
    words = rule_id.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def duration(started: str | None, finished: str | None) -> str:
    try:
        seconds = int(
            (
                datetime.fromisoformat(finished or "") - datetime.fromisoformat(started or "")
            ).total_seconds()
        )
    except ValueError:
        return ""
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


@dataclass(slots=True)
class ReportData:
    run: dict[str, Any]
    summary: dict[str, Any]
    pages: list[dict[str, Any]]  # every crawled page, with owner and counts
    findings: list[dict[str, Any]]  # sorted: severity, owner, page
    fixed: list[dict[str, Any]]
    owners: list[dict[str, Any]]  # name, slug, pages, counts
    rules: list[dict[str, Any]]  # rules with findings first, then the rest
    contacts: list[dict[str, Any]]
    readability: list[dict[str, Any]]
    trend: list[dict[str, Any]]
    verdict: dict[str, Any] | None
    scope: str = ""  # owner name for an owner report; "" for the whole site
    # [report.owners] lists sections: else every page is "Unassigned", and a report for
    # that owner would only repeat the site's report
    owners_configured: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


def _finding_row(
    f: Finding,
    page: dict[str, Any] | None,
    owner: str,
    accepted: dict[str, Any] | None,
    failing: bool,
    fix: str = "",
) -> dict[str, Any]:
    """One finding as the reports show it; ``fix`` is its rule's "how to fix", the action
    shown when the finding has no suggestion of its own (findings from before actions)."""
    title = (page or {}).get("title") or ""
    return {
        "fingerprint": f.fingerprint,
        "rule": f.rule,
        "severity": f.severity,
        "url": f.url,
        "title": title,
        "owner": owner,
        "message": f.message,
        "text": f.text,
        "context": f.context,
        "highlight": split_highlight(f.context, f.text),
        "suggestion": f.suggestion,
        "action": f.action or (None if f.suggestion else fix or None),
        "target": f.target,
        "status": f.status or "",
        "first_seen": f.first_seen or "",
        "accepted": accepted,
        "failing": failing,
        # a template-wide problem (checks.engine.template_wide): every page it shows on
        "pages": (f.details or {}).get("affected_pages") or [],
        # how many pages a site-wide problem is on (a header's, a footer's); 1 otherwise
        "page_count": _page_count(f.details or {}),
        "example_pages": (f.details or {}).get("example_pages") or [],
    }


def _page_count(details: dict[str, Any]) -> int:
    count = details.get("pages")
    if isinstance(count, int) and count > 0:
        return count
    return len(details.get("affected_pages") or ()) or 1


def build(
    run: dict[str, Any],
    pages: list[dict[str, Any]],
    findings: list[Finding],
    owners: dict[str, str] | None = None,
    review: Any = None,
    *,
    rules: Mapping[str, Any],
) -> ReportData:
    """The whole-site view. ``rules`` is the rule catalogue (id -> Rule). ``review`` is a content_audit.gate.Review or None (no history/baseline)."""
    owners = owners or {}
    changes = getattr(review, "changes", None)
    verdict = getattr(review, "verdict", None)
    accepted: dict[str, dict[str, Any]] = getattr(review, "accepted", None) or {}
    failing = set(getattr(verdict, "failing", ()) or ())
    page_by_url = {p["url"]: p for p in pages}
    owner_of: dict[str, str] = {}

    def owner(url: str) -> str:
        if url not in owner_of:
            owner_of[url] = owner_for(url, owners)
        return owner_of[url]

    rows = [
        _finding_row(
            f,
            page_by_url.get(f.url),
            owner(f.url),
            accepted.get(f.fingerprint),
            f.fingerprint in failing,
            fix=(rules[f.rule].fix if f.rule in rules else ""),
        )
        for f in findings
    ]
    has_history = bool(changes is not None and changes.previous_run)
    rows.sort(
        key=lambda r: (
            SEVERITY_ORDER.get(r["severity"], 3),
            r["owner"] == UNASSIGNED,
            r["owner"],
            r["url"],
            r["rule"],
        )
    )
    counts_by_page: dict[str, Counter[str]] = defaultdict(Counter)
    new_by_page: Counter[str] = Counter()
    for r in rows:
        counts_by_page[r["url"]][r["severity"]] += 1
        if r["status"] == "new":
            new_by_page[r["url"]] += 1
    page_rows = []
    for p in pages:
        c = counts_by_page.get(p["url"], Counter())
        figures = p.get("figures") or {}
        page_rows.append(
            {
                "url": p["url"],
                "title": p.get("title") or "",
                "status": p.get("status"),
                "owner": owner(p["url"]),
                "error": c.get("error", 0),
                "warning": c.get("warning", 0),
                "notice": c.get("notice", 0),
                "total": sum(c.values()),
                "new": new_by_page.get(p["url"], 0),
                "reading_age": figures.get("reading_age"),
                "words": figures.get("words") or p.get("word_count"),
                "elapsed_ms": p.get("elapsed_ms"),  # how long it took to fetch (junit.xml)
            }
        )
    # findings on URLs that are not crawled pages (site-wide checks) still need a row
    for url in counts_by_page:
        if url not in page_by_url:
            c = counts_by_page[url]
            page_rows.append(
                {
                    "url": url, "title": "", "status": None, "owner": owner(url),
                    "error": c.get("error", 0), "warning": c.get("warning", 0),
                    "notice": c.get("notice", 0), "total": sum(c.values()),
                    "new": new_by_page.get(url, 0), "reading_age": None, "words": None,
                }
            )  # fmt: skip
    page_rows.sort(
        key=lambda r: (-r["error"], -r["warning"], -r["notice"], r["title"].lower(), r["url"])
    )

    owner_names = sorted(
        {r["owner"] for r in page_rows}, key=lambda n: (n == UNASSIGNED, n.lower())
    )
    slugs = owner_slugs(owner_names)
    owner_rows = []
    for name in owner_names:
        mine = [r for r in page_rows if r["owner"] == name]
        owner_rows.append(
            {
                "name": name,
                "slug": slugs[name],
                "pages": sum(1 for r in mine if r["url"] in page_by_url),
                "error": sum(r["error"] for r in mine),
                "warning": sum(r["warning"] for r in mine),
                "notice": sum(r["notice"] for r in mine),
                "total": sum(r["total"] for r in mine),
                "new": sum(r["new"] for r in mine),
            }
        )

    rule_counts: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        rule_counts[r["rule"]][r["severity"]] += 1
        rule_counts[r["rule"]]["total"] += 1
        if r["status"] == "new":
            rule_counts[r["rule"]]["new"] += 1
    rule_rows = []
    for rule_id in sorted(set(rules) | set(rule_counts)):
        info = rule_info(rule_id, rules)
        c = rule_counts.get(rule_id, Counter())
        info.update(
            count=c.get("total", 0),
            new=c.get("new", 0),
            error=c.get("error", 0),
            warning=c.get("warning", 0),
            notice=c.get("notice", 0),
        )
        rule_rows.append(info)
    rule_rows.sort(
        key=lambda r: (r["count"] == 0, SEVERITY_ORDER.get(r["severity"], 3), -r["count"], r["id"])
    )

    contacts = _contacts(pages, owner)
    readability = _readability(pages, owner)
    fixed = []
    for item in getattr(changes, "fixed", None) or []:
        fixed.append(
            {**item, "owner": owner(item["url"]), "name": rule_info(item["rule"], rules)["name"]}
        )
    trend = list(getattr(changes, "trend", None) or [])
    sev = Counter(r["severity"] for r in rows)
    summary = {
        "pages": len(pages),
        "findings": len(rows),
        "error": sev.get("error", 0),
        "warning": sev.get("warning", 0),
        "notice": sev.get("notice", 0),
        "new": sum(1 for r in rows if r["status"] == "new"),
        "persisting": sum(1 for r in rows if r["status"] == "persisting"),
        "fixed": len(fixed),
        "accepted": sum(1 for r in rows if r["accepted"]),
        "not_checked": getattr(changes, "not_checked", 0) if changes else 0,
        "has_history": has_history,
        # every finding of a first audit is "new" (as in findings.json and the CSV), but
        # there is nothing to compare with: the tables say so rather than count them
        "first_audit": not has_history,
        "previous_run": (changes.previous_run or {}).get("today")
        or (changes.previous_run or {}).get("started", "")
        if changes is not None and changes.previous_run
        else "",
        "duration": duration(run.get("started"), run.get("finished")),
        "complete": bool(run.get("complete")),
        "baseline": getattr(review, "baseline_path", "") or "",
        "baseline_expired": getattr(review, "baseline_expired", 0) or 0,
    }
    if not has_history:
        _no_history(page_rows, owner_rows, rule_rows)
    return ReportData(
        run=run,
        summary=summary,
        pages=page_rows,
        findings=rows,
        fixed=fixed,
        owners=owner_rows,
        owners_configured=bool(owners),
        rules=rule_rows,
        contacts=contacts,
        readability=readability,
        trend=trend,
        verdict=verdict.to_dict() if verdict is not None else None,
        # each audited page's title, for addresses inside messages (message_parts)
        extra={"titles": {p["url"]: p["title"] for p in page_rows if p["title"]}},
    )


NO_HISTORY = "–"  # a "New" cell on a first audit: no history to compare, not 0


def _no_history(*tables: list[dict[str, Any]]) -> None:
    """On a first audit the "New" columns say there is nothing to compare with: a count
    of 0 beside findings.json's "new" on every finding read as a contradiction."""
    for table in tables:
        for row in table:
            row["new"] = NO_HISTORY


def for_owner(data: ReportData, owner: dict[str, Any]) -> ReportData:
    """The same report cut down to one owner's pages."""
    name = owner["name"]
    rows = [r for r in data.findings if r["owner"] == name]
    pages = [p for p in data.pages if p["owner"] == name]
    sev = Counter(r["severity"] for r in rows)
    fixed = [f for f in data.fixed if f["owner"] == name]
    used = {r["rule"] for r in rows} | {f["rule"] for f in fixed}
    rules = [r for r in data.rules if r["id"] in used]
    mine_counts: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        mine_counts[r["rule"]][r["severity"]] += 1
    summary = {
        **data.summary,
        "pages": owner["pages"],
        "findings": len(rows),
        "error": sev.get("error", 0),
        "warning": sev.get("warning", 0),
        "notice": sev.get("notice", 0),
        "new": sum(1 for r in rows if r["status"] == "new"),
        "persisting": sum(1 for r in rows if r["status"] == "persisting"),
        "fixed": len(fixed),
        "accepted": sum(1 for r in rows if r["accepted"]),
    }
    return ReportData(
        run=data.run,
        summary=summary,
        pages=pages,
        findings=rows,
        fixed=fixed,
        owners=[owner],
        rules=[
            {
                **r,
                "count": sum(mine_counts[r["id"]].values()),
                "new": sum(1 for x in rows if x["rule"] == r["id"] and x["status"] == "new")
                if data.summary.get("has_history")
                else NO_HISTORY,
            }
            for r in rules
        ],
        contacts=[
            _only_owner(c, name)
            for c in data.contacts
            if any(p["owner"] == name for p in c["places"])
        ],
        readability=[r for r in data.readability if r["owner"] == name],
        trend=[],
        verdict=data.verdict,
        scope=name,
        owners_configured=data.owners_configured,
        extra=data.extra,
    )


def _only_owner(contact: dict[str, Any], name: str) -> dict[str, Any]:
    places = [p for p in contact["places"] if p["owner"] == name]
    labels: list[str] = []
    for p in places:
        if p["label"] and p["label"] not in labels:
            labels.append(p["label"])
    return {**contact, "places": places, "labels": labels}


def _contact_key(kind: str, text: str) -> str:
    if kind == "phone":
        digits = re.sub(r"\D", "", text)
        if digits.startswith("44"):
            digits = "0" + digits[2:]
        return "phone:" + digits
    return "email:" + text.strip().lower()


def _contacts(pages: list[dict[str, Any]], owner: Any) -> list[dict[str, Any]]:
    """Every phone number and email address, each with every place it appears."""
    groups: dict[str, dict[str, Any]] = {}
    for page in pages:
        contacts = page.get("contacts") or {}
        for kind, key in (("phone", "phones"), ("email", "emails")):
            for item in contacts.get(key) or []:
                text = (item.get("text") or "").strip()
                if not text:
                    continue
                group = groups.setdefault(
                    _contact_key(kind, text),
                    {"kind": kind, "value": text, "labels": [], "places": []},
                )
                label = (item.get("label") or "").strip()
                if label and label not in group["labels"]:
                    group["labels"].append(label)
                group["places"].append(
                    {
                        "url": page["url"],
                        "title": page.get("title") or "",
                        "owner": owner(page["url"]),
                        "shown_as": text,
                        "label": label,
                        "context": item.get("context") or "",
                        "region": item.get("region") or "",
                        "linked": bool(item.get("href")),
                    }
                )
    return sorted(
        groups.values(), key=lambda g: (g["kind"] != "phone", -len(g["places"]), g["value"])
    )


def _readability(pages: list[dict[str, Any]], owner: Any) -> list[dict[str, Any]]:
    rows = []
    for page in pages:
        figures = page.get("figures") or {}
        if figures.get("reading_age") is None and figures.get("flesch_kincaid_grade") is None:
            continue
        rows.append(
            {
                "url": page["url"],
                "title": page.get("title") or "",
                "owner": owner(page["url"]),
                "reading_age": figures.get("reading_age"),
                "flesch_kincaid_grade": figures.get("flesch_kincaid_grade"),
                "smog_index": figures.get("smog_index"),
                "smog_reliable": figures.get("smog_reliable", True),
                "flesch_reading_ease": figures.get("flesch_reading_ease"),
                "words": figures.get("words") or page.get("word_count"),
            }
        )
    rows.sort(
        key=lambda r: (
            -(r["reading_age"] if isinstance(r["reading_age"], int | float) else -1),
            r["url"],
        )
    )
    return rows
