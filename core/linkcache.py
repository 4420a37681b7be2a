"""The link cache: results of external link checks, kept between nightly runs.

A healthy external link checked on Monday does not need asking again on Tuesday. Each
result is kept with the time it was checked; it is reused without a request while it is
younger than the age limit for its kind:

* ``ok`` (2xx, no redirect): ``links.cache_days_ok`` (default 7 days)
* ``redirect`` (redirects ending in 2xx): ``links.cache_days_redirect`` (default 3 days)
* anything else (errors, refusals, soft 404s, unverifiable): never cached, always re-checked,
  so a problem is confirmed every night and a fix shows up the next morning.

``links.recheck_all`` (``--recheck-links``) ignores what is stored and checks everything.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING

from content_audit.core.model import Fetch

if TYPE_CHECKING:
    from content_audit.core.config import Config

log = logging.getLogger(__name__)

DAY = 86400.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS links (
    url TEXT PRIMARY KEY,
    kind TEXT NOT NULL,          -- ok or redirect
    checked_at REAL NOT NULL,    -- unix time
    data TEXT NOT NULL           -- the Fetch as JSON
);
"""


def cache_path(config: Config) -> Path:
    return (
        config.resolve(config.links.cache)
        if config.links.cache
        else config.out_dir / "link-cache.sqlite"
    )


def cache_kind(fetch: Fetch) -> str | None:
    """ok, redirect, or None when the result must not be cached."""
    if fetch.status == 0 or not 200 <= fetch.status < 300:
        return None
    if fetch.facts.problem is not None:
        return None  # soft 404, removed video...: confirm every run
    return "redirect" if fetch.redirects else "ok"


class LinkCache:
    def __init__(
        self,
        path: Path,
        days_ok: float = 7.0,
        days_redirect: float = 3.0,
        recheck_all: bool = False,
        now: float | None = None,
    ) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.max_age = {"ok": days_ok * DAY, "redirect": days_redirect * DAY}
        self.recheck_all = recheck_all
        self.now = now if now is not None else time.time()
        self.hits = 0
        self.stored = 0
        try:
            self.db = self._open()
            self.db.execute("SELECT url FROM links LIMIT 1").fetchall()
            quick = self.db.execute("PRAGMA quick_check(1)").fetchone()
            if quick is None or quick[0] != "ok":
                raise sqlite3.DatabaseError(str(quick[0]) if quick else "no answer")
        except sqlite3.DatabaseError as exc:  # a cache is disposable: start a new one
            self._start_afresh(exc)

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, check_same_thread=False)
        db.executescript(_SCHEMA)
        return db

    def _start_afresh(self, exc: BaseException) -> None:
        """Drop a damaged cache file and begin an empty one: every link is asked again."""
        log.warning(
            "the link cache %s is damaged (%s): it is dropped and every link is checked afresh",
            self.path, exc,
        )  # fmt: skip
        with contextlib.suppress(Exception):
            self.db.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        self.db = self._open()

    @classmethod
    def for_config(cls, config: Config) -> LinkCache:
        links = config.links
        return cls(
            cache_path(config), links.cache_days_ok, links.cache_days_redirect, links.recheck_all
        )

    def get(self, url: str) -> Fetch | None:
        """A result young enough to reuse, or None (also when its row cannot be read: the
        link is then simply asked again)."""
        if self.recheck_all:
            return None
        try:
            row = self.db.execute(
                "SELECT kind, checked_at, data FROM links WHERE url = ?", (url,)
            ).fetchone()
            if row is None:
                return None
            kind, checked_at, data = row
            if self.now - float(checked_at) > self.max_age.get(kind, 0):
                return None
            fetch = Fetch.from_dict(json.loads(data))
        except (sqlite3.DatabaseError, ValueError, TypeError, KeyError) as exc:
            self._damaged(exc)
            return None
        fetch.facts.cached = _checked_on(checked_at)
        fetch.elapsed_ms = 0
        self.hits += 1
        return fetch

    def put(self, fetch: Fetch) -> None:
        """Remember a fresh result; a result that must not be cached removes any old one."""
        if fetch.facts.cached is not None:
            return
        kind = cache_kind(fetch)
        if kind is None or self.max_age[kind] <= 0:
            try:
                self.db.execute("DELETE FROM links WHERE url = ?", (fetch.url,))
            except sqlite3.DatabaseError as exc:
                self._damaged(exc)
            return
        checked_at = time.time()
        try:
            self.db.execute(
                "INSERT OR REPLACE INTO links (url, kind, checked_at, data) VALUES (?, ?, ?, ?)",
                (fetch.url, kind, checked_at, json.dumps(fetch.to_dict(), ensure_ascii=False)),
            )
        except sqlite3.DatabaseError as exc:
            self._damaged(exc)
            return
        # marked as it will read from the cache: the next nights' answer is this one's, so
        # the link findings that rest on it stand (checks.engine.link_reuse) from the first night
        fetch.facts.cached = _checked_on(checked_at)
        self.stored += 1

    def age_all(self, seconds: float) -> None:
        """Make every stored result older (tests and tools)."""
        self.db.execute("UPDATE links SET checked_at = checked_at - ?", (seconds,))
        self.db.commit()

    def _damaged(self, exc: BaseException) -> None:
        """Damage found during the run (a page of the file unreadable): start afresh."""
        self._start_afresh(exc)

    def close(self) -> None:
        try:
            self.db.commit()
        except sqlite3.DatabaseError as exc:  # the cache is lost, never the run
            log.warning("the link cache %s could not be saved: %s", self.path, exc)
        self.db.close()


def _checked_on(checked_at: float) -> str:
    """When a result was checked, as ``FetchFacts.cached`` says it (UTC, to the second)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(checked_at))
