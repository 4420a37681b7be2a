"""A page's links are checked during the crawl once its targets have answered
(checks.engine.early_links), and after the crawl those findings are taken only where the
final answers confirm them: the findings are always those of checking after the crawl."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from content_audit.checks.engine.early_links import EarlyLinkChecks
from content_audit.checks.engine.link_reuse import for_link_checks
from content_audit.checks.engine.runner import run_checks
from content_audit.core.model import Fetch, Page
from content_audit.core.store import NoteFile, RunStore, early_links_path
from tests.test_links_verdicts import EXT, SITE, ctx, fetch, link, page


class Crawl:
    """A run store filled a step at a time as a crawl does (each step committed), and an
    EarlyLinkChecks reading it over its own connection, as the worker does."""

    def __init__(self, path: Path) -> None:
        self.store = RunStore(path, fresh=True)
        self.store.set_meta("results", "test")
        self.store.commit()
        self.links_file = early_links_path(path)
        self.early = EarlyLinkChecks(
            RunStore.reader(path), ctx(), NoteFile(self.links_file, "link_findings")
        )
        self.answers: dict[str, Fetch] = {}
        self.closed = False

    def answer(self, *fetches: Fetch, kind: str = "link") -> None:
        for f in fetches:
            self.store.add_fetch(f, kind)
            self.answers[f.url] = f
        self.store.commit()
        self.early.read_answers()

    def crawl(self, p: Page, **kw) -> None:
        """The crawl reads a page: its answer and record are committed together."""
        answer = fetch(p.url, status=p.status, content_type="text/html", **kw)
        self.store.add_fetch(answer, "page")
        self.answers[p.url] = answer
        self.store.add_page(p)
        self.store.commit()
        self.early.read_answers()
        self.early.page(self.store.page(p.url))

    def checked(self) -> set[str]:
        """The pages checked so far: those written to the file and those still to be."""
        self.early.sink.flush()
        written = set()
        if self.links_file.exists():
            with sqlite3.connect(self.links_file) as db:
                written = {url for (url,) in db.execute("SELECT url FROM link_findings")}
        return written | {url for url, _kept in self.early.run.link_kept}

    def after_crawl(self, early: bool = True) -> tuple[list[tuple], dict]:
        """The pipeline's after-crawl link checks, with the final answers: what was
        checked during the crawl taken into the store first (as content_audit.pipeline)."""
        taken = None
        if early and not self.closed:
            self.early.close()
            self.closed = True
            taken = self.store.take_kept(self.links_file, "link_findings")
        final = ctx({url: for_link_checks(self.store.fetch(url)) for url in self.answers})
        found = run_checks(self.store, final, phase="after_crawl", early_links=taken)
        return sorted((f.rule, f.url, f.target or "", f.message) for f in found), dict(
            self.store.meta("link_findings")
        )


def guide(**kw) -> Page:
    return Page(url=f"{SITE}/guide", final_url=f"{SITE}/guide", status=200,
                anchors=["exercises"], **kw)  # fmt: skip


def back() -> Page:
    """Links to the guide's sections (one that is not there), a partner, a gone page."""
    return page(
        link(f"{SITE}/guide", "Exercises", fragment="exercises"),
        link(f"{SITE}/guide", "Diet", fragment="diet"),
        link(f"{EXT}/partner", "Partner guide"),
        link(f"{SITE}/gone", "Old advice"),
        link("mailto:physio@trust.nhs.uk", "Email us"),
        url=f"{SITE}/back",
    )


def test_a_page_is_checked_once_every_target_has_answered_and_its_sections_are_read(tmp_path):
    crawl = Crawl(tmp_path / "run.sqlite")
    crawl.crawl(back())
    assert crawl.checked() == set()  # nothing it links to has answered
    crawl.answer(fetch(f"{EXT}/partner", status=404))
    crawl.answer(fetch(f"{SITE}/gone", status=404), kind="page")
    assert crawl.checked() == set()  # the guide: neither answered nor read
    crawl.crawl(guide())
    assert crawl.checked() == {f"{SITE}/guide", f"{SITE}/back"}  # the guide links nowhere
    findings, counts = crawl.after_crawl()
    assert counts == {"reused": 0, "checked": 0, "during_crawl": 2}
    rules = {(rule, target) for rule, _url, target, _message in findings}
    assert rules == {
        ("link-broken", f"{EXT}/partner"),
        ("link-broken", f"{SITE}/gone"),
        ("link-fragment-missing", f"{SITE}/guide#diet"),
    }
    assert crawl.after_crawl(early=False)[0] == findings


def test_an_answer_that_differs_at_the_end_has_the_page_checked_again(tmp_path):
    """The crawl writes each answer once; if one were written again with another answer
    after a page was checked, the digest says so and the page is checked afresh."""
    crawl = Crawl(tmp_path / "run.sqlite")
    crawl.crawl(guide())
    crawl.answer(fetch(f"{EXT}/partner", status=404), fetch(f"{SITE}/gone", status=404))
    crawl.crawl(back())
    assert f"{SITE}/back" in crawl.checked()
    crawl.answer(fetch(f"{EXT}/partner"))  # the partner's page is back
    findings, counts = crawl.after_crawl()
    assert counts == {"reused": 0, "checked": 1, "during_crawl": 1}  # the guide's held
    assert ("link-broken", f"{SITE}/back", f"{EXT}/partner") not in {f[:3] for f in findings}
    assert crawl.after_crawl(early=False)[0] == findings


def test_a_redirected_section_link_waits_for_the_page_it_lands_on(tmp_path):
    crawl = Crawl(tmp_path / "run.sqlite")
    moved = page(link(f"{SITE}/old-guide", "Exercises", fragment="diet"), url=f"{SITE}/moved")
    crawl.crawl(moved)
    crawl.answer(fetch(f"{SITE}/old-guide", final_url=f"{SITE}/guide",
                       redirects=[(f"{SITE}/old-guide", 301)]), kind="page")  # fmt: skip
    assert crawl.checked() == set()  # where it lands has not been read
    crawl.crawl(guide())
    assert f"{SITE}/moved" in crawl.checked()
    findings, _counts = crawl.after_crawl()
    assert ("link-fragment-missing", f"{SITE}/moved") in {f[:2] for f in findings}
    assert crawl.after_crawl(early=False)[0] == findings


def test_pages_whose_text_waits_for_boilerplate_removal_are_left_to_the_pipeline(tmp_path):
    crawl = Crawl(tmp_path / "run.sqlite")
    crawl.answer(fetch(f"{EXT}/partner"))
    no_main = page(link(f"{EXT}/partner"), url=f"{SITE}/leaflet")
    no_main.main_found = False
    crawl.crawl(no_main)
    assert crawl.checked() == set()
    _findings, counts = crawl.after_crawl()
    assert counts == {"reused": 0, "checked": 1, "during_crawl": 0}


def test_other_sites_are_not_waited_for_when_they_are_not_asked(tmp_path):
    path = tmp_path / "run.sqlite"
    crawl = Crawl(path)
    crawl.early.check_external = False  # links.check_external = false
    crawl.crawl(page(link(f"{EXT}/partner"), url=f"{SITE}/p"))
    assert crawl.checked() == {f"{SITE}/p"}


@pytest.mark.e2e
def test_an_audit_with_link_checks_during_the_crawl_finds_what_one_without_finds(tmp_path):
    """A real audit of 150 pages answering in 50 ms (workers from 50 pages): pages' links
    are checked during the crawl, and the findings are those of an audit whose checks all
    ran after it."""
    import time

    from tests.conftest import run_cli
    from tests.webserver import Reply, WebServer, html

    PAGES = 150

    def site_page(request):
        time.sleep(0.05)  # as a real server: the crawl outlasts the workers' start
        path = request.path.split("?")[0]
        if path == "/":
            n = 0
        elif path.startswith("/p") and path[2:].isdigit() and int(path[2:]) < PAGES:
            n = int(path[2:])
        elif path.startswith("/old"):
            return Reply(301, b"", {"Location": "/p" + path[4:]})
        else:
            return Reply(404, html("Not found", "<p>No such page.</p>"))
        links = [
            f"<a href='/p{(n * 3 + i) % PAGES}'>Service {(n * 3 + i) % PAGES}</a>"
            for i in (1, 2, 3)
        ]
        links.append(f"<a href='/p{(n + 7) % PAGES}#section-{n % 4}'>Part {n % 4}</a>")
        if n % 10 == 0:
            links.append(f"<a href='/gone{n}'>Old advice</a>")
        if n % 15 == 0:
            links.append(f"<a href='/old{(n + 1) % PAGES}'>Moved page</a>")
        if n % 9 == 0:
            links.append(f"<a href='{ext.url}/leaflet{n % 3}'>Partner leaflet</a>")
        body = f"<h2 id='section-0'>About</h2><h2 id='section-1'>Help</h2><p>{' '.join(links)}</p>"
        return Reply(body=html(f"Service {n}", body))

    def partner(request):
        if request.path.endswith("leaflet2"):
            return Reply(404, html("Not found", "<p>Gone.</p>"))
        return Reply(body=html("Leaflet", "<p>Advice.</p>"))

    config = 'today = "2026-11-24"\n[crawl]\ntimeout = 5\nretries = 0\n'
    with WebServer(default=partner) as ext, WebServer(default=site_page) as server:
        during = run_cli([server.url + "/"], tmp_path / "during", config=config)
        after = run_cli([server.url + "/"], tmp_path / "after",
                        config=config + "[checks]\nparallel = false\n")  # fmt: skip
    assert during.code == after.code == 1, during.stdout + during.stderr

    def comparable(run) -> list[tuple]:
        return sorted(
            (f["rule"], f["url"], f["target"] or "", f["message"]) for f in run.findings()
        )

    assert comparable(during) == comparable(after)
    rules = {f["rule"] for f in during.findings()}
    assert {"link-broken", "link-redirect", "link-fragment-missing"} <= rules
    with sqlite3.connect(tmp_path / "during" / "run.sqlite") as db:
        (counts,) = db.execute("SELECT value FROM meta WHERE key = 'link_findings'").fetchone()
    counts = json.loads(counts)
    assert counts["during_crawl"] > 0, counts
    assert counts["during_crawl"] + counts["checked"] == during.data["run"]["pages_crawled"]


def test_no_child_is_forked_for_links_already_checked_during_the_crawl(tmp_path, monkeypatch):
    from content_audit.checks.engine import runner

    forked = []

    class NoFork:  # records that a child would have been started, does its work here
        def __init__(self, work):
            forked.append(work)
            self.work = work

        def result(self):
            return self.work()

    monkeypatch.setattr(runner, "SPLIT_LINK_CHECKS_FROM", 1)
    monkeypatch.setattr(runner, "SideBySide", NoFork)
    crawl = Crawl(tmp_path / "run.sqlite")
    crawl.answer(fetch(f"{EXT}/partner", status=404), fetch(f"{SITE}/gone", status=404))
    crawl.crawl(guide())
    crawl.crawl(back())
    assert crawl.checked() == {f"{SITE}/guide", f"{SITE}/back"}
    _findings, counts = crawl.after_crawl()
    assert counts["during_crawl"] == 2 and forked == []


def test_pages_put_off_while_behind_are_checked_when_the_worker_catches_up(tmp_path):
    """A worker behind the crawl puts pages off (``later``); once it has nothing else to
    do it reads them again and checks them (``catch_up``), a few at a time."""
    crawl = Crawl(tmp_path / "run.sqlite")
    crawl.answer(fetch(f"{EXT}/partner", status=404), fetch(f"{SITE}/gone", status=404))
    crawl.crawl(guide())
    for n in range(3):  # read while behind: put off
        p = page(link(f"{SITE}/guide", "Exercises", fragment="exercises"),
                 link(f"{EXT}/partner"), url=f"{SITE}/p{n}")  # fmt: skip
        crawl.store.add_fetch(fetch(p.url, content_type="text/html"), "page")
        crawl.answers[p.url] = crawl.store.fetch(p.url)
        crawl.store.add_page(p)
        crawl.store.commit()
        crawl.early.later(p.url)
    assert crawl.checked() == {f"{SITE}/guide"} and crawl.early.waiting == 3
    assert crawl.early.catch_up(pages=2)
    assert len(crawl.checked()) == 3  # two of the three
    assert crawl.early.catch_up(pages=2) and not crawl.early.catch_up(pages=2)
    assert crawl.checked() == {f"{SITE}/guide", *(f"{SITE}/p{n}" for n in range(3))}
    findings, counts = crawl.after_crawl()
    assert counts == {"reused": 0, "checked": 0, "during_crawl": 4}
    assert crawl.after_crawl(early=False)[0] == findings


def test_the_ids_of_a_page_are_read_from_the_store_once_the_worker_has_read_it(tmp_path):
    """The worker holds no copy of every page's ids: it reads them from the run store for
    a page it has read (HTML, below 400), and asks nothing about the others."""
    crawl = Crawl(tmp_path / "run.sqlite")
    anchors = crawl.early.anchors
    assert anchors.get(f"{SITE}/guide") is None
    crawl.crawl(guide())
    assert anchors[f"{SITE}/guide"] == frozenset({"exercises"})
    crawl.crawl(Page(url=f"{SITE}/gone", final_url=f"{SITE}/gone", status=404,
                     anchors=["top"]))  # fmt: skip
    assert f"{SITE}/gone" not in anchors
    assert list(anchors) == [f"{SITE}/guide"] and len(anchors) == 1
    assert dict(anchors) == crawl.store.page_anchors()
