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
    for page in pages:
        check.observe(page)
    entry = check.collapser.entries["TODO"]
    assert len(entry.findings) <= 26 and len(entry.examples) <= 5
    (finding,) = list(check.finish())
    assert finding.details["pages"] == 300


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
