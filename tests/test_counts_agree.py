"""The counts a team reads agree, wherever they read them.

On a first audit every finding is "new" in findings.json, so the CSV says "new" too, and
summary.md and the report say "first audit, no history to compare" rather than "0 new". The
console keeps pages that could not be fetched apart from error findings, and with a
baseline the pass/fail line says why it passes under a count of errors.
"""

from __future__ import annotations

import csv
import json
import re

import pytest

from tests.test_gate_cli import audit, serve, write_site

pytestmark = pytest.mark.e2e


def test_first_audit_and_baseline_counts_agree(tmp_path) -> None:
    write_site(tmp_path / "site" / "s", broken=["missing.html", "gone.html"])
    baseline = tmp_path / "baseline.json"
    with serve(tmp_path / "site") as base:
        url = f"{base}/s/"
        code, console = audit(url, tmp_path / "first")
        first = tmp_path / "first"
        data = json.loads((first / "findings.json").read_text(encoding="utf-8"))
        statuses = [f["status"] for f in data["findings"]]
        assert statuses and set(statuses) == {"new"}
        assert data["summary"]["new"] == len(statuses)
        assert data["summary"]["first_audit"] is True

        with (first / "findings.csv").open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert [r["Status"] for r in rows] == ["new"] * len(statuses)

        summary = (first / "summary.md").read_text(encoding="utf-8")
        assert "| New | first audit, no history to compare |" in summary
        assert "| Unassigned |" not in summary  # no owners listed: no table of one section
        assert "owners folder" not in summary  # and none written to point to

        report = (first / "index.html").read_text(encoding="utf-8")
        assert "First audit, no history to compare" in report
        assert "New since the last audit</span>" not in report

        # the console: pages and findings are different things, in different words
        assert code == 1, console
        rows = dict(re.findall(r"^\s+(\S.*?)\s{2,}(\d+)$", console, re.M))
        assert rows["of them, could not be fetched"] == "2"
        assert rows["Error findings"] == "2"
        assert "New since the last run: first audit, no history to compare" in console

        code, console = audit(url, tmp_path / "adopt", "--write-baseline", str(baseline))
        assert code == 0, console
        code, console = audit(url, tmp_path / "gated", "--baseline", str(baseline))
    assert code == 0, console
    assert re.search(r"^  Error findings\s+2$", console, re.M)
    assert re.search(r"^  Accepted in the baseline\s+3$", console, re.M)
    assert (
        "Passed: no errors or worse apart from the 3 findings accepted in the baseline" in console
    )
    gated = json.loads((tmp_path / "gated" / "findings.json").read_text(encoding="utf-8"))
    assert gated["verdict"]["headline"].endswith(
        "apart from the 3 findings accepted in the baseline"
    )
