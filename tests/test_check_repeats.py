from content_audit.checks.repeats import check_repeated_paragraphs, paragraph_key
from content_audit.core.model import Section
from tests.test_check_helpers import make_ctx, make_page

PARA = (
    "If you cannot come to your appointment, please tell us as soon as you can so that "
    "we can offer it to someone else."
)


def found(page):
    return list(check_repeated_paragraphs(page, make_ctx()))


def test_paragraph_given_twice_is_reported_once_on_the_repeat():
    page = make_page([PARA, "Bring your glasses and a list of your medicines.", PARA])
    (f,) = found(page)
    assert (f.rule, f.severity) == ("content-repeated", "notice")
    assert f.message == (
        "This paragraph appears twice on the page: ‘If you cannot come to your appointment, "
        "please tell us as soon…’"
    )
    assert f.text == "If you cannot come to your appointment, please tell us as soon…"
    assert f.context == PARA
    assert f.suggestion == "Delete the repeated copy."


def test_spacing_case_and_punctuation_do_not_hide_a_repeat():
    other = PARA.upper().replace(",", " ,").replace("else.", "else")
    assert paragraph_key(PARA) == paragraph_key(other)
    page = make_page([PARA, other])
    assert len(found(page)) == 1


def test_repeat_under_another_heading_counts():
    page = make_page([PARA])
    page.sections.append(Section(heading="Cancelling", level=2, paragraphs=[PARA]))
    (f,) = found(page)
    assert f.details["times"] == 2


def test_three_copies_say_so():
    (f,) = found(make_page([PARA, PARA, PARA]))
    assert "appears 3 times" in f.message


def test_no_false_alarms():
    contact = "Phone: 0113 496 0000 (Monday to Friday, 9am to 5pm). Email: a@b.nhs.uk"
    short = "Please bring your appointment letter with you."
    page = make_page(
        [contact, short, contact, short, PARA],
        list_items=[PARA, PARA, "Phone: 0113 496 0000", "Phone: 0113 496 0000"],
    )
    assert found(page) == []  # short lines, contact lines and list items may repeat
    # headings are not paragraphs
    page = make_page([PARA], heading=PARA)
    assert found(page) == []
    # paragraphs that share most words are not the same paragraph
    nearly = PARA.replace("someone else", "another patient")
    assert found(make_page([PARA, nearly])) == []


def test_error_pages_are_not_read():
    page = make_page([PARA, PARA])
    page.status = 404
    assert found(page) == []
