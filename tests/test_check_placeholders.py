import pytest

from content_audit.checks.placeholders import PlaceholderCheck, find_placeholders
from tests.test_check_helpers import make_ctx, make_page


def tokens(text: str) -> list[str]:
    return [p.token for p in find_placeholders(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Welcome to {title}", ["{title}"]),
        ("We work with {vendor_count} partners.", ["{vendor_count}"]),
        ("Hello {{ name }}, welcome.", ["{{ name }}"]),
        ("See [[clinic-page]] for more.", ["[[clinic-page]]"]),
        ("Your appointment is at %s.", ["%s"]),
        ("Dear %(name)s, thanks.", ["%(name)s"]),
        ("Total ${price} today", ["${price}"]),
        ("Lorem ipsum dolor sit amet, consectetur.", ["Lorem ipsum dolor sit amet"]),
        ("Text: dolor sit amet.", ["dolor sit amet"]),
        ("TODO: add opening times", ["TODO"]),
        ("FIXME", ["FIXME"]),
        ("Call [insert phone number] for help.", ["[insert phone number]"]),
        ("undefined", ["undefined"]),
        ("Opening times: undefined", ["undefined"]),
        ("Call NaN for help.", ["NaN"]),
        ("Waiting time: null", ["null"]),
        ("It costs £NaN.", ["NaN"]),
        ("Call us on undefined.", ["undefined"]),
        ("Hello undefined undefined,", ["undefined undefined"]),
        ("Phone 0113 xxx xxxx", ["xxx", "xxxx"]),
        ("Clinic [object Object]", ["[object Object]"]),
    ],
)
def test_finds_placeholders(text, expected):
    assert tokens(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The contract is null and void.",
        "You may be off work for an undefined period.",
        "This does not nullify your consent.",
        "My nan came with me.",
        "About 50% of people get better in a week.",
        "TODO lists can help you plan.".lower(),
        "Our address is {not a token}.",
        "Use the [Back] button.",
    ],
)
def test_no_false_alarms(text):
    assert tokens(text) == []


def run(pages):
    check = PlaceholderCheck(make_ctx())
    for page in pages:
        check.observe(page)
    return list(check.finish())


def test_attribute_and_boilerplate_text_are_read():
    page = make_page(["Rest well."], attribute_text=["undefined", ""], boilerplate_text="Menu")
    (finding,) = run([page])
    assert finding.text == "undefined"
    assert finding.details["where"] == "attribute"
    assert finding.severity == "error"
    assert "screen readers" in finding.message


def test_decorative_alt_and_real_attributes_are_fine():
    page = make_page(["Rest well."], attribute_text=["", "Search", "Photo of the hospital"])
    assert run([page]) == []


def test_site_wide_token_is_reported_once_with_counts():
    pages = [
        make_page(
            ["Rest well."],
            url=f"https://x/{i}",
            boilerplate_text="We use cookies with {vendor_count} partners.",
        )
        for i in range(10)
    ]
    pages[3].main_text += "\nTODO: add map"
    findings = run(pages)
    site = [f for f in findings if f.text == "{vendor_count}"]
    assert len(site) == 1
    assert site[0].url == "https://x/0"
    assert site[0].details["pages"] == 10
    assert site[0].details["example_pages"] == [f"https://x/{i}" for i in range(5)]
    assert "shows on 10 of 10 pages" in site[0].message
    (todo,) = [f for f in findings if f.text == "TODO"]
    assert todo.url == "https://x/3"
    assert "pages" not in todo.details
    assert todo.context == "TODO: add map"


def test_token_on_a_few_pages_is_reported_per_page():
    pages = [make_page(["Rest well."], url=f"https://x/{i}") for i in range(10)]
    for page in pages[:2]:
        page.main_text += "\nHello {{ name }}"
    findings = run(pages)
    assert [f.url for f in findings] == ["https://x/0", "https://x/1"]


def test_memory_is_bounded_for_a_token_on_many_pages():
    pages = [make_page(["Rest well."], url=f"https://x/{i}") for i in range(1000)]
    for page in pages[:300]:
        page.main_text += "\nTODO"
    check = PlaceholderCheck(make_ctx())
    check.collapser.listed = 100  # the URLs kept to list, bounded (20,000 by default)
    for page in pages:
        check.observe(page)
    entry = check.collapser.entries["TODO"]
    assert len(entry.findings) <= 26 and len(entry.examples) == 100
    (finding,) = list(check.finish())
    assert finding.details["pages"] == 300
    # the pages it is on, for the report's list: bounded, in the order they were seen
    assert finding.details["affected_pages"] == [f"https://x/{i}" for i in range(100)]
    assert finding.details["example_pages"] == [f"https://x/{i}" for i in range(5)]


def test_needle_tests_do_not_change_what_is_found():
    """find_placeholders skips patterns whose required text is absent: same result as
    running every pattern on every line."""
    from content_audit.checks.placeholders import (
        _TOKEN_PATTERNS,
        _VALUE_SLOT_PATTERNS,
        Placeholder,
        find_placeholders,
    )

    def every_pattern(text: str) -> list[Placeholder]:
        found: list[Placeholder] = []
        offset = 0
        for line in text.split("\n"):
            spans = [(m.start(), m.end(), k) for k, p in _TOKEN_PATTERNS for m in p.finditer(line)]
            spans += [(m.start(1), m.end(1), "value") for p in _VALUE_SLOT_PATTERNS
                      for m in p.finditer(line)]  # fmt: skip
            for start, end, kind in sorted(spans, key=lambda s: (s[0], -s[1])):
                if any(p.start < offset + end and offset + start < p.end for p in found):
                    continue
                found.append(Placeholder(offset + start, offset + end, line[start:end], kind))
            offset += len(line) + 1
        return found

    samples = [
        "Hello {{ name }}, your ${value} is {0} and {first_name}; %s and %(x)d.",
        "{% if x %} [[link]] [object Object] Lorem ipsum dolor sit amet. TODO FIXME",
        "Call XXX or xxxx. [insert date] [Name] [phone number] NaN",
        "Price: £NaN\nundefined\nOpening times: undefined.\ncall us on null",
        "Maintenance and finance annulled. 50% of people. Null and void. undefined undefined",
        "Email us at null, from NaN; null% 3 NaN miles",
        "plain text with nothing to find",
        "LOREM IPSUM and Dolor sit amet; UNDEFINED\nNULL",
        "\u0130 lorem ipsum \u017f NaN; call us on undefined",
    ]
    for text in samples:
        assert find_placeholders(text) == every_pattern(text), text


# -- leaked template text: debug output, counters, shortcodes ---------------------------------
def kinds(text: str) -> list[tuple[str, str]]:
    return [(p.token, p.kind) for p in find_placeholders(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("** single-gpage.php **", [("** single-gpage.php **", "debug")]),
        ("*template-parts/content-page.php*", [("*template-parts/content-page.php*", "debug")]),
        ("/* page-services.twig */ Our services", [("/* page-services.twig */", "debug")]),
        ("single-clinic.php", [("single-clinic.php", "debug")]),
        ("<!-- wp:paragraph --> Rest well.", [("<!-- wp:paragraph -->", "debug")]),
        ("<?php echo $phone; ?>", [("<?php echo $phone; ?>", "debug")]),
        (
            "Warning: Undefined variable $title in /var/www/html/wp-content/themes/trust/"
            "header.php on line 12",
            [(
                "Warning: Undefined variable $title in /var/www/html/wp-content/themes/"
                "trust/header.php on line 12",
                "debug",
            )],
        ),
        (
            "Foot care advice (Visited 8,405 times, 917 visits today)",
            [("(Visited 8,405 times, 917 visits today)", "counter")],
        ),
        ("Visited 210 times, 3 visits today", [("Visited 210 times, 3 visits today", "counter")]),
        ("(Visited 12 times)", [("(Visited 12 times)", "counter")]),
        ("Visited 1,002 times", [("Visited 1,002 times", "counter")]),
        ("Views: 1,204", [("Views: 1,204", "counter")]),
        ("Post views: 87", [("Post views: 87", "counter")]),
        ("12 views today", [("12 views today", "counter")]),
        ("This page has been viewed 3,112 times.", [("This page has been viewed 3,112 times", "counter")]),
        ('[contact-form-7 id="12" title="Contact"]', [('[contact-form-7 id="12" title="Contact"]', "shortcode")]),
        ("[contact-form-7 id=12]", [("[contact-form-7 id=12]", "shortcode")]),
        ("[gallery]", [("[gallery]", "shortcode")]),
        ("[gallery ids=”4,5,6″]", [("[gallery ids=”4,5,6″]", "shortcode")]),
        ("[wpseo_breadcrumb]", [("[wpseo_breadcrumb]", "shortcode")]),
        ("[vc_row][vc_column]", [("[vc_row]", "shortcode"), ("[vc_column]", "shortcode")]),
        ("Text[/et_pb_text]", [("[/et_pb_text]", "shortcode")]),
        (
            '[caption id="attachment_5" width="300"]The ward[/caption]',
            [('[caption id="attachment_5" width="300"]The ward[/caption]', "shortcode")],
        ),
        ("Dear %%first_name%%,", [("%%first_name%%", "template")]),
        ("%%title%% %%sep%% %%sitename%%", [("%%title%%", "template"), ("%%sep%%", "template"),
                                           ("%%sitename%%", "template")]),
        ("Hello %FIRSTNAME%, your results", [("%FIRSTNAME%", "template")]),
        ("{% if clinic %}Open{% endif %}", [("{% if clinic %}", "template"), ("{% endif %}", "template")]),
        ("Call {{ clinic.phone }} today", [("{{ clinic.phone }}", "template")]),
        ("Lorem ipsum dolor sit amet", [("Lorem ipsum dolor sit amet", "filler")]),
    ],
)  # fmt: skip
def test_finds_leaked_template_text(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Read the leaflet [see below] before your visit.",
        "Normal range [3.5 to 5.0] mmol/L.",
        "Scores [0, 10] are shown as a range [0-10].",
        "The study found [sic] no change.",
        "Press the [Tab] key, then [Enter].",
        "Use the [Back] button.",
        "Fill in the form [optional] and bring it with you.",
        "We will take 2 views of each breast.",
        "Visitors: 2 per bed, 2pm to 8pm.",
        "Home visits: 3 a day.",
        "You visited 3 times last year.",
        "Most people at home are (visited 3 times a day by carers).",
        "Visited 3 times a week by a nurse, you will not need to come in.",
        "Our nurses made 40 home visits last week.",
        "If your score is 20% to 30% higher, call us.",
        "About 5%, or 1 in 20 people, get side effects.",
        "Rest your foot ** and keep it raised **.",
        "Download the referral form (PDF, 120KB).",
        "Go to www.nhs.uk/conditions/back-pain.",
        "Email physio@example-trust.nhs.uk for advice.",
        "Take 1 tablet 3 times a day [for 5 days].",
        "Warning: do not drive on line 1 of the motorway.",
        "Viewing times: 10am to 4pm.",
        "Hits to the head can cause concussion.",
        "The X-ray shows 2 views: front and side.",
    ],
)
def test_no_false_alarms_for_ordinary_brackets_and_numbers(text):
    assert tokens(text) == []


def test_debug_output_and_counter_findings_say_what_to_do():
    page = make_page(
        ["** single-gpage.php **", "(Visited 8,405 times, 917 visits today)", "Rest well."],
        boilerplate_text='Contact us\n[contact-form-7 id="12"]',
    )
    found = {f.details["kind"]: f for f in run([page])}
    assert set(found) == {"debug", "counter", "shortcode"}
    debug = found["debug"]
    assert (debug.rule, debug.severity, debug.text) == (
        "placeholder",
        "error",
        "** single-gpage.php **",
    )
    assert (
        debug.message == "Website debug output ‘** single-gpage.php **’ shows in the page content."
    )
    assert "web team" in debug.suggestion
    assert found["counter"].message.startswith("A visit counter ‘(Visited 8,405 times")
    assert "counter" in found["counter"].suggestion
    shortcode = found["shortcode"]
    assert shortcode.details["where"] == "boilerplate"
    assert shortcode.message == (
        'An unprocessed shortcode ‘[contact-form-7 id="12"]’ shows in the header, footer, '
        "menus or cookie banner."
    )
    assert "form" in shortcode.suggestion
