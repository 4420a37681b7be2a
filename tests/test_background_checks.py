"""The content checks in a second process (checks.engine.background) give exactly what the same
checks give in this process, while pages are still being written, and a failed worker
loses nothing."""

from __future__ import annotations

import time
from datetime import date

import pytest

from content_audit.checks.engine.background import BackgroundChecks, SplitChecks
from content_audit.checks.engine.registry import CheckContext
from content_audit.checks.engine.runner import CheckRun, run_checks
from content_audit.core.config import ChecksConfig, Config
from content_audit.core.model import Page
from content_audit.core.store import RunStore, notes_path
from content_audit.crawler.boilerplate import remove_boilerplate
from content_audit.crawler.extract import extract_page
from content_audit.pipeline import _run_checks
from tests.test_rules_on_html import FILLER, REVIEW, SITE, layout

pytestmark = pytest.mark.e2e  # a real crawl, server or browser: not in the fast tier

TODAY = date(2026, 11, 24)
NO_MAIN = (
    "<!doctype html><html lang='en-GB'><head><title>Leaflet</title></head><body>"
    "<div class='menu'><p>Find out how we facilitate visits.</p></div>"
    "<div><p>Your appointmnet is on the ground floor. Please utilise the lift.</p>"
    "<p>Lorem ipsum dolor sit amet.</p></div>"
    "<div class='foot'><p>Northdale Community Health NHS Trust, LS1 4AP</p></div></body></html>"
)
MENU_ONLY = (
    "<!doctype html><html lang='en-GB'><head><title>Other {n}</title></head><body>"
    "<div class='menu'><p>Find out how we facilitate visits.</p></div>"
    "<div><p>Page {n} of the leaflets. Please call us if you need help.</p></div>"
    "<div class='foot'><p>Northdale Community Health NHS Trust, LS1 4AP</p></div></body></html>"
)


def pages() -> list[Page]:
    """Pages with content defects of most families, and pages without a main element
    (their text changes when boilerplate is removed after the crawl)."""
    mains = [
        f"<h1>Back pain</h1>{FILLER}{REVIEW}",
        f"<h1>Back pain</h1>{FILLER}{REVIEW}",  # a duplicate of the first
        "<h1>Physio</h1><p>We will facilitate your recieve of TBC leaflets.</p>" + FILLER,
        "<h1>Contact</h1><p>Phone: 0113 843 1909 or telephone: 01138431909.</p>" + REVIEW,
        "<h1>Long</h1><p>"
        + " ".join(
            "Notwithstanding the aforementioned considerations, multidisciplinary "
            "rehabilitation interventions necessitate comprehensive individualised "
            "assessment."
            for _ in range(12)
        )
        + "</p>",
    ]
    html = [layout(m, title=f"Page {i}") for i, m in enumerate(mains)]
    html += [NO_MAIN] + [MENU_ONLY.format(n=n) for n in range(4)]
    out = []
    for i, text in enumerate(html):
        url = f"{SITE}/p{i}.html"
        out.append(extract_page(Page(url=url, final_url=url, status=200), text))
    return out


def context() -> CheckContext:
    return CheckContext(
        config=ChecksConfig(), today=TODAY, site_origin=SITE,
        full_config=Config(today="2026-11-24"), link_results={},
    )  # fmt: skip


def identities(findings) -> list[tuple]:
    return sorted((f.rule, f.url, f.target or "", f.text or "", f.message) for f in findings)


def crawled(path) -> RunStore:
    """A store as the crawl leaves it: every page committed, boilerplate removed."""
    store = RunStore(path, fresh=True)
    for page in pages():
        store.add_page(page)
    store.commit()
    remove_boilerplate(store)
    store.commit()
    return store


def serial(tmp_path) -> tuple[list, dict]:
    store = crawled(tmp_path / "serial.sqlite")
    run = CheckRun(context(), "content")
    for page in store.pages():
        run.page(page)
    return run.finish(), run.figures


@pytest.mark.parametrize("workers", ["one", "split"])
def test_worker_checks_pages_as_they_are_written_and_matches_this_process(tmp_path, workers):
    """One worker running every content check, or two (page checks / site checks, as the
    pipeline runs them), give what this process gives."""
    expected_findings, expected_figures = serial(tmp_path)
    assert {f.rule for f in expected_findings} >= {
        "typo", "plain-english", "content-duplicate", "readability-hard", "placeholder",
    }  # fmt: skip
    # the page without <main> is checked on its text after boilerplate removal
    no_main = [f for f in expected_findings if f.url.endswith("/p5.html")]
    assert any(f.rule == "typo" for f in no_main)
    assert not any("facilitate" in (f.text or "") for f in no_main)  # the menu went

    store = RunStore(tmp_path / "run.sqlite", fresh=True)
    if workers == "one":
        worker = BackgroundChecks(store.path, context())
        assert worker.wait_ready()
    else:
        worker = SplitChecks(store.path, context())
        assert worker.pages.wait_ready() and worker.site.wait_ready()
    for i, page in enumerate(pages()):  # written in bursts, as the crawl writes them
        store.add_page(page)
        if i % 3 == 2:
            store.commit()
            time.sleep(0.2)
    store.commit()
    deadline = time.monotonic() + 60
    while worker.pages_read() < len(pages()) and time.monotonic() < deadline:
        time.sleep(0.05)  # boilerplate is removed only once the worker has read every page
    assert worker.pages_read() == len(pages())
    remove_boilerplate(store)
    store.commit()
    result = worker.collect(stall=120)
    assert result is not None
    findings, figures, kept, notes, failed, early_links = result
    assert not failed  # no check raised
    # no page's link targets answered here (no fetches): none was link-checked early
    assert early_links == 0
    assert identities(findings) == identities(expected_findings)
    # where each page's reusable results lie, for the next run
    assert sorted(url for url, *_ in kept) == sorted(page.url for page in pages())
    # and each page's notes of the reusable site checks, which the worker wrote to a file
    # of their own as it went (none held in memory): the store takes them in
    assert notes == []
    assert store.take_site_notes(notes_path(store.path)) == len(pages())
    assert not notes_path(store.path).exists()
    assert all("SpellingCheck" in store.site_notes(page.url) for page in pages())
    assert figures == expected_figures
    assert figures  # readability figures came back


def test_workers_still_starting_when_the_crawl_ends_are_waited_for(tmp_path):
    """A nightly re-run's crawl can end before its workers have loaded their checks: they
    are waited for, not dropped for this process to start the same work from nothing."""
    store = crawled(tmp_path / "run.sqlite")
    worker = SplitChecks(store.path, context())
    assert not worker.pages.wait_ready(timeout=0.0)  # just spawned: still starting
    result = worker.collect(stall=120)
    assert result is not None
    assert identities(result.findings) == identities(run_checks(store, context()))


def test_a_failed_worker_answers_none(tmp_path):
    broken = tmp_path / "not-a-database.sqlite"
    broken.write_bytes(b"this is not SQLite" * 100)
    worker = BackgroundChecks(broken, context())
    assert worker.collect(stall=60) is None


class _DeadWorker:
    def collect(self):
        return None


def test_the_pipeline_checks_everything_itself_when_the_worker_fails(tmp_path):
    config = Config(today="2026-11-24")
    config.site.start_urls = [SITE + "/"]
    store = crawled(tmp_path / "run.sqlite")
    with_failed_worker = _run_checks(config, store, _DeadWorker())
    figures = {p.url: p.figures for p in store.pages()}
    ctx = context()
    ctx.full_config = config
    alone = run_checks(store, ctx)
    assert identities(with_failed_worker) == identities(alone)
    assert [f.fingerprint for f in with_failed_worker] == [f.fingerprint for f in alone]
    assert any(figures.values())


def test_an_unchanged_page_with_every_result_kept_is_not_read_again(tmp_path):
    """On a re-run the workers take an unchanged page's kept results and notes instead of
    decoding it: its record here is not a page at all, yet the findings are the same."""
    with_main = pages()[:5]  # a page without <main> is never taken from the last run
    last = RunStore(tmp_path / "last.sqlite", fresh=True)
    for page in with_main:
        last.add_page(page)
    last.commit()
    expected = run_checks(last, context(), phase="content")
    assert {f.rule for f in expected} >= {"typo", "content-duplicate", "readability-hard"}

    store = RunStore(tmp_path / "run.sqlite", fresh=True)
    for seq, page in enumerate(with_main, 1):
        store.db.execute(
            "INSERT INTO records (url, data) VALUES (?, ?)",
            (page.url, '{"unreadable": "decoding this record is a mistake"}'),
        )
        store.db.execute("INSERT INTO crawl (url, seq) VALUES (?, ?)", (page.url, seq))
    store.set_page_results((url, last.page_result(url)) for url in (p.url for p in with_main))
    store.set_site_notes((url, last.site_notes(url)) for url in (p.url for p in with_main))
    store.commit()
    worker = SplitChecks(store.path, context())
    assert worker.pages.wait_ready() and worker.site.wait_ready()
    result = worker.collect(stall=120)
    assert result is not None
    assert identities(result.findings) == identities(expected)
    assert result.figures == {p.url: last.page_result(p.url)["figures"] for p in with_main}
    assert result.kept == [] and not notes_path(store.path).exists()  # nothing new to keep


def test_each_worker_loads_what_its_own_checks_need_before_the_first_page(monkeypatch):
    """The page-check worker reads the pronouncing dictionary, the site-check worker the
    spelling dictionaries, before any page comes: not when the night's first changed page
    comes, after the crawl."""
    from content_audit.checks import readability
    from content_audit.checks.engine import lexicon as lexicon_module

    def fresh() -> None:
        readability._offline_cmudict_data.cache_clear()
        readability.syllables.cache_clear()
        monkeypatch.setattr(lexicon_module, "_LEXICON", None)  # the loaded one comes back after

    fresh()
    CheckRun(context(), "content", part="pages").warm_up()
    assert readability._offline_cmudict_data.cache_info().currsize == 1
    assert lexicon_module._LEXICON is None

    fresh()
    CheckRun(context(), "content", part="site").warm_up()
    assert lexicon_module._LEXICON is not None
    assert readability._offline_cmudict_data.cache_info().currsize == 0


class _Untouchable(list):
    """A page's links that no content page check may read."""

    def _read(self, *_args):
        raise AssertionError("a content page check read page.links")

    __iter__ = __len__ = __getitem__ = __contains__ = __bool__ = _read


def test_no_content_page_check_reads_a_pages_links(tmp_path, caplog):
    """The page-check worker reads records without their links (half of each record):
    every content page check, run as that worker runs them, must do without."""
    store = crawled(tmp_path / "run.sqlite")
    expected = CheckRun(context(), "content", part="pages")
    run = CheckRun(context(), "content", part="pages")
    pages_with_links = 0
    for page in store.pages():
        pages_with_links += bool(page.links)
        expected.page(page)
        page.links = _Untouchable()
        run.page(page)
    assert pages_with_links >= 5
    assert not [r for r in caplog.records if r.levelname == "ERROR"]  # no check failed
    assert identities(run.finish()) == identities(expected.finish())
    assert run.figures == expected.figures and run.figures


@pytest.mark.parametrize(
    ("cpus", "expected"), [(1, "one"), (2, "split"), (4, "split"), (8, "split")]
)
def test_the_content_checks_take_two_workers_from_two_cpus(tmp_path, monkeypatch, cpus,
                                                           expected):  # fmt: skip
    """From two CPUs up the content checks run in two workers (page checks, site checks);
    with one CPU, in one."""
    import content_audit.checks.engine.background as background
    import content_audit.pipeline as pipeline
    from content_audit.core import lifetime
    from content_audit.core.config import PARALLEL_FROM_PAGES

    monkeypatch.setattr(lifetime.os, "sched_getaffinity", lambda _pid: set(range(cpus)))
    started: list[str] = []
    monkeypatch.setattr(background, "BackgroundChecks", lambda *a, **k: started.append("one"))
    monkeypatch.setattr(background, "SplitChecks", lambda *a, **k: started.append("split"))
    config = Config(today="2026-11-24")
    config.site.start_urls = [SITE + "/"]
    starter = pipeline._BackgroundStarter(config, RunStore(tmp_path / "run.sqlite", fresh=True))
    starter.on_pages(PARALLEL_FROM_PAGES - 1)
    assert started == []  # a small site is checked after the crawl, in this process
    starter.on_pages(PARALLEL_FROM_PAGES)
    starter.on_pages(PARALLEL_FROM_PAGES + 1)
    assert started == [expected]


@pytest.mark.parametrize(
    ("asked", "unchanged", "expected"), [(2000, 1980, "one"), (2000, 1000, "one"),
                                         (2000, 999, "split"), (0, 0, "split")]
)  # fmt: skip
def test_a_rerun_that_takes_most_pages_unchanged_checks_in_one_worker(
    tmp_path, monkeypatch, asked, unchanged, expected
):
    """A nightly re-run that found most of the last run's pages unchanged before the crawl
    (crawler.revalidate) has little left to check: one worker, even with two CPUs."""
    import content_audit.checks.engine.background as background
    import content_audit.pipeline as pipeline
    from content_audit.core import lifetime
    from content_audit.core.config import PARALLEL_FROM_PAGES

    monkeypatch.setattr(lifetime.os, "sched_getaffinity", lambda _pid: {0, 1})
    started: list[str] = []
    monkeypatch.setattr(background, "BackgroundChecks", lambda *a, **k: started.append("one"))
    monkeypatch.setattr(background, "SplitChecks", lambda *a, **k: started.append("split"))
    config = Config(today="2026-11-24")
    config.site.start_urls = [SITE + "/"]
    store = RunStore(tmp_path / "run.sqlite", fresh=True)
    store.set_meta("revalidation", {"asked": asked, "unchanged": unchanged, "stopped": ""})
    pipeline._BackgroundStarter(config, store).on_pages(PARALLEL_FROM_PAGES)
    assert started == [expected]
