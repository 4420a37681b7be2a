"""The reports of one run reach the output folder all together or not at all (issue 23,
case 10): a run that fails or is killed while it writes them leaves the last run's
reports, complete, never some of each."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from content_audit.checks.engine.registry import RULES
from content_audit.reports import writer
from tests.test_report_fixtures import RUN, FakeStore, config, findings, pages

RENDERERS = (
    "write_findings_json",
    "write_junit",
    "render_markdown",
    "write_index_report",
    "write_owner_reports",
    "write_sarif",
    "write_findings_csv",
)


def reports_in(folder: Path) -> dict[str, bytes]:
    """Every report a run leaves in ``folder``, by path, with its bytes."""
    found = {}
    for name in writer.PUBLISHED:
        path = folder / name
        for item in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if item.is_file():
                found[str(item.relative_to(folder))] = item.read_bytes()
    return found


def write(out: Path, night: str) -> dict[str, Path]:
    """Night "a" or "b": different findings, owners and start time, so that every report
    of one differs from the other's."""
    run = dict(RUN, started=f"2026-11-2{'34'[night == 'b']}T02:00:00+00:00")
    cfg = config(out)
    if night == "b":
        cfg.report.owners = {"/patients/": "Patient experience"}
    return writer.write_reports(out, run, FakeStore(pages()), findings(night), cfg, rules=RULES)


@pytest.fixture(scope="module")
def nights(tmp_path_factory) -> dict[str, dict[str, bytes]]:
    tmp = tmp_path_factory.mktemp("nights")
    made = {}
    for night in ("a", "b"):
        write(tmp / night, night)
        made[night] = reports_in(tmp / night)
    a, b = made["a"], made["b"]
    assert set(a) != set(b)  # the owners' reports differ too
    top = [name for name in set(a) & set(b) if "/" not in name]
    assert all(a[name] != b[name] for name in top), "a report the same both nights"
    return made


def test_reports_replace_the_last_runs_and_leave_nothing_behind(tmp_path, nights):
    out = tmp_path / "out"
    write(out, "a")
    assert reports_in(out) == nights["a"]
    paths = write(out, "b")
    assert reports_in(out) == nights["b"]  # and the owner "a" had, gone with its run
    assert all(path.parent in (out, out / "owners") and path.is_file() for path in paths.values())
    assert not (out / writer.STAGING_NAME).exists()


@pytest.mark.parametrize("renderer", RENDERERS)
def test_a_run_failing_while_it_writes_leaves_the_last_runs_reports(
    tmp_path, nights, monkeypatch, renderer
):
    out = tmp_path / "out"
    write(out, "a")

    def fails(*args, **kwargs):
        raise RuntimeError(f"{renderer} stopped half-way")

    monkeypatch.setattr(writer, renderer, fails)
    with pytest.raises(RuntimeError, match="half-way"):
        write(out, "b")
    assert reports_in(out) == nights["a"]
    monkeypatch.undo()
    write(out, "b")  # the next run is not held up by what this one left
    assert reports_in(out) == nights["b"]
    assert not (out / writer.STAGING_NAME).exists()


class Killed(BaseException):
    """The process dies here (as SIGKILL would): nothing after runs."""


def renames_in_a_move(tmp_path: Path, monkeypatch) -> int:
    out = tmp_path / "count"
    write(out, "a")
    calls = []
    real = writer._move

    def counting(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(writer, "_move", counting)
    write(out, "b")
    monkeypatch.undo()
    return len(calls)


def test_a_run_killed_while_it_moves_its_reports_in_has_the_move_finished(
    tmp_path, nights, monkeypatch
):
    """Between two renames (microseconds) the folder holds some of each night; the next
    run finishes the move before anything else, so they are never left mixed."""
    renames = renames_in_a_move(tmp_path, monkeypatch)
    assert renames >= 6
    for dies_after in range(renames):
        out = tmp_path / f"out{dies_after}"
        write(out, "a")
        real, done = writer._move, []

        def dying(*args, dies_after=dies_after, real=real, done=done):
            if len(done) == dies_after:
                raise Killed
            done.append(args)
            return real(*args)

        monkeypatch.setattr(writer, "_move", dying)
        with pytest.raises(Killed):
            write(out, "b")
        monkeypatch.undo()
        if dies_after == 0:
            assert reports_in(out) == nights["a"]
        writer.start_staging(out)  # what the next run does first
        assert reports_in(out) == nights["b"], dies_after
        assert not any((out / writer.STAGING_NAME).iterdir())


def test_a_run_not_audited_replaces_every_report_at_once(tmp_path, nights, monkeypatch):
    out = tmp_path / "out"
    write(out, "a")
    monkeypatch.setattr(writer, "render_not_audited", lambda message: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        writer.not_audited(out, "The site could not be audited: refused")
    assert reports_in(out) == nights["a"]
    monkeypatch.undo()
    writer.not_audited(out, "The site could not be audited: refused")
    assert set(reports_in(out)) == {"summary.md", "index.html"}
    assert "refused" in (out / "index.html").read_text(encoding="utf-8")


SLOW_REPORTS = """
import pathlib, sys, time
from content_audit.reports import writer

real = writer.write_junit
marker = pathlib.Path(sys.argv.pop())

def write_junit(*args, **kwargs):
    real(*args, **kwargs)
    marker.write_text("writing")  # findings.json is written
    time.sleep(60)

writer.write_junit = write_junit
from content_audit.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.e2e
def test_an_audit_killed_while_it_writes_its_reports_leaves_last_nights(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import run_cli
    from tests.webserver import Reply, WebServer, html

    links = " ".join(
        f"<a href='/p{n}.html'>Page {n}</a> <a href='/gone{n}'>Gone</a>" for n in range(4)
    )
    routes = {"/": Reply(body=html("Home", f"<p>{links}</p>"))}
    routes.update(
        {f"/p{n}.html": Reply(body=html(f"Page {n}", "<p>Advice.</p>")) for n in range(4)}
    )
    out = tmp_path / "night"
    owners = '[site]\nuse_sitemap = false\n[report]\nowners = { "/p1" = "Team one" }\n'
    with WebServer(routes) as site:
        first = run_cli([site.url + "/"], out, config=owners, timeout=60)
        assert first.code == 1, first.stdout + first.stderr
        last_night = reports_in(out)
        assert {"index.html", "findings.json", "owners/team-one.html"} <= set(last_night)
        marker = tmp_path / "writing"
        config = tmp_path / "night.toml"
        proc = subprocess.Popen(
            [sys.executable, "-c", SLOW_REPORTS, site.url + "/", "--out", str(out),
             "--config", str(config), str(marker)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while not marker.exists() and time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.05)
            assert marker.exists(), "the audit never reached its reports"
            assert (out / writer.STAGING_NAME / "findings.json").is_file()
            os.killpg(proc.pid, signal.SIGKILL)  # the audit and its report writers
            proc.wait(timeout=10)
        finally:
            proc.kill()
        assert reports_in(out) == last_night
        again = run_cli([site.url + "/"], out, config=owners, timeout=60)
    assert again.code == 1, again.stdout + again.stderr
    tonight = reports_in(out)
    assert (
        set(tonight) == set(last_night) and tonight["findings.json"] != last_night["findings.json"]
    )
    assert not (out / writer.STAGING_NAME).exists()
