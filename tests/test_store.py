"""The run store's summary reads give what decoding each page in full would give."""

from __future__ import annotations

import json

from content_audit.core.model import Page
from content_audit.core.records import decode_page
from content_audit.core.store import RunStore
from content_audit.crawler.extract import extract_page
from content_audit.crawler.spider import page_facts
from content_audit.reports.json_report import PAGE_FIELDS, page_summary
from tests.test_rules_on_html import FILLER, REVIEW, SITE, layout


def filled(tmp_path) -> RunStore:
    store = RunStore(tmp_path / "run.sqlite", fresh=True)
    html = layout(
        f"<h1>Back pain</h1>{FILLER}<h2 id='exercises'>Exercises</h2><p>Phone: 0113 843 1909</p><p><a href='/x.html'>X</a>"
        f"<img src='/a.png' alt=''></p>{REVIEW}"
    )
    for i in range(3):
        url = f"{SITE}/p{i}.html"
        store.add_page(extract_page(Page(url=url, final_url=url, status=200), html))
    store.add_page(Page(url=SITE + "/doc.pdf", final_url=SITE + "/doc.pdf", status=200,
                        is_html=False, content_type="application/pdf"))  # fmt: skip
    store.set_figures({f"{SITE}/p1.html": {"reading_age": 9, "words": 120}})
    return store


def test_page_fields_match_the_summary_of_the_whole_page(tmp_path):
    store = filled(tmp_path)
    whole = [page_summary(d) for d in store.page_dicts()]
    picked = list(store.page_fields((*PAGE_FIELDS, "headings"), counts=("links", "images")))
    assert picked == whole
    assert [list(p) for p in picked] == [list(p) for p in whole]  # same keys, same order
    assert picked[1]["figures"] == {"reading_age": 9, "words": 120}
    assert picked[0]["figures"] == {}
    assert picked[3]["is_html"] is False and picked[0]["is_html"] is True
    assert picked[0]["links"] >= 1 and picked[0]["images"] == 1
    assert picked[0]["contacts"]["phones"]
    # read from each page's summary: a row stored without one gives the same from its record
    anchors = store.page_anchors()
    assert "exercises" in anchors[f"{SITE}/p0.html"] and f"{SITE}/doc.pdf" not in anchors
    store.db.execute("UPDATE records SET summary = NULL")
    again = list(store.page_fields((*PAGE_FIELDS, "headings"), counts=("links", "images")))
    assert again == picked
    assert store.page_anchors() == anchors


def test_an_unchanged_page_is_taken_from_the_last_run_as_it_was(tmp_path):
    import sqlite3

    from content_audit.core.model import Fetch
    from content_audit.core.previous import PreviousRun
    from content_audit.core.store import hand_over

    path = tmp_path / "run.sqlite"
    last = filled(tmp_path)
    url = f"{SITE}/p1.html"
    assert not last.keeps_link_findings()  # the after-crawl link checks read every page
    kept = {"digest": "d", "targets": {}, "findings": []}
    last.add_link_findings([(url, kept)])
    assert last.keeps_link_findings()
    last.add_fetch(Fetch(url=url, final_url=url, status=200, headers={"etag": '"1"'}), "page")
    changed = SITE + "/p2.html"  # changed by the next run: its kept results must go
    last.set_page_results([(changed, {"findings": []})])
    last.set_site_notes([(changed, {"notes": 1})])
    last.close()
    before = next(d for d in RunStore(path).page_dicts() if d["url"] == url)
    at_rest = PreviousRun(path).outline(url)  # a store no run has taken over: its own tables

    # the next run goes on in the same file; the last run's tables are kept aside
    hand_over(path)
    previous = PreviousRun(path)
    page, links, fetch = previous.outline(url)  # what the crawl reads: links, headline facts
    assert (page, links, fetch) == at_rest
    # each (address, tag) once, in page order: what the crawl follows
    assert links == [list(x) for x in dict.fromkeys((x["url"], x["tag"]) for x in before["links"])]
    assert page.title == before["title"] and page.content_hash == before["content_hash"]
    h1 = next(text for level, text in before["headings"] if level == 1)
    assert page_facts(page).h1 == h1  # what the crawl's verdicts read of it
    assert fetch.headers["etag"] == '"1"'
    assert previous.outline(SITE + "/p0.html") is None  # no fetch
    store = RunStore(path)
    assert store.page_count() == 0  # this run's crawl: empty
    store.add_page(Page(url=SITE + "/", final_url=SITE + "/", status=200))
    store.reuse_page(url, depth=3, elapsed_ms=7)
    assert store.page_result(changed) == {"findings": []}
    store.add_page(Page(url=changed, final_url=changed, status=200))
    later = Page(url=SITE + "/later.html", final_url=SITE + "/later.html", status=200)
    store.add_page(later)  # written at once; the taken page's rows wait for their batch
    store.commit()
    after = {d["url"]: d for d in store.page_dicts()}
    assert list(after) == [SITE + "/", url, changed, later.url]  # in crawl order
    assert after[url] == {**before, "depth": 3, "elapsed_ms": 7, "figures": {}}
    assert store.link_findings(url) == kept  # its kept results stay with it
    assert store.page_result(changed) is None and store.site_notes(changed) is None
    fields = store.page_fields((*PAGE_FIELDS, "headings"), counts=("links", "images"))
    assert {d["url"]: d for d in fields}[url] == page_summary(after[url])  # its summary too
    assert store.pages().__next__().url == SITE + "/"
    # the record stays the last run's in SQLite; every reader gets it as this run's
    as_this_run = Page.from_dict(after[url]).to_dict()
    assert decode_page(store.stored_page(url)).to_dict() == as_this_run
    assert store.page_urls() == list(after)
    assert store.page(url).to_dict() == as_this_run
    # after the crawl: the last run's tables go, and the records of its pages not taken
    previous.close()
    store.forget_last_run()
    db = sqlite3.connect(path)
    assert not db.execute("SELECT name FROM sqlite_master WHERE name LIKE 'last%'").fetchall()
    assert sorted(u for (u,) in db.execute("SELECT url FROM records")) == sorted(after)
    assert store.keeps_link_findings() and store.link_findings(url) == kept
    assert {d["url"]: d for d in store.page_dicts()} == after
    merged = RunStore(tmp_path / "merged" / "run.sqlite", fresh=True)
    merged.merge_from(store)
    assert {d["url"]: d for d in merged.page_dicts()} == after


def test_a_store_whose_run_stopped_is_handed_over_as_it_stands(tmp_path):
    """A run killed after the hand-over, before it forgot the last run: the next run reads
    the killed run's pages, not the ones before."""
    from content_audit.core.model import Fetch
    from content_audit.core.previous import PreviousRun
    from content_audit.core.store import hand_over

    path = tmp_path / "run.sqlite"
    first = filled(tmp_path)
    first.close()
    hand_over(path)
    killed = RunStore(path)
    url = SITE + "/new.html"
    killed.add_page(Page(url=url, final_url=url, status=200, title="New"))
    killed.add_fetch(Fetch(url=url, final_url=url, status=200, headers={"etag": '"2"'}), "page")
    killed.commit()
    killed.db.close()  # no forget_last_run, no close
    hand_over(path)
    previous = PreviousRun(path)
    assert [u for u, _ in previous.conditional_pages()] == [url]
    assert previous.outline(url)[0].title == "New"
    previous.close()
    assert RunStore(path).page_count() == 0


def test_a_store_written_before_a_column_was_added_can_still_be_read(tmp_path):
    """A shard's store from an older version (``merge``) lacks this version's columns."""
    import sqlite3

    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE pages (url TEXT PRIMARY KEY, seq INTEGER NOT NULL, data TEXT NOT NULL)"
    )
    page = Page(url=SITE + "/", final_url=SITE + "/", status=200, depth=2)
    db.execute("INSERT INTO pages VALUES (?, 1, ?)", (page.url, json.dumps(page.to_dict())))
    db.commit()
    db.close()
    old = RunStore(path)
    assert [p.to_dict() for p in old.pages()] == [page.to_dict()]
    merged = RunStore(tmp_path / "merged.sqlite", fresh=True)
    assert merged.merge_from(old) == (1, 0)
    assert next(merged.page_fields(("url", "depth"))) == {"url": page.url, "depth": 2}


def test_the_crawl_follows_each_link_of_a_page_once():
    from content_audit.core.records import link_pairs

    html = layout("<p><a href='/a.html'>A</a> <a href='/services/'>Our services</a> "
                  "<img src='/a.html' alt=''> <a href='a.html#top'>A again</a></p>")  # fmt: skip
    page = extract_page(Page(url=SITE + "/", final_url=SITE + "/", status=200), html)
    assert link_pairs(page) == [
        (SITE + "/", "a"),
        (SITE + "/services/", "a"),  # the menu's link, and again in the text: once
        (SITE + "/a.html", "a"),
        (SITE + "/a.html", "img"),  # the same address as an image: checked as one
    ]  # "a.html#top" is the address of the first link, once more
