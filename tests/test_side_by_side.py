"""A report written side by side (reports.side_by_side) comes from a child process, and
is written here instead whenever the child cannot give it: never lost."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reports.side_by_side import SideBySide

HERE = os.getpid()


def written_by(path: Path) -> dict[str, int]:
    path.write_text(str(os.getpid()), encoding="utf-8")
    return {"pid": os.getpid()}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_the_work_is_done_in_a_child_process_while_this_one_goes_on(tmp_path):
    report = tmp_path / "index.html"
    work = SideBySide(lambda: written_by(report))
    (tmp_path / "findings.json").write_text("{}", encoding="utf-8")  # meanwhile, here
    answer = work.result()
    assert answer["pid"] != HERE
    assert report.read_text(encoding="utf-8") == str(answer["pid"])


def fails_in_a_child(path: Path) -> dict[str, int]:
    if os.getpid() != HERE:
        raise RuntimeError("the child cannot write the report")
    return written_by(path)


def dies_in_a_child(path: Path) -> dict[str, int]:
    if os.getpid() != HERE:
        os._exit(3)  # killed, out of memory...: no answer at all
    return written_by(path)


@pytest.mark.parametrize("work", [fails_in_a_child, dies_in_a_child])
def test_a_child_that_fails_or_dies_leaves_the_work_to_this_process(tmp_path, work, caplog):
    report = tmp_path / "index.html"
    answer = SideBySide(lambda: work(report)).result()
    assert answer == {"pid": HERE}
    assert report.read_text(encoding="utf-8") == str(HERE)
    assert "writing it here instead" in caplog.text


def test_without_fork_the_work_is_done_here(tmp_path):
    report = tmp_path / "index.html"
    assert SideBySide(lambda: written_by(report), fork=False).result() == {"pid": HERE}
