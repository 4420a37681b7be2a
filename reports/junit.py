"""junit.xml: one test case per page; one failure listing the page's findings that fail the gate.

CI systems show this as a test report: a page with failures is a failing test. What
counts as a failure is exactly what the gate counts (the failing severity and above, not
accepted in the baseline, and only new ones with --fail-on-new); other findings are
listed in the test case's output so nothing is hidden.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from content_audit.core.model import SEVERITY_RANK

_BAD_XML = {i: None for i in range(32) if i not in (9, 10, 13)}


def _x(text: Any) -> str:
    return str(text if text is not None else "").translate(_BAD_XML)


def _seconds(ms: Any) -> str:
    """A time attribute in seconds, as JUnit readers expect ("0.125")."""
    return f"{ms / 1000:.3f}" if isinstance(ms, int | float) and ms >= 0 else "0.000"


def _run_seconds(run: dict[str, Any]) -> float | None:
    """How long the whole audit took, from its start and end times."""
    try:
        started = datetime.fromisoformat(str(run["started"]))
        finished = datetime.fromisoformat(str(run["finished"]))
    except (KeyError, TypeError, ValueError):
        return None
    return max((finished - started).total_seconds(), 0.0)


def _detail(f: dict[str, Any]) -> str:
    """One failing finding, as the failure's text lists it."""
    line = f"[{f['severity']}] {f['rule']}: {f['message']}"
    lines = [line]
    for label, key in (("Text", "text"), ("Context", "context"),
                       ("Link", "target"), ("Suggested fix", "suggestion")):  # fmt: skip
        if f.get(key):
            lines.append(f"  {label}: {f[key]}")
    lines.append(f"  Status: {f.get('status') or 'unknown'}")
    return "\n".join(lines)


def _failure_message(failed: list[dict[str, Any]]) -> str:
    """The failure's one line: how many problems, and of which rules."""
    rules = list(dict.fromkeys(f["rule"] for f in failed))
    n = len(failed)
    return f"{n} problem{'s' if n != 1 else ''} to fix on this page: {', '.join(rules)}"


def write_junit(
    path: Path,
    run: dict[str, Any],
    pages: list[dict[str, Any]],
    findings: list[dict[str, Any]],
    failing: set[str] | None = None,
    fail_on: str = "error",
) -> None:
    """``pages`` and ``findings`` are report rows (reports.data). ``failing`` holds the
    fingerprints the gate counted; without it, severity alone decides.

    One test case per page, and at most one ``<failure>`` in it listing every failing
    finding of the page: readers count failures differently when a case has several
    ("26 failures" for 13 failing pages), and a failing page is one failing test."""
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
    case_seconds = 0.0
    for page in pages:
        total += 1
        seconds = _seconds(page.get("elapsed_ms"))
        case_seconds += float(seconds)
        case = ET.SubElement(
            suite,
            "testcase",
            classname=_x(page.get("owner") or "site"),
            name=_x(page["url"]),
            time=seconds,
        )
        found = by_page.get(page["url"], [])
        failed = [f for f in found if fails(f)]
        others = [f"[{f['severity']}] {f['rule']}: {f['message']}" + (f" ({f['text']})" if f.get("text") else "")
                  for f in found if not fails(f)]  # fmt: skip
        if failed:
            failures += 1
            rules = {f["rule"] for f in failed}
            fail = ET.SubElement(
                case,
                "failure",
                message=_x(_failure_message(failed)),
                type=_x(failed[0]["rule"] if len(rules) == 1 else "content-audit"),
            )
            fail.text = _x("\n\n".join(_detail(f) for f in failed))
        if others:
            ET.SubElement(case, "system-out").text = _x("\n".join(others))
    took = _run_seconds(run)
    suite_time = f"{took if took is not None else case_seconds:.3f}"
    for name, value in (("tests", total), ("failures", failures), ("errors", 0),
                        ("skipped", 0), ("time", suite_time)):  # fmt: skip
        suite.set(name, str(value))
    root = ET.Element("testsuites", name="content-audit", tests=str(total),
                      failures=str(failures), errors="0", time=suite_time)  # fmt: skip
    root.append(suite)
    ET.indent(root)
    tmp = path.with_name(path.name + ".tmp")
    ET.ElementTree(root).write(tmp, encoding="utf-8", xml_declaration=True)
    tmp.replace(path)
