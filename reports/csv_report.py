"""findings.csv: every finding, one row each, for people who work in spreadsheets.

Cells that a spreadsheet would read as a formula (starting with = + - @ or a tab) get a
leading apostrophe, so text copied from a web page can never run as a formula in Excel.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

COLUMNS = (
    ("severity", "Severity"),
    ("status", "Status"),
    ("first_seen", "First seen"),
    ("accepted", "Accepted"),
    ("owner", "Owner"),
    ("title", "Page title"),
    ("url", "Page URL"),
    ("rule", "Rule"),
    ("message", "Problem"),
    ("text", "Text found"),
    ("context", "In the sentence"),
    ("suggestion", "Suggested fix"),
    ("action", "What to do"),
    ("target", "Link target"),
    ("fingerprint", "Fingerprint"),
)


_FORMULA_START = frozenset("=+-@\t\r")


def cell(value: Any) -> str:
    if value is None:
        return ""
    text = value if type(value) is str else str(value)
    if text and text[0] in _FORMULA_START:
        return "'" + text
    return text


def _accepted(value: dict[str, Any] | None) -> str:
    return f"until {value.get('expires', '')}: {value.get('reason', '')}" if value else ""


def write_findings_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    """``rows`` are report rows (reports.data.ReportData.findings)."""
    keys = [key for key, _ in COLUMNS]
    accepted_at = keys.index("accepted")
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8-sig", newline="") as out:  # BOM: Excel reads UTF-8
        writer = csv.writer(out)
        writer.writerow([label for _, label in COLUMNS])
        for row in rows:
            values = [row.get(key) for key in keys]
            values[accepted_at] = _accepted(values[accepted_at])
            writer.writerow([cell(value) for value in values])
    tmp.replace(path)
