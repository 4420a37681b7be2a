import pytest

from content_audit.checks.outdated import (
    check_dated_notices,
    check_retired_names,
    retired_terms,
)
from tests.test_check_helpers import make_ctx, make_page


def retired(paragraphs, url="https://www.example-trust.nhs.uk/a", **config):
    page = make_page(paragraphs, url=url)
    return list(check_retired_names(page, make_ctx(**config)))


def notices(paragraphs, url="https://www.example-trust.nhs.uk/a"):
    return list(check_dated_notices(make_page(paragraphs, url=url), make_ctx()))  # 24 Nov 2026


# -- retired names ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "shown", "says"),
    [
        ("If you are worried, call NHS Direct on 0845 4647.", "NHS Direct",
         "NHS 111 replaced NHS Direct in 2014"),
        ("Ring 0845 46 47 for advice out of hours.", "0845 46 47", "NHS 111 replaced"),
        ("You can read more about eczema on NHS Choices.", "NHS Choices",
         "now called the NHS website"),
        ("Your GP or the Leeds CCG can fund this treatment.", "CCG",
         "integrated care boards (ICBs) replaced clinical commissioning groups on 1 July 2022"),
        ("The service is paid for by your clinical commissioning group.",
         "clinical commissioning group", "1 July 2022"),
        ("Public Health England recommends 2 doses.", "Public Health England",
         "UK Health Security Agency (UKHSA)"),
        ("Follow the PHE advice on hand washing.", "PHE", "closed in 2021"),
        ("Use the eatwell plate to plan your meals.", "eatwell plate",
         "the Eatwell Guide replaced the eatwell plate in 2016"),
        ("You can refer yourself to your local IAPT service.", "IAPT",
         "renamed NHS Talking Therapies in 2023"),
        ("Improving Access to Psychological Therapies offers counselling.",
         "Improving Access to Psychological Therapies", "NHS Talking Therapies"),
    ],
)  # fmt: skip
def test_retired_names_are_reported_with_what_replaced_them(sentence, shown, says):
    (f,) = retired(["Some advice first.", sentence])
    assert (f.rule, f.severity, f.text) == ("content-outdated", "warning", shown)
    assert f.message.startswith(f"‘{shown}’ is out of date: ")
    assert says in f.message
    assert f.suggestion
    assert f.context == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "NHS Direct was replaced by NHS 111 in 2014.",
        "In 2014, NHS 111 took the place of NHS Direct.",
        "NHS Talking Therapies (formerly IAPT) can help with anxiety.",
        "Integrated care boards took over from CCGs in July 2022.",
        "UKHSA and OHID now do the work of Public Health England.",
        "The Eatwell Guide, which replaced the eatwell plate, shows a balanced diet.",
        "Our service was previously run by the local clinical commissioning group.",
        "You can pay by direct debit through NHS Direct Payments.",
        "Personal health budgets and NHS direct payments give you choice.",
        "Read the Eatwell Guide for a healthy diet.",
        "NHS Talking Therapies helps with depression.",
        "Find out more on the NHS website.",
        "The ICB funds this service.",
        "You can make NHS choices about your care.",
        "We checked your phenylalanine (Phe) levels.",
        "2004: NHS Direct opened a call centre in the hospital grounds.",
        "Public Health England (2018). Guidance on oral health for adults.",
        "In 2019 the CCG funded our new community clinic.",
    ],
)
def test_history_and_current_names_are_not_reported(sentence):
    assert retired([sentence]) == []


def test_a_year_after_the_name_was_retired_is_not_history():
    (f,) = retired(["In 2025, ask the CCG to fund your treatment."])
    assert f.text == "CCG"


def test_one_finding_per_name_per_page_with_a_count():
    (f,) = retired(["Call NHS Direct today.", "NHS Direct is open all day."])
    assert f.details["count"] == 2
    assert f.details["replaced_by"] == "NHS 111" and f.details["since"] == "2014"


def test_headings_count():
    page = make_page(["Some advice."], heading="Contact NHS Direct")
    (f,) = check_retired_names(page, make_ctx())
    assert f.text == "NHS Direct"


def test_news_pages_speak_of_their_own_time():
    url = "https://www.example-trust.nhs.uk/news/2013-new-service"
    assert retired(["Call NHS Direct today."], url=url) == []
    assert notices(["The clinic will be closed on 3 May 2021."], url=url) == []


def test_a_site_adds_and_removes_names():
    config = {"outdated_terms": {"Choose and Book": "the NHS e-Referral Service", "CCG": ""}}
    found = retired(["Your GP books it with Choose and Book.", "Ask the CCG."], **config)
    (f,) = found
    assert f.text == "Choose and Book"
    assert f.message == (
        "‘Choose and Book’ is out of date: it has been replaced by the NHS e-Referral Service."
    )
    assert f.suggestion == (
        "Use ‘the NHS e-Referral Service’ instead, and check the advice around it."
    )
    # the replacement named in the same sentence is history
    history = "Choose and Book became the NHS e-Referral Service."
    assert retired([history], **config) == []
    # the project's list is unchanged for other sites
    assert any(t.name.startswith("clinical commissioning") for t in retired_terms())


# -- dated notices ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "when"),
    [
        ("The clinic is closed from 1 to 28 February 2022.", "28 February 2022"),
        ("The clinic will be closed on 24 December 2025.", "24 December 2025"),
        ("Our drop-in is suspended until 3 March 2021.", "3 March 2021"),
        ("The unit will reopen on 14/06/2020 in the new building.", "14 June 2020"),
        ("Clinics are temporarily held at St Mary's until March 2024.", "31 March 2024"),
        # told as a notice, not as history
        ("Ward 3 closed until 3 March 2025 for repairs.", "3 March 2025"),
        (
            "The clinic has been closed since 4 May 2025 and will reopen on 1 June 2025.",
            "1 June 2025",
        ),
        ("Podiatry clinics closed on 24 December 2025.", "24 December 2025"),
    ],
)
def test_notice_whose_date_has_passed(sentence, when):
    (f,) = notices(["Some advice.", sentence])
    assert f.rule == "content-outdated"
    assert f.message == (
        f"This notice gives a date that has passed ({when}), so it is probably no longer true."
    )
    assert f.suggestion == "Remove the notice, or update it if it still applies."
    assert f.details["kind"] == "dated-notice"


@pytest.mark.parametrize(
    "sentence",
    [
        "The clinic will be closed on 24 December 2026.",  # still to come (today: 24 Nov 2026)
        "The clinic is closed from 1 to 28 February 2027.",
        "The clinic is closed on bank holidays.",  # no date
        "We are closed on 25 December.",  # no year: every year
        "We moved to the new building on 3 May 2021.",  # not a notice
        "Page last reviewed: 3 May 2021",
        "The NICE guideline was published in March 2019.",
        "Referrals are closed for people born before 1 January 1950.",
        "Since 1 April 2015, temporary residents can register with any GP practice.",
        # history, not notices: an event that closed, a closure told in the past tense
        "Applications closed on 5 January 2026.",
        "Registration for the study closed on 30 June 2025 and results follow next year.",
        "Our consultation on the new stroke unit closed on 12 March 2024.",
        "The ward was temporarily closed in March 2024 after a flood.",
        "The old unit was closed on 1 April 2023 when the new hospital opened.",
    ],
)
def test_notices_still_to_come_and_other_dates_are_fine(sentence):
    assert notices([sentence]) == []


@pytest.mark.parametrize(
    ("sentence", "says"),
    [
        (
            "From 23 March 2020, because of coronavirus, visitors must not come to the ward.",
            "COVID-19 arrangements dated March 2020",
        ),
        (
            "If you have COVID-19 symptoms you must self-isolate for 10 days.",
            "a COVID-19 arrangement (‘self-isolate for 10 days’)",
        ),
        ("If you are shielding, we will phone you instead.", "‘If you are shielding’"),
        (
            "Please follow the social distancing rules when you come to the clinic.",
            "‘social distancing rules’",
        ),
        ("For advice, call the coronavirus helpline.", "‘coronavirus helpline’"),
        ("Use the 111 online coronavirus service first.", "‘111 online coronavirus service’"),
    ],
)
def test_covid_arrangements_of_2020_to_2022(sentence, says):
    (f,) = notices([sentence])
    assert f.rule == "content-outdated"
    assert says in f.message
    assert "have ended" in f.message
    assert f.details["kind"] == "covid"


@pytest.mark.parametrize(
    "sentence",
    [
        "Since the COVID-19 pandemic began in March 2020, we have offered video appointments.",
        "During the lockdown in April 2020 we had to close the clinic.",
        "You can have a COVID-19 vaccine if you are 75 or over.",
        "Long COVID can cause tiredness for many months.",
        "Shielding your eyes from the sun helps after surgery.",
        "Call the long COVID helpline if your symptoms are getting worse.",
        "Our 2021 report on the pandemic is online.",
    ],
)
def test_covid_mentions_that_are_not_stale_rules(sentence):
    assert notices([sentence]) == []


# -- header, footer and banners --------------------------------------------------------------
def site_run(pages):
    from content_audit.checks.outdated import OutdatedCheck

    check = OutdatedCheck(make_ctx())
    for page in pages:
        check.observe(page)
    return list(check.finish())


def test_stale_banner_on_every_page_is_reported_once_for_the_site():
    banner = "Home\nServices\nOur phone lines will be closed on 2 May 2022 for maintenance."
    pages = [
        make_page(["Advice."], url=f"https://www.example-trust.nhs.uk/{i}", boilerplate_text=banner)
        for i in range(6)
    ]
    (f,) = site_run(pages)
    assert (f.rule, f.url) == ("content-outdated", "https://www.example-trust.nhs.uk/0")
    assert f.message == (
        "This notice gives a date that has passed (2 May 2022), so it is probably no longer "
        "true. It shows on 6 of 6 pages (in the header, footer, menus or a banner): fix it "
        "once in the template."
    )
    assert f.details["pages"] == 6 and f.details["where"] == "boilerplate"


def test_retired_name_in_one_pages_footer():
    pages = [
        make_page(["Advice."], url=f"https://www.example-trust.nhs.uk/{i}", boilerplate_text="Home")
        for i in range(6)
    ]
    pages[2].boilerplate_text = "Useful links\nNHS Choices\nContact us"
    (f,) = site_run(pages)
    assert (f.url, f.text) == ("https://www.example-trust.nhs.uk/2", "NHS Choices")
    assert f.message == (
        "‘NHS Choices’ is out of date: NHS Choices is now called the NHS website "
        "(www.nhs.uk). It is in the header, footer, menus or a banner."
    )


def test_boilerplate_without_stale_text_is_quiet():
    text = "Home\nNHS 111: call 111 for urgent advice\nWe will be closed on 25 December 2026."
    pages = [
        make_page(["Advice."], url=f"https://www.example-trust.nhs.uk/{i}", boilerplate_text=text)
        for i in range(3)
    ]
    assert site_run(pages) == []
