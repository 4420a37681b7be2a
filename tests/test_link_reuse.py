"""A page's link findings are kept with a digest of its link targets' answers and reused
by the next run while the page is unchanged and the answers are the same; a target that
now answers differently (or a section that went) has the page checked afresh."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from content_audit.checks.engine import link_reuse
from content_audit.checks.engine.runner import run_checks
from content_audit.core.model import Fetch, FetchFacts, Page
from content_audit.core.store import RunStore
from tests.test_links_verdicts import EXT, SITE, ctx, fetch, link, page


def site() -> tuple[list[Page], dict[str, Fetch]]:
    """Three pages: a guide with two sections, a page linking to one of them and to a
    partner, and a page linking to a leaflet that redirects."""
    guide = Page(url=f"{SITE}/guide", final_url=f"{SITE}/guide", status=200,
                 anchors=["exercises", "contact"])  # fmt: skip
    back = page(
        link(f"{SITE}/guide", "Exercises", fragment="exercises"),
        link(f"{EXT}/partner", "Partner guide"),
        url=f"{SITE}/back",
    )
    knee = page(link(f"{EXT}/leaflet", "Knee leaflet"), url=f"{SITE}/knee")
    results = {
        f"{SITE}/guide": fetch(f"{SITE}/guide", headers={"etag": '"1"'}),
        f"{SITE}/back": fetch(f"{SITE}/back"),
        f"{SITE}/knee": fetch(f"{SITE}/knee"),
        f"{EXT}/partner": fetch(f"{EXT}/partner", elapsed_ms=80),
        f"{EXT}/leaflet": fetch(
            f"{EXT}/leaflet", final_url=f"{EXT}/leaflets/knee", redirects=[(f"{EXT}/leaflet", 301)]
        ),
    }
    return [guide, back, knee], results


def stored(tmp_path: Path) -> tuple[RunStore, list[Page], dict[str, Fetch]]:
    """The site's pages in a fresh run store, and their link results."""
    pages, results = site()
    store = RunStore(tmp_path / "run.sqlite", fresh=True)
    for p in pages:
        store.add_page(p)
    return store, pages, results


def audit(store: RunStore, results: dict[str, Fetch]) -> list[tuple[str, str, str]]:
    found = run_checks(store, ctx(results), phase="after_crawl")
    return sorted((f.rule, f.url, f.message) for f in found)


def test_unchanged_answers_reuse_the_findings_and_changed_ones_do_not(tmp_path):
    store, _pages, results = stored(tmp_path)
    first = audit(store, results)
    assert [rule for rule, _, _ in first] == ["link-redirect"]
    assert store.meta("link_findings") == {"reused": 0, "checked": 3, "during_crawl": 0}

    # the next night, nothing changed: every page's findings are taken as they were
    assert audit(store, results) == first
    assert store.meta("link_findings") == {"reused": 3, "checked": 0, "during_crawl": 0}

    # what changes every night, or with every edit of a target, is not an answer changed
    results[f"{EXT}/partner"].elapsed_ms = 150
    results[f"{SITE}/guide"].headers["etag"] = '"2"'
    results[f"{SITE}/guide"].facts.content_hash = "edited"
    results[f"{SITE}/guide"].size = 9000
    assert audit(store, results) == first
    assert store.meta("link_findings")["reused"] == 3

    # the partner's page went: the page linking to it is checked again and says so
    results[f"{EXT}/partner"] = fetch(f"{EXT}/partner", status=404)
    second = audit(store, results)
    assert ("link-broken", f"{SITE}/back") in [(r, u) for r, u, _ in second]
    assert store.meta("link_findings") == {"reused": 2, "checked": 1, "during_crawl": 0}
    assert audit(store, results) == second  # and that is kept in turn


def test_a_section_removed_from_the_target_page_is_seen_on_an_unchanged_page(tmp_path):
    store, pages, results = stored(tmp_path)
    audit(store, results)
    # the guide was edited: its "exercises" section is gone; the back page did not change
    pages[0].anchors = ["contact"]
    store.update_page(pages[0])
    found = audit(store, results)
    assert ("link-fragment-missing", f"{SITE}/back") in [(r, u) for r, u, _ in found]
    assert store.meta("link_findings") == {"reused": 2, "checked": 1, "during_crawl": 0}


def test_findings_written_a_batch_at_a_time_are_all_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(
        "content_audit.checks.engine.runner.LINK_BATCH", 2
    )  # pages are read while they are written
    store, pages, results = stored(tmp_path)
    first = audit(store, results)
    assert all(store.link_findings(p.url) for p in pages)
    assert audit(store, results) == first
    assert store.meta("link_findings") == {"reused": 3, "checked": 0, "during_crawl": 0}


def test_kept_findings_stand_in_for_the_checks(tmp_path):
    store, _pages, results = stored(tmp_path)
    audit(store, results)
    kept = store.link_findings(f"{SITE}/knee")
    assert kept["targets"]["links"] == [f"{EXT}/leaflet"]
    kept["findings"][0]["message"] = "from the last run"
    store.add_link_findings([(f"{SITE}/knee", kept)])
    assert ("link-redirect", f"{SITE}/knee", "from the last run") in audit(store, results)


def test_no_check_reads_what_the_digest_leaves_out():
    """A check that read an answer's field or header the digest ignores would have its
    findings reused although that field changed. (The content hash is read only to tell
    the site's "page not found" page, which the digest covers as such.)"""
    from content_audit.checks.links import is_site_template_404

    engine = Path(link_reuse.__file__).parent
    source = "\n".join(
        path.read_text()
        for path in [*engine.glob("*.py"), engine.parent / "links.py"]
        if path.name != "link_reuse.py"
    ).replace(inspect.getsource(is_site_template_404), "")
    for name in link_reuse.IGNORED_HEADERS:
        assert not re.search(rf"""["']{re.escape(name)}["']""", source, re.IGNORECASE), name
    for name in link_reuse.IGNORED_FIELDS:
        assert not re.search(rf"""\bfetch\.{name}\b|["']{name}["']""", source), name
    for name in link_reuse.IGNORED_FACTS:
        assert not re.search(rf"""\bfacts\.{name}\b|["']{name}["']""", source), name


def test_the_link_checks_hold_answers_without_the_headers_none_of_them_reads(tmp_path):
    """What the after-crawl link checks hold for every URL: no check reads the headers
    dropped (test_no_check_reads_what_the_digest_leaves_out), and the findings are the
    same with or without them."""
    headers = {"etag": '"1"', "last-modified": "Tue, 24 Nov 2026 09:00:00 GMT",
               "content-length": "512", "server": "nginx", "location": "/moved",
               "content-type": "text/html"}  # fmt: skip
    full_fetch = fetch(f"{SITE}/guide", headers=dict(headers))
    full_fetch.facts = FetchFacts(unchanged="304", body="abc", content_hash="h",
                                  title="Page not found")  # fmt: skip
    slim = link_reuse.for_link_checks(full_fetch)
    assert set(slim.headers) == {"location", "content-type"}
    assert all(slim.headers[name] == headers[name] for name in slim.headers)
    assert slim.facts == FetchFacts(content_hash="h", title="Page not found")

    store, _pages, results = stored(tmp_path / "full")
    full = audit(store, results)
    assert full  # the site has link findings to compare
    store, _pages, results = stored(tmp_path / "slim")
    assert audit(store, {url: link_reuse.for_link_checks(f) for url, f in results.items()}) == full


def many_pages(tmp_path: Path, name: str) -> tuple[RunStore, dict[str, Fetch]]:
    """The guide and nine pages linking to its sections (one that is not there), every
    other one to a leaflet that redirects, every third to a page that has gone."""
    pages, results = site()
    results[f"{SITE}/gone"] = fetch(f"{SITE}/gone", status=404)
    store = RunStore(tmp_path / name, fresh=True)
    store.add_page(pages[0])
    for n in range(9):
        links = [link(f"{SITE}/guide", "Exercises", fragment="exercises"),
                 link(f"{SITE}/guide", "Missing part", fragment="nowhere")]  # fmt: skip
        if n % 2 == 0:
            links.append(link(f"{EXT}/leaflet", "Knee leaflet"))
        if n % 3 == 0:
            links.append(link(f"{SITE}/gone", "Old advice"))
        store.add_page(page(*links, url=f"{SITE}/p{n}"))
    return store, results


def test_link_checks_split_between_two_processes_find_what_one_finds(tmp_path, monkeypatch):
    """From SPLIT_LINK_CHECKS_FROM pages a forked child checks every other page: the
    findings, the kept link findings and the counts are those of one process, on a first
    night and on a night that reuses some pages' findings."""
    import os

    from content_audit.checks.engine import runner

    children = tmp_path / "children"
    real_share = runner._check_share

    def share_noting_its_process(*args):
        children.write_text(str(os.getpid()))
        return real_share(*args)

    monkeypatch.setattr(runner, "_check_share", share_noting_its_process)
    nights = []
    for threshold, name in ((10**9, "one.sqlite"), (1, "two.sqlite")):
        monkeypatch.setattr(runner, "SPLIT_LINK_CHECKS_FROM", threshold)
        store, results = many_pages(tmp_path, name)
        first = audit(store, results), store.meta("link_findings")
        results[f"{EXT}/leaflet"] = fetch(f"{EXT}/leaflet", status=410)  # the leaflet went
        store.db.execute(f"DELETE FROM link_findings WHERE url = '{SITE}/p3'")
        store.commit()
        second = audit(store, results), store.meta("link_findings")
        kept = sorted(store.db.execute("SELECT url, data FROM link_findings"))
        nights.append((first, second, kept))
        store.close()
    assert nights[0] == nights[1]
    (first, first_counts), (second, counts), kept = nights[1]
    assert {r for r, _, _ in first} >= {"link-broken", "link-redirect", "link-fragment-missing"}
    assert first_counts == {"reused": 0, "checked": 10, "during_crawl": 0}
    # the leaflet's five pages and the one whose findings went are checked again
    assert counts == {"reused": 4, "checked": 6, "during_crawl": 0} and len(kept) == 10
    assert first != second
    assert int(children.read_text()) != os.getpid()  # the other half was checked elsewhere


def test_a_failed_child_costs_time_not_findings(tmp_path, monkeypatch):
    import os

    from content_audit.checks.engine import runner

    parent = os.getpid()
    real_share = runner._check_share

    def share_that_dies_in_the_child(*args):
        if os.getpid() != parent:
            raise MemoryError("the child ran out of memory")
        return real_share(*args)

    store, results = many_pages(tmp_path, "one.sqlite")
    alone = audit(store, results)
    store.close()
    monkeypatch.setattr(runner, "_check_share", share_that_dies_in_the_child)
    monkeypatch.setattr(runner, "SPLIT_LINK_CHECKS_FROM", 1)
    store, results = many_pages(tmp_path, "two.sqlite")
    assert audit(store, results) == alone
    assert store.meta("link_findings") == {"reused": 0, "checked": 10, "during_crawl": 0}
