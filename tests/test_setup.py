"""Setup on a machine where we are not root (GitHub's hosted runners): the dictionaries the
spelling checks need are still installed, through passwordless sudo, and a machine with
neither says so instead of leaving the checks silently off."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "system-packages.sh"


def stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


def run_as_nobody(
    tmp_path: Path, sudo: str | None, *args: str, apt_fails: bool = False
) -> tuple[subprocess.CompletedProcess, str]:
    """The script as user nobody, with apt-get (and sudo, if given) replaced by stubs that
    log what they were asked, and no hunspell dictionaries in sight."""
    runuser = shutil.which("runuser") or shutil.which("runuser", path="/usr/sbin:/sbin")
    if runuser is None or os.geteuid() != 0:
        pytest.skip("needs root to run a command as another user")
    # pytest's own temporary folders are private to root: use one nobody can read
    tmp_path = Path(tempfile.mkdtemp(prefix="setup-as-nobody-"))
    tmp_path.chmod(0o755)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    log.touch()
    log.chmod(0o666)
    bin_dir.chmod(0o755)
    stub(
        bin_dir,
        "apt-get",
        f'echo "apt-get uid=$(id -u) $*" >> {log}' + ("; exit 100" if apt_fails else ""),
    )
    if sudo is not None:
        stub(bin_dir, "sudo", sudo.replace("LOG", str(log)))
    # hide the dictionaries and the browser from the script, as on a fresh runner
    script = tmp_path / "system-packages.sh"
    text = SCRIPT.read_text().replace("/usr/share/hunspell", str(tmp_path / "none"))
    script.write_text(text.replace("/usr/bin/chrom", str(tmp_path / "none" / "chrom")))
    script.chmod(0o755)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run(
        [runuser, "-u", "nobody", "--", "bash", str(script), *args],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    calls = log.read_text()
    shutil.rmtree(tmp_path, ignore_errors=True)
    return done, calls


def test_not_root_with_passwordless_sudo_installs_the_dictionaries(tmp_path):
    sudo = 'if [ "$1" = "-n" ]; then shift; fi\n[ "$1" = "true" ] && exit 0\necho "sudo $*" >> LOG\n"$@"'
    done, calls = run_as_nobody(tmp_path, sudo)
    assert done.returncode == 0, done.stderr
    assert re.search(r"^sudo .*apt-get install", calls, re.M), calls
    for package in ("hunspell-en-gb", "hunspell-en-us", "hunspell-en-med"):
        assert package in calls
    assert "chromium" not in calls  # the audit needs no browser; --dev adds it


def test_dev_adds_the_browser_for_the_report_test(tmp_path):
    sudo = 'if [ "$1" = "-n" ]; then shift; fi\n[ "$1" = "true" ] && exit 0\necho "sudo $*" >> LOG\n"$@"'
    _done, calls = run_as_nobody(tmp_path, sudo, "--dev")
    assert "chromium-driver" in calls


def test_not_root_without_sudo_says_what_is_missing(tmp_path):
    done, calls = run_as_nobody(tmp_path, None)
    assert done.returncode == 0
    assert "apt-get install" not in calls
    assert "cannot install hunspell-en-gb" in done.stderr


def test_a_failing_apt_get_does_not_stop_setup(tmp_path):
    """apt-get failing on a runner (a mirror down) must not fail the whole Action before
    it audits: setup says what could not be installed, and the audit reports the checks
    that cannot run."""
    sudo = 'if [ "$1" = "-n" ]; then shift; fi\n[ "$1" = "true" ] && exit 0\n"$@"'
    done, _calls = run_as_nobody(tmp_path, sudo, apt_fails=True)
    assert done.returncode == 0, done.stderr
    assert "apt-get could not install hunspell-en-gb" in done.stderr
