"""Two nightly runs end to end: run_audit.py twice against a local site whose files change
between runs; the second report shows exactly one fixed and one new problem."""

from __future__ import annotations

import html
import json
import re

import pytest

from tests.test_gate_cli import audit, serve, write_site

pytestmark = pytest.mark.e2e  # a real crawl, server or browser: not in the fast tier


def visible_text(markup: str) -> str:
    markup = re.sub(r"<script\b.*?</script>|<style\b.*?</style>", " ", markup, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def test_second_run_shows_one_fixed_and_one_new(tmp_path):
    site = write_site(tmp_path / "www" / "site", broken=["old-leaflet.html", "missing.html"])
    out = tmp_path / "report"
    summary_file = tmp_path / "step-summary.md"
    env = {"GITHUB_STEP_SUMMARY": str(summary_file)}
    with serve(tmp_path / "www") as base:
        url = f"{base}/site/"
        code, output = audit(url, out, "--today", "2026-11-23", env=env)
        assert code == 1, output
        first = json.loads((out / "findings.json").read_text())
        assert {f["status"] for f in first["findings"]} == {"new"}
        assert first["fixed"] == []

        # overnight the web team fixes one link and someone adds another broken one
        write_site(site, broken=["missing.html", "new-page.html"])
        code, output = audit(url, out, "--today", "2026-11-24", env=env)
        assert code == 1, output
        assert "Since the last complete run: 1 new, 1 fixed" in output

    data = json.loads((out / "findings.json").read_text())
    new = [f for f in data["findings"] if f["status"] == "new"]
    assert [f["target"].rsplit("/", 1)[-1] for f in new] == ["new-page.html"]
    assert new[0]["first_seen"] == "2026-11-24"
    persisting = [f for f in data["findings"] if f["status"] == "persisting"]
    assert {f["first_seen"] for f in persisting} == {"2026-11-23"}
    assert len(persisting) == 2  # missing.html and the missing h1
    assert [f["target"].rsplit("/", 1)[-1] for f in data["fixed"]] == ["old-leaflet.html"]
    assert data["summary"]["new"] == 1 and data["summary"]["fixed"] == 1
    # the contract is additive: the original keys are all still there
    assert {"schema_version", "tool", "run", "pages", "findings"} <= set(data)
    assert data["run"]["complete"] is True

    text = visible_text((out / "index.html").read_text())
    assert "1 new since 23 November 2026" in text
    assert "1 fixed since 23 November 2026" in text
    assert "Fixed since the last audit" in text
    assert "the old-leaflet.html leaflet" in text  # the fixed link's text, in the fixed list
    assert "New since the last audit" in text

    summary = (out / "summary.md").read_text()
    assert "| New since 23 November 2026 | 1 |" in summary
    assert "### Fixed since the last audit (1)" in summary
    steps = summary_file.read_text()
    assert steps.count("## ") >= 2  # one summary appended per run
    assert steps.rstrip().endswith(summary.rstrip().splitlines()[-1])
