"""The run store: one SQLite file per run that pages and fetch results stream into.

The crawler writes each page as it arrives and forgets it; later stages read pages back
one at a time. Nothing holds the whole site in memory, whatever its size.

A page's record (``records``, about 20 KB) is kept apart from its place in this run's crawl
(``crawl``: order, and depth and timing when the record is the last run's); ``pages`` is
the view that joins them, and what every reader reads. A nightly re-run goes on in the
last run's file (``hand_over``): the last run's crawl and fetches become ``last_*`` tables
that core.previous reads, and a page the server says is unchanged keeps its record and its
kept check results where they are (``reuse_page`` adds its row to ``crawl``). Copying them
into a new file, as earlier versions did, took a fifth of a 1%-changed re-run's crawl.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from content_audit.core.model import Fetch, Page
from content_audit.core.records import (
    LONG_FIELDS,
    Record,
    StoredPage,
    decode_page,
    encode_record,
    encode_summary,
    this_fetch,
)

_SCHEMA = """
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;  -- rebuilt by every run: no fsync while it fills (close() syncs)
CREATE TABLE IF NOT EXISTS records (
    url TEXT PRIMARY KEY,         -- a page's record, this run's or (unchanged) the last run's
    data TEXT NOT NULL,
    outline TEXT,                 -- what the next run's crawl reads of it (encode_outline)
    summary TEXT                  -- the record without its long parts (encode_summary)
);
CREATE TABLE IF NOT EXISTS crawl (
    url TEXT PRIMARY KEY,         -- the pages of this run, in crawl order
    seq INTEGER NOT NULL,
    depth INTEGER,                -- for a page taken unchanged from the last run (reuse_page):
    elapsed_ms INTEGER            -- this crawl's depth and timing, which its record lacks
);
CREATE INDEX IF NOT EXISTS crawl_by_seq ON crawl (seq);
CREATE VIEW IF NOT EXISTS pages AS
    SELECT c.url AS url, c.seq AS seq, r.data AS data, r.outline AS outline,
           r.summary AS summary, c.depth AS depth, c.elapsed_ms AS elapsed_ms
    FROM crawl c JOIN records r ON r.url = c.url;
CREATE TABLE IF NOT EXISTS fetches (
    url TEXT PRIMARY KEY,
    kind TEXT NOT NULL,           -- page (crawled) or link (checked only)
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS figures (
    url TEXT PRIMARY KEY,         -- a page's figures (reading age...), written by the checks
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS page_results (
    url TEXT PRIMARY KEY,         -- a page's results of the reusable checks, for the next run
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS site_notes (
    url TEXT PRIMARY KEY,         -- a page's notes of the reusable site checks, for the next run
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS link_findings (
    url TEXT PRIMARY KEY,         -- a page's link findings and what they rest on, for the next run
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


# a page record with the figures the checks wrote for it (None when they wrote none), and
# this crawl's depth and timing when the record is the last run's (None when its own)
_PAGES_WITH_FIGURES = (
    "SELECT p.data, f.data, p.depth, p.elapsed_ms FROM pages p LEFT JOIN figures f ON f.url = p.url"
)

# json.dumps(data, ensure_ascii=False, separators=(",", ":")), without a new encoder per call
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


# a page's results kept for the next run, one table each (copied by reuse_page with the page)
KEPT_TABLES = ("page_results", "site_notes", "link_findings")


def read_kept(db: sqlite3.Connection, table: str, url: str) -> dict[str, Any] | None:
    """A page's row of one of KEPT_TABLES, decoded, or None (a check worker reads the run
    store over a connection of its own)."""
    row = db.execute(f"SELECT data FROM {table} WHERE url = ?", (url,)).fetchone()
    return json.loads(row[0]) if row else None


def _remove_notes(path: Path) -> None:
    for suffix in ("", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def notes_path(store_path: Path | str) -> Path:
    """Where a check worker writes the site checks' notes while the crawl writes the store
    (``NoteFile``); the run store takes them in when the worker is done."""
    store_path = Path(store_path)
    return store_path.with_name(f"{store_path.name}-notes")


def early_links_path(store_path: Path | str) -> Path:
    """Where a check worker writes the link findings it made during the crawl
    (checks.engine.early_links), a ``NoteFile`` of table ``link_findings``."""
    store_path = Path(store_path)
    return store_path.with_name(f"{store_path.name}-links")


class NoteFile:
    """Pages' kept results (by default the reusable site checks' notes) written as a worker
    makes them, a batch at a time, to a file of their own (one writer each: no waiting on
    the crawl's writes, and none held in memory, about 2 KB a page)."""

    BATCH = 200

    def __init__(self, path: Path, table: str = "site_notes") -> None:
        self.path = path
        self.table = table
        _remove_notes(path)
        self.db: sqlite3.Connection | None = None
        self.pending: list[tuple[str, str]] = []
        self.count = 0  # pages added

    def add(self, url: str, notes: dict[str, Any]) -> None:
        self.pending.append((url, _dumps(notes)))
        self.count += 1
        if len(self.pending) >= self.BATCH:
            self.flush()

    def add_all(self, items: Iterable[tuple[str, dict[str, Any]]]) -> None:
        for url, data in items:
            self.add(url, data)

    def flush(self) -> None:
        if not self.pending:
            return
        if self.db is None:
            self.db = sqlite3.connect(self.path)
            self.db.execute(f"CREATE TABLE {self.table} (url TEXT PRIMARY KEY, data TEXT NOT NULL)")
        self.db.executemany(f"INSERT OR REPLACE INTO {self.table} VALUES (?, ?)", self.pending)
        self.db.commit()
        self.pending.clear()

    def close(self) -> None:
        self.flush()
        if self.db is not None:
            self.db.close()


# a run's own tables: a store handed over to the next run keeps them as last_<name>
RUN_TABLES = ("crawl", "fetches", "meta")
_LAST_PAGES = """
CREATE VIEW last_pages AS
    SELECT c.url AS url, c.seq AS seq, r.data AS data, r.outline AS outline,
           r.summary AS summary, c.depth AS depth, c.elapsed_ms AS elapsed_ms
    FROM last_crawl c JOIN records r ON r.url = c.url
"""


def hand_over(path: Path, results: bool = True) -> None:
    """Make a finished run's store ready for the next run to go on in (core.previous):
    its run tables (RUN_TABLES) become last_<name>, read by core.previous and dropped by
    ``RunStore.forget_last_run``; its figures go (the checks write them again); its records
    stay, for the pages that turn out unchanged, and so do its pages' kept check results
    (KEPT_TABLES) unless ``results`` is False (they were worked out by other checks or
    settings: checks.engine.runner.results_key). A store whose run stopped before it could forget
    the last one is handed over as it is: its own tables win, the older ones go."""
    db = sqlite3.connect(path)
    try:
        _upgrade_pages_table(db)
        have = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        db.execute("DROP VIEW IF EXISTS pages")
        db.execute("DROP VIEW IF EXISTS last_pages")
        db.execute("DROP INDEX IF EXISTS crawl_by_seq")  # the new crawl table's, by name
        for name in RUN_TABLES:
            db.execute(f"DROP TABLE IF EXISTS last_{name}")
            if name in have:
                db.execute(f"ALTER TABLE {name} RENAME TO last_{name}")
        db.execute("DROP TABLE IF EXISTS figures")
        db.executescript(_SCHEMA)
        if not results:
            for name in KEPT_TABLES:
                db.execute(f"DELETE FROM {name}")
        if "crawl" in have:
            db.execute(_LAST_PAGES)
        db.commit()
    finally:
        db.close()


class RunStore:
    """Pages, fetch results and run facts for one audit run."""

    def __init__(self, path: Path, fresh: bool = False) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        self.db = sqlite3.connect(self.path, check_same_thread=False)
        _upgrade_pages_table(self.db)
        self.db.executescript(_SCHEMA)
        self._seq = self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM crawl").fetchone()[0]
        self._pending = 0
        self._reused: list[tuple[str, int, int, int]] = []  # pages reuse_page is to add
        # handed over (hand_over): the last run's kept results are here, for its pages
        self._carried = (
            self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'last_crawl'").fetchone()
            is not None
        )

    @classmethod
    def reader(cls, path: Path) -> RunStore:
        """A read-only connection to a store that another connection writes: for a forked
        child (a connection must never cross a fork). Only the reading methods work on
        it; it sees what the writer has committed."""
        store = cls.__new__(cls)
        store.path = Path(path)
        store.db = sqlite3.connect(f"file:{store.path}?mode=ro", uri=True)
        store._seq, store._pending, store._reused, store._carried = 0, 0, [], False
        return store

    # -- writing --------------------------------------------------------------------------
    def add_page(self, page: Page, record: Record | None = None) -> None:
        """Store a page; ``record`` is ``encode_record(page)`` when the caller has it
        already (an extraction worker encodes the pages it extracts)."""
        data, outline, summary = record if record is not None else encode_record(page)
        self._seq += 1
        self.db.execute(
            "INSERT OR REPLACE INTO records (url, data, outline, summary) VALUES (?, ?, ?, ?)",
            (page.url, data, outline, summary),
        )
        self.db.execute(
            "INSERT OR REPLACE INTO crawl (url, seq) VALUES (?, ?)", (page.url, self._seq)
        )
        if self._carried:  # the last run's results for the page were not for this record
            for table in KEPT_TABLES:
                self.db.execute(f"DELETE FROM {table} WHERE url = ?", (page.url,))
        self._tick()

    def update_page(self, page: Page) -> None:
        """Store a page's record again (its text rewritten; not its links)."""
        record = page.to_dict()
        self.db.execute(
            "UPDATE records SET data = ?, summary = ? WHERE url = ?",
            (_dumps(record), encode_summary(record), page.url),
        )
        self._tick()

    def reuse_page(self, url: str, depth: int, elapsed_ms: int) -> None:
        """Take an unchanged page of the last run (``hand_over``) into this run, with this
        crawl's depth and timing. Its record and its kept check results stay where they
        are, never decoded nor copied; its row is written with a batch of others, at the
        latest at the next commit."""
        self._seq += 1
        self._reused.append((url, self._seq, depth, elapsed_ms))
        self._tick()

    def _add_reused(self) -> None:
        if self._reused:
            self.db.executemany(
                "INSERT OR REPLACE INTO crawl (url, seq, depth, elapsed_ms) VALUES (?, ?, ?, ?)",
                self._reused,
            )
            self._reused.clear()

    def forget_last_run(self) -> None:
        """After the crawl: drop what ``hand_over`` kept of the last run, and the records
        and kept results of its pages this run did not crawl again (gone from the site, or
        not reached)."""
        self.commit()
        self.db.execute("DROP VIEW IF EXISTS last_pages")
        for name in RUN_TABLES:
            self.db.execute(f"DROP TABLE IF EXISTS last_{name}")
        for table in ("records", *KEPT_TABLES):
            self.db.execute(
                f"DELETE FROM {table} WHERE NOT EXISTS "
                f"(SELECT 1 FROM crawl c WHERE c.url = {table}.url)"
            )
        self._carried = False
        self.commit()

    def set_figures(self, figures: dict[str, dict[str, Any]]) -> None:
        """Each page's figures, as the checks found them. Kept apart from the page records,
        so the checks (which may run in another process while the crawl writes pages) never
        rewrite a page; readers see them as the page's ``figures``."""
        self.db.executemany(
            "INSERT OR REPLACE INTO figures (url, data) VALUES (?, ?)",
            [(url, _dumps(data)) for url, data in figures.items()],
        )
        self.commit()

    def set_page_results(self, items: Iterable[tuple[str, dict[str, Any]]]) -> None:
        """Pages' results of the reusable checks (checks.engine.runner.keep_results)."""
        self._keep("page_results", items)
        self.commit()

    def add_link_findings(self, items: Iterable[tuple[str, dict[str, Any]]]) -> None:
        """Pages' link findings with the digest of what they rest on (checks.engine.link_reuse);
        committed with the next commit (they are written while pages are read)."""
        self._keep("link_findings", items)

    def set_site_notes(self, items: Iterable[tuple[str, dict[str, Any]]]) -> None:
        """Pages' notes of the reusable site checks (checks.engine.registry.SiteCheck)."""
        self._keep("site_notes", items)
        self.commit()

    def _keep(self, table: str, items: Iterable[tuple[str, dict[str, Any]]]) -> None:
        self.db.executemany(
            f"INSERT OR REPLACE INTO {table} (url, data) VALUES (?, ?)",
            ((url, _dumps(data)) for url, data in items),
        )

    def take_site_notes(self, path: Path) -> int:
        """The notes a check worker wrote to ``path`` (``NoteFile``), copied in by SQLite;
        the file is then deleted. Returns how many pages' notes came."""
        return len(self.take_kept(path, "site_notes"))

    def take_kept(self, path: Path, table: str) -> set[str]:
        """Pages' kept results a check worker wrote to ``path`` (a ``NoteFile`` of
        ``table``, one of KEPT_TABLES), copied in by SQLite over what the table held for
        them; the file is then deleted. Returns the pages' URLs."""
        if not path.is_file():
            return set()
        self.commit()  # ATTACH is refused inside a transaction
        try:
            self.db.execute("ATTACH DATABASE ? AS notes", (str(path),))
            try:
                urls = {url for (url,) in self.db.execute(f"SELECT url FROM notes.{table}")}
                self.db.execute(
                    f"INSERT OR REPLACE INTO {table} (url, data) "
                    f"SELECT url, data FROM notes.{table}"
                )
                self.commit()
                return urls
            finally:
                self.db.execute("DETACH DATABASE notes")
        except sqlite3.Error:  # a partial file: they are only a saving
            return set()
        finally:
            _remove_notes(path)

    def add_fetch(self, fetch: Fetch, kind: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO fetches (url, kind, data) VALUES (?, ?, ?)",
            (fetch.url, kind, _dumps(fetch.to_dict())),
        )
        self._tick()

    def drop_link_checks(self, urls: Iterable[str]) -> None:
        """Forget the link checks of these URLs (asked, but no page of this run links to
        them: crawler.spider's problem links asked first)."""
        self.db.executemany(
            "DELETE FROM fetches WHERE url = ? AND kind = 'link'", [(url,) for url in urls]
        )
        self._tick()

    def set_meta(self, key: str, value: Any) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, _dumps(value))
        )
        self.commit()

    def _tick(self) -> None:
        self._pending += 1
        if self._pending >= 200:
            self.commit()

    def commit(self) -> None:
        self._add_reused()
        self.db.commit()
        self._pending = 0

    def close(self) -> None:
        """Commit, and make the store durable: it is the next run's "previous" store.
        While the run fills it, nothing is synced to disk (a crash loses the run either
        way); on a 2,000-page re-run that saves about 0.25 s."""
        self.commit()
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # synced, as NORMAL checkpoints are
        self.db.close()

    def merge_from(self, other: RunStore) -> tuple[int, int]:
        """Add another run's pages and fetches (a shard of the same site). A page crawled by
        two shards is kept once; a URL one shard crawled and another only link-checked keeps
        the crawl's answer. Returns (pages added, fetches added)."""
        pages = fetches = 0
        rows = other.db.execute(
            "SELECT url, data, outline, summary, depth, elapsed_ms FROM pages ORDER BY seq"
        )
        for url, data, outline, summary, depth, elapsed_ms in rows:
            if self.db.execute("SELECT 1 FROM pages WHERE url = ?", (url,)).fetchone():
                continue
            self._seq += 1
            self.db.execute(
                "INSERT OR REPLACE INTO records (url, data, outline, summary) VALUES (?, ?, ?, ?)",
                (url, data, outline, summary),
            )
            self.db.execute(
                "INSERT INTO crawl (url, seq, depth, elapsed_ms) VALUES (?, ?, ?, ?)",
                (url, self._seq, depth, elapsed_ms),
            )
            pages += 1
        for url, kind, data in other.db.execute("SELECT url, kind, data FROM fetches"):
            row = self.db.execute("SELECT kind FROM fetches WHERE url = ?", (url,)).fetchone()
            if row is not None and (row[0] == "page" or kind != "page"):
                continue
            self.db.execute(
                "INSERT OR REPLACE INTO fetches (url, kind, data) VALUES (?, ?, ?)",
                (url, kind, data),
            )
            fetches += 1
        self.commit()
        return pages, fetches

    # -- reading --------------------------------------------------------------------------
    def pages(self) -> Iterator[Page]:
        """Every page in crawl order, one at a time."""
        for data in self.page_dicts():
            yield Page.from_dict(data)

    def page_urls(self) -> list[str]:
        """Every page's URL, in crawl order: for a reader that reads only some pages
        (``stored_page``); not one record is read from disk for the others."""
        return [url for (url,) in self.db.execute("SELECT url FROM pages ORDER BY seq")]

    def stored_page(self, url: str) -> StoredPage | None:
        """A page's row, not yet decoded (``decode_page``)."""
        row = self.db.execute(f"{_PAGES_WITH_FIGURES} WHERE p.url = ?", (url,)).fetchone()
        return StoredPage(*row) if row else None

    def stored_pages(self) -> Iterator[StoredPage]:
        """Every page's row in crawl order, not yet decoded (``decode_page``): for a reader
        that decodes only some of them."""
        for row in self.db.execute(f"{_PAGES_WITH_FIGURES} ORDER BY p.seq"):
            yield StoredPage(*row)

    def page_dicts(self) -> Iterator[dict[str, Any]]:
        """Every page as stored (the dict ``Page.to_dict`` made, with the checks' figures),
        in crawl order: for readers that need a few fields and not the Page objects."""
        for row in self.db.execute(f"{_PAGES_WITH_FIGURES} ORDER BY p.seq"):
            yield StoredPage(*row).decode()

    def page_fields(
        self, fields: Sequence[str], counts: Sequence[str] = ()
    ) -> Iterator[dict[str, Any]]:
        """A few fields of every page, in crawl order, as ``page_dicts`` would give them,
        plus the length of each list named in ``counts``. SQLite picks them out of each
        page's summary (``encode_summary``), so a page's long text and link lists are never
        decoded (reports and the gate need only a summary of each page)."""
        # one json_extract with every path parses each summary once (SQLite before 3.45
        # parses it again for every -> ); with two or more paths it answers a JSON array
        paths = [f"'$.{name}'" for name in (*fields, "url")]
        source = _SUMMARY if not set(LONG_FIELDS) & set(fields) else "p.data"
        picks = [f"json_extract({source}, {', '.join(paths)})"]
        picks += [_count(name) for name in counts]
        cursor = self.db.execute(
            f"SELECT {', '.join(picks)}, p.depth, p.elapsed_ms, f.data FROM pages p "
            "LEFT JOIN figures f ON f.url = p.url ORDER BY p.seq"
        )
        for row in cursor:
            out = dict(zip(fields, json.loads(row[0]), strict=False))  # the extra url goes
            for name, length in zip(counts, row[1:-3], strict=True):
                out[name] = length or 0
            depth, elapsed_ms, figures = row[-3:]
            if depth is not None:  # the last run's summary: this crawl's fetch goes in
                this_fetch(out, depth, elapsed_ms, fields)
            if "figures" in out and figures is not None:
                out["figures"] = json.loads(figures)
            yield out

    def page(self, url: str) -> Page | None:
        row = self.stored_page(url)
        return decode_page(row) if row else None

    def has_readable_page(self) -> bool:
        """Whether any page answered with HTML below 400 (the first will do: counting them
        all would read every summary)."""
        return self._any_page(_READ_PAGE)

    def has_page_without_main(self) -> bool:
        """Whether any HTML page had no main-content element (crawler.boilerplate)."""
        return self._any_page(f"json_extract({_SUMMARY}, '$.main_found') = 0 "
                              f"AND json_extract({_SUMMARY}, '$.is_html')")  # fmt: skip

    def _any_page(self, condition: str) -> bool:
        return (
            self.db.execute(f"SELECT 1 FROM pages p WHERE {condition} LIMIT 1").fetchone()
            is not None
        )

    def page_anchors(self) -> dict[str, frozenset[str]]:
        """The ids (what #fragment links point at) on each page of the site that was read
        (HTML, answered below 400), by URL. SQLite picks them out of the summaries."""
        cursor = self.db.execute(
            f"SELECT url, json_extract({_SUMMARY}, '$.anchors') FROM pages p WHERE {_READ_PAGE}"
        )
        return {url: _ids(raw) for url, raw in cursor}

    def anchors_of(self, url: str) -> frozenset[str] | None:
        """One page's ids, as ``page_anchors`` holds them; None when that has no such page
        (not committed yet, not HTML, or answered 400 or above)."""
        row = self.db.execute(
            f"SELECT json_extract({_SUMMARY}, '$.anchors') FROM pages p "
            f"WHERE p.url = ? AND {_READ_PAGE}",
            (url,),
        ).fetchone()
        return _ids(row[0]) if row is not None else None

    def page_result(self, url: str) -> dict[str, Any] | None:
        """The reusable checks' results for a page, as the last run stored them (copied
        over by ``reuse_page`` when the page is unchanged), or None."""
        return read_kept(self.db, "page_results", url)

    def link_findings(self, url: str) -> dict[str, Any] | None:
        """A page's link findings and their digest as the last run stored them (copied over
        by ``reuse_page`` when the page is unchanged), or None."""
        return read_kept(self.db, "link_findings", url)

    def keeps_link_findings(self) -> bool:
        """Whether any page's link findings came over from the last run (reuse_page)."""
        return self.db.execute("SELECT 1 FROM link_findings LIMIT 1").fetchone() is not None

    def site_notes(self, url: str) -> dict[str, Any] | None:
        """The reusable site checks' notes on a page, as the last run stored them (copied
        over by ``reuse_page`` when the page is unchanged), or None."""
        return read_kept(self.db, "site_notes", url)

    def page_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM crawl").fetchone()[0]

    def fetches(self, kind: str | None = None) -> Iterator[Fetch]:
        sql = "SELECT data FROM fetches" + (" WHERE kind = ?" if kind else "")
        for (data,) in self.db.execute(sql, (kind,) if kind else ()):
            yield Fetch.from_dict(json.loads(data))

    def fetch(self, url: str) -> Fetch | None:
        row = self.db.execute("SELECT data FROM fetches WHERE url = ?", (url,)).fetchone()
        return Fetch.from_dict(json.loads(row[0])) if row else None

    def fetch_count(self, kind: str | None = None) -> int:
        sql = "SELECT COUNT(*) FROM fetches" + (" WHERE kind = ?" if kind else "")
        return self.db.execute(sql, (kind,) if kind else ()).fetchone()[0]

    def meta(self, key: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default


# a page's summary; its record for a row stored without one
_SUMMARY = "COALESCE(p.summary, p.data)"
# a page of the site whose ids count for #fragment links to it: HTML, answered below 400
_READ_PAGE = f"json_extract({_SUMMARY}, '$.is_html') AND json_extract({_SUMMARY}, '$.status') < 400"


_NO_IDS: frozenset[str] = frozenset()


def _ids(raw: str | None) -> frozenset[str]:
    """A page's ids as stored (a JSON list). The same ids recur from page to page (the
    template's): each is held once (at 20,000 pages, 16.6 MiB against 26.5)."""
    return frozenset(map(sys.intern, json.loads(raw))) if raw else _NO_IDS


def _count(name: str) -> str:
    """SQL for the length of a list of a page's record, from its summary if it can."""
    if name in LONG_FIELDS:
        return (f"COALESCE(json_extract(p.summary, '$.counts.{name}'), "
                f"json_array_length(p.data, '$.{name}'))")  # fmt: skip
    return f"json_array_length({_SUMMARY}, '$.{name}')"


def _upgrade_pages_table(db: sqlite3.Connection) -> None:
    """A store written before records were kept apart from the crawl (one a shard of an
    older version wrote, for ``merge_from``) had one ``pages`` table: its rows are moved
    into ``records`` and ``crawl``, with any column it was written without left empty."""
    row = db.execute("SELECT type FROM sqlite_master WHERE name = 'pages'").fetchone()
    if row is None or row[0] != "table":
        return
    have = {row[1] for row in db.execute("PRAGMA table_info(pages)")}
    old = "(SELECT {} FROM pages_before_records)".format(", ".join(
        name if name in have else f"NULL AS {name}"
        for name in ("url", "seq", "data", "outline", "summary", "depth", "elapsed_ms")
    ))  # fmt: skip
    db.execute("ALTER TABLE pages RENAME TO pages_before_records")
    db.execute("DROP INDEX IF EXISTS pages_by_seq")
    db.executescript(_SCHEMA)
    db.execute(f"INSERT INTO records SELECT url, data, outline, summary FROM {old}")
    db.execute(f"INSERT INTO crawl SELECT url, seq, depth, elapsed_ms FROM {old}")
    db.execute("DROP TABLE pages_before_records")
    db.commit()
