"""summary.md: a short Markdown summary for the GitHub job summary, chat or email.

Text from crawled pages is escaped (HTML and Markdown characters), and only http(s) URLs
become links, because GitHub renders both Markdown and some HTML in job summaries.
"""

from __future__ import annotations

import re
from typing import Any

from content_audit.core.urls import readable_hosts
from content_audit.reports.data import SEVERITY_LABEL, ReportData, long_date, message_text
from content_audit.reports.html import priority_order

MAX_LISTED = 20
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|~])")  # text never starts a line, so no # - +


def md(text: Any, limit: int = 160) -> str:
    """Plain text, safe in Markdown and HTML, on one line."""
    value = " ".join(str(text if text is not None else "").split())
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", value)


def md_link(label: str, url: str | None) -> str:
    if url and re.match(r"^https?://", url, re.IGNORECASE):
        safe = url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
        safe = safe.replace("<", "%3C").replace(">", "%3E")
        return f"[{md(label)}]({safe})"
    return md(label)


FIRST_AUDIT = "first audit, no history to compare"
# the end of reports.writer.report_hint: true only when each owner has a report
OWNERS_FOLDER_HINT = "; each section's own report is in its owners folder."


def _count(value: Any) -> str:
    """A count as 1,234; a "New" cell of a first audit ("–") as it is."""
    return f"{value:,}" if isinstance(value, int) else md(value)


def render_markdown(data: ReportData, report_hint: str = "") -> str:
    s = data.summary
    titles = data.extra.get("titles") or {}

    def said(f: dict[str, Any]) -> str:
        """The message, an audited page's address in it given as the page's title."""
        return md(message_text(f["message"], titles))

    lines: list[str] = []
    verdict = data.verdict or {}
    icon = "✅" if verdict.get("passed") else ("⚠️" if verdict.get("exit_code") == 2 else "❌")
    headline = verdict.get("headline") or "Audit finished"
    lines.append(f"## {icon} Content audit: {md(headline, 300)}")
    lines.append("")
    when = long_date(data.run.get("today") or str(data.run.get("started", ""))[:10])
    urls = ", ".join(md(u) for u in data.run.get("start_urls") or [])
    took = f" (took {s['duration']})" if s.get("duration") else ""
    lines.append(f"Audit of {urls} on {when}{took}.")
    if not s.get("complete"):
        lines.append("")
        lines.append(
            "**This audit did not finish, so the results are incomplete and nothing counts as fixed.**"
        )
    for item in data.run.get("checks_not_run") or []:
        lines.append("")
        lines.append(
            f"**Not every check could run: {md(', '.join(item['rules']))}: {md(item['why'], 300)}.** "
            "Those problems are not in this report."
        )
    lines.append("")
    lines.append("| | Count |")
    lines.append("|---|---:|")
    lines.append(f"| Pages audited | {s['pages']:,} |")
    lines.append(f"| Errors | {s['error']:,} |")
    lines.append(f"| Warnings | {s['warning']:,} |")
    lines.append(f"| Notices | {s['notice']:,} |")
    if s.get("has_history"):
        lines.append(f"| New since {md(long_date(s['previous_run']))} | {s['new']:,} |")
        lines.append(f"| Fixed since {md(long_date(s['previous_run']))} | {s['fixed']:,} |")
    else:
        lines.append(f"| New | {FIRST_AUDIT} |")
    if s.get("accepted"):
        lines.append(f"| Accepted in the baseline | {s['accepted']:,} |")
    lines.append("")
    if verdict.get("reasons") and not verdict.get("passed"):
        lines.append("**Why it failed:**")
        lines.append("")
        for reason in verdict["reasons"]:
            lines.append(f"- {md(reason, 400)}")
        lines.append("")
    new = [f for f in data.findings if f["status"] == "new"] if s.get("has_history") else []
    if new:
        lines.append(f"### New since the last audit ({len(new):,})")
        lines.append("")
        for f in new[:MAX_LISTED]:
            text = f" “{md(f['text'], 80)}”" if f.get("text") else ""
            lines.append(
                f"- **{SEVERITY_LABEL.get(f['severity'], f['severity'])}** "
                f"{said(f)}{text} on {md_link(f['title'] or f['url'], f['url'])}"
            )
        if len(new) > MAX_LISTED:
            lines.append(f"- and {len(new) - MAX_LISTED:,} more")
        lines.append("")
    # in the report's own "fix these first" order (reports.html.priority_order)
    worst = priority_order(
        [f for f in data.findings if f["severity"] == "error" and not f.get("accepted")],
        bool(s.get("has_history")),
    )
    if worst:
        lines.append(f"### Fix these first: errors ({len(worst):,})")
        lines.append("")
        for f in worst[:MAX_LISTED]:
            text = f" “{md(f['text'], 80)}”" if f.get("text") else ""
            n = f.get("page_count") or len(f.get("pages") or ()) or 1
            many = f" (on {n:,} pages)" if n > 1 else ""
            lines.append(f"- {said(f)}{text} on {md_link(f['title'] or f['url'], f['url'])}{many}")
        if len(worst) > MAX_LISTED:
            lines.append(f"- and {len(worst) - MAX_LISTED:,} more: see the report")
        lines.append("")
    if data.fixed:
        lines.append(f"### Fixed since the last audit ({len(data.fixed):,})")
        lines.append("")
        for f in data.fixed[:MAX_LISTED]:
            lines.append(f"- {said(f)} on {md_link(f['title'] or f['url'], f['url'])}")
        if len(data.fixed) > MAX_LISTED:
            lines.append(f"- and {len(data.fixed) - MAX_LISTED:,} more")
        lines.append("")
    owners = [o for o in data.owners if o["total"]]
    if owners and not data.scope and data.owners_configured:
        lines.append("### By section")
        lines.append("")
        lines.append("| Owner | Errors | Warnings | Notices | New |")
        lines.append("|---|---:|---:|---:|---:|")
        for o in owners:
            lines.append(
                f"| {md(o['name'])} | {o['error']:,} | {o['warning']:,} | {o['notice']:,} | {_count(o['new'])} |"
            )
        lines.append("")
    if report_hint and not data.owners_configured:
        # no owners configured: no owners folder is written (reports.html), so none to point to
        report_hint = report_hint.replace(OWNERS_FOLDER_HINT, ".")
    if report_hint:
        lines.append(report_hint)
        lines.append("")
    return readable_hosts("\n".join(lines))


def render_not_audited(message: str) -> str:
    return f"## ⚠️ Content audit: not audited\n\n{md(message, 2000)}\n\nNo report was written.\n"
