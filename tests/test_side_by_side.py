"""A report written side by side (core.side_by_side) comes from a child process, and
is written here instead whenever the child cannot give it: never lost."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from content_audit.checks.engine.registry import RULES
from content_audit.core.side_by_side import SideBySide

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
    assert "doing it here instead" in caplog.text


def test_without_fork_the_work_is_done_here(tmp_path):
    report = tmp_path / "index.html"
    assert SideBySide(lambda: written_by(report), fork=False).result() == {"pid": HERE}


@pytest.mark.parametrize("limit", [100, 2])
def test_the_html_is_written_side_by_side_only_for_a_site_up_to_the_limit(
    tmp_path, monkeypatch, limit
):
    """The site's report (and then the SARIF) and its owners' reports are written by two
    children, each beside this process; past SIDE_BY_SIDE_PAGES, a forked child would count
    this process's memory again in the audit's resident memory: they are then written
    here."""
    import content_audit.reports.writer as writer
    from tests.test_report_fixtures import RUN, FakeStore, config, findings, pages

    for name in ("write_index_report", "write_owner_reports", "write_sarif"):
        real = getattr(writer, name)

        def noting_the_process(*args, real=real, name=name) -> dict:
            (tmp_path / name).write_text(str(os.getpid()), encoding="utf-8")
            return real(*args)

        monkeypatch.setattr(writer, name, noting_the_process)
    monkeypatch.setattr(writer, "SIDE_BY_SIDE_PAGES", limit)
    cfg = config(tmp_path / "out")
    site = pages()
    assert 2 < len(site) <= 100
    paths = writer.write_reports(
        cfg.out_dir, dict(RUN), FakeStore(site), findings("a"), cfg, rules=RULES
    )
    assert paths["html"].is_file() and "</html>" in paths["html"].read_text(encoding="utf-8")
    owner_pages = [path for key, path in paths.items() if key.startswith("owner:")]
    assert owner_pages and all("</html>" in p.read_text(encoding="utf-8") for p in owner_pages)
    assert json.loads(paths["sarif"].read_text(encoding="utf-8"))["runs"][0]["results"]
    index_by, owners_by, sarif_by = (
        int((tmp_path / name).read_text(encoding="utf-8"))
        for name in ("write_index_report", "write_owner_reports", "write_sarif")
    )
    if limit < len(site):
        assert index_by == owners_by == sarif_by == HERE
    else:
        assert len({index_by, owners_by, HERE}) == 3  # two children, neither this process
        assert sarif_by == index_by
