"""findings.sarif: SARIF 2.1.0, for code-scanning dashboards and other SARIF viewers.

Rules come from the registry (shortDescription = what is wrong and why, help = how to fix
it); each result names its rule, has level error/warning/note, the page URL as its
location (artifactLocation.uri) and the finding's fingerprint as a partial fingerprint,
so viewers track one problem across runs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from content_audit.core import __version__

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "notice": "note"}
BASELINE_STATE = {"new": "new", "persisting": "unchanged"}


def sarif_document(
    run: dict[str, Any], findings: list[dict[str, Any]], rules: list[dict[str, Any]]
) -> dict[str, Any]:
    used = [r for r in rules if r.get("count", 1)] or rules
    known = {r["id"] for r in used}
    for f in findings:  # a finding whose rule is not in the list still needs a descriptor
        if f["rule"] not in known:
            known.add(f["rule"])
            used.append(
                {
                    "id": f["rule"],
                    "summary": f["rule"],
                    "fix": "",
                    "severity": f["severity"],
                    "name": f["rule"],
                }
            )
    index = {r["id"]: i for i, r in enumerate(used)}
    descriptors = [
        {
            "id": r["id"],
            "name": r.get("name", r["id"]).replace(" ", ""),
            "shortDescription": {"text": r["summary"]},
            "fullDescription": {"text": r["summary"]},
            "help": {"text": r.get("fix") or r["summary"], "markdown": f"**How to fix it:** {r.get('fix') or ''}"},
            "defaultConfiguration": {"level": LEVEL.get(r.get("severity", "warning"), "warning")},
            "properties": {"family": r.get("family", "")},
        }
        for r in used
    ]  # fmt: skip
    results = []
    for f in findings:
        message = f["message"]
        if f.get("text"):
            message += f" Text: “{f['text']}”."
        if f.get("suggestion"):
            message += f" Suggested fix: {f['suggestion']}"
        result: dict[str, Any] = {
            "ruleId": f["rule"],
            "ruleIndex": index[f["rule"]],
            "level": LEVEL.get(f["severity"], "warning"),
            "message": {"text": message},
            "locations": [
                {
                    "physicalLocation": {"artifactLocation": {"uri": f["url"]}},
                    "message": {"text": f.get("title") or f["url"]},
                }
            ],
            "partialFingerprints": {"contentAudit/v1": f["fingerprint"]},
            "properties": {"owner": f.get("owner", ""), "firstSeen": f.get("first_seen", "")},
        }
        if f.get("status") in BASELINE_STATE:
            result["baselineState"] = BASELINE_STATE[f["status"]]
        if f.get("accepted"):
            result["suppressions"] = [
                {"kind": "external", "status": "accepted",
                 "justification": f"{f['accepted'].get('reason', '')} (until {f['accepted'].get('expires', '')})"}
            ]  # fmt: skip
        if f.get("target"):
            result["relatedLocations"] = [
                {"id": 1, "physicalLocation": {"artifactLocation": {"uri": f["target"]}},
                 "message": {"text": "link target"}}
            ]  # fmt: skip
        results.append(result)
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
                        "rules": descriptors,
                    }
                },
                "invocations": [
                    {
                        key: value
                        for key, value in (
                            ("executionSuccessful", bool(run.get("complete"))),
                            ("startTimeUtc", run.get("started")),
                            ("endTimeUtc", run.get("finished")),
                        )
                        if value is not None
                    }
                ],
                "results": results,
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
