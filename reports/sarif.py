"""findings.sarif: SARIF 2.1.0 that GitHub code scanning accepts, and other SARIF viewers.

GitHub's documented constraints ("SARIF support for code scanning", "About code scanning
limits on SARIF results"), which tests/test_sarif_github.py checks:

- a location is a file path: a relative URI, or an absolute ``file:`` URI. An ``http://``
  address is refused (github/codeql-action#754), so each result's location is the page's
  path relative to the site (``uriBaseId`` ``SITE``), and the full address is in the
  message and in ``properties.pageUrl``; a link's target likewise (``properties.target``),
  not as a related location;
- every rule has ``shortDescription``, ``fullDescription`` and ``help`` text (from the
  rule catalogue: its name, what is wrong and why, and how to fix it); ``name`` is the
  rule's name in PascalCase words (``PlaceholderOrTemplateText``);
- every result has ``ruleId``, ``message.text`` and one location with
  ``region.startLine`` (a page has no lines: line 1), and ``partialFingerprints`` so that
  one problem is one alert from run to run;
- at most 25,000 results a run (GitHub refuses more, and shows the 5,000 most severe):
  the most severe are kept and the run says how many were left out; messages are capped
  so that the file stays far below the 10 MB (compressed) upload limit.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from content_audit.core import __version__
from content_audit.core.urls import origin

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "notice": "note"}
BASELINE_STATE = {"new": "new", "persisting": "unchanged"}
SEVERITY_ORDER = {"error": 0, "warning": 1, "notice": 2}
MAX_RESULTS = 25_000  # GitHub: results per run
MAX_TEXT = 1_000  # characters of a message or description: alerts stay readable, files small
URI_BASE = "SITE"


def pascal_name(name: str) -> str:
    """A rule's name as GitHub shows rule names: "Placeholder or template text" is
    ``PlaceholderOrTemplateText`` (each word capitalised, not only the first)."""
    words = re.findall(r"[A-Za-z0-9]+", name)
    return "".join(w[:1].upper() + w[1:] for w in words) or "Rule"


def _short(text: str, limit: int = MAX_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def page_path(url: str, site: str) -> str:
    """The page as a path relative to the site: ``services/physio/``; the home page is
    ``index``; a page on another host of the site starts with that host. Always relative,
    never an http:// address."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return quote(url, safe="") or "index"
    path = parts.path.lstrip("/")
    if parts.query:
        path += quote("?" + parts.query, safe="=&")
    if origin(url) != site and parts.hostname:
        path = f"{parts.netloc.lower()}/{path}"
    # keep what is already escaped, escape the rest (spaces, non-ASCII, a stray colon that
    # would make the path read as a scheme)
    return quote(path, safe="/%=&-._~!$'()*+,;@") or "index"


def descriptor(rule: dict[str, Any]) -> dict[str, Any]:
    """One rule as GitHub shows it at the top of an alert and in its help panel."""
    name = rule.get("name") or rule["id"]
    summary = rule.get("summary") or name
    fix = rule.get("fix") or ""
    help_text = f"{summary} How to fix it: {fix}" if fix else summary
    return {
        "id": rule["id"],
        "name": pascal_name(name),
        "shortDescription": {"text": _short(name)},
        "fullDescription": {"text": _short(summary)},
        "help": {
            "text": _short(help_text, 4 * MAX_TEXT),
            "markdown": f"{summary}\n\n**How to fix it:** {fix}" if fix else summary,
        },
        "defaultConfiguration": {"level": LEVEL.get(rule.get("severity", "warning"), "warning")},
        "properties": {"tags": [t for t in ("content", rule.get("family")) if t]},
    }


def _message(f: dict[str, Any]) -> str:
    message = f"{f['message']}"
    if f.get("text"):
        message += f" Text: “{_short(f['text'], 200)}”."
    if f.get("target"):
        message += f" Link: {f['target']}"
    message += f" Page: {f['url']}"
    if f.get("suggestion"):
        message += f" Suggested fix: {f['suggestion']}"
    return _short(message)


def result(f: dict[str, Any], index: dict[str, int], site: str) -> dict[str, Any]:
    """One finding as a code-scanning result located at its page's path."""
    properties = {"pageUrl": f["url"], "owner": f.get("owner", ""),
                  "firstSeen": f.get("first_seen", "")}  # fmt: skip
    if f.get("target"):
        properties["target"] = f["target"]
    out: dict[str, Any] = {
        "ruleId": f["rule"],
        "ruleIndex": index[f["rule"]],
        "level": LEVEL.get(f["severity"], "warning"),
        "message": {"text": _message(f)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": page_path(f["url"], site), "uriBaseId": URI_BASE},
                    "region": {"startLine": 1},
                },
                "message": {"text": _short(f.get("title") or f["url"], 200)},
            }
        ],
        "partialFingerprints": {"contentAudit/v1": f["fingerprint"]},
        "properties": properties,
    }
    if f.get("status") in BASELINE_STATE:
        out["baselineState"] = BASELINE_STATE[f["status"]]
    if f.get("accepted"):
        accepted = f["accepted"]
        out["suppressions"] = [
            {"kind": "external", "status": "accepted",
             "justification": f"{accepted.get('reason', '')} (until {accepted.get('expires', '')})"}
        ]  # fmt: skip
    return out


def sarif_document(
    run: dict[str, Any], findings: list[dict[str, Any]], rules: list[dict[str, Any]]
) -> dict[str, Any]:
    used = [r for r in rules if r.get("count", 1)] or list(rules)
    known = {r["id"] for r in used}
    for f in findings:  # a finding whose rule is not in the list still needs a descriptor
        if f["rule"] not in known:
            known.add(f["rule"])
            used.append({"id": f["rule"], "severity": f["severity"], "name": f["rule"]})
    index = {r["id"]: i for i, r in enumerate(used)}
    start_urls = run.get("start_urls") or []
    site = origin(start_urls[0]) if start_urls else ""
    kept = sorted(findings, key=lambda f: SEVERITY_ORDER.get(f["severity"], 3))[:MAX_RESULTS]
    properties: dict[str, Any] = {"site": site, "startUrls": list(start_urls)}
    if len(findings) > MAX_RESULTS:
        properties["resultsLeftOut"] = len(findings) - MAX_RESULTS
    invocation = {
        key: value
        for key, value in (
            ("executionSuccessful", bool(run.get("complete"))),
            ("startTimeUtc", run.get("started")),
            ("endTimeUtc", run.get("finished")),
        )
        if value is not None
    }
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "content-audit",
                        "version": __version__,
                        "informationUri": "https://github.com/nhs-content-audit/content-audit",
                        "rules": [descriptor(r) for r in used],
                    }
                },
                "invocations": [invocation],
                "results": [result(f, index, site) for f in kept],
                "properties": properties,
            }
        ],
    }


def write_sarif(
    path: Path, run: dict[str, Any], findings: list[dict[str, Any]], rules: list[dict[str, Any]]
) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(
        json.dumps(sarif_document(run, findings, rules), ensure_ascii=False),
        encoding="utf-8",
    )
    tmp.replace(path)
