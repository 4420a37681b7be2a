import pytest

from content_audit.checks.nhs_style import check_nhs_style, nhs_style_hits, nhs_time
from content_audit.checks.plain_english import (
    check_plain_english,
    inflect,
    plain_english_list,
    plain_english_matches,
)
from tests.test_check_helpers import make_ctx, make_page


def plain(text: str, **config) -> list[tuple[str, str]]:
    page = make_page([text])
    return [(f.text, f.suggestion) for f in check_plain_english(page, make_ctx(**config))]


def style(text: str) -> list[tuple[str, str]]:
    return [(text[h.start : h.end], h.suggestion) for h in nhs_style_hits(text)]


# --- plain English ---------------------------------------------------------------------


def test_plain_english_finding_has_text_context_and_suggestion():
    page = make_page(["Come early. We utilise a ticket system in order to keep things fair."])
    findings = list(check_plain_english(page, make_ctx()))
    assert [(f.text, f.suggestion) for f in findings] == [("utilise", "use"), ("in order to", "to")]
    first = findings[0]
    assert first.rule == "plain-english" and first.severity == "notice"
    assert first.context == "We utilise a ticket system in order to keep things fair."
    assert (
        first.message == "Try ‘use’ instead of ‘utilise’: it is plainer and easier to understand."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Staff utilised it.", [("utilised", "used")]),
        ("Utilising the car park helps.", [("Utilising", "Using")]),
        ("She utilises it.", [("utilises", "uses")]),
        ("We commenced treatment.", [("commenced", "started")]),
        ("This facilitates recovery.", [("facilitates", "helps")]),
        ("We ascertained the facts.", [("ascertained", "found out")]),
        ("Prior to your operation, rest.", [("Prior to", "Before")]),
        ("This is tackling waiting times.", [("tackling", "dealing with")]),
        ("The key points are below.", [("key", "main")]),
        ("Sleep is key to recovery.", [("key", "important")]),
        ("We deliver high-quality care.", [("deliver", "provide")]),
        ("This may impact your sleep.", [("impact", "affect")]),
        ("It impacted my work.", [("impacted", "affected")]),
        ("Take painkillers e.g. paracetamol.", [("e.g.", "for example")]),
    ],
)
def test_plain_english_flags(text, expected):
    assert plain(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Leave a key with a neighbour.",
        "Ask for a key safe.",
        "Your key worker will call you.",
        "The midwife will deliver your baby.",
        "The impact on your life can be large.",
        "Give informed consent before surgery.",
        "Support for acquired brain injury.",
        "Foster care is one option.",
        "Read the meeting agenda.",
        "Pay follows Agenda for Change bands.",
        "Your ankle may have some oedema (swelling).",
        "You may have swelling (oedema).",
        "Keyworkers and keys.",
        "Use the unutilised rooms.",
    ],
)
def test_plain_english_false_alarms(text):
    assert plain(text) == []


def test_repeats_on_a_page_are_reported_once_with_a_count():
    page = make_page(["We utilise A. We utilise B.", "They utilise C."])
    (finding,) = list(check_plain_english(page, make_ctx()))
    assert finding.details["count"] == 3


def test_site_additions_extend_the_list():
    assert plain("Visit the ED today.", plain_english={"ED": "A&E"}) == [("ED", "A&E")]
    assert plain("Visit the ED today.") == []


def test_site_can_take_a_word_off_the_list():
    assert plain("We ensure it.") == [("ensure", "make sure of")]  # "make sure it" does not read
    assert plain("We ensure it.", plain_english={"ensure": ""}) == []


def test_headings_are_not_checked():
    page = make_page(["Rest well."], heading="How we utilise your data")
    assert list(check_plain_english(page, make_ctx())) == []


def test_list_has_plenty_of_entries():
    data = plain_english_list()
    assert 80 <= len({t.base for t in data.forms.values()}) + len(data.patterns) <= 200


def test_inflect():
    assert [inflect("use", f) for f in ("s", "ed", "ing")] == ["uses", "used", "using"]
    assert inflect("find", "ed") == "found"
    assert inflect("stop", "ing") == "stopping"
    assert inflect("try", "s") == "tries"


def test_matches_in_text():
    found = list(plain_english_matches("In order to help.", plain_english_list()))
    assert found == [(0, 11, "To")]


# --- NHS style --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Open until 12pm.", [("12pm", "midday")]),
        ("Open until 12 noon.", [("12 noon", "midday")]),
        ("Open until 12 midday.", [("12 midday", "midday")]),
        ("Open until 12am.", [("12am", "midnight")]),
        ("We close at 5.00pm.", [("5.00pm", "5pm")]),
        ("We close at 5:00pm.", [("5:00pm", "5pm")]),
        ("We close at 17:00.", [("17:00", "5pm")]),
        ("We close at 17.00 daily.", [("17.00", "5pm")]),
        ("We close at 5 PM.", [("5 PM", "5pm")]),
        ("We close at 5 p.m. daily.", [("5 p.m.", "5pm")]),
        ("Open 9am - 5pm.", [("9am - 5pm", "9am to 5pm")]),
        ("Open 9am-5pm.", [("9am-5pm", "9am to 5pm")]),
        ("Open 9am–5pm.", [("9am–5pm", "9am to 5pm")]),
        ("Open 08:00-17:30.", [("08:00-17:30", "8am to 5:30pm")]),
        ("Open Monday - Friday.", [("Monday - Friday", "Monday to Friday")]),
        ("Open Mon-Fri.", [("Mon-Fri", "Monday to Friday")]),
        ("Open Sat 9am to 1pm.", [("Sat", "Saturday")]),
        ("Tel: 0113 843 1909", [("Tel:", "Phone:")]),
        ("Telephone: 0113 843 1909", [("Telephone:", "Phone:")]),
        ("Mob: 07771 900 900", [("Mob:", "Mobile:")]),
        ("Clinic on 6 Aug 2026.", [("6 Aug 2026", "6 August 2026")]),
        ("Clinic on Aug 6th.", [("Aug 6th", "6 August")]),
        ("Clinic on 6th August 2026.", [("6th August 2026", "6 August 2026")]),
        ("Clinic in Sept 2026.", [("Sept 2026", "September 2026")]),
    ],
)
def test_nhs_style_flags(text, expected):
    assert style(text) == expected


def test_the_phone_label_reason_names_the_word_written():
    """'Telephone:' is not 'tel': the reason says what NHS style prefers about the word."""
    ((telephone,), (tel,)) = (
        nhs_style_hits("Telephone: 0113 843 1909"),
        nhs_style_hits("Tel: 0113 843 1909"),
    )
    assert telephone.reason == "NHS style uses the shorter ‘phone’."
    assert tel.reason == "NHS style uses ‘phone’, not ‘tel’."


@pytest.mark.parametrize(
    "text",
    [
        "Open 9am to 5pm, Monday to Friday.",
        "We close at 5:30pm and open at midday.",
        "Please telephone us if you are worried.",
        "Ask for a telephone appointment.",
        "Go to tel:+441138431909 on your phone.",
        "Download version 17.00 of the app.",
        "It costs £17.00 a month.",
        "Take 10.00 ml twice a day.",
        "The final score was 9-5.",
        "See https://example.nhs.uk/times/17:00/ for details.",
        "See https://example.nhs.uk/news/6-aug-2026/ and /events/Aug-6th for details.",
        "Email clinic.tel:0113@example.nhs.uk for details.",
        "Clinic on 6 August 2026.",
        "In May 2026 we moved.",
        "Wear sun cream on Sun days.",
        "Jan Smith is our matron.",
        "Use a 1.5 mm needle and 3.00 units.",
        "A healthy BMI is from 18.50 to 24.90.",
        "Prices went from 10.00 to 12.50 this year, up 25%.",
        "Your reading was 14.37 at the start.",
    ],
)
def test_nhs_style_false_alarms(text):
    assert style(text) == []


def test_nhs_time():
    assert nhs_time("17:30") == "5:30pm"
    assert nhs_time("00:00") == "midnight"
    assert nhs_time("12:00") == "midday"
    assert nhs_time("9.30 a.m.") == "9.30am"


def test_nhs_style_page_check():
    page = make_page(["Our clinic is open 9am - 5pm. Call us any time."])
    (finding,) = list(check_nhs_style(page, make_ctx()))
    assert finding.rule == "nhs-style" and finding.severity == "notice"
    assert finding.text == "9am - 5pm"
    assert finding.suggestion == "9am to 5pm"
    assert finding.context == "Our clinic is open 9am - 5pm."
    assert finding.message.startswith("Write ‘9am - 5pm’ as ‘9am to 5pm’.")


def test_nhs_style_repeats_are_reported_once_per_page():
    page = make_page(["Open Mon - Fri.", "Clinic Mon - Fri only."])
    (finding,) = list(check_nhs_style(page, make_ctx()))
    assert finding.details["count"] == 2


def test_factored_plain_english_regex_matches_like_the_longest_first_alternation():
    import random
    import re

    from content_audit.checks.plain_english import _escape

    plain = plain_english_list()
    alternatives = sorted(plain.forms, key=len, reverse=True)
    body = "|".join(_escape(a) for a in alternatives)
    reference = re.compile(rf"(?<![\w'’-])(?:{body})(?![\w-])", re.IGNORECASE)
    rng = random.Random(5)
    separators = [" ", "  ", "-", "'", "’", ".", ", ", "\n", "(", "s ", "ed ", "ing ", "x", ""]
    for _ in range(3000):
        parts = []
        for _ in range(rng.randint(1, 10)):
            phrase = rng.choice(alternatives)
            phrase = rng.choice([phrase, phrase.upper(), phrase.capitalize()])
            if rng.random() < 0.2:
                phrase = phrase[: rng.randint(1, len(phrase))]
            parts += [phrase, rng.choice(separators)]
        text = "".join(parts)
        expected = [m.span() for m in reference.finditer(text)]
        assert [m.span() for m in plain.regex.finditer(text)] == expected, text


@pytest.mark.parametrize(
    "text",
    [
        "Open Mon-Fri, 9am-5pm. Tel: 0113 843 1909. Mob. 07700 900123.",
        "Open Monday - Friday and Sat 3, tel:+441138431909 on 3rd March 2026",
        "Closed Tues. Mob: call. TEL. Telephone: the team",
        "From 17.00 to 18:30hrs, 12 noon, March 2026, Sept 12th",
        "9 A.M. - 5 P.M., 9Am, 12 MIDDAY, 3 may 2026, May 3, 10.30",
        "Call 0113 843 1909 between 0900 and 1700 hrs",
        "Open 9 - 5pm and 8.30am-6, 7-9, 3 May, 1 2 3",
        "No numbers or days here at all.",
    ],
)
def test_nhs_style_prefilters_keep_every_hit(text):
    """nhs_style_hits skips regexes that cannot match (no digit, no day, no label): the
    hits are those of the whole set of regexes."""
    import content_audit.checks.nhs_style as style

    class Always:
        def search(self, _text):
            return True

    hints = [
        "_DIGIT_RE",
        "_DAY_HINT_RE",
        "_LABEL_HINT_RE",
        "_AMPM_HINT_RE",
        "_NOON_HINT_RE",
        "_MONTH_HINT_RE",
        "_TWO_DIGITS_RE",
    ]
    full = style.nhs_style_hits(text)
    saved = {name: getattr(style, name) for name in hints}
    try:
        for name in hints:
            setattr(style, name, Always())
        assert style.nhs_style_hits(text) == full
    finally:
        for name, value in saved.items():
            setattr(style, name, value)


def test_plain_english_needle_shortcut_matches_the_regex_search():
    """A pattern is tried when its word is in the lower-cased text; text with İ ı ſ K
    (which IGNORECASE folds to ASCII letters) falls back to the regex search."""
    plain = plain_english_list()
    for text in ["Our DIALOGUE with you", "We fo\u017fter trust and dialogue", "no match here"]:
        tried = [p for p in plain.patterns if p.needle is not None and p.needle.search(text)]
        found = list(plain_english_matches(text, plain))
        if not tried:
            assert found == []
        else:
            assert found


def test_a_block_on_many_pages_gives_each_page_its_own_findings():
    """Each block's hits are remembered (the same paragraph recurs from page to page); each
    page still gets its own findings and counts, and a site's own plain-English words are
    not answered from another list's memo."""
    shared = "We utilise the clinic from 9am-5pm."
    once = make_page([shared])
    twice = make_page([shared, "Other text.", shared], url="https://example.nhs.uk/twice")
    for _ in range(2):
        for page, count in ((once, 1), (twice, 2), (once, 1)):
            found = {f.text: f.details["count"] for f in check_nhs_style(page, make_ctx())}
            assert found == {"9am-5pm": count}
            found = {f.text: f.details["count"] for f in check_plain_english(page, make_ctx())}
            assert found == {"utilise": count}
            assert {f.url for f in check_plain_english(page, make_ctx())} == {page.url}
    site = make_ctx(plain_english={"clinic": "surgery"})
    assert {f.text for f in check_plain_english(once, site)} == {"utilise", "clinic"}
    assert {f.text for f in check_plain_english(once, make_ctx())} == {"utilise"}


def test_a_pattern_that_starts_with_a_choice_is_tried_by_a_later_word():
    """Patterns that open with alternatives ("going or moving forward", "collaborate or
    liaise with") are tried only on text holding a word every match has; each choice still
    matches, whichever comes first."""
    from content_audit.checks.plain_english import _needle, _pattern

    assert _needle(r"\b((?:going|moving)\s+forward)") == "forward"
    assert _needle(r"\b(collaborat(?:e|ed)|liais(?:e|ed))\s+with\b") == "with"
    assert _needle(r"\b(in\s+the\s+region\s+of)\s+\d") == "region"
    assert _needle(r"\b(ab\\cde)\b") == "ab\\cde"  # a literal backslash stays in it
    assert _pattern(r"\b(ab\\cde)\b", "x", "").needle.search("see ab\\cde now")
    assert _needle(r"\b(?:(?:strong|close)\s+)?(?:ties|bonds)") is None  # nothing required
    assert _needle(r"\b(?=going)(?:go)") is None  # a look-ahead is not part of the match
    plain = plain_english_list()
    for text, word in [
        ("Moving forward, the clinic opens at 8am.", "Moving forward"),
        ("Going forward, the clinic opens at 8am.", "Going forward"),
        ("Our nurses liaise with your GP.", "liaise"),
        ("Our nurses collaborate with your GP.", "collaborate"),
        ("It costs in the region of £40.", "in the region of"),
    ]:
        assert [text[s:e] for s, e, _use in plain_english_matches(text, plain)] == [word]
