"""History: new, persisting and fixed across runs, and runs that did not finish."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from content_audit.gate import ReviewStage
from content_audit.history import History
from tests.test_report_fixtures import RUN, FakeStore, config, findings, pages


def run_stage(cfg, day: str, found, crawled=None, complete: bool = True):
    """One pass of the pipeline's history stage, as content_audit.pipeline.run drives it."""
    cfg.today = day
    started = f"{day}T02:00:00+00:00"
    stage = ReviewStage(cfg, started)
    run = {**RUN, "started": started, "finished": f"{day}T02:10:00+00:00", "today": day}
    run["complete"] = complete
    review = stage.review(run, FakeStore(crawled if crawled is not None else pages()), found)
    stage.finish(complete, run["finished"])
    return review


def by_status(found):
    return {f.fingerprint: f.status for f in found}


def test_two_runs_show_exactly_the_fixed_and_the_new(tmp_path):
    cfg = config(tmp_path / "out")
    day1 = findings("a")
    first = run_stage(cfg, "2026-11-23", day1)
    assert first.changes.previous_run is None
    assert {f.status for f in day1} == {"new"}
    assert first.changes.fixed == []

    day2 = findings("b")
    second = run_stage(cfg, "2026-11-24", day2)
    new = [f for f in day2 if f.status == "new"]
    assert [(f.rule, f.target) for f in new] == [
        ("link-broken", "https://external.example.org/back-pain")
    ]
    assert new[0].first_seen == "2026-11-24"
    fixed = second.changes.fixed
    assert [(f["rule"], f["text"]) for f in fixed] == [("link-broken", "scan information")]
    assert fixed[0]["title"] == "Antenatal care"
    assert fixed[0]["first_seen"] == "2026-11-23"
    persisting = [f for f in day2 if f.status == "persisting"]
    assert len(persisting) == 4
    assert {f.first_seen for f in persisting} == {"2026-11-23"}
    assert second.changes.previous_run["today"] == "2026-11-23"
    assert (second.changes.new, len(second.changes.fixed)) == (1, 1)

    # a third run, unchanged: nothing new, nothing fixed, first_seen carried forward
    day3 = findings("b")
    third = run_stage(cfg, "2026-11-25", day3)
    assert third.changes.new == 0 and third.changes.fixed == []
    assert {f.fingerprint: f.first_seen for f in day3 if f.text == "back pain advice"} == {
        day3[-1].fingerprint: "2026-11-24"
    }
    assert [t["today"] for t in third.changes.trend] == ["2026-11-23", "2026-11-24", "2026-11-25"]


def test_incomplete_run_is_recorded_but_never_the_baseline(tmp_path):
    cfg = config(tmp_path / "out")
    run_stage(cfg, "2026-11-23", findings("a"))
    # the crawl stopped early: only two pages seen, findings "b" partially
    partial = run_stage(cfg, "2026-11-24", findings("b")[:1], crawled=pages()[:2], complete=False)
    assert partial.changes.fixed == []  # an incomplete run never fixes anything
    assert partial.changes.not_checked == 4
    assert partial.verdict.exit_code == 2
    runs = History(cfg.history_path).runs()
    assert [r["status"] for r in runs] == ["complete", "incomplete"]
    # the next complete run compares with 2026-11-23, not with the incomplete run
    day3 = findings("b")
    third = run_stage(cfg, "2026-11-25", day3)
    assert third.changes.previous_run["today"] == "2026-11-23"
    assert [f.text for f in day3 if f.status == "new"] == ["back pain advice"]
    assert [f["text"] for f in third.changes.fixed] == ["scan information"]
    assert [t["today"] for t in third.changes.trend] == ["2026-11-23", "2026-11-25"]


def test_a_page_not_crawled_is_not_checked_rather_than_fixed(tmp_path):
    cfg = config(tmp_path / "out")
    run_stage(cfg, "2026-11-23", findings("a"))
    without_maternity = [p for p in pages() if "maternity" not in p.url]
    day2 = [f for f in findings("b") if "maternity" not in f.url]
    review = run_stage(cfg, "2026-11-24", day2, crawled=without_maternity)
    assert review.changes.fixed == []
    assert review.changes.not_checked == 2  # the maternity link and image findings


def test_interrupted_run_stays_incomplete_and_is_skipped(tmp_path):
    cfg = config(tmp_path / "out")
    run_stage(cfg, "2026-11-23", findings("a"))
    # a run that was killed after recording its findings, before it was finalised
    cfg.today = "2026-11-24"
    killed = ReviewStage(cfg, "2026-11-24T02:00:00+00:00")
    killed.review({**RUN, "today": "2026-11-24"}, FakeStore(pages()), findings("b"))
    killed.history.close()  # no finish(): the process died
    history = History(cfg.history_path)
    assert [r["status"] for r in history.runs()] == ["complete", "incomplete"]
    day3 = findings("b")
    review = run_stage(cfg, "2026-11-25", day3)
    assert review.changes.previous_run["today"] == "2026-11-23"
    assert review.changes.new == 1


def test_a_failed_write_leaves_no_partial_run(tmp_path):
    history = History(tmp_path / "h.sqlite")
    history.begin("2026-11-24T02:00:00+00:00", "2026-11-24")
    found = findings("a")
    broken = [*found[:2], replace(found[2], message=None)]  # NOT NULL breaks the third row
    with pytest.raises(sqlite3.IntegrityError):
        history.record(RUN, [p.to_dict() for p in pages()], broken)
    rows = history.db.execute("SELECT COUNT(*) FROM findings").fetchone()[0]
    assert rows == 0
    assert history.runs()[0]["status"] == "incomplete"
    history.finish(True)
    assert history.runs()[0]["status"] == "complete"


def test_page_figures_and_run_totals_are_stored(tmp_path):
    cfg = config(tmp_path / "out")
    run_stage(cfg, "2026-11-23", findings("a"))
    db = sqlite3.connect(cfg.history_path)
    ages = dict(db.execute("SELECT url, reading_age FROM pages"))
    assert ages["https://www.example-trust.nhs.uk/services/maternity/antenatal/"] == 14
    totals = db.execute("SELECT errors, warnings, notices, new, status FROM runs").fetchone()
    assert totals == (2, 2, 1, 5, "complete")


def test_history_path_is_configurable(tmp_path):
    cfg = config(tmp_path / "out", history=str(tmp_path / "elsewhere" / "audit-history.sqlite"))
    run_stage(cfg, "2026-11-23", findings("a"))
    assert (tmp_path / "elsewhere" / "audit-history.sqlite").is_file()
    assert not (tmp_path / "out" / "history.sqlite").exists()


def test_unreadable_history_is_a_configuration_error(tmp_path):
    from content_audit.core.config import ConfigError

    cfg = config(tmp_path / "out")
    cfg.history_path.parent.mkdir(parents=True)
    cfg.history_path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ConfigError, match="history database"):
        ReviewStage(cfg, "2026-11-24T02:00:00+00:00")


def test_pruning_keeps_the_latest_complete_run(tmp_path):
    cfg = config(tmp_path / "out")
    run_stage(cfg, "2026-11-20", findings("a"))
    for day in ("21", "22", "23"):
        stage = ReviewStage(cfg, f"2026-11-{day}T02:00:00+00:00")
        stage.history.keep_runs = 2
        stage.review({**RUN, "today": f"2026-11-{day}", "complete": False}, FakeStore(pages()), [])
        stage.finish(False)
    db = sqlite3.connect(cfg.history_path)
    kept = [r for (r,) in db.execute("SELECT DISTINCT run_id FROM findings ORDER BY run_id")]
    assert kept == [1]  # the only complete run keeps its findings
    assert db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 4
    day5 = findings("b")
    review = run_stage(cfg, "2026-11-24", day5)
    assert review.changes.previous_run["today"] == "2026-11-20"
    assert review.changes.new == 1 and len(review.changes.fixed) == 1


def test_a_rule_that_could_not_run_fixes_nothing(tmp_path):
    """Yesterday's findings of a rule that could not run today (its dictionary missing)
    are not counted fixed: nothing checked for them."""
    cfg = config(tmp_path / "out")
    run_stage(cfg, "2026-11-23", findings("a"))
    rules = {f.rule for f in findings("a")}
    cfg.today = "2026-11-24"
    stage = ReviewStage(cfg, "2026-11-24T02:00:00+00:00")
    not_run = [{"rules": sorted(rules), "why": "not installed"}]
    run = {**RUN, "today": "2026-11-24", "complete": True, "checks_not_run": not_run}
    review = stage.review(run, FakeStore(pages()), [])
    stage.finish(True)
    assert review.changes.fixed == []
    assert review.verdict.exit_code == 2 and "could not run" in review.verdict.headline


def test_a_problem_grouped_as_template_wide_is_not_fixed_on_its_other_pages(tmp_path):
    """The first night after a footer link's findings are grouped into one (or whenever a
    problem spreads to enough pages), its copies on the other pages are not "fixed"."""
    from content_audit.core.model import Finding
    from content_audit.core.model import assign_fingerprints as assign

    site = "https://www.example-trust.nhs.uk"
    target = f"{site}/old-statement/"

    def on(page: str, **details) -> Finding:
        return Finding(rule="link-broken", severity="error", url=f"{site}{page}",
                       message="Broken link.", target=target, text="Accessibility",
                       details=details)  # fmt: skip

    cfg = config(tmp_path / "out")
    every = [p.url[len(site) :] for p in pages()]
    first = run_stage(cfg, "2026-11-23", assign([on(p) for p in every]))
    assert first.changes.fixed == []
    grouped = on(every[0], affected_pages=[f"{site}{p}" for p in every])
    second = run_stage(cfg, "2026-11-24", assign([grouped]))
    assert second.changes.fixed == []
