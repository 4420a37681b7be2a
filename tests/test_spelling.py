"""Typo and American-spelling checks: false alarms, skipping rules, site words, the corpus."""

from __future__ import annotations

import logging
import os
import time
from datetime import date
from pathlib import Path

import pytest

from content_audit.checks import spelling
from content_audit.checks.engine import lexicon as lexicon_module
from content_audit.checks.engine.registry import RULES, SITE_CHECKS, CheckContext
from content_audit.checks.spelling import SpellingCheck, find_misspellings
from content_audit.core.config import ChecksConfig, Config
from content_audit.core.model import Page, Section

CORPUS = Path(__file__).parent / "corpus" / "spelling"

# scripts/setup.sh installs the dictionaries, so their absence is a failure, not a skip:
# a skipped spelling suite would let CI pass without checking spelling at all.
needs_dictionaries = pytest.mark.usefixtures("dictionaries")


@pytest.fixture(scope="session")
def dictionaries() -> None:
    assert lexicon_module.lexicon().available, (
        "hunspell dictionaries missing: apt-get install hunspell-en-gb hunspell-en-med "
        "hunspell-en-us (bash scripts/setup.sh does this)"
    )


def typos(text: str, extra: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    return [(m.word, m.suggestion) for m in find_misspellings(text, extra) if m.kind == "typo"]


def americans(text: str) -> list[tuple[str, str]]:
    return [(m.word, m.suggestion) for m in find_misspellings(text) if m.kind == "american"]


def page(url: str, *paragraphs: str, heading: str = "Advice") -> Page:
    return Page(
        url=url,
        final_url=url,
        status=200,
        sections=[Section(heading=heading, level=1, paragraphs=list(paragraphs))],
        main_text="\n".join([heading, *paragraphs]),
    )


def context(site_dictionary: str = "", base_dir: str = ".") -> CheckContext:
    config = Config(base_dir=base_dir)
    config.checks.site_dictionary = site_dictionary
    return CheckContext(config=config.checks, today=date(2026, 1, 1), full_config=config)


def run_site(pages: list[Page], ctx: CheckContext | None = None):
    check = SpellingCheck(ctx or CheckContext(config=ChecksConfig(), today=date(2026, 1, 1)))
    for p in pages:
        check.observe(p)
    return list(check.finish())


def test_rules_are_registered() -> None:
    from content_audit.checks import FAMILIES

    assert "spelling" in FAMILIES
    assert RULES["typo"].severity == "warning"
    assert RULES["spelling-american"].severity == "notice"
    assert SpellingCheck in SITE_CHECKS


# --- no false alarms ------------------------------------------------------------------


@needs_dictionaries
@pytest.mark.parametrize(
    "text",
    [
        "Our paediatric physiotherapy team helps with sciatica and orthopaedic problems.",
        "Contact MindMate, go to A&E or call NHS 111. Your GP can refer you.",
        "The organisation's programme helps you practise your exercises.",
        "You need a licence. Haemoglobin, oesophagus, anaesthetic, behaviour, colour, centre.",
        "Haemorrhoids and diarrhoea are common. Dyspraxia and dyslexia are not illnesses.",
        "Take ibuprofen, naproxen or co-codamol; amitriptyline and gabapentin help nerve pain.",
        "Metformin, salbutamol, beclometasone, sertraline and apixaban are common medicines.",
        "Don't worry: it's fine, we're here and you'll be seen. The patient’s notes are ready.",
        "Ask for a self-referral to the musculoskeletal service for your wellbeing.",
        "Leeds Teaching Hospitals runs Pinderfields and Chapel Allerton clinics.",
        "Diarrhoea: stay off work for 2 days (48 hours) after the last episode.",
    ],
)
def test_no_false_alarms(text: str) -> None:
    assert find_misspellings(text) == []


@needs_dictionaries
@pytest.mark.parametrize(
    "text",
    [
        "Call 0113 243 3144 or 07700 900123, or text 85258.",
        "Write to us at Great George Street, Leeds LS1 4AP or BD9 6RJ.",
        "Visit https://www.leedsth.nhs.uk/a-z/phsyio or www.nhs.uk/condtions for more.",
        "Email leedsth-tr.physoi@nhs.net or enquries@example.org today.",
        "The NSAIDS and COPD and GPs and BSL and CAMHS services are listed.",
        "See the MSK team, the eConsult form and the PatientKnowsBest app.",
        "Take 500mg twice a day, 2x daily, for 7-10 days, e.g. after meals, i.e. with food.",
        "Chapter iv, section xii.",
    ],
)
def test_skipped_tokens(text: str) -> None:
    assert typos(text) == []


# --- typos ----------------------------------------------------------------------------


@needs_dictionaries
def test_typo_with_suggestion_and_sentence() -> None:
    found = find_misspellings("Please arrive early. You may recieve a letter about it.")
    assert len(found) == 1
    hit = found[0]
    assert (hit.word, hit.suggestion, hit.kind) == ("recieve", "receive", "typo")
    assert hit.sentence == "You may recieve a letter about it."
    assert hit.common


@needs_dictionaries
def test_single_edit_typo_not_in_codespell() -> None:
    assert typos("Tell the nurse about your medecine.") == [("medecine", "medicine")]


@needs_dictionaries
def test_sentence_initial_word_is_checked_but_proper_nouns_are_not() -> None:
    assert typos("Occassionally it hurts.") == [("Occassionally", "Occasionally")]
    assert typos("Ask Dr Occassionally about it.") == []


@needs_dictionaries
def test_title_case_headings_are_checked_for_clear_typos_only() -> None:
    assert typos("Our Physiotheraphy Services") == [("Physiotheraphy", "Physiotherapy")]
    assert typos("Senior Peadiatric Physiotherapist") == [("Peadiatric", "Paediatric")]
    # Names in Title Case stay alone, and so do capitalised words in ordinary sentences.
    assert typos("Mr Hollis and Dr Sharpe") == []
    assert typos("Welcome to Seacroft Hospital and Kooth Online") == []
    assert typos("Ask the Peadiatric team.") == []


@needs_dictionaries
def test_capitalised_phrases_inside_sentences() -> None:
    # A job title or department made of ordinary words is checked for clear typos...
    assert typos("See our Senior Peadiatric Physiotherapist today.") == [
        ("Peadiatric", "Paediatric")
    ]
    assert typos("Visit the Orthopeadic Department.") == [("Orthopeadic", "Orthopaedic")]
    # ...and so is a known common misspelling...
    assert typos("Call the Accomodation office.") == [("Accomodation", "Accommodation")]
    # ...but names are not.
    assert typos("Ask Jane Marchant, Dr Marchant or Sister Marchant.") == []
    assert typos("Ask Dr Occassionally about it.") == []


@needs_dictionaries
def test_abbreviations_do_not_start_sentences() -> None:
    assert spelling.sentences("See Dr. Sharpe today. Then e.g. rest.\nNext.") == [
        "See Dr. Sharpe today.",
        "Then e.g. rest.",
        "Next.",
    ]
    assert typos("See Dr. Sharpe or Mr. Hollis today.") == []


@needs_dictionaries
def test_a_name_used_mid_sentence_is_a_name_at_the_start_too() -> None:
    assert typos("Sharpe ward is on level 2. Visit Sharpe ward today.") == []


@needs_dictionaries
def test_dashes_split_words() -> None:
    assert typos("Drink water—the medecine helps—every day.") == [("medecine", "medicine")]


@needs_dictionaries
def test_hyphenated_parts_and_possessives() -> None:
    assert typos("Fill in the self-refferal form.") == [("refferal", "referral")]
    assert typos("The goverment's advice.") == [("goverment's", "government's")]
    assert typos("Dont worry.") == [("Dont", "Don't")]


@needs_dictionaries
def test_suggestions_are_british() -> None:
    # codespell corrects "bahavior" to "behavior"; a British site wants "behaviour".
    assert typos("Bad bahavior.") == [("bahavior", "behaviour")]
    assert typos("The organiztion.") == [("organiztion", "organisation")]
    # A typo of an American spelling gets the British word.
    assert typos("Severe diarrea and an orthapedic clinic.") == [
        ("diarrea", "diarrhoea"),
        ("orthapedic", "orthopaedic"),
    ]


@needs_dictionaries
def test_unknown_word_without_close_correction_is_not_reported() -> None:
    assert typos("Use the zqxjvbr tool and the tirzepatide pen.") == []


@needs_dictionaries
def test_extra_words() -> None:
    assert typos("See the physiio team.") == [("physiio", "physio")]
    assert typos("See the physiio team.", frozenset({"Physiio"})) == []


# --- American spellings ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The color of the rash.", [("color", "colour")]),
        ("Visit the health center.", [("center", "centre")]),
        ("Pediatric clinics are on level 2.", [("Pediatric", "Paediatric")]),
        ("An anesthetic numbs the area.", [("anesthetic", "anaesthetic")]),
        ("The esophagus carries food.", [("esophagus", "oesophagus")]),
        ("Changes in behavior are common.", [("behavior", "behaviour")]),
        ("The organization's leaflet.", [("organization's", "organisation's")]),
        ("Colors and tumors.", [("Colors", "Colours"), ("tumors", "tumours")]),
    ],
)
def test_american_spellings(text: str, expected: list[tuple[str, str]]) -> None:
    assert americans(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Install the program. We license premises.",  # also British
        "A licensed practice. Take a practice test. The meter reading. A gray area.",
        "The fetus grows. A judgment call. Check the tire pressure.",
        "The American Academy of Pediatrics and the Center for Disease Control.",  # names
    ],
)
def test_no_american_false_alarms(text: str) -> None:
    assert americans(text) == []


@needs_dictionaries
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You need a driving license.", [("license", "licence", "american")]),
        ("Bring your licenses.", [("licenses", "licences", "american")]),
        ("You should practice these exercises.", [("practice", "practise", "american")]),
        ("Try to practice mindfulness.", [("practice", "practise", "american")]),
        ("Register with your GP practise.", [("practise", "practice", "typo")]),
        # The British forms, and anything without a clear clue, are left alone.
        ("We license premises. You need a licence. Practise daily.", []),
        ("It is good practice. Can practice nurses prescribe? Go to practice reception.", []),
    ],
)
def test_licence_and_practice(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert [(m.word, m.suggestion, m.kind) for m in find_misspellings(text)] == expected


def test_american_data_is_built_from_packages() -> None:
    pairs = lexicon_module.load_american()
    assert len(pairs) > 1000
    assert pairs["pediatric"] == "paediatric"
    for word in ("program", "license", "practice", "fetus", "meter", "check"):
        assert word not in pairs


# --- the site check -------------------------------------------------------------------


@needs_dictionaries
def test_site_check_findings() -> None:
    pages = [page("https://x/a", "You may recieve a letter. The color is red.")]
    findings = run_site(pages)
    by_rule = {f.rule: f for f in findings}
    typo = by_rule["typo"]
    assert typo.severity == "warning"
    assert (typo.url, typo.text, typo.suggestion) == ("https://x/a", "recieve", "receive")
    assert typo.context == "You may recieve a letter."
    american = by_rule["spelling-american"]
    assert american.severity == "notice"
    assert (american.text, american.suggestion) == ("color", "colour")
    assert american.context == "The color is red."


@needs_dictionaries
def test_one_finding_per_word_per_page() -> None:
    findings = run_site([page("https://x/a", "Take medecine.", "More medecine.")])
    assert len(findings) == 1
    assert findings[0].details["count"] == 2


@needs_dictionaries
def test_site_frequency_suppresses_site_words_but_not_common_misspellings() -> None:
    pages = [
        page(f"https://x/{i}", "Ask the physiio team.", "You may recieve a call.") for i in range(3)
    ]
    pages += [page(f"https://x/other{i}", "Nothing to see.") for i in range(3)]
    findings = run_site(pages)
    words = {f.text for f in findings}
    assert "physiio" not in words  # on 3 of 6 pages: the site's own word
    assert [f.text for f in findings].count("recieve") == 3  # a known misspelling stays
    # On 1 page of 6 it is reported.
    findings = run_site([pages[0], *pages[3:]])
    assert "physiio" in {f.text for f in findings}
    # On a big site, 10 pages are many even when they are under 30% of the pages.
    big = [page(f"https://x/p{i}", "Ask the physiio team.") for i in range(10)]
    big += [page(f"https://x/q{i}", "Nothing to see.") for i in range(40)]
    assert run_site(big) == []
    assert len(run_site(big[1:])) == 9  # 9 of 49 pages: still reported


@needs_dictionaries
def test_site_dictionary(tmp_path: Path) -> None:
    (tmp_path / "words.txt").write_text("# local words\nphysiio\nMedecine\n", encoding="utf-8")
    ctx = context("words.txt", base_dir=str(tmp_path))
    findings = run_site([page("https://x/a", "The physiio gave medecine. Then recieve it.")], ctx)
    assert [f.text for f in findings] == ["recieve"]


WELSH = (
    "Mae'r gwasanaeth hwn ar gael i bawb sy'n byw yn yr ardal. Cysylltwch â ni os oes gennych "
    "unrhyw gwestiynau am eich apwyntiad. Rydym yn croesawu galwadau yn Gymraeg."
)


@needs_dictionaries
def test_paragraphs_and_pages_in_other_languages_are_not_checked() -> None:
    assert find_misspellings(WELSH)  # on its own, Welsh looks like typos...
    mixed = page("https://x/a", "You may recieve a letter.", WELSH)
    assert [f.text for f in run_site([mixed])] == ["recieve"]  # ...but is skipped
    welsh = page("https://x/cy", "You may recieve a letter.")
    welsh.lang = "cy"
    assert run_site([welsh]) == []
    english = page("https://x/en", "You may recieve a letter.")
    english.lang = "en-GB"
    assert len(run_site([english])) == 1


def test_site_dictionary_also_accepts_american_words(tmp_path: Path) -> None:
    (tmp_path / "words.txt").write_text("color\n", encoding="utf-8")
    ctx = context(str(tmp_path / "words.txt"))
    assert run_site([page("https://x/a", "The color and the center.")], ctx)[0].text == "center"


@needs_dictionaries
def test_error_pages_are_ignored() -> None:
    broken = page("https://x/a", "You may recieve a letter.")
    broken.status = 404
    assert run_site([broken]) == []


@needs_dictionaries
def test_main_text_is_used_without_sections() -> None:
    p = Page(url="https://x/a", final_url="https://x/a", status=200, main_text="A medecine.")
    assert [f.text for f in run_site([p])] == ["medecine"]


# --- degrading when dictionaries are missing ------------------------------------------


def test_missing_dictionaries_report_no_typos(tmp_path: Path, caplog, monkeypatch) -> None:
    monkeypatch.setenv("CONTENT_AUDIT_CACHE", str(tmp_path / "empty-cache"))
    saved = lexicon_module._LEXICON
    saved_warned = lexicon_module._WARNED
    try:
        lex = lexicon_module.build_lexicon(dirs=[tmp_path])
        assert not lex.available
        lexicon_module.set_lexicon(None)
        lexicon_module._WARNED = False
        original = lexicon_module.build_lexicon
        lexicon_module.build_lexicon = lambda dirs=(): original(dirs=[tmp_path])  # type: ignore[assignment]
        try:
            with caplog.at_level(logging.WARNING, logger="content_audit.checks.spelling"):
                found = find_misspellings("You may recieve a letter about your medecine.")
                find_misspellings("Another definately wrong word.")
        finally:
            lexicon_module.build_lexicon = original  # type: ignore[assignment]
        assert found == []
        warnings = [r for r in caplog.records if "hunspell dictionaries not found" in r.message]
        assert len(warnings) == 1
        # The American check runs on its own data.
        assert americans("The color.") == [("color", "colour")]
    finally:
        lexicon_module.set_lexicon(saved)
        lexicon_module._WARNED = saved_warned


def test_hunspell_reader_flag_types(tmp_path: Path) -> None:
    (tmp_path / "long.aff").write_text(
        "SET UTF-8\nFLAG long\nSFX Aa Y 1\nSFX Aa 0 s .\nPFX Bb Y 1\nPFX Bb 0 un .\n",
        encoding="utf-8",
    )
    (tmp_path / "long.dic").write_text("2\ncat/AaBb\ndog\n", encoding="utf-8")
    words = lexicon_module.expand_dic(
        tmp_path / "long.dic", lexicon_module.read_affixes(tmp_path / "long.aff")
    )
    assert words == {"cat", "cats", "uncat", "uncats", "dog"}
    (tmp_path / "num.aff").write_text(
        "FLAG num\nAF 1\nAF 10,20\nSFX 10 Y 1\nSFX 10 y ies [^aeiou]y\nSFX 20 N 1\nSFX 20 0 's .\n",
        encoding="utf-8",
    )
    (tmp_path / "num.dic").write_text("1\nbaby/1\n", encoding="utf-8")
    words = lexicon_module.expand_dic(
        tmp_path / "num.dic", lexicon_module.read_affixes(tmp_path / "num.aff")
    )
    assert words == {"baby", "babies", "baby's"}


def test_dictionaries_that_do_not_read_properly_are_not_used(tmp_path: Path) -> None:
    for name in ("en_GB", "en_US"):
        (tmp_path / f"{name}.aff").write_text("SET UTF-8\n", encoding="utf-8")
        (tmp_path / f"{name}.dic").write_text("1\ncolour\n", encoding="utf-8")
    (tmp_path / "en_med_glut.dic").write_text("1\nhaemoglobin\n", encoding="utf-8")
    lex = lexicon_module.build_lexicon(dirs=[tmp_path])
    assert not lex.available
    assert lex.words == set()


# --- the labelled corpus --------------------------------------------------------------


def _labels() -> dict[tuple[str, str, str], str]:
    labels = {}
    for line in (CORPUS / "labels.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, word, correction, kind = line.split("\t")
        labels[(name, word.lower(), kind)] = correction
    return labels


def measure_corpus(through_site_check: bool = False) -> dict[str, float]:
    """Precision and recall on the labelled corpus, per kind.

    With ``through_site_check`` each corpus file is one page (a paragraph per line) run through
    SpellingCheck, so the language guard and site-frequency suppression take part too.
    """
    labels = _labels()
    flagged: dict[tuple[str, str, str], str] = {}
    words = 0
    paths = sorted(CORPUS.glob("*.txt"))
    texts = {path.name: path.read_text(encoding="utf-8") for path in paths}
    words = sum(len(text.split()) for text in texts.values())
    if through_site_check:
        pages = [page(f"https://x/{name}", *text.splitlines()) for name, text in texts.items()]
        for finding in run_site(pages):
            kind = "american" if finding.rule == "spelling-american" else "typo"
            name = finding.url.rsplit("/", 1)[-1]
            flagged[(name, (finding.text or "").lower(), kind)] = finding.suggestion or ""
    else:
        for name, text in texts.items():
            for hit in find_misspellings(text):
                flagged.setdefault((name, hit.word.lower(), hit.kind), hit.suggestion)
    result: dict[str, float] = {"words": words}
    for kind in ("typo", "american"):
        planted = {k for k in labels if k[2] == kind}
        found = {k for k in flagged if k[2] == kind}
        tp = len(planted & found)
        result[f"{kind}_planted"] = len(planted)
        result[f"{kind}_flagged"] = len(found)
        result[f"{kind}_precision"] = tp / len(found) if found else 1.0
        result[f"{kind}_recall"] = tp / len(planted) if planted else 1.0
        right = sum(1 for k in planted & found if flagged[k].lower() == labels[k].lower())
        result[f"{kind}_suggestion_right"] = right / tp if tp else 1.0
    return result


@needs_dictionaries
@pytest.mark.parametrize("through_site_check", [False, True], ids=["function", "site-check"])
def test_corpus_precision_and_recall(capsys, through_site_check: bool) -> None:
    r = measure_corpus(through_site_check)
    with capsys.disabled():
        print(
            f"\nspelling corpus ({'SpellingCheck' if through_site_check else 'find_misspellings'}):"
            f" {int(r['words'])} words; "
            f"typo: {int(r['typo_planted'])} planted, {int(r['typo_flagged'])} flagged, "
            f"precision {r['typo_precision']:.3f}, recall {r['typo_recall']:.3f}, "
            f"right suggestion {r['typo_suggestion_right']:.3f}; "
            f"american: {int(r['american_planted'])} planted, "
            f"precision {r['american_precision']:.3f}, recall {r['american_recall']:.3f}"
        )
    assert r["words"] >= 3000
    assert r["typo_planted"] >= 40
    assert r["typo_precision"] >= 0.95
    assert r["typo_recall"] >= 0.90
    assert r["american_precision"] >= 0.95
    assert r["american_recall"] >= 0.90


@needs_dictionaries
def test_common_medical_misspellings(capsys) -> None:
    pairs = [
        line.split("\t")
        for line in (CORPUS / "medical_misspellings.tsv").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    flagged = right = 0
    for wrong, correction in pairs:
        hits = find_misspellings(f"We said {wrong} today.")
        if hits:
            flagged += 1
            right += hits[0].suggestion == correction
    with capsys.disabled():
        print(
            f"\nspelling: common medical misspellings: {len(pairs)}, "
            f"recall {flagged / len(pairs):.3f}, right suggestion {right / flagged:.3f}"
        )
    assert flagged / len(pairs) >= 0.85
    assert right / flagged >= 0.9


@needs_dictionaries
def test_random_single_edit_typos(capsys) -> None:
    """Recall on made-up typos: one random edit of a known corpus word (seeded)."""
    import random
    import re

    lex = lexicon_module.lexicon()
    words = [
        w
        for path in sorted(CORPUS.glob("*.txt"))
        for w in re.findall(r"\b[a-z]{5,}\b", path.read_text(encoding="utf-8"))
        if w in lex.words
    ]
    rng = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyz"
    tried = flagged = right = 0
    for _ in range(1000):
        word = rng.choice(words)
        i = rng.randrange(len(word) - 1)
        typo = rng.choice(
            [
                word[:i] + word[i + 1 :],
                word[:i] + rng.choice(letters) + word[i:],
                word[:i] + rng.choice(letters) + word[i + 1 :],
                word[:i] + word[i + 1] + word[i] + word[i + 2 :],
            ]
        )
        if typo == word or typo in lex.words:
            continue  # a real word: no spell checker can see it
        tried += 1
        hits = find_misspellings(f"We said {typo} today.")
        if hits:
            flagged += 1
            right += hits[0].suggestion == word
    with capsys.disabled():
        print(
            f"\nspelling: random single-edit typos: {tried}, flagged {flagged / tried:.3f}, "
            f"right suggestion {right / flagged:.3f}"
        )
    assert flagged / tried >= 0.9
    assert right / flagged >= 0.85


@needs_dictionaries
def test_speed_of_a_500_word_page(capsys) -> None:
    text = " ".join((CORPUS / "back-pain.txt").read_text(encoding="utf-8").split()[:500])
    p = page("https://x/a", *text.split(". "))
    check = SpellingCheck(CheckContext(config=ChecksConfig(), today=date(2026, 1, 1)))
    check.observe(p)  # warm-up
    runs = 50
    start = time.perf_counter()
    for _ in range(runs):
        check.observe(p)
    per_page = (time.perf_counter() - start) / runs * 1000
    with capsys.disabled():
        print(f"\nspelling: {per_page:.2f} ms per 500-word page")
    assert per_page < 20  # well under 5 ms on the 2-core machine; generous for slow CI


@needs_dictionaries
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Come to the Northdale Children's Center every Tuesday.", [("Center", "Centre")]),
        ("We went to Center Parcs last year.", []),
        ("The Kennedy Center is large.", []),
        ("Ask Dr Center about it.", []),
    ],
)
def test_american_spelling_in_names_made_of_ordinary_words(text, expected):
    found = [(m.word, m.suggestion) for m in find_misspellings(text) if m.kind == "american"]
    assert found == expected


@needs_dictionaries
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an organisation's own name is written its way; the same word elsewhere is not
        ("Read the World Health Organization advice on hand washing.", []),
        ("The Centers for Disease Control and Prevention publish travel advice.", []),
        ("The World Health Organization says our organization must act.",
         [("organization", "organisation")]),
        ("Read the world health organization advice.", [("organization", "organisation")]),
        ("The Health Organization in Northdale meets monthly.", [("Organization", "Organisation")]),
    ],
)  # fmt: skip
def test_official_names_spelt_the_american_way_are_left_alone(text, expected):
    found = [(m.word, m.suggestion) for m in find_misspellings(text) if m.kind == "american"]
    assert found == expected


@needs_dictionaries
def test_a_name_in_the_site_dictionary_is_accepted_only_whole():
    """A line with spaces in the site dictionary is a name: its words pass inside it, and
    'organization' on its own is still flagged (adding the single word would silence it)."""
    extra = {"northdale health organization"}
    text = "The Northdale Health Organization runs it. Our organization agrees."
    found = [(m.word, m.suggestion) for m in find_misspellings(text, extra) if m.kind == "american"]
    assert found == [("organization", "organisation")]


@needs_dictionaries
def test_lexicon_disk_cache_round_trips(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTENT_AUDIT_CACHE", str(tmp_path))
    # other versions' caches: one from last week goes when a new one is written, one from
    # this morning (another version in use beside this one) stays
    last_week, this_morning = tmp_path / "lexicon-old.pickle", tmp_path / "lexicon-new.pickle"
    for stale, age in ((last_week, 7 * 86400), (this_morning, 3600)):
        stale.write_bytes(b"not a lexicon")
        os.utime(stale, (time.time() - age, time.time() - age))
    built = lexicon_module.cached_lexicon()  # builds and writes the cache
    assert not last_week.exists() and this_morning.exists()
    assert list(tmp_path.glob("lexicon-*.pickle"))
    cached = lexicon_module.cached_lexicon()  # reads it back
    assert cached.words == built.words and cached.american == built.american
    assert cached.available


@needs_dictionaries
def test_a_remembered_block_is_judged_by_each_pages_own_names() -> None:
    """A block's words are judged once and remembered (the same paragraph recurs from page
    to page), but whether a sentence-initial word is a name depends on the whole page: the
    same block counts as a typo on one page and as a name on another, in either order."""
    block = "Medecine is given in clinic."
    alone = page("https://example.nhs.uk/a", block)
    named = page("https://example.nhs.uk/b", block, "Ask for Medecine at reception.")
    for order in ([alone, named], [named, alone], [alone, named, alone]):
        spelling._sentence_verdicts.cache_clear()
        check = SpellingCheck(CheckContext(config=ChecksConfig(), today=date(2026, 1, 1)))
        found = {p.url: [m.word for m, _count in check._candidates(p)] for p in order}
        assert found == {alone.url: ["Medecine"], named.url: []}


@needs_dictionaries
@pytest.mark.parametrize(
    "paragraphs",
    [
        ["The medecine helps. Sharpe ward is on level 2.", "Visit Sharpe ward today."],
        ["Our Childrens Center is open.", "You should practice these exercises daily."],
        ["Colour and color.", "Recieve your appointment letter. Recieve it by post."],
        ["Dr. Hollis and Mr. Sharpe", "Bonjour tout le monde, ceci est une page en français."],
    ],
)
def test_the_site_check_finds_what_find_misspellings_finds(paragraphs: list[str]) -> None:
    """SpellingCheck judges sentences through the remembered _sentence_verdicts; the same words
    in the same page's names give the same misspellings as scan() on tokenised blocks."""
    p = page("https://example.nhs.uk/x", *paragraphs)
    blocks = [spelling.tokenise(text) for text in spelling.page_texts(p)]
    names = spelling.names_in(s for block in blocks for s in block)
    direct: dict[tuple[str, str], tuple[str, str, str, str]] = {}
    for block in blocks:
        for m in spelling.scan(block, frozenset(), names).hits:  # the first of each word
            direct.setdefault((m.kind, m.word.lower()), (m.word, m.suggestion, m.kind, m.sentence))
    check = SpellingCheck(CheckContext(config=ChecksConfig(), today=date(2026, 1, 1)))
    for _ in range(2):  # the second time from the memo
        via_check = [(m.word, m.suggestion, m.kind, m.sentence) for m, _n in check._candidates(p)]
        assert via_check == list(direct.values())
