"""Extraction gives the same Page records as before the speed work (a stored digest).

The digests were computed from the extraction code before it was optimised; any change in
what is extracted from the sample site, a generated benchmark site or the tricky snippets
below changes them. If a change is intended, recompute them and say why in the commit.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

from bench.sitegen import build
from content_audit.core.model import Contacts, Email, Image, Link, Page, Phone, Section
from content_audit.crawler.extract import extract_page

SAMPLE = Path(__file__).resolve().parent.parent / "sample" / "site"

TRICKY = [
    "<html><body><p>Loose <b>bold</b> text<br>after break<script>var x = 1;</script> tail"
    "<style>p{}</style> end</p>bare body text<div>div text <span>span</span> more"
    "<p>inner para</p> div tail</div></body></html>",
    "<html><body><main><ul><li>Item one <ul><li>nested a</li><li>nested b</li></ul> after"
    "</li><li>Item <a href='tel:01138431909'>0113 843 1909</a> call us</li></ul>"
    "<table><tr><td>cell <table><tr><td>inner cell</td></tr></table> tail</td>"
    "<th>Head</th></tr></table><dl><dt>Term</dt><dd>Def <dl><dt>in</dt></dl></dd></dl>"
    "<h2>Physiotherapy</h2><p>Phone 0113 843 1909 or email physio@nhs.net</p>"
    "<p>Open Monday to Friday, 9am to 5pm. Closed on Sunday at noon.</p>"
    "<address>12 Market Street<br>Northdale<br>LS1 4AP</address>"
    "<p>Call <a href='tel:+441138431909'>+44 113 843 1909</a> or "
    "<a href='mailto:help@nhs.net?subject=x'>help@nhs.net</a></p>"
    "<p>Page last reviewed: 3 March 2025<br>Next review due: March 2027</p>"
    "<p>NHS number 485 777 3456, ref 0113 000 0000 and <?php echo 1 ?> after PI</p>"
    "<p>Text relay 18001 0113 843 1909; call 111; fax: 0113-843-1910.</p>"
    "</main><footer><p>Switchboard <a href='tel:01138430000'>0113 843 0000</a></p>"
    "<p>Reviewed 1 Jan 2024</p></footer></body></html>",
    "<html><head><title>T</title><base href='https://other.example/dir/'></head><body>"
    "<div role='main'><h1>Title</h1><p>See <a href='page.html#frag' target='_blank'>"
    "<img src='i.png' alt='icon'></a> and <a href='#'>top</a><a href='javascript:x'>js</a>"
    "<a href='mailto:a@b.com'></a></p><button aria-label='Close'>x</button>"
    "<input placeholder='Search'><label>Name <select><option>o</option></select></label>"
    "<summary>More <em>info</em></summary><blockquote>Quote <p>para</p></blockquote>"
    "<pre>  pre   text\n  lines </pre><figure><img src='data:x'><figcaption>Cap</figcaption>"
    "</figure><iframe src='https://video.example/e' title='Video'></iframe>"
    "<script src='/app.js'></script><a name='anchor1'></a><span id='sp'>x</span></div>"
    "<aside class='cookie-consent'><p>Cookies please</p></aside>"
    "<nav role='navigation'><a href='/a'>A</a></nav></body></html>",
    "<p>No html or body tags. Contact 0800 123 4567 Mon-Fri 8:30 to 17:00</p>",
    "<html><body>Only body text with e-mail someone@example.org.uk and 07700 900123</body></html>",
]


TRICKY_DIGEST = "5704b2761277e81b9d29a126d2e39dbf0563f13b99be1b96aae79ba564c52f13"


def _digest(pages: list[Page]) -> str:
    h = hashlib.sha256()
    for page in pages:
        data = page.to_dict()
        if not data["links_not_kept"]:  # added since, and 0 on every page here
            del data["links_not_kept"]
        h.update(json.dumps(data, sort_keys=True, ensure_ascii=False).encode())
    return h.hexdigest()


def _sample_pages() -> list[Page]:
    pages = []
    for file in sorted(SAMPLE.rglob("*.htm*")):
        url = "https://trust.example/" + file.relative_to(SAMPLE).as_posix()
        html = file.read_text(encoding="utf-8", errors="replace")
        for selector in ("main, article, [role=main]", "#nomatch"):
            pages.append(extract_page(Page(url=url, final_url=url, status=200), html, selector))
    return pages


def test_sample_site_pages_are_extracted_as_before():
    assert (
        _digest(_sample_pages())
        == "d7f84729d1bd641f2aaf67cd8d4ee39b237ebfd5df714b6335da45c4f98feae8"
    )


def test_benchmark_site_pages_are_extracted_as_before():
    _, files, truth = build(60, "http://127.0.0.2:8081")
    pages = []
    for path in truth["html_pages"]:
        url = "http://127.0.0.1:8080" + path
        pages.append(extract_page(Page(url=url, final_url=url, status=200), files[path]))
    assert _digest(pages) == "3206b20e0e3db59fbc09d5554d34ab642667436593cc3ceaea7fca85b1984417"


def _tricky_pages() -> list[Page]:
    pages = []
    for i, html in enumerate(TRICKY):
        url = f"https://trust.example/t{i}.html"
        for selector in ("main, article, [role=main]", "#nomatch"):
            pages.append(extract_page(Page(url=url, final_url=url, status=200), html, selector))
    return pages


def test_tricky_snippets_are_extracted_as_before():
    assert _digest(_tricky_pages()) == TRICKY_DIGEST


def test_to_dict_matches_dataclasses_asdict_and_round_trips():
    pages = _sample_pages() + _tricky_pages()
    page = pages[1]
    page.figures = {"readability": {"score": 61.5, "notes": ["a", "b"]}}
    page.contacts.phones.append(Phone(text="0113", href=None))
    page.contacts.emails.append(Email(text="a@b.c", href="mailto:a@b.c"))
    for page in pages:
        data = page.to_dict()
        assert data == dataclasses.asdict(page)
        assert type(data["headings"]) is list
        assert all(type(h) is tuple for h in data["headings"])
        again = Page.from_dict(json.loads(json.dumps(data)))
        assert again == page


def test_to_dict_does_not_share_mutable_state():
    page = _tricky_pages()[4]
    page.figures = {"readability": {"score": 1}}
    data = page.to_dict()
    data["figures"]["readability"]["score"] = 2
    data["links"][0]["text"] = "changed"
    data["sections"][0]["paragraphs"].append("new")
    data["blocks"].append(["x", "p", "y"])
    assert page.figures["readability"]["score"] == 1
    assert page.links[0].text != "changed"
    assert "new" not in page.sections[0].paragraphs
    assert ["x", "p", "y"] not in page.blocks


def test_model_types_still_construct():
    Contacts(), Link("u", "h", "t", "a", "main", 0), Image("s", None), Section("h", 1)


def test_finding_and_fetch_to_dict_match_asdict():
    from collections import OrderedDict

    from content_audit.core.model import Fetch, Finding

    details = {
        "hops": [("https://a.example/", 301), ("https://b.example/", 200)],
        "codes": [301, 200],
        "nested": {"x": [1, 2.5, None, True], "y": ("t", ["u"])},
        "ordered": OrderedDict(b=1, a=2),
        "section": Section("s", 1, ["p"]),
    }
    finding = Finding("links.broken", "error", "https://t.example/", "Broken", details=details)
    data = finding.to_dict()
    assert data == dataclasses.asdict(finding)
    assert list(data) == list(dataclasses.asdict(finding))
    data["details"]["nested"]["x"].append(9)
    assert details["nested"]["x"] == [1, 2.5, None, True]
    assert Finding.from_dict(json.loads(json.dumps(finding.to_dict()))).identity() == (
        finding.identity()
    )

    fetch = Fetch(
        "https://t.example/a", "https://t.example/b", 200, redirects=[("https://t.example/a", 301)],
        headers={"retry-after": "5"},
    )  # fmt: skip
    assert fetch.to_dict() == dataclasses.asdict(fetch)
    assert list(fetch.to_dict()) == list(dataclasses.asdict(fetch))
    assert Fetch.from_dict(json.loads(json.dumps(fetch.to_dict()))) == fetch


def test_page_to_dict_keys_in_field_order():
    page = _tricky_pages()[4]
    assert list(page.to_dict()) == list(dataclasses.asdict(page))
    assert list(page.to_dict()["links"][0]) == list(dataclasses.asdict(page.links[0]))


def test_cached_url_join_agrees_with_urljoin():
    from urllib.parse import urljoin

    from content_audit.core.urls import is_http, split_fragment
    from content_audit.crawler.extract import _base_key, _join

    bases = [
        "https://trust.example/a/b.html?x=1#top", "https://trust.example/", "http://trust.example",
        "HTTPS://Trust.Example:8443/dir/", "https://user@trust.example/a;p?q", "file:///tmp/x.html",
        "https://other.example/a/b/", "", "relative/path.html", "mailto:x@y.z",
    ]  # fmt: skip
    hrefs = [
        "/", "/a/../b", "/a/./c?q=1#f%20g", "/path;params", "//cdn.example/x.js", "/#frag",
        "page.html", "../up.html", "?only=query", "#frag", "", "https://abs.example/z",
        "tel:0113", "/ spaced path", "/a:b", "/%7Euser/",
    ]  # fmt: skip
    for _ in range(2):  # the second round is served from the cache
        for base in bases:
            for href in hrefs:
                absolute = urljoin(base, href)
                http = is_http(absolute)
                url, fragment = split_fragment(absolute) if http else ("", "")
                assert _join(base, _base_key(base), href) == (absolute, http, url, fragment)


def test_recogniser_prefilters_never_hide_a_match():
    from content_audit.core.contacts import find_emails, find_opening_hours, find_phone_numbers
    from content_audit.core.dates import find_review_dates
    from content_audit.crawler.extract import (
        _DAY_HINT,
        _REVIEW_HINT,
        _contacts,
        _may_have_day,
        _may_have_review,
    )

    texts = [
        "Open MONDAY to friday 9am to 5pm", "Sat 10:00", "Thurſday 9am", "Tueſday 9am",
        "Reviewed 3 March 2025", "Last revıewed 1 May 2024", "REVIEW DUE: June 2026",
        "Last updated: 3 May 2021", "Date UPDATED 11/11/2020", "Publıshed: 3 May 2019",
        "last modıfied on 6 May 2021",
        "No day here", "Call 111", "Phone: 0113 843 1909", "+33 1 23 45 67 89",
        "Fax 020-7450-4000", "ring us on 01138431909", "email a@b.co", "١٢٣ digits",
        "Call ０１１３ ８４３ １９０９", "Text 07700900123", "Reference 12345678",
    ]  # fmt: skip
    for text in texts:
        assert _may_have_day(text) == bool(_DAY_HINT.search(text))
        assert _may_have_review(text) == bool(_REVIEW_HINT.search(text))
        if not _may_have_day(text):
            assert find_opening_hours(text) == []
        if not _may_have_review(text):
            assert find_review_dates(text) == (None, None, "")
    assert _contacts  # the prefilters for phones and emails are checked through it below
    for text in texts:
        page = extract_page(
            Page(url="https://t.example/", final_url="https://t.example/", status=200),
            f"<main><h2>Label</h2><p>{text}</p></main>",
        )
        numbers = [p.text for p in (*page.contacts.phones, *page.contacts.faxes)]
        assert numbers == [s for _, _, s in find_phone_numbers(text)]
        assert [e.text for e in page.contacts.emails] == [s for _, _, s in find_emails(text)]
        assert page.contacts.opening_hours == find_opening_hours(text)


def test_review_window_gives_the_same_review_dates():
    import random

    from content_audit.core.dates import find_review_dates
    from content_audit.crawler.extract import review_window

    words = [
        "date", "of", "next", "review", "reviewed", "Review", "due", "for", "to", "be", "by",
        "on", "in", "last", "page", "content", ":", "-", "–", "3", "March", "2025", "May",
        "2026", "1/2/2024", "Advice", "text", "about", "feet.", "|", "Reviewed:", "June 2027",
        "12 January 2026", "revıewed", "REVIEW", "DATE", "Last updated:", "Published",
        "updated", "modified", "10/24/2019", "Date", "publıshed",
    ]  # fmt: skip
    rng = random.Random(7)
    for _ in range(3000):
        lines = []
        for _ in range(rng.randint(1, 40)):
            if rng.random() < 0.6:
                lines.append(" ".join(rng.choice(words[20:28]) for _ in range(rng.randint(1, 12))))
            else:
                lines.append(" ".join(rng.choice(words) for _ in range(rng.randint(1, 4))))
        full = "\n".join(lines)
        assert find_review_dates(review_window(lines)) == find_review_dates(full), lines


def test_findings_json_is_the_same_from_page_summaries_as_from_the_store(tmp_path):
    from content_audit.core.model import Finding, assign_fingerprints
    from content_audit.core.store import RunStore
    from content_audit.reports.json_report import page_summary, write_findings_json

    store = RunStore(tmp_path / "run.sqlite", fresh=True)
    findings = []
    for page in _tricky_pages() + _sample_pages()[:20]:
        page.figures = {"reading_age": 11, "words": page.word_count}
        store.add_page(page)
        findings.append(Finding("x.y", "warning", page.url, "Note ‘é’", details={"n": [1]}))
    store.commit()
    assign_fingerprints(findings)
    run = {"id": "r1"}
    owners = {p.url: "Team" for p in store.pages()}
    write_findings_json(tmp_path / "a.json", run, store, findings, owners=owners, summary={})
    summaries = [page_summary(p.to_dict()) for p in store.pages()]
    before = json.dumps(summaries)
    write_findings_json(
        tmp_path / "b.json", run, store, findings, owners=owners, summary={},
        page_summaries=summaries,
    )  # fmt: skip
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert json.dumps(summaries) == before  # the caller's summaries are left alone
    assert [Page.from_dict(d).to_dict() for d in store.page_dicts()] == [
        p.to_dict() for p in store.pages()
    ]
    store.close()
