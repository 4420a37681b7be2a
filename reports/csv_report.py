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
    # a problem in the site's template is one row, on the first page it was seen on;
    # these say how many pages it is on and which, so an owner filtering by page finds it
    ("page_count", "Pages affected"),
    ("pages", "Also on"),
)
# a spreadsheet cell holds at most 32,767 characters (Excel)
MAX_CELL = 32_000


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


def _also_on(row: dict[str, Any]) -> str:
    """The other pages a site-wide problem shows on, one per line; every page when the
    check listed them all, else its examples; cut to fit a spreadsheet cell, saying how
    many more there are."""
    urls = [u for u in (row.get("pages") or row.get("example_pages") or []) if u != row.get("url")]
    listed: list[str] = []
    size = 0
    for url in urls:
        if size + len(url) + 1 > MAX_CELL - 60:
            break
        listed.append(url)
        size += len(url) + 1
    rest = int(row.get("page_count") or 1) - 1 - len(listed)
    if rest > 0:
        listed.append(f"and {rest:,} more (findings.json lists them)" if row.get("pages")
                      else f"and {rest:,} more pages")  # fmt: skip
    return "\n".join(listed)


def write_findings_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    """``rows`` are report rows (reports.data.ReportData.findings)."""
    keys = [key for key, _ in COLUMNS]
    accepted_at = keys.index("accepted")
    also_at = keys.index("pages")
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8-sig", newline="") as out:  # BOM: Excel reads UTF-8
        writer = csv.writer(out)
        writer.writerow([label for _, label in COLUMNS])
        for row in rows:
            values = [row.get(key) for key in keys]
            values[accepted_at] = _accepted(values[accepted_at])
            values[also_at] = _also_on(row)
            writer.writerow([cell(value) for value in values])
    tmp.replace(path)
