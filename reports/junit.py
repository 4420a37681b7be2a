"""junit.xml: one test case per page; a failure for each finding that fails the gate.

CI systems show this as a test report: a page with failures is a failing test. What
counts as a failure is exactly what the gate counts (the failing severity and above, not
accepted in the baseline, and only new ones with --fail-on-new); other findings are
listed in the test case's output so nothing is hidden.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from content_audit.core.model import SEVERITY_RANK

_BAD_XML = {i: None for i in range(32) if i not in (9, 10, 13)}


def _x(text: Any) -> str:
    return str(text if text is not None else "").translate(_BAD_XML)


def write_junit(
    path: Path,
    run: dict[str, Any],
    pages: list[dict[str, Any]],
    findings: list[dict[str, Any]],
    failing: set[str] | None = None,
    fail_on: str = "error",
) -> None:
    """``pages`` and ``findings`` are report rows (reports.data). ``failing`` holds the
    fingerprints the gate counted; without it, severity alone decides."""
    threshold = SEVERITY_RANK.get(fail_on, 99)
    by_page: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        by_page.setdefault(f["url"], []).append(f)

    def fails(f: dict[str, Any]) -> bool:
        if failing is not None:
            return f["fingerprint"] in failing
        return SEVERITY_RANK.get(f["severity"], 0) >= threshold

    suite = ET.Element("testsuite", name="content-audit", timestamp=_x(run.get("started", "")))
    total = failures = 0
    for page in pages:
        total += 1
        case = ET.SubElement(
            suite, "testcase", classname=_x(page.get("owner") or "site"), name=_x(page["url"])
        )
        others = []
        for f in by_page.get(page["url"], []):
            line = f"[{f['severity']}] {f['rule']}: {f['message']}"
            if f.get("text"):
                line += f" ({f['text']})"
            if fails(f):
                failures += 1
                fail = ET.SubElement(case, "failure", message=_x(f["message"]), type=_x(f["rule"]))
                detail = [line]
                for label, key in (("Text", "text"), ("Context", "context"),
                                   ("Link", "target"), ("Suggested fix", "suggestion")):  # fmt: skip
                    if f.get(key):
                        detail.append(f"{label}: {f[key]}")
                detail.append(f"Status: {f.get('status') or 'unknown'}")
                fail.text = _x("\n".join(detail))
            else:
                others.append(line)
        if others:
            ET.SubElement(case, "system-out").text = _x("\n".join(others))
    suite.set("tests", str(total))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    root = ET.Element("testsuites", name="content-audit", tests=str(total), failures=str(failures))
    root.append(suite)
    ET.indent(root)
    tmp = path.with_name(path.name + ".tmp")
    ET.ElementTree(root).write(tmp, encoding="utf-8", xml_declaration=True)
    tmp.replace(path)
