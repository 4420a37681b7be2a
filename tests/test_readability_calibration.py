"""Calibration of sentence-long and readability-hard: a finding needs a clear margin.

sentence-long reports sentences over 25 words by default (GOV.UK; 21 to 25 words read fine
on well-edited NHS pages). readability-hard keeps the 9-11 target for the figures but
reports a page only from reading age 15; listing pages (mostly links, an A to Z, a contact
directory) get figures and no finding; pages for professionals have their own threshold.
"""

from __future__ import annotations

import pytest

from content_audit.checks.readability import check_readability, check_sentence_length
from content_audit.core.config import ConfigError, load
from content_audit.core.model import Page
from content_audit.crawler.extract import extract_page
from tests.test_check_helpers import make_ctx, make_page

SITE = "https://www.example-trust.nhs.uk"

# reading age 13: over the target of 11, under the finding threshold of 15
MEDIUM = (
    "Your physiotherapist will look at how your knee moves and suggest exercises to make it "
    "stronger. Most people need between 2 and 4 appointments. Treatment usually combines "
    "exercise, advice and a slow return to your normal activities. Keep going with the "
    "exercises at home. "
)
# reading age 17: hard for patients, ordinary for clinicians
CLINICAL = (
    "Refer patients with suspected inflammatory arthritis to rheumatology rather than to this "
    "service. Include your examination findings and current medication. Do not refer acute "
    "injuries. We triage every referral within 5 working days and then contact the patient. "
    "Imaging is rarely needed. "
)
# reading age well over 18
HARD = (
    "Musculoskeletal manifestations necessitate comprehensive multidisciplinary evaluation "
    "incorporating physiotherapeutic intervention alongside pharmacological optimisation. "
    "Consequently, individualised rehabilitation programmes facilitate functional restoration "
    "and considerably ameliorate occupational productivity. "
)


def words(n: int) -> str:
    """A plain sentence of exactly n words."""
    return " ".join(["You"] + ["can"] * (n - 2) + ["walk."])


def run(check, page, **config):
    return list(check(page, make_ctx(**config)))


def html_page(path: str, main: str) -> Page:
    url = SITE + path
    html = (
        f"<html lang='en-GB'><body><nav><a href='/'>Home</a></nav><main>{main}</main></body></html>"
    )
    return extract_page(Page(url=url, final_url=url, status=200), html)


# --- sentence-long --------------------------------------------------------------------------


@pytest.mark.parametrize("n", [21, 23, 25])
def test_sentences_of_21_to_25_words_read_fine(n):
    assert run(check_sentence_length, make_page([words(n)])) == []


def test_sentence_over_25_words_is_reported():
    (finding,) = run(check_sentence_length, make_page([words(26)]))
    assert finding.details == {"words": 26, "limit": 25}
    assert "sentences of 25 words or fewer" in finding.message


def test_sentence_limit_can_go_down_to_the_nhs_20():
    (finding,) = run(check_sentence_length, make_page([words(21)]), sentence_max_words=20)
    assert finding.details["limit"] == 20
    assert run(check_sentence_length, make_page([words(20)]), sentence_max_words=20) == []


CLINIC = (
    "<p><strong>Northdale Central Clinic</strong><br>Ground floor, Wellbeing Centre, 40 Station "
    "Road, Northdale, LS2 7BX<br>Phone: 0113 496 0262<br>Monday to Friday, 9am to 7pm<br>"
    "Saturday, 10am to 1pm<br>Closed on bank holidays and on the first Tuesday of each month"
    "</p>"
)


def test_contact_block_joined_from_lines_is_not_a_long_sentence():
    page = html_page("/services/sexual-health/", f"<h1>Clinics</h1>{CLINIC}")
    assert run(check_sentence_length, page) == []


def test_long_sentence_with_a_postcode_is_still_reported():
    text = (
        "If you are coming to the clinic at 40 Station Road, LS2 7BX, by car, please park in "
        "the public car park behind the station because our own car park is very small."
    )
    (finding,) = run(check_sentence_length, make_page([text]))
    assert finding.details["words"] > 25


def test_default_limit_is_25_in_a_loaded_config():
    assert load().checks.sentence_max_words == 25


# --- readability-hard: the margin -----------------------------------------------------------


def test_page_over_the_target_but_under_the_margin_gets_figures_not_a_finding():
    page = make_page([MEDIUM] * 6)
    assert run(check_readability, page) == []
    assert page.figures["reading_age"] == 13  # over the target of 11: shown in the table
    assert page.figures["page_kind"] == "advice"


def test_margin_is_a_setting():
    page = make_page([MEDIUM] * 6)
    (finding,) = run(check_readability, page, reading_age_finding=13)
    assert "reading age of 13" in finding.message
    assert "pages are reported from 13" in finding.message
    assert finding.details["threshold"] == 13 and finding.details["target"] == 11


def test_hard_page_message_says_what_to_do_in_plain_words():
    page = make_page([HARD] * 5 + [MEDIUM])
    (finding,) = run(check_readability, page)
    assert page.figures["reading_age"] > 18  # shown as words: a number past 18 means nothing
    assert finding.message.startswith("This page has a reading age above 18, very hard")
    assert "many patients will find it hard to follow" in finding.message
    for jargon in ("Flesch", "SMOG", "reading ease", "grade"):
        assert jargon not in finding.message
    assert "keep most sentences to 15 to 20 words" in finding.suggestion
    assert "everyday words" in finding.suggestion
    assert finding.context.count("\n") == 2  # the three hardest sentences, to start with


# --- listing pages ----------------------------------------------------------------------------

SERVICES = [
    "Musculoskeletal physiotherapy",
    "Community cardiology",
    "Respiratory rehabilitation",
    "Tissue viability",
    "Integrated diabetes education",
    "Paediatric occupational therapy",
    "Community neurological rehabilitation",
    "Continence and urology",
    "Adult audiology",
    "Orthotics and prosthetics",
    "Community dermatology",
    "Psychological therapies",
    "Speech and language therapy",
    "Nutrition and dietetics",
    "Intermediate care",
    "Community gynaecology",
    "Rheumatology outreach",
    "Haemoglobinopathy service",
    "Lymphoedema service",
    "Cardiopulmonary rehabilitation",
]


def a_to_z(letters: bool) -> str:
    items = []
    for i, name in enumerate(SERVICES):
        if letters and i % 4 == 0:
            items.append(f"<h2>{'ABCDE'[i // 4]}</h2>")
        items.append(
            f"<ul><li><a href='/services/{i}/'>{name} for adults in the community</a></li></ul>"
        )
    return "<h1>Services A to Z</h1><p>Find a service by its name.</p>" + "".join(items)


@pytest.mark.parametrize("letters", [True, False], ids=["a-z-headings", "mostly-links"])
def test_a_to_z_of_links_gets_figures_but_no_finding(letters):
    page = html_page("/services/", a_to_z(letters))
    assert run(check_readability, page) == []
    assert page.figures["reading_age"] >= 15  # it would have been reported as advice
    assert page.figures["page_kind"] == ("a-z" if letters else "list")


class _NoLinks(list):
    def __iter__(self):
        raise AssertionError("readability read page.links")

    def __len__(self):
        raise AssertionError("readability read page.links")


def test_listing_is_known_without_reading_the_links():
    """The content checks run on page records without links (checks.engine.background)."""
    page = html_page("/services/", a_to_z(False))
    page.links = _NoLinks()
    assert run(check_readability, page) == []
    assert page.figures["page_kind"] == "list"


def test_advice_with_a_long_list_of_symptoms_is_still_advice():
    symptoms = "".join(
        f"<li>{s}</li>"
        for s in (
            "a high temperature",
            "a cough",
            "feeling sick",
            "being sick",
            "a headache",
            "aching muscles",
            "a sore throat",
            "a runny nose",
            "diarrhoea",
            "tiredness",
        )
    )
    page = html_page("/services/flu/", f"<h1>Flu</h1><p>{HARD * 5}</p><ul>{symptoms}</ul>")
    assert [f.rule for f in run(check_readability, page)] == ["readability-hard"]
    assert page.figures["page_kind"] == "advice"


def test_contact_directory_gets_figures_but_no_finding():
    entries = "".join(
        f"<dt>{name} for adults</dt><dd>Phone: 0113 496 0{i:03d}</dd>"
        for i, name in enumerate(SERVICES)
    )
    page = html_page(
        "/contact-us/", f"<h1>Contact us</h1><p>Find the right number.</p><dl>{entries}</dl>"
    )
    assert run(check_readability, page) == []
    assert page.figures["page_kind"] == "directory"


def test_advice_that_repeats_999_and_one_number_is_not_a_directory():
    contact = "".join(
        f"<li>{x}</li>"
        for x in ("Phone", "0113 496 0149", "Email", "podiatry@example.nhs.uk", "Opening times")
    )
    related = "".join(f"<li><a href='/s/{i}/'>Podiatry: leaflets ({i})</a></li>" for i in range(8))
    main = (
        f"<h1>Foot care</h1><p>{HARD * 4} In an emergency, call 999.</p>"
        "<p>Call 999 if your foot turns cold. Call 111 if you are not sure. Call 999 at once "
        f"if you faint.</p><ul>{related}</ul><ul>{contact}</ul>"
    )
    page = html_page("/services/podiatry/", main)
    assert len(page.contacts.phones) >= 5
    assert [f.rule for f in run(check_readability, page)] == ["readability-hard"]
    assert page.figures["page_kind"] == "advice"


def test_advice_with_a_few_links_and_a_short_list_is_still_advice():
    symptoms = "".join(f"<li>{s}</li>" for s in ("a cough", "a high temperature", "feeling sick"))
    main = (
        f"<h1>Hip pain</h1><p>{HARD * 4}</p><ul>{symptoms}</ul>"
        "<p>Read about <a href='/services/physiotherapy/'>our physiotherapy service</a>.</p>"
    )
    page = html_page("/services/hip-pain/", main)
    assert [f.rule for f in run(check_readability, page)] == ["readability-hard"]
    assert page.figures["page_kind"] == "advice"


# --- pages for professionals ------------------------------------------------------------------


def test_professional_page_has_its_own_threshold():
    page = make_page([CLINICAL] * 6, url=SITE + "/professionals/msk-referrals/")
    assert run(check_readability, page, professional_pages=["/professionals/"]) == []
    assert page.figures["reading_age"] == 17
    assert page.figures["page_kind"] == "professional"


def test_the_same_text_for_patients_is_reported():
    page = make_page([CLINICAL] * 6, url=SITE + "/services/msk/")
    (finding,) = run(check_readability, page, professional_pages=["/professionals/"])
    assert "reading age of 17" in finding.message


def test_very_hard_professional_page_is_reported_in_its_own_words():
    page = make_page([HARD] * 5, url=SITE + "/professionals/msk-referrals/")
    (finding,) = run(check_readability, page, professional_pages=["/professionals/"])
    assert finding.message.startswith("This page for professionals has a reading age ")
    assert "reported from a reading age of 18" in finding.message
    assert "piles" not in finding.suggestion  # advice for patient pages only


def test_professional_threshold_is_a_setting():
    page = make_page([CLINICAL] * 6, url=SITE + "/gp/referrals/")
    config = {"professional_pages": [SITE + "/gp/"], "professional_reading_age": 16}
    (finding,) = run(check_readability, page, **config)
    assert finding.details["threshold"] == 16


# --- settings ---------------------------------------------------------------------------------


def test_settings_load_and_are_checked(tmp_path):
    path = tmp_path / "audit.toml"
    path.write_text(
        "[checks]\nsentence_max_words = 20\nreading_age_finding = 14\n"
        'professional_pages = ["/professionals/", "https://gp.example.nhs.uk/"]\n'
        "professional_reading_age = 19\n",
        encoding="utf-8",
    )
    checks = load(path).checks
    assert (checks.sentence_max_words, checks.reading_age_finding) == (20, 14)
    assert checks.is_professional("https://www.example.nhs.uk/professionals/a/")
    assert checks.is_professional("https://gp.example.nhs.uk/referrals/")
    assert not checks.is_professional("https://www.example.nhs.uk/services/professionals/")


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("reading_age_finding", 10, "at least checks.reading_age_target"),
        ("professional_pages", ["professionals/"], "must be a path starting with /"),
        ("sentence_max_words", 2, "at least 5"),
    ],
)
def test_settings_that_would_mislead_are_refused(setting, value, message):
    with pytest.raises(ConfigError, match=message):
        load(overrides={f"checks.{setting}": value})
