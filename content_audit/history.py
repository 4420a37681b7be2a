"""History: every run recorded in one SQLite file, so each report can say what changed.

A run row is inserted as ``incomplete`` before anything is crawled and finalised as
``complete`` (or left ``incomplete``) at the end, each step in its own transaction. A run
that was killed half way therefore stays ``incomplete``, and only ``complete`` runs are used
as the comparison point for "new" and "fixed": an interrupted night can never make
yesterday's problems look fixed, nor today's look new tomorrow.

- **new**: not in the previous complete run.
- **persisting**: in the previous complete run; ``first_seen`` carries over from it.
- **fixed**: in the previous complete run, not in this one, this run is complete and the
  page was crawled this time. A page not crawled this time is *not checked*, not fixed.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from content_audit.core.model import Finding

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started TEXT NOT NULL,
    finished TEXT,
    today TEXT NOT NULL,
    status TEXT NOT NULL,          -- incomplete until finalised as complete
    start_urls TEXT NOT NULL DEFAULT '[]',
    pages_crawled INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    warnings INTEGER NOT NULL DEFAULT 0,
    notices INTEGER NOT NULL DEFAULT 0,
    new INTEGER NOT NULL DEFAULT 0,
    fixed INTEGER NOT NULL DEFAULT 0,
    meta TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS findings (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    url TEXT NOT NULL,
    target TEXT,
    text TEXT,
    message TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (run_id, fingerprint)
);
CREATE TABLE IF NOT EXISTS pages (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    status INTEGER NOT NULL DEFAULT 0,
    reading_age REAL,
    figures TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (run_id, url)
);
CREATE INDEX IF NOT EXISTS findings_fp ON findings (fingerprint);
"""

SEVERITY_COLUMNS = {"error": "errors", "warning": "warnings", "notice": "notices"}


@dataclass(slots=True)
class Changes:
    """What the history says about this run compared with the previous complete one."""

    previous_run: dict[str, Any] | None = None  # the run compared with; None on the first
    new: int = 0
    persisting: int = 0
    fixed: list[dict[str, Any]] = field(default_factory=list)
    not_checked: int = 0  # previous findings on pages this run did not crawl
    trend: list[dict[str, Any]] = field(default_factory=list)  # oldest first, this run last

    def to_dict(self) -> dict[str, Any]:
        return {
            "previous_run": self.previous_run,
            "new": self.new,
            "persisting": self.persisting,
            "fixed": len(self.fixed),
            "not_checked": self.not_checked,
        }


class History:
    """The run history database. One instance per run; use begin -> record -> finish."""

    def __init__(self, path: Path | str, keep_runs: int = 120) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        existed = self.path.is_file()
        self.db = sqlite3.connect(self.path, timeout=30)
        self.db.execute("PRAGMA foreign_keys = ON")
        if existed and not self._has_runs_table():
            # an empty file (a failed copy, a full disk): the owners must know why every
            # finding is suddenly "new"
            log.warning(
                "the history database %s is empty: a new history starts with this run, "
                "so every finding counts as new", self.path,
            )  # fmt: skip
        with self.db:
            self.db.executescript(_SCHEMA)
        self.keep_runs = keep_runs
        self.run_id: int | None = None

    def _has_runs_table(self) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'runs'"
        ).fetchone()
        return row is not None

    def close(self) -> None:
        self.db.close()

    # -- the three steps of one run -----------------------------------------------------------
    def begin(self, started: str, today: str, start_urls: Iterable[str] = ()) -> int:
        """Insert this run as ``incomplete`` and commit, before anything else happens."""
        with self.db:
            cursor = self.db.execute(
                "INSERT INTO runs (started, today, status, start_urls) VALUES (?, ?, 'incomplete', ?)",
                (started, today, json.dumps(list(start_urls))),
            )
        self.run_id = int(cursor.lastrowid or 0)
        return self.run_id

    def record(
        self,
        run: dict[str, Any],
        pages: Iterable[dict[str, Any]],
        findings: list[Finding],
    ) -> Changes:
        """Mark each finding new or persisting, work out what was fixed, store it all.

        ``pages`` are page records (dicts with url, title, status, figures): the pages
        crawled this run. Everything is written in one transaction.
        """
        if self.run_id is None:
            raise RuntimeError("History.begin() must be called first")
        today = str(run.get("today") or run.get("started", "")[:10])
        # a run stopped by the page limit (site.partial_ok) left pages and links unchecked:
        # what it did not see again is not fixed
        complete = bool(run.get("complete")) and not run.get("pages_past_limit")
        previous = self.previous_complete_run()
        before: dict[str, sqlite3.Row] = {}
        if previous:
            self.db.row_factory = sqlite3.Row
            before = {
                row["fingerprint"]: row
                for row in self.db.execute(
                    "SELECT * FROM findings WHERE run_id = ?", (previous["id"],)
                )
            }
            self.db.row_factory = None
        changes = Changes(previous_run=previous)
        for finding in findings:
            old = before.get(finding.fingerprint)
            if old is None:
                finding.status = "new"
                finding.first_seen = today
                changes.new += 1
            else:
                finding.status = "persisting"
                finding.first_seen = old["first_seen"]
                changes.persisting += 1
        page_rows = []
        crawled: dict[str, str] = {}
        for page in pages:
            figures = page.get("figures") or {}
            crawled[page["url"]] = page.get("title") or ""
            if page.get("final_url"):
                crawled.setdefault(page["final_url"], page.get("title") or "")
            page_rows.append(
                (
                    self.run_id,
                    page["url"],
                    page.get("title") or "",
                    int(page.get("status") or 0),
                    figures.get("reading_age"),
                    json.dumps(figures, ensure_ascii=False),
                )
            )
        current = {f.fingerprint for f in findings}
        # a template-wide problem is one finding now, on one page: its copies on the other
        # pages it lists are still there, not fixed
        grouped = {
            (f.rule, f.target or f.text or "", url)
            for f in findings
            for url in (f.details or {}).get("affected_pages") or ()
        }
        # a rule that could not run this time checked nothing: its old findings are not fixed
        not_run = {rule for item in run.get("checks_not_run") or [] for rule in item["rules"]}
        for fingerprint, old in before.items():
            if fingerprint in current:
                continue
            if (old["rule"], old["target"] or old["text"] or "", old["url"]) in grouped:
                continue
            if not complete or old["url"] not in crawled or old["rule"] in not_run:
                changes.not_checked += 1
                continue
            changes.fixed.append(
                {
                    "fingerprint": fingerprint,
                    "rule": old["rule"],
                    "severity": old["severity"],
                    "url": old["url"],
                    "title": crawled.get(old["url"], ""),
                    "target": old["target"],
                    "text": old["text"],
                    "message": old["message"],
                    "first_seen": old["first_seen"],
                }
            )
        counts = {"error": 0, "warning": 0, "notice": 0}
        for finding in findings:
            counts[finding.severity] = counts.get(finding.severity, 0) + 1
        meta = {
            k: v
            for k, v in run.items()
            if k not in ("start_urls", "started", "finished", "today", "complete")
        }
        with self.db:
            self.db.execute("DELETE FROM findings WHERE run_id = ?", (self.run_id,))
            self.db.execute("DELETE FROM pages WHERE run_id = ?", (self.run_id,))
            self.db.executemany(
                "INSERT OR REPLACE INTO findings (run_id, fingerprint, rule, severity, url, "
                "target, text, message, first_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        self.run_id,
                        f.fingerprint,
                        f.rule,
                        f.severity,
                        f.url,
                        f.target,
                        f.text,
                        f.message,
                        f.first_seen,
                    )
                    for f in findings
                ],
            )
            self.db.executemany(
                "INSERT OR REPLACE INTO pages (run_id, url, title, status, reading_age, figures) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                page_rows,
            )
            self.db.execute(
                "UPDATE runs SET pages_crawled = ?, errors = ?, warnings = ?, notices = ?, "
                "new = ?, fixed = ?, finished = ?, meta = ? WHERE id = ?",
                (
                    int(run.get("pages_crawled") or len(page_rows)),
                    counts["error"],
                    counts["warning"],
                    counts["notice"],
                    changes.new,
                    len(changes.fixed),
                    run.get("finished"),
                    json.dumps(meta, ensure_ascii=False, default=str),
                    self.run_id,
                ),
            )
        changes.trend = self.trend(include_current=True)
        if changes.trend:  # this run is not finalised yet; show what it will be
            changes.trend[-1]["complete"] = complete
        return changes

    def finish(self, complete: bool, finished: str | None = None) -> None:
        """Finalise this run as complete or incomplete, then prune old detail."""
        if self.run_id is None:
            return
        with self.db:
            self.db.execute(
                "UPDATE runs SET status = ?, finished = COALESCE(?, finished) WHERE id = ?",
                ("complete" if complete else "incomplete", finished, self.run_id),
            )
        self.prune()

    def prune(self) -> None:
        """Keep full detail for the last ``keep_runs`` runs and the latest complete one
        (the next run compares with it); keep every run's totals."""
        keep = (
            "(SELECT id FROM runs ORDER BY id DESC LIMIT ?) "
            "AND run_id != (SELECT COALESCE(MAX(id), -1) FROM runs WHERE status = 'complete')"
        )
        with self.db:
            for table in ("findings", "pages"):
                self.db.execute(
                    f"DELETE FROM {table} WHERE run_id NOT IN {keep}", (self.keep_runs,)
                )

    # -- reading ------------------------------------------------------------------------------
    def _run_dict(self, row: tuple[Any, ...], names: list[str]) -> dict[str, Any]:
        data = dict(zip(names, row, strict=True))
        data["start_urls"] = json.loads(data.get("start_urls") or "[]")
        data["meta"] = json.loads(data.get("meta") or "{}")
        return data

    def runs(self) -> list[dict[str, Any]]:
        cursor = self.db.execute("SELECT * FROM runs ORDER BY id")
        names = [d[0] for d in cursor.description]
        return [self._run_dict(row, names) for row in cursor]

    def previous_complete_run(self) -> dict[str, Any] | None:
        """The latest complete run before this one: the baseline for new and fixed."""
        cursor = self.db.execute(
            "SELECT * FROM runs WHERE status = 'complete' AND id < ? ORDER BY id DESC LIMIT 1",
            (self.run_id if self.run_id is not None else 1 << 62,),
        )
        names = [d[0] for d in cursor.description]
        row = cursor.fetchone()
        return self._run_dict(row, names) if row else None

    def trend(self, limit: int = 14, include_current: bool = False) -> list[dict[str, Any]]:
        """Totals of the last complete runs (and this one), oldest first."""
        current = self.run_id if include_current and self.run_id is not None else -1
        cursor = self.db.execute(
            "SELECT id, today, started, status, pages_crawled, errors, warnings, notices, new, "
            "fixed FROM runs WHERE status = 'complete' OR id = ? ORDER BY id DESC LIMIT ?",
            (current, limit),
        )
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor]
        for row in rows:
            row["complete"] = row.pop("status") == "complete"
        return list(reversed(rows))

    def findings_of(self, run_id: int) -> dict[str, dict[str, Any]]:
        self.db.row_factory = sqlite3.Row
        try:
            return {
                row["fingerprint"]: dict(row)
                for row in self.db.execute("SELECT * FROM findings WHERE run_id = ?", (run_id,))
            }
        finally:
            self.db.row_factory = None
