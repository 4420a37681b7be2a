"""Exit codes end to end: run_audit.py in a subprocess against a local site, for each
gating mode, with and without a baseline. Independent runs go in parallel to stay fast."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e  # a real crawl, server or browser: not in the fast tier

ROOT = Path(__file__).resolve().parent.parent
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

PAGE = """<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main>{h1}{body}</main></body></html>"""


def page(title: str, body: str, h1: bool = True) -> str:
    return PAGE.format(title=title, h1=f"<h1>{title}</h1>" if h1 else "", body=body)


def write_site(folder: Path, broken: list[str] = (), warning: bool = True) -> Path:
    """A three-page site: a warning (no h1 on one page) and the given broken links."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pic.png").write_bytes(PNG)
    links = "".join(
        f'<p>Read <a href="{b}">the {b.strip("/.")} leaflet</a> first.</p>' for b in broken
    )
    (folder / "index.html").write_text(
        page("Outpatients", f'<p>See <a href="about.html">about us</a> and <a href="clinic.html">the clinic</a>.</p>{links}'),
        encoding="utf-8",
    )  # fmt: skip
    (folder / "about.html").write_text(page("About us", "<p>We are a hospital.</p>"), "utf-8")
    (folder / "clinic.html").write_text(
        page("Clinic", '<p>The clinic.</p><img src="pic.png" alt="The clinic entrance">', h1=not warning),
        encoding="utf-8",
    )  # fmt: skip
    return folder


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(root: Path) -> contextlib.AbstractContextManager[str]:
    """The files under ``root``, served on 127.0.0.1; yields the base URL."""
    return serving(functools.partial(_Quiet, directory=str(root)))


@contextlib.contextmanager
def serving(handler: Any) -> Iterator[str]:
    """``handler`` (a request handler class) on 127.0.0.1; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def start(url: str, out: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    cmd = [sys.executable, str(ROOT / "run_audit.py"), url, "--out", str(out), *args]
    if "--today" not in args:
        cmd += ["--today", "2026-11-24"]
    full_env = {**os.environ, "PYTHONPATH": str(ROOT)}
    full_env.pop("GITHUB_STEP_SUMMARY", None)
    full_env.update(env or {})
    return subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip


def finish(proc: subprocess.Popen) -> tuple[int, str]:
    output, _ = proc.communicate(timeout=120)
    return proc.returncode, output


def audit(url: str, out: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    return finish(start(url, out, *args, env=env))


def audit_all(*runs: tuple) -> list[tuple[int, str]]:
    procs = [start(*run) for run in runs]
    return [finish(p) for p in procs]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    root = tmp_path_factory.mktemp("sites")
    write_site(root / "errors", broken=["missing.html"])
    write_site(root / "warnings")
    write_site(root / "clean", warning=False)
    with serve(root) as base:
        yield base, root


def test_exit_codes_for_each_fail_on_mode(sites, tmp_path):
    base, _ = sites
    dead = f"http://127.0.0.1:{free_port()}/"
    results = audit_all(
        (f"{base}/errors/", tmp_path / "a", "--fail-on", "error"),
        (f"{base}/errors/", tmp_path / "b", "--fail-on", "never"),
        (f"{base}/warnings/", tmp_path / "c", "--fail-on", "error"),
        (f"{base}/warnings/", tmp_path / "d", "--fail-on", "warning"),
        (f"{base}/clean/", tmp_path / "e", "--fail-on", "notice"),
        (dead, tmp_path / "f"),
        (f"{base}/errors/", tmp_path / "g", "--baseline", str(tmp_path / "no-such.json")),
    )
    codes = [code for code, _ in results]
    assert codes == [1, 0, 0, 1, 0, 2, 2], "\n\n".join(out for _, out in results)
    assert "Failed: 1 error (the gate fails on errors)" in results[0][1]
    assert "Passed" in results[1][1]
    # not audited: said so, in the output and in summary.md; never a stale report
    assert "could not be audited" in results[5][1]
    assert "not audited" in (tmp_path / "f" / "summary.md").read_text()
    assert not (tmp_path / "f" / "findings.json").exists()
    assert "report.baseline: no such file" in results[6][1]


def test_baseline_and_fail_on_new_end_to_end(tmp_path):
    site = write_site(tmp_path / "site" / "s", broken=["missing.html"])
    baseline = tmp_path / "baseline.json"
    with serve(tmp_path / "site") as base:
        url = f"{base}/s/"
        # adoption: writing the baseline exits 0 (the CI step that adopts the gate must not
        # fail) and says what it accepted; the first run with --fail-on-new: no history
        # yet, so everything is new and it fails
        (code1, out1), (code2, out2) = audit_all(
            (url, tmp_path / "adopt", "--write-baseline", str(baseline)),
            (url, tmp_path / "new-only", "--fail-on-new"),
        )
        assert code1 == 0, out1
        assert f"Baseline written: 2 findings accepted in {baseline} until 22 February 2027" in out1
        assert "without it this run fails: 1 error" in out1
        assert "Failed" not in out1
        summary = (tmp_path / "adopt" / "summary.md").read_text(encoding="utf-8")
        # the summary (and the GitHub job summary) says what the step did, not "Failed"
        headline = summary.splitlines()[0]
        assert headline.startswith("## ✅ Content audit: Baseline written: 2 findings"), summary
        assert "this step passes" in headline and "Failed" not in summary
        assert "| Accepted in the baseline | 2 |" in summary
        adopted = json.loads((tmp_path / "adopt" / "findings.json").read_text())
        assert adopted["verdict"]["passed"] and adopted["verdict"]["baseline_written"]
        assert all(f["accepted"] for f in adopted["findings"])
        junit = (tmp_path / "adopt" / "junit.xml").read_text(encoding="utf-8")
        assert "<failure" not in junit
        assert code2 == 1, out2
        accepted = json.loads(baseline.read_text())["accepted"]
        assert {a["rule"] for a in accepted} == {"link-broken", "title-missing"}
        assert {a["reason"] for a in accepted} == {"accepted at adoption"}
        assert {a["expires"] for a in accepted} == {"2027-02-22"}

        # with the baseline: accepted findings stay in the report but do not fail;
        # expired acceptances count again; --fail-on-new with nothing changed passes
        (code1, out1), (code2, out2), (code3, out3) = audit_all(
            (url, tmp_path / "with-baseline", "--baseline", str(baseline), "--fail-on", "notice"),
            (url, tmp_path / "expired", "--baseline", str(baseline), "--today", "2027-03-01"),
            (url, tmp_path / "new-only", "--fail-on-new"),
        )
        assert code1 == 0, out1
        data = json.loads((tmp_path / "with-baseline" / "findings.json").read_text())
        assert all(f["accepted"]["reason"] == "accepted at adoption" for f in data["findings"])
        assert data["verdict"]["accepted"] == len(data["findings"]) == 2
        report = (tmp_path / "with-baseline" / "index.html").read_text()
        assert "Accepted until 22 February 2027" in report
        assert code2 == 1, out2
        assert code3 == 0, out3

        # a new broken link appears: both --fail-on-new and the baseline fail on it
        write_site(site, broken=["missing.html", "gone.html"])
        (code1, out1), (code2, out2) = audit_all(
            (url, tmp_path / "new-only", "--fail-on-new"),
            (url, tmp_path / "with-baseline", "--baseline", str(baseline)),
        )
        assert code1 == 1 and "1 new error" in out1, out1
        assert code2 == 1 and "1 error" in out2, out2


def test_threshold_from_config_fails_with_its_name(tmp_path):
    write_site(tmp_path / "site" / "s", broken=["missing.html"])
    config = tmp_path / "audit.toml"
    config.write_text('[report]\nfail_on = "never"\nmax_broken_internal_links = 0\n')
    with serve(tmp_path / "site") as base:
        code, out = audit(f"{base}/s/", tmp_path / "out", "--config", str(config))
    assert code == 1, out
    assert "max_broken_internal_links: 1 broken internal links, more than the 0 allowed" in out


def test_set_flag_and_bad_values(tmp_path):
    code, out = audit("http://127.0.0.1:9/", tmp_path / "o", "--set", "links.blok_private=true")
    assert code == 2
    assert "unknown setting 'links.blok_private'" in out
