"""Extraction of one page into one record, on tricky HTML."""

from __future__ import annotations

from content_audit.core.model import Page
from content_audit.crawler.extract import extract_page

LAYOUT = """<!doctype html>
<html lang="en-GB"><head><title>{title}</title>
<meta name="description" content="Advice on back pain"></head>
<body>
<header><img src="/logo.png" alt="Northdale NHS"><a href="/">Home</a></header>
<nav><ul><li><a href="/services/">Services</a></li><li><a href="/contact-us.html">Contact us</a></li></ul></nav>
<div class="cookie-banner" id="cookie-consent"><p>We use cookies to make this site work.</p>
<button>Accept cookies</button></div>
{body}
<footer><p>Northdale Community Health NHS Trust, 12 Market Street, Northdale, LS1 4AP.</p>
<p>Switchboard: <a href="tel:01138430000">0113 843 0000</a></p></footer>
</body></html>"""


def extract(
    body: str, title: str = "Back pain", url: str = "https://trust.example/page.html", **kw
) -> Page:
    page = Page(url=url, final_url=url, status=200)
    return extract_page(page, LAYOUT.format(title=title, body=body), **kw)


def test_main_content_excludes_navigation_footer_and_cookie_panel():
    page = extract(
        "<main><h1>Back pain</h1><p>Most back pain gets better in a few weeks.</p></main>"
    )
    assert page.title == "Back pain"
    assert page.lang == "en-GB"
    assert page.meta_description == "Advice on back pain"
    assert page.main_text == "Back pain\nMost back pain gets better in a few weeks."
    assert "cookies" not in page.main_text
    assert "Switchboard" not in page.main_text
    assert "We use cookies to make this site work." in page.boilerplate_text
    assert "Switchboard: 0113 843 0000" in page.boilerplate_text
    assert page.word_count == 11
    assert page.headings == [(1, "Back pain")]


def test_sections_group_paragraphs_and_lists_under_headings():
    page = extract(
        """<main><h1>Sciatica</h1><p>Sciatica is pain in the leg.</p>
        <h2>Symptoms</h2><ul><li>pain in the bottom</li><li>tingling<ul><li>in the foot</li></ul></li></ul>
        <h2>Treatment</h2><p>Keep moving.</p><p>Take <a href="/painkillers.html">painkillers</a>.</p></main>"""
    )
    assert [(s.heading, s.level) for s in page.sections] == [
        ("Sciatica", 1),
        ("Symptoms", 2),
        ("Treatment", 2),
    ]
    assert page.sections[0].paragraphs == ["Sciatica is pain in the leg."]
    assert page.sections[1].list_items == ["pain in the bottom", "tingling", "in the foot"]
    assert page.sections[2].paragraphs == ["Keep moving.", "Take painkillers."]


def test_links_have_absolute_urls_text_region_and_position():
    page = extract(
        """<main><h1>Physio</h1><p>Read <a href="exercises.html#week-1">back exercises</a>.</p>
        <a href="https://other.example/x" target="_blank"><img src="/i.png" alt="Leaflet"></a>
        <p><a href="javascript:void(0)">Print</a> <a href="#">Top</a> <a href="">Self</a></p></main>""",
        url="https://trust.example/services/physio/index.html",
    )
    by_text = {link.text: link for link in page.links if link.tag == "a"}
    exercises = by_text["back exercises"]
    assert exercises.url == "https://trust.example/services/physio/exercises.html"
    assert exercises.fragment == "week-1"
    assert exercises.region == "main"
    assert exercises.context == "Read back exercises."
    assert by_text["Leaflet"].new_tab is True and by_text["Leaflet"].tag == "a"
    assert by_text["Services"].region == "navigation"
    assert by_text["Home"].region == "header"
    assert not any(link.url.startswith("javascript") for link in page.links)
    assert "Print" not in by_text and "Top" not in by_text
    positions = [link.position for link in page.links]
    assert positions == sorted(positions) == list(range(len(page.links)))


def test_images_keep_missing_and_empty_alt_apart():
    page = extract(
        """<main><h1>X</h1><img src="a.png"><img src="b.png" alt=""><img src="c.png" alt="A nurse"></main>"""
    )
    main_images = {i.src.rsplit("/", 1)[-1]: i.alt for i in page.images if i.region == "main"}
    assert main_images == {"a.png": None, "b.png": "", "c.png": "A nurse"}
    assert any(i.region == "header" for i in page.images)


def test_contacts_from_links_and_text_with_labels():
    page = extract(
        """<main><h1>Podiatry</h1><h2>Contact podiatry</h2>
        <dl><dt>Phone:</dt><dd><a href="tel:+441138432000">0113 843 2000</a></dd>
        <dt>Mobile:</dt><dd>07771 900 900</dd>
        <dt>Email:</dt><dd><a href="mailto:podiatry@northdale.nhs.uk">podiatry@northdale.nhs.uk</a></dd></dl>
        <p>Open Monday to Friday, 9am to 5pm.</p>
        <address>Foot Health Centre, 3 Mill Lane, Northdale, LS2 7EW</address></main>"""
    )
    phones = {p.text: p for p in page.contacts.phones}
    assert phones["0113 843 2000"].href == "tel:+441138432000"
    assert phones["0113 843 2000"].label == "Contact podiatry"
    assert phones["07771 900 900"].href is None
    assert phones["0113 843 0000"].region == "footer"
    emails = {e.text: e for e in page.contacts.emails}
    assert emails["podiatry@northdale.nhs.uk"].href == "mailto:podiatry@northdale.nhs.uk"
    assert "Open Monday to Friday, 9am to 5pm." in page.contacts.opening_hours
    assert "Foot Health Centre, 3 Mill Lane, Northdale, LS2 7EW" in page.contacts.addresses


def test_nested_contact_blocks_are_found_once():
    page = extract(
        """<main><h1>Clinics</h1><div class="contact"><div><div><p>Phone: 020 7450 4000
        <span>(<a href="tel:02074504000">020 7450 4000</a>)</span></p></div></div></div></main>"""
    )
    assert [p.text for p in page.contacts.phones if p.region == "main"] == ["020 7450 4000"]


def test_a_contact_block_on_many_pages_is_read_for_each_page():
    """What a block of text shows (numbers, addresses, hours) is remembered from page to
    page, since headers and footers repeat; what each page makes of it is its own: a
    number the page also links with tel: is listed once, with the link, and each page's
    label and region are its own, in whichever order the pages come."""
    block = "<p>Phone 0113 843 2000, podiatry@northdale.nhs.uk, Monday to Friday 9am to 5pm</p>"
    linked = (
        f"<main><h1>A</h1><h2>Feet</h2>{block}"
        "<p><a href='tel:01138432000'>0113 843 2000</a></p></main>"
    )
    plain = f"<main><h1>B</h1><h2>Foot care</h2>{block}</main>"
    for order in ((linked, plain), (plain, linked, plain)):
        for body in order:
            page = extract(body)
            main = [(p.text, p.href, p.label) for p in page.contacts.phones if p.region == "main"]
            if body == linked:
                assert main == [("0113 843 2000", "tel:01138432000", "Feet")]
            else:
                assert main == [("0113 843 2000", None, "Foot care")]
            assert [e.label for e in page.contacts.emails] == [page.headings[1][1]]
            assert page.contacts.opening_hours and page.contacts.addresses == [
                "Northdale Community Health NHS Trust, 12 Market Street, Northdale, LS1 4AP."
            ]


def test_review_dates_in_several_phrasings():
    page = extract(
        "<main><h1>X</h1><p>Advice.</p><p>Page last reviewed: 6 August 2025<br>"
        "Next review due: 6 August 2028</p></main>"
    )
    assert (page.last_reviewed, page.next_review_due) == ("2025-08-06", "2028-08-06")
    page = extract(
        "<main><h1>X</h1><p>Last reviewed: 12/03/2025</p><p>Review date: March 2027</p></main>"
    )
    assert (page.last_reviewed, page.next_review_due) == ("2025-03-12", "2027-03-31")


def test_malformed_markup_still_extracts():
    html = "<html><title>Broken</title><body><main><h1>Falls<p>Stay active<p>Keep warm<li>one<li>two</main>"
    page = extract_page(
        Page(url="https://t.example/", final_url="https://t.example/", status=200), html
    )
    assert page.title == "Broken"
    assert "Stay active" in page.main_text and "Keep warm" in page.main_text
    assert page.error == ""


def test_empty_document_is_an_error_not_a_crash():
    page = extract_page(
        Page(url="https://t.example/", final_url="https://t.example/", status=200), "  "
    )
    assert page.error == "the page is empty"


def test_page_without_main_keeps_blocks_for_boilerplate_removal():
    html = "<html><body><div class='top'>Trust name</div><div><h1>Asthma</h1><p>Use your inhaler.</p></div></body></html>"
    page = extract_page(
        Page(url="https://t.example/", final_url="https://t.example/", status=200), html
    )
    assert page.main_found is False
    assert "Use your inhaler." in page.main_text
    assert [b[2] for b in page.blocks] == ["Trust name", "Asthma", "Use your inhaler."]


def test_custom_main_selector():
    page = extract(
        '<div id="content"><h1>Falls</h1><p>Advice here.</p></div><main><p>Not this</p></main>',
        main_selector="#content",
    )
    assert page.main_text == "Falls\nAdvice here."


def test_base_href_and_anchors():
    page = extract(
        '<main><h1 id="top">X</h1><a name="old-anchor"></a><p><a href="a.html">A</a></p></main>'.replace(
            "<main>", '<base href="https://trust.example/deep/"><main>'
        )
    )
    assert "top" in page.anchors and "old-anchor" in page.anchors
    assert any(link.url == "https://trust.example/deep/a.html" for link in page.links)


def test_assets_are_links_too():
    page = extract(
        '<main><h1>X</h1><iframe src="https://video.example/embed/1" title="Video"></iframe></main>'
        '<script src="/app.js"></script><link rel="stylesheet" href="/site.css">'.replace(
            "</main>", "</main>"
        )
    )
    tags = {link.tag for link in page.links}
    assert {"iframe", "script", "img", "a"} <= tags


def test_placeholder_attribute_text_is_kept_for_checks():
    page = extract('<main><h1>X</h1><img src="x.png" alt="{image_alt}"></main>')
    assert "{image_alt}" in page.attribute_text


def test_aria_label_is_the_link_text_screen_readers_announce():
    page = extract(
        '<main><h1>X</h1><p><a href="/a.html" aria-label="Read more about sciatica">Read more</a></p></main>'
    )
    assert [link.text for link in page.links if link.region == "main"] == [
        "Read more about sciatica"
    ]


def test_boilerplate_only_pages_lose_the_blocks_repeated_across_the_site(tmp_path):
    """With no <main>, blocks that repeat on most pages are navigation, not advice."""
    from content_audit.core.store import RunStore
    from content_audit.crawler.boilerplate import remove_boilerplate

    chrome = "<div>Northdale NHS Trust</div><div><a href='/'>Home</a> <a href='/a'>A to Z</a></div>"
    footer = "<div>Copyright Northdale NHS Trust</div>"
    store = RunStore(tmp_path / "run.sqlite", fresh=True)
    for n, advice in enumerate(["Drink water.", "Rest your back.", "Keep warm.", "Walk daily."]):
        url = f"https://t.example/{n}"
        html = (
            f"<html><body>{chrome}<div><h1>Page {n}</h1><p>{advice}</p></div>{footer}</body></html>"
        )
        store.add_page(extract_page(Page(url=url, final_url=url, status=200), html))
    store.commit()
    assert remove_boilerplate(store) == 4
    page = store.page("https://t.example/1")
    assert page.main_text == "Page 1\nRest your back."
    assert "Copyright Northdale NHS Trust" in page.boilerplate_text
    assert [s.heading for s in page.sections] == ["Page 1"]
    assert page.word_count == 4  # "Page", "Rest", "your", "back"


def test_line_breaks_and_nested_blocks_stay_boundaries_in_sections():
    """A <br> or a paragraph nested in a list item starts a new line of the block, so a
    sentence check never reads "remember to" at the end of one line and "breath" at the
    start of the next as one phrase. Every other reader still sees one line per block."""
    page = extract(
        "<main><h1>Breathing</h1><p>Remember to<br>breath in slowly.</p>"
        "<ul><li><p>Ask your your</p><p>your GP first.</p></li></ul>"
        "<blockquote>Try to<div>relax</div></blockquote></main>"
    )
    section = page.sections[0]
    assert section.paragraphs == ["Remember to\nbreath in slowly.", "Try to\nrelax"]
    assert section.list_items == ["Ask your your\nyour GP first."]
    assert "Remember to breath in slowly." in page.main_text.splitlines()
    assert "Ask your your your GP first." in page.main_text.splitlines()
    link_page = extract("<main><p>Call us<br>or <a href='/a.html'>book online</a></p></main>")
    booking = next(link for link in link_page.links if link.text == "book online")
    assert booking.context == "Call us or book online"


def test_code_keyboard_and_sample_text_is_kept_as_literal():
    page = extract(
        "<main><p>Type <kbd>your your</kbd> then <code>may breath</code>.</p>"
        "<p>The screen shows <samp>Could of failed</samp>.</p></main>"
    )
    assert page.literal_text == ["your your", "may breath", "Could of failed"]
    assert page.sections[0].paragraphs[0] == "Type your your then may breath."
