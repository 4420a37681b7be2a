"""The reusable page checks' results are kept per page and used again for a page that has
not changed, under the same check code and settings only; every other check still runs."""

from __future__ import annotations

import json

from content_audit.checks import load_all
from content_audit.checks.engine.registry import PAGE_CHECKS, page_check
from content_audit.checks.engine.runner import CheckRun, keep_results, results_key, run_checks
from content_audit.core.model import Page
from content_audit.core.store import RunStore
from content_audit.crawler.extract import extract_page
from tests.test_check_helpers import make_ctx
from tests.test_rules_on_html import FILLER, SITE, layout

OVERDUE = "<p>Page last reviewed: 1 January 2020<br>Next review due: 1 January 2021</p>"


def page(name: str, body: str, dates: str = OVERDUE) -> Page:
    url = f"{SITE}/{name}.html"
    html = layout(f"<h1>{name.title()}</h1>{FILLER}{body}{dates}")
    return extract_page(Page(url=url, final_url=url, status=200), html)


def rules(findings) -> list[tuple[str, str]]:
    return sorted((f.rule, f.url) for f in findings)


def test_the_expensive_content_checks_are_marked_reusable_and_date_checks_are_not():
    load_all()
    reusable = {c.__name__ for c in PAGE_CHECKS if getattr(c, "reusable", False)}
    assert {"check_readability", "check_plain_english", "check_nhs_style"} <= reusable
    assert not any(getattr(c, "after_crawl", False) for c in PAGE_CHECKS if c.__name__ in reusable)


def test_a_kept_review_date_is_compared_with_each_nights_date():
    """review-overdue keeps the page's dates, not its verdict: the date moves on."""
    import dataclasses
    from datetime import date

    from content_audit.checks.freshness import ReviewOverdueCheck

    due = page("back", "", dates="<p>Next review due: 1 January 2027</p>")
    note = ReviewOverdueCheck(make_ctx()).note(due)
    verdicts = []
    for today in (date(2026, 12, 31), date(2027, 1, 2)):
        check = ReviewOverdueCheck(dataclasses.replace(make_ctx(), today=today))
        check.take(due.url, note)
        verdicts.append([f.rule for f in check.finish()])
    assert verdicts == [[], ["review-overdue"]]


def test_a_check_reading_link_results_cannot_be_declared_reusable():
    import pytest

    with pytest.raises(ValueError):
        page_check(after_crawl=True, reusable=True)


def test_kept_results_are_used_instead_of_running_the_reusable_checks(tmp_path):
    ctx = make_ctx()
    pages = [page("back", "<p>You must liaise with your GP.</p>"), page("knee", "<p>Rest.</p>")]
    store = RunStore(tmp_path / "run.sqlite", fresh=True)
    for p in pages:
        store.add_page(p)
    first = run_checks(store, ctx, phase="content")
    assert any(f.rule == "plain-english" for f in first)  # "liaise"
    assert any(f.rule == "review-overdue" for f in first)
    kept = {url: store.page_result(url) for url in (p.url for p in pages)}
    assert all(kept.values())
    assert kept[pages[0].url]["figures"]["reading_age"] is not None

    # the stored results stand in for the reusable checks: change them to see they are used
    planted = dict(kept[pages[0].url])
    planted["findings"] = [{**planted["findings"][0], "message": "from the last run"}]
    run = CheckRun(ctx, "content", earlier={pages[0].url: planted}.get)
    for p in store.pages():
        run.page(p)
    again = run.finish()
    mine = [f for f in again if f.url == pages[0].url]
    assert [f.message for f in mine if f.rule == "plain-english"] == ["from the last run"]
    assert any(f.rule == "review-overdue" for f in mine)  # not reusable: checked again
    assert run.reused == 1 and [k[0] for k in run.kept] == [pages[1].url]
    assert run.figures[pages[0].url] == planted["figures"]
    # the page that was checked here is kept for the next run
    keep_results(store, again, run.kept)
    assert store.page_result(pages[1].url) == kept[pages[1].url]


def test_the_results_key_follows_the_check_settings():
    assert results_key(make_ctx()) == results_key(make_ctx())
    assert results_key(make_ctx()) != results_key(make_ctx(reading_age_target=9))
    assert results_key(make_ctx()) != results_key(make_ctx(plain_english={"use": "do"}))


LONG_ADVICE = " ".join([FILLER] * 4) + (
    "<p>Most people with back pain feel better within six weeks. Stay as active as you "
    "can, and go back to work when you are able to. Your GP can refer you to a "
    "physiotherapist if the pain does not ease.</p>"
)


def identities(findings) -> list[tuple]:
    return sorted(
        (f.rule, f.url, f.text or "", f.message, f.context or "", f.suggestion or "",
         json.dumps(f.details, sort_keys=True))
        for f in findings
    )  # fmt: skip


def physio(number: str) -> str:
    return f"<h2>Physiotherapy</h2><p>Phone: {number}</p>"


def site_pages() -> list[Page]:
    """A small site with something for each reusable site check to find."""
    pages = [
        page("back", f"{LONG_ADVICE}<p>You will recieve a leaflet.</p>{physio('0113 496 0000')}"),
        page(  # a copy
            "back-again",
            f"{LONG_ADVICE}<p>You will recieve a leaflet.</p>{physio('0113 496 0000')}",
        ),
        page(
            "knee",
            "<p>Rest your knee and use an ice pack. Call 0113 496 000 for advice.</p>"
            f"<p>Opening times: {{{{ hours }}}}</p>{physio('0113 496 0999')}",
        ),
        page("shoulder", LONG_ADVICE.replace("back", "shoulder"), dates=""),  # no dates
    ]
    pages[2].boilerplate_text += "\nOur phone lines will be closed on 2 May 2022."  # a banner
    return pages


def test_a_kept_note_gives_what_observing_the_page_gives_for_every_reusable_site_check():
    from content_audit.checks.engine.registry import SITE_CHECKS

    load_all()
    ctx = make_ctx()
    reusable = [cls for cls in SITE_CHECKS if cls.reusable]
    assert {
        "SpellingCheck", "DuplicateContentCheck", "PlaceholderCheck", "ContactDetailsCheck",
        "PhoneConsistencyCheck", "ReviewOverdueCheck", "ReviewDateMissingCheck",
        "OutdatedCheck",
    } <= {cls.__name__ for cls in reusable}  # fmt: skip
    for cls in reusable:
        observed, from_notes = cls(ctx), cls(ctx)
        for p in site_pages():
            observed.observe(p)
            note = json.loads(json.dumps(from_notes.note(p)))  # as the store keeps it
            from_notes.take(p.url, note)
        expected = identities(observed.finish())
        assert expected, f"{cls.__name__} found nothing: the comparison proves nothing"
        assert identities(from_notes.finish()) == expected, cls.__name__


def test_kept_notes_are_used_instead_of_reading_the_page_again(tmp_path):
    ctx = make_ctx()
    store = RunStore(tmp_path / "run.sqlite", fresh=True)
    pages = site_pages()
    for p in pages:
        store.add_page(p)
    first = run_checks(store, ctx, phase="content")
    assert ("typo", pages[0].url) in rules(first)
    assert ("content-duplicate", pages[1].url) in rules(first) or (
        "content-duplicate", pages[0].url) in rules(first)  # fmt: skip
    notes = store.site_notes(pages[0].url)
    assert set(notes) >= {"SpellingCheck", "DuplicateContentCheck"}

    # plant another word in the kept note of the first page: the finding must come from it
    planted = dict(notes)
    (fields, count), *rest = planted["SpellingCheck"]
    planted["SpellingCheck"] = [[["recieeve", *fields[1:]], count], *rest]
    run = CheckRun(ctx, "content", part="site", earlier_notes={pages[0].url: planted}.get)
    for p in store.pages():
        run.page(p)
    again = run.finish()
    typos = sorted(f.text for f in again if f.rule == "typo" and f.url == pages[0].url)
    assert typos == ["recieeve"]
    assert run.reused_notes == 1 and [url for url, _ in run.notes] == [p.url for p in pages[1:]]
    assert rules(f for f in again if f.rule == "content-duplicate") == rules(
        f for f in first if f.rule == "content-duplicate"
    )
