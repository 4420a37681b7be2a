"""Spelling, further (issue 21): run-together words, eponyms without their apostrophe,
American medical spellings by family, and "specialty" as British NHS usage.

Every text here is written for these tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from content_audit.checks import spelling
from content_audit.checks.engine import lexicon as lexicon_module
from content_audit.checks.engine.registry import CheckContext
from content_audit.checks.spelling import SpellingCheck, find_misspellings, run_together
from content_audit.core.config import ChecksConfig
from content_audit.core.model import Page, Section

CORPUS = Path(__file__).parent / "corpus" / "spelling"

pytestmark = pytest.mark.usefixtures("dictionaries")


@pytest.fixture(scope="module")
def dictionaries() -> None:
    assert lexicon_module.lexicon().available, "hunspell dictionaries missing: run scripts/setup.sh"


def hits(text: str) -> list[tuple[str, str, str]]:
    return [(m.word, m.suggestion, m.kind) for m in find_misspellings(text)]


# --- run-together words ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We will talk about specificaspects of your care.", "specific aspects"),
        ("Bring your appointmentletter with you.", "appointment letter"),
        ("We can helpyou with this.", "help you"),
        ("Read the rest ofthe leaflet.", "of the"),
        ("Call theclinic before you come.", "the clinic"),
        ("Some importantinformation about your stay.", "important information"),
    ],
)
def test_run_together_words_are_split(text, expected):
    ((_word, suggestion, kind),) = hits(text)
    assert (suggestion, kind) == (expected, "typo")


@pytest.mark.parametrize(
    "text",
    [
        "Ask about onboarding for new volunteers.",  # a compound, not "on boarding"
        "Join our webchat or use selfcare tools.",
        "Antisickness medicine can help.",
        "Our nonurgent line is quieter in the afternoon.",
        "A walkthrough video shows the ward.",
        "Read about neurodiverse children.",
        "Spondyloarthropathy is a group of joint conditions.",
        "Our footcare team and keyworker service can help.",
        "Book a homevisit or videocall.",
        "Kooth and Healthwatch can help.",  # names are never split
        "Specificaspects",  # a capitalised word on its own: a name or a heading
    ],
)
def test_compounds_medical_words_and_names_are_not_split(text):
    assert [h for h in hits(text) if " " in h[1]] == []


def test_run_together_needs_common_words():
    assert run_together("specificaspects") == "specific aspects"
    assert run_together("specificaspect") == "specific aspect"
    assert run_together("stylesheet") is None  # short content words make compounds
    assert run_together("fileno") is None
    assert run_together("sizeof") == "size of"  # code, which advice pages do not contain


def test_run_together_message_says_so():
    url = "https://t/page"
    page = Page(
        url=url,
        final_url=url,
        status=200,
        sections=[Section(heading="Advice", level=1, paragraphs=["Ask about specificaspects."])],
        main_text="Advice\nAsk about specificaspects.",
    )
    check = SpellingCheck(CheckContext(config=ChecksConfig(), today=date(2026, 1, 1)))
    check.observe(page)
    (finding,) = list(check.finish())
    assert finding.rule == "typo"
    assert finding.suggestion == "specific aspects"
    assert finding.message == (
        "'specificaspects' looks like two words run together: write 'specific aspects'."
    )


# --- eponyms without their apostrophe ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Support for people with Parkinsons and their carers.", ("Parkinsons", "Parkinson's")),
        ("Memory clinics help with Alzheimers disease.", ("Alzheimers", "Alzheimer's")),
        ("Living with Crohns disease can be hard.", ("Crohns", "Crohn's")),
        ("Treatment for Hodgkins disease has improved.", ("Hodgkins", "Hodgkin's")),
        ("He was told he has Hodgkins lymphoma.", ("Hodgkins", "Hodgkin")),
        ("Children with Downs syndrome may need extra support.", ("Downs", "Down's")),
        ("Facial weakness from Bells palsy usually improves.", ("Bells", "Bell's")),
        ("Advice about parkinsons for carers.", ("parkinsons", "Parkinson's")),
        ("Parkinsons can affect your sleep.", ("Parkinsons", "Parkinson's")),
        ("Read about Parkinsons' disease.", ("Parkinsons", "Parkinson's")),
    ],
)
def test_eponyms_without_their_apostrophe(text, expected):
    assert [(w, s) for w, s, _k in hits(text)] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Support for people with Parkinson's and their carers.",
        "Memory clinics help with Alzheimer’s disease.",
        "Children with Down's syndrome may need extra support.",
        "We walked on the Downs last summer.",
        "The church bells ring at midday.",
        "Ups and downs are normal after an operation.",
        "Hodgkin lymphoma is a rare cancer.",
    ],
)
def test_eponym_false_alarms(text):
    assert hits(text) == []


def test_eponym_message_names_the_apostrophe():
    assert spelling.typo_message("Parkinsons", "Parkinson's") == (
        "'Parkinsons' is missing its apostrophe: write 'Parkinson's'."
    )


# --- American medical spellings --------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "british"),
    [
        ("hemarthrosis", "haemarthrosis"),
        ("hemorrhage", "haemorrhage"),
        ("edema", "oedema"),
        ("pediatric", "paediatric"),
        ("orthopedic", "orthopaedic"),
        ("anemia", "anaemia"),
        ("esophagus", "oesophagus"),
        ("diarrhea", "diarrhoea"),
        ("estrogen", "oestrogen"),
        ("hematology", "haematology"),
        ("leukemia", "leukaemia"),
        ("gynecology", "gynaecology"),
        ("esophagitis", "oesophagitis"),
        ("hemarthroses", "haemarthroses"),
    ],
)
def test_american_medical_spellings(word, british):
    assert hits(f"Swelling and {word} can follow an injury.") == [(word, british, "american")]


@pytest.mark.parametrize(
    "text",
    [
        "We run specialty clinics across 12 surgical specialties.",
        "Ask to see a specialty doctor.",
        "Her speciality is paediatric haematology.",
        "Sew up the hem of the gown.",
        "Academia and academic research inform our care.",
        "Systemic and epidemic illness are different.",
        "We use hemp rope in the garden.",
        "Bohemia is a region, and Jeremias is a name.",  # capitalised in the dictionaries
    ],
)
def test_british_and_non_medical_words_are_not_american(text):
    assert hits(text) == []


def test_family_rule_leaves_brand_names_and_short_words_alone():
    assert spelling.british_medical("hemabate") is None
    assert spelling.british_medical("hem") is None


# --- precision on the well-edited corpus ---------------------------------------------------


def test_no_new_findings_on_the_well_edited_corpus():
    """Every word flagged in the corpus is one of its planted misspellings."""
    planted = set()
    for line in (CORPUS / "labels.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, word, _correction, _kind = line.split("\t")
            planted.add((name, word.lower()))
    extra = [
        (path.name, hit.word, hit.suggestion)
        for path in sorted(CORPUS.glob("*.txt"))
        for hit in find_misspellings(path.read_text(encoding="utf-8"))
        if (path.name, hit.word.lower()) not in planted
    ]
    assert extra == []
