"""A network of sites, without a crawl: the network file and its one-line errors, the
matrix, and the merge of site folders (passed, failed, not audited, missing), its gate,
its drill-down copies and the history it keeps per site."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest

from content_audit.network import load_network, merge_network, seed_history
from content_audit.network_cli import main
from tests.test_gate_workflows import run_block

NETWORK = """
[network]
name = "Northdale integrated care system"
settings = { "crawl.delay" = 0.0 }

[[sites]]
name = "acute"
title = "Northdale Acute NHS Trust"
url = "https://www.acute.example.nhs.uk/"

[[sites]]
name = "community"
url = "https://www.community.example.nhs.uk/"
settings = { "report.fail_on" = "warning" }
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def finding(url: str, n: int, severity: str = "error", rule: str = "link-broken") -> dict:
    return {"rule": rule, "severity": severity, "url": url, "fingerprint": f"{rule}-{n}",
            "message": "Broken link", "text": f"link {n}", "status": "new"}  # fmt: skip


def site_folder(
    root: Path,
    name: str,
    url: str,
    findings: list[dict],
    *,
    exit_code: int = 1,
    complete: bool = True,
    history: bool = False,
) -> Path:
    folder = root / name
    data = {
        "run": {"start_urls": [url], "complete": complete, "today": "2026-11-24",
                "started": "2026-11-24T02:30:00+00:00"},
        "summary": {"pages": 3, "has_history": history, "new": 1 if history else len(findings),
                    "fixed": 2 if history else 0, "previous_run": "2026-11-23" if history else ""},
        "verdict": {"exit_code": exit_code, "headline": "Failed: 1 error" if exit_code else "Passed: no errors"},
        "pages": [{"url": url}],
        "findings": findings,
        "fixed": [{"rule": "typo", "url": url, "fingerprint": "old"}] if history else [],
    }  # fmt: skip
    write(folder / "findings.json", json.dumps(data))
    write(folder / "index.html", "<!doctype html><title>site</title>")
    write(folder / "run.sqlite", "not copied")
    write(folder / "history.sqlite", f"history of {name}")
    write(folder / "network-site.json", json.dumps({"site": name, "state": "finished"}))
    return folder


@pytest.fixture
def network(tmp_path):
    return write(tmp_path / "network.toml", NETWORK)


def test_the_network_file_gives_one_site_each_with_its_settings(network):
    net = load_network(network)
    assert net.name == "Northdale integrated care system"
    assert [s.name for s in net.sites] == ["acute", "community"]
    assert net.sites[0].label == "Northdale Acute NHS Trust" and net.sites[1].label == "community"
    assert net.settings == {"crawl.delay": 0.0}
    assert net.sites[1].settings == {"report.fail_on": "warning"}


def test_the_matrix_has_one_job_a_site(network, capsys):
    assert main(["matrix", str(network)]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # one line, for $GITHUB_OUTPUT
    assert json.loads(out) == {"include": [
        {"site": "acute", "title": "Northdale Acute NHS Trust", "url": "https://www.acute.example.nhs.uk/"},
        {"site": "community", "title": "community", "url": "https://www.community.example.nhs.uk/"},
    ]}  # fmt: skip


SITE = '[[sites]]\nname = "a"\nurl = "https://a.example/"\n'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "no sites: list each one in a [[sites]] table"),
        ("[network\n", "is not valid TOML"),
        ('[netwrok]\nname = "x"\n' + SITE, "unknown table 'netwrok'"),
        ('[network]\nnmae = "x"\n' + SITE, "[network]: unknown key 'nmae'"),
        ('[[sites]]\nurl = "https://a.example/"\n', "site 1: name is missing"),
        ('[[sites]]\nname = "Leeds Trust"\nurl = "https://a.example/"\n',
         "name 'Leeds Trust' must be lower-case letters, digits and hyphens"),
        (SITE + SITE.replace("a.example", "b.example"), "site 2 (a): name 'a' is already used by site 1"),
        (SITE + SITE.replace('"a"', '"b"'), "site 2 (b): url 'https://a.example/' is already the start of site 'a'"),
        ('[[sites]]\nname = "a"\n', "site 1 (a): url is missing"),
        ('[[sites]]\nname = "a"\nurl = "ftp://a.example/"\n', "url 'ftp://a.example/' is not an http(s) address"),
        ('[[sites]]\nname = "a"\nurl = "https://a.example:99999/"\n', "url 'https://a.example:99999/'"),
        (SITE + 'adress = "x"\n', "site 1 (a): unknown key 'adress' (expected name, title, url, config, settings)"),
        (SITE + 'config = "missing.toml"\n', "site 1 (a): config 'missing.toml': no such file"),
        (SITE + 'settings = { "report.out" = "x" }\n', "settings cannot set report.out"),
        (SITE + 'settings = "crawl.delay=1"\n', "settings must be a table of dotted keys"),
        (SITE + 'settings = { "crawl.dealy" = 1 }\n', "site 'a': "),
        (SITE + 'settings = { "report.fail_on" = "sometimes" }\n', "site 'a': "),
        ("".join(f'[[sites]]\nname = "s{i}"\nurl = "https://s{i}.example/"\n' for i in range(257)),
         "257 sites, more than the 256 jobs one GitHub Actions matrix can run"),
    ],
)  # fmt: skip
def test_a_bad_network_file_is_one_line_naming_the_problem(tmp_path, capsys, text, expected):
    path = write(tmp_path / "network.toml", text)
    assert main(["matrix", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("content-audit: configuration error: ")
    assert expected in lines[0]


def test_a_missing_network_file_and_an_unknown_site_exit_2(tmp_path, network, capsys):
    assert main(["matrix", str(tmp_path / "nowhere.toml")]) == 2
    assert "cannot read the network file" in capsys.readouterr().err
    assert main(["audit", str(network), "mental-health"]) == 2
    err = capsys.readouterr().err
    assert "no site named 'mental-health' (the network lists acute, community)" in err


def test_a_site_config_file_is_read_relative_to_the_network_file(tmp_path):
    write(tmp_path / "sites" / "a.toml", "[crawl]\ndelay = 0.25\n")
    write(tmp_path / "shared.toml", "[crawl]\ndelay = 0.5\n")
    path = write(tmp_path / "network.toml", '[network]\nconfig = "shared.toml"\n'
                 + SITE + 'config = "sites/a.toml"\n'
                 + SITE.replace('"a"', '"b"').replace("a.example", "b.example"))  # fmt: skip
    from content_audit.network import site_config
    from content_audit.settings import load_config

    net = load_network(path)
    a = site_config(net, net.sites[0], tmp_path / "out-a", load_config)
    b = site_config(net, net.sites[1], tmp_path / "out-b", load_config)
    assert (
        a.crawl.delay == 0.25 and b.crawl.delay == 0.5
    )  # a site's own file replaces the shared one
    assert a.site.start_urls == ["https://a.example/"] and a.out_dir == tmp_path / "out-a"


def sites_of_a_night(root: Path) -> None:
    site_folder(
        root,
        "acute",
        "https://www.acute.example.nhs.uk/",
        [finding("https://www.acute.example.nhs.uk/a", 1)],
        history=True,
    )
    site_folder(root, "community", "https://www.community.example.nhs.uk/",
                [finding("https://www.community.example.nhs.uk/b", 2, "notice", "sentence-long")],
                exit_code=0)  # fmt: skip


def test_merged_findings_are_every_sites_findings_with_the_site_named(tmp_path, network, capsys):
    sites_of_a_night(tmp_path / "sites")
    out = tmp_path / "report"
    code = main(["merge", str(network), "--sites", str(tmp_path / "sites"), "--out", str(out)])
    assert code == 1, capsys.readouterr()
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert [(f["site"], f["fingerprint"]) for f in data["findings"]] == [
        ("acute", "link-broken-1"), ("community", "sentence-long-2")]  # fmt: skip
    for site in ("acute", "community"):
        own = json.loads((tmp_path / "sites" / site / "findings.json").read_text())["findings"]
        assert [{k: v for k, v in f.items() if k != "site"} for f in data["findings"]
                if f["site"] == site] == own  # fmt: skip
    rows = {row["site"]: row for row in data["sites"]}
    assert rows["acute"]["state"] == "failed" and rows["community"]["state"] == "passed"
    assert rows["acute"]["new"] == 1 and rows["acute"]["fixed"] == 2  # since its own last night
    assert rows["community"]["new"] is None  # its first audit: nothing to compare
    assert data["fixed"] == [{"site": "acute", "rule": "typo",
                              "url": "https://www.acute.example.nhs.uk/", "fingerprint": "old"}]  # fmt: skip
    assert data["summary"]["error"] == 1 and data["summary"]["notice"] == 1
    assert data["summary"]["rules"] == {
        "link-broken": {"acute": 1},
        "sentence-long": {"community": 1},
    }
    assert data["verdict"]["exit_code"] == 1 and data["verdict"]["reasons"] == [
        "acute: Failed: 1 error"
    ]
    # the drill-down: each site's reports, without its stores
    assert (out / "sites" / "acute" / "index.html").is_file()
    assert not (out / "sites" / "acute" / "run.sqlite").exists()
    assert not (out / "sites" / "acute" / "history.sqlite").exists()
    page = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="sites/acute/index.html"' in page and "Northdale Acute NHS Trust" in page
    assert "Northdale integrated care system" in (out / "summary.md").read_text(encoding="utf-8")


def test_every_site_passing_passes_the_network(tmp_path, network):
    site_folder(tmp_path / "s", "acute", "https://www.acute.example.nhs.uk/", [], exit_code=0)
    site_folder(tmp_path / "s", "community", "https://www.community.example.nhs.uk/", [], exit_code=0)  # fmt: skip
    merged = merge_network(load_network(network), tmp_path / "s", tmp_path / "out")
    assert merged.exit_code == 0 and merged.verdict["passed"] is True
    assert merged.verdict["headline"] == "Passed: all 2 sites were audited and passed their gates"


def test_a_missing_site_is_named_and_the_network_is_not_audited(tmp_path, network, capsys):
    site_folder(tmp_path / "s", "acute", "https://www.acute.example.nhs.uk/", [], exit_code=0)
    code = main(["merge", str(network), "--sites", str(tmp_path / "s"), "--out", str(tmp_path / "out")])  # fmt: skip
    assert code == 2
    out = capsys.readouterr().out
    assert "community: missing: no output folder" in out
    data = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    assert [r["state"] for r in data["sites"]] == ["passed", "missing"]
    assert data["verdict"]["headline"] == "Not audited: of 2 sites, 1 missing"
    assert "community" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("how", ["incomplete", "crashed", "killed", "killed-stale", "not-audited", "other-site", "other-url"])  # fmt: skip
def test_a_site_whose_audit_did_not_finish_fails_the_network(tmp_path, network, how):
    root = tmp_path / "s"
    url = "https://www.acute.example.nhs.uk/"
    site_folder(root, "community", "https://www.community.example.nhs.uk/", [], exit_code=0)
    folder = site_folder(root, "acute", url, [finding(url, 1)], complete=how != "incomplete",
                         exit_code=2 if how == "not-audited" else 1)  # fmt: skip
    if how == "killed-stale":  # last night's findings.json is still there
        write(folder / "network-site.json", json.dumps({"site": "acute", "state": "started"}))
    if how in ("crashed", "killed"):
        (folder / "findings.json").unlink()
        marker = {"site": "acute", "state": "started"}
        if how == "crashed":
            marker = {"site": "acute", "state": "finished", "exit_code": 2,
                      "message": "the audit stopped, nothing was audited: No space left on device"}  # fmt: skip
        write(folder / "network-site.json", json.dumps(marker))
    if how == "other-site":
        write(folder / "network-site.json", json.dumps({"site": "community"}))
    if how == "other-url":
        site_folder(root, "acute", "https://elsewhere.example/", [], exit_code=0)
    merged = merge_network(load_network(network), root, tmp_path / "out")
    assert merged.exit_code == 2
    (row,) = [r for r in merged.rows if r["site"] == "acute"]
    assert row["state"] in ("not-audited", "missing")
    assert row["problem"]
    reason = merged.verdict["reasons"][0]
    assert reason.startswith("acute: ")
    if how == "crashed":
        assert "No space left on device" in reason
    if how.startswith("killed"):
        assert "did not finish" in reason


def test_the_history_is_kept_per_site_and_a_missing_site_keeps_its_own(tmp_path, network):
    history = tmp_path / "history"
    write(history / "sites" / "community.sqlite", "community's last night")
    site_folder(tmp_path / "s", "acute", "https://www.acute.example.nhs.uk/", [])
    merge_network(load_network(network), tmp_path / "s", tmp_path / "out", history)
    assert (history / "sites" / "acute.sqlite").read_text() == "history of acute"
    assert (history / "sites" / "community.sqlite").read_text() == "community's last night"
    # the next night, the site's audit starts from its own file in the network history
    net = load_network(network)
    seeded = seed_history(history, net.site("acute"), tmp_path / "next" / "acute")
    assert seeded is not None and seeded.read_text() == "history of acute"
    assert seed_history(history, net.site("community"), tmp_path / "next" / "c") is not None
    assert seed_history(tmp_path / "none", net.site("acute"), tmp_path / "next" / "x") is None


def test_what_a_site_wrote_cannot_run_in_the_network_report(tmp_path):
    path = write(tmp_path / "network.toml", '[network]\nname = "<script>alert(1)</script>"\n'
                 '[[sites]]\nname = "a"\ntitle = "<img src=x onerror=alert(1)>"\nurl = "https://a.example/"\n')  # fmt: skip
    site_folder(tmp_path / "s", "a", "https://a.example/", [], exit_code=0)
    merge_network(load_network(path), tmp_path / "s", tmp_path / "out")
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page


RECIPE = Path(__file__).resolve().parent.parent / "docs" / "recipes" / "network.yml"


def test_the_recipe_plans_audits_each_site_and_merges():
    """The recipe's shape (its schema and security lint: tests/test_gate_workflows.py)."""
    text = RECIPE.read_text(encoding="utf-8")
    assert '"$TOOL" network matrix "$NETWORK"' in text
    assert "matrix: ${{ fromJSON(needs.plan.outputs.matrix) }}" in text
    assert "fail-fast: false" in text
    assert '"$TOOL" network audit "$NETWORK" "$SITE" --history .network-history' in text
    assert "--sites network-sites --out network-report" in text
    assert "--history .network-history" in text.split("network merge")[1]
    # the merge runs even when a site's job failed, and downloads every site's folder
    merge = text[text.index("  merge:") :]
    assert "if: always() && needs.plan.result == 'success'" in merge
    assert "pattern: network-site-*" in merge and "merge-multiple: true" in merge
    # matrix values reach the shell through env, never pasted into a script
    run_blocks = re.findall(r"run: \|\n((?:\s{10,}.*\n)+)", text)
    assert run_blocks and not any("${{" in block for block in run_blocks)


def test_the_recipes_gate_never_passes_without_an_exit_code():
    script = run_block(RECIPE.read_text(encoding="utf-8"), "Gate")
    for recorded, expected in (("0", 0), ("1", 1), ("2", 2), ("", 2)):
        result = subprocess.run(["bash", "-e", "-c", script], env={"EXIT_CODE": recorded},
                                capture_output=True, text=True, timeout=10)  # fmt: skip
        assert result.returncode == expected, (recorded, result.stdout)


def test_the_network_history_records_each_night_and_the_report_shows_them(tmp_path, network):
    net = load_network(network)
    sites_of_a_night(tmp_path / "s")
    merge_network(net, tmp_path / "s", tmp_path / "night-1", tmp_path / "history")
    assert "(this report)" in (tmp_path / "night-1" / "index.html").read_text(encoding="utf-8")
    merged = merge_network(net, tmp_path / "s", tmp_path / "night-2", tmp_path / "history")
    assert merged.exit_code == 1
    page = (tmp_path / "night-2" / "index.html").read_text(encoding="utf-8")
    assert page.count("(this report)") == 1 and "1 of 2" in page
    db = sqlite3.connect(tmp_path / "history" / "network.sqlite")
    rows = db.execute("SELECT exit_code, sites FROM merges ORDER BY id").fetchall()
    db.close()
    assert [code for code, _ in rows] == [1, 1]
    assert json.loads(rows[-1][1])["acute"] == {
        "state": "failed", "pages": 3, "error": 1, "warning": 0, "notice": 0, "new": 1, "fixed": 2}  # fmt: skip


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["--set", "no-equals-sign"], "--set 'no-equals-sign': expected KEY=VALUE"),
        (["--set", "crawl.dealy=1"], "site 'acute': "),
        (["--today", "yesterday"], "site 'acute': "),
    ],
)
def test_a_bad_flag_for_one_sites_audit_stops_before_anything_is_fetched(
    tmp_path, network, capsys, flags, expected
):
    out = tmp_path / "acute"
    assert main(["audit", str(network), "acute", "--out", str(out), *flags]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expected in err[0], err
    assert not out.exists()  # no marker: nothing was started
