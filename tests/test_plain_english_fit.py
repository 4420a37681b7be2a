"""Plain-English suggestions must read correctly in the sentence they replace a word in.

Each case is a sentence and the sentence with every suggestion put in its place: the
rewrite must be correct English ("to ensure progress" is "to make sure of progress", never
"to make sure progress"). A sentence where no plain word fits stays as it is (no finding).
Every verb on the list has at least one case, so a new verb comes with its sentences.
"""

from __future__ import annotations

import re
import tomllib

import pytest

from content_audit.checks.plain_english import (
    DATA_DIR,
    check_plain_english,
    inflect,
    plain_english_list,
    plain_english_matches,
)
from tests.test_check_helpers import make_ctx, make_page

CASES = [
    # verbs whose alternatives take the same words after them
    ("We utilise exercise to help you recover.", "We use exercise to help you recover."),
    ("Treatment will commence on Monday.", "Treatment will start on Monday."),
    ("This facilitates recovery.", "This helps recovery."),
    ("We will initiate treatment.", "We will start treatment."),
    ("Staff will assist you with dressing.", "Staff will help you with dressing."),
    ("You can obtain a prescription.", "You can get a prescription."),
    ("Most people require 2 sessions.", "Most people need 2 sessions."),
    ("We will ascertain the cause.", "We will find out the cause."),
    ("We endeavour to reply within 5 days.", "We try to reply within 5 days."),
    ("Please notify us if you move.", "Please tell us if you move."),
    ("The tenancy was terminated.", "The tenancy was ended."),
    ("Cease taking the tablets if you feel dizzy.", "Stop taking the tablets if you feel dizzy."),
    ("Discontinue the cream after a week.", "Stop the cream after a week."),
    ("A nurse will administer the injection.", "A nurse will give the injection."),
    ("Patients should ambulate early.", "Patients should walk early."),
    ("You can mobilise with a frame.", "You can move about with a frame."),
    ("We deploy staff where needed.", "We use staff where needed."),
    ("We leverage digital tools.", "We use digital tools."),
    ("We have streamlined referrals.", "We have simplified referrals."),
    ("We want to tackle health inequalities.", "We want to deal with health inequalities."),
    ("We empower patients to manage.", "We help patients to manage."),
    ("We incentivise staff to walk.", "We encourage staff to walk."),
    ("Charges disincentivise missed visits.", "Charges discourage missed visits."),
    ("We can expedite your referral.", "We can speed up your referral."),
    ("Exercise can enhance your mood.", "Exercise can improve your mood."),
    ("You must reside in Northdale.", "You must live in Northdale."),
    ("The video will demonstrate the exercises.", "The video will show the exercises."),
    ("Some people acquire it in hospital.", "Some people get it in hospital."),
    ("It can be hard to comprehend.", "It can be hard to understand."),
    ("We will optimise your medicines.", "We will improve your medicines."),
    ("The trust will procure new beds.", "The trust will get new beds."),
    ("Exercise can ameliorate the symptoms.", "Exercise can improve the symptoms."),
    ("Heat can alleviate the pain.", "Heat can ease the pain."),
    ("A fracture may necessitate surgery.", "A fracture may need surgery."),
    ("The doctor will elucidate the risks.", "The doctor will explain the risks."),
    ("Tell us what transpired.", "Tell us what happened."),
    ("Please inform your GP.", "Please tell your GP."),
    ("You will be informed of the result.", "You will be told of the result."),
    # ensure: "make sure" before a clause, "make sure of" before an object
    ("We aim to ensure progress.", "We aim to make sure of progress."),
    ("We ensure it.", "We make sure of it."),
    ("We ensured the safety of every patient.", "We made sure of the safety of every patient."),
    ("We are ensuring continuity of care.", "We are making sure of continuity of care."),
    ("Please ensure that you bring your letter.", "Please make sure that you bring your letter."),
    ("Ensure you drink plenty of water.", "Make sure you drink plenty of water."),
    ("We ensure the room is warm.", "We make sure the room is warm."),
    ("Ensure everyone gets a copy.", "Make sure everyone gets a copy."),
    (
        "We ensure all patients are seen within 18 weeks.",
        "We make sure all patients are seen within 18 weeks.",
    ),
    ("This is to ensure patient safety.", "This is to make sure of patient safety."),
    ("We ensure timely access to services.", "We make sure of timely access to services."),
    ("We ensure staff receive training.", "We make sure staff receive training."),
    ("We ensure high quality care.", "We make sure of high quality care."),
    ("We ensure services meet local needs.", "We make sure services meet local needs."),
    ("Ensure your child takes the medicine.", "Make sure your child takes the medicine."),
    ("We ensure early diagnosis.", "We make sure of early diagnosis."),
    # ensure where a plural noun and a verb look alike: no finding rather than a wrong one
    ("We ensure results match.", "We ensure results match."),
    ("We ensure this works.", "We ensure this works."),
    ("Please ensure this happens.", "Please make sure this happens."),
    ("We ensure the best outcomes for you.", "We ensure the best outcomes for you."),
    # mobilise with an object: move
    ("Gently mobilise your shoulder.", "Gently move your shoulder."),
    # "with", "that", "by" after the verb
    ("We collaborate with local charities.", "We work with local charities."),
    ("Teams collaborate closely.", "Teams work together closely."),
    ("We will liaise with your GP.", "We will work with your GP."),
    ("The teams liaise every day.", "The teams work together every day."),
    ("It transpired that the letter was lost.", "It turned out that the letter was lost."),
    ("The group is facilitated by a nurse.", "The group is led by a nurse."),
    ("A nurse facilitates the weekly group.", "A nurse runs the weekly group."),
    # forms that are adjectives or nouns here
    ("We will keep you informed.", "We will keep you up to date."),
    ("Patients are well informed.", "Patients are well informed."),
    ("This will inform decisions about care.", "This will inform decisions about care."),
    ("Despite our endeavours, it closed.", "Despite our endeavours, it closed."),
    ("You should feel empowered to ask.", "You should feel empowered to ask."),
    ("The service ceased to exist in 2014.", "The service ceased to exist in 2014."),
    # words that fit only in some places
    ("Adjust your dose accordingly.", "Adjust your dose accordingly."),
    ("Accordingly, we changed the times.", "So, we changed the times."),
    ("It is nevertheless important to rest.", "It is still important to rest."),
    ("Nevertheless, keep taking it.", "Even so, keep taking it."),
    ("Keep moving forward slowly.", "Keep moving forward slowly."),
    ("Going forward, clinics open at 8am.", "From now on, clinics open at 8am."),
    ("This is our plan going forward.", "This is our plan from now on."),
    (
        "You may have pain in the region of your hip.",
        "You may have pain in the region of your hip.",
    ),
    ("It costs in the region of £50.", "It costs about £50."),
    ("We run a smoking cessation clinic.", "We run a stopping smoking clinic."),
    ("We work in collaboration with GPs.", "We work together with GPs."),
    ("This is for the purpose of assessing you.", "This is for assessing you."),
    ("There is an insufficient supply.", "There is an insufficient supply."),
    # words and phrases
    ("We need additional staff.", "We need extra staff."),
    ("Write to us regarding your care.", "Write to us about your care."),
    ("Do not eat prior to your scan.", "Do not eat before your scan."),
    ("Rest in order to recover.", "Rest to recover."),
    ("Call us upon arrival.", "Call us on arrival."),
    ("Drink water whilst you exercise.", "Drink water while you exercise."),
    ("Take painkillers, e.g. paracetamol.", "Take painkillers, for example paracetamol."),
    ("It takes approximately 2 weeks.", "It takes about 2 weeks."),
    ("Most individuals recover.", "Most people recover."),
    ("We are able to help.", "We can help."),
    (
        "You will have a check every year thereafter.",
        "You will have a check every year after that.",
    ),
    ("Ask whether or not you need a test.", "Ask whether you need a test."),
]


def rewrite(sentence: str, professional: bool = False) -> str:
    """The sentence with every suggestion put in place of the word it replaces."""
    out, last = [], 0
    for start, end, use in plain_english_matches(sentence, plain_english_list(), professional):
        out.append(sentence[last:start] + use)
        last = end
    return "".join(out) + sentence[last:]


@pytest.mark.parametrize(("sentence", "expected"), CASES)
def test_suggestion_reads_correctly_in_the_sentence(sentence, expected):
    assert rewrite(sentence) == expected


def test_every_verb_on_the_list_has_a_case():
    with (DATA_DIR / "plain_english.toml").open("rb") as handle:
        verbs = tomllib.load(handle)["verbs"]
    text = " ".join(sentence.lower() for sentence, _ in CASES)
    missing = [
        verb
        for verb in verbs
        if not any(
            re.search(rf"\b{re.escape(inflect(verb, f) if f else verb)}\b", text)
            for f in ("", "s", "ed", "ing")
        )
    ]
    assert missing == []


# --- pages for professionals ------------------------------------------------------------------

CLINICAL = "Refer patients with visible haematuria or dysphagia. We utilise a triage tool."
PROFESSIONALS = "https://www.example-trust.nhs.uk/professionals/urology/"
PATIENTS = "https://www.example-trust.nhs.uk/services/urology/"


def suggestions(url: str, **config) -> dict[str, str]:
    page = make_page([CLINICAL], url=url)
    return {f.text: f.suggestion for f in check_plain_english(page, make_ctx(**config))}


def test_clinical_terms_are_not_flagged_on_pages_for_professionals():
    found = suggestions(PROFESSIONALS, professional_pages=["/professionals/"])
    assert found == {"utilise": "use"}  # plain English still applies to other words
    assert "blood in your pee" not in found.values()


def test_clinical_terms_are_flagged_on_pages_for_patients():
    found = suggestions(PATIENTS, professional_pages=["/professionals/"])
    assert found["haematuria"] == "blood in your pee"
    assert found["dysphagia"] == "difficulty swallowing"


def test_a_site_can_still_add_a_word_for_professional_pages():
    found = suggestions(
        PROFESSIONALS, professional_pages=["/professionals/"], plain_english={"triage": "sort"}
    )
    assert found["triage"] == "sort"


def test_one_finding_per_word_and_rewrite_on_a_page():
    """The page-level finding shows one suggestion: two uses that need different words are
    two findings, and repeats of one rewrite are counted on one."""
    page = make_page(
        ["Exercise helps to ensure progress.", "Please ensure that you bring your letter."],
        list_items=["ensure progress is recorded at each visit"],
    )
    found = sorted(
        (f.text, f.suggestion, f.details["count"]) for f in check_plain_english(page, make_ctx())
    )
    assert found == [("ensure", "make sure", 2), ("ensure", "make sure of", 1)]
