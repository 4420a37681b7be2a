"""The basics family: images without alt text, pages in the wrong character set."""

from __future__ import annotations

from content_audit.checks.basics import check_encoding, check_image_alt
from content_audit.core.model import Image
from tests.test_check_helpers import make_ctx, make_page


def test_each_image_without_alt_text_is_named():
    """Two images without alt text on one page are two findings an owner can tell apart."""
    page = make_page(["Hi."])
    page.images = [
        Image("https://www.example-trust.nhs.uk/img/knee-brace.jpg?v=3", None),
        Image("https://www.example-trust.nhs.uk/img/ward-map.png", None),
        Image("https://www.example-trust.nhs.uk/img/divider.png", ""),  # decoration
        Image("https://www.example-trust.nhs.uk/img/logo.png", None, region="header"),
    ]
    found = list(check_image_alt(page, make_ctx()))
    assert [f.message for f in found] == [
        "The image ‘knee-brace.jpg’ in the page content has no alt text.",
        "The image ‘ward-map.png’ in the page content has no alt text.",
    ]


def test_wrong_character_set_is_said_in_plain_words_with_detail_for_the_web_team():
    page = make_page(["Hi."])
    page.encoding_problem = (
        "The page says its text is in one character set (utf-8) but it is written in "
        "another (cp1252), so some letters show as \ufffd."
    )
    (finding,) = check_encoding(page, make_ctx())
    assert "cp1252" not in finding.message and "character set" in finding.message
    # the card's "What to do" is read by owners too: the detail is in findings.json
    assert finding.action.startswith("Ask the web team to correct the page's character set")
    assert "cp1252" not in finding.action
    assert finding.details["technical"] == page.encoding_problem
