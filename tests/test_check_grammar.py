"""Wrong words and grammar (`grammar`, `word-repeated`): snippets flagged and left alone,
the boundaries no pattern may cross, and the figures on the labelled corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from content_audit.checks.grammar import check_grammar, lexicon
from content_audit.core.model import Page
from content_audit.crawler.extract import extract_page
from tests.grammar_eval import score
from tests.test_check_helpers import make_ctx, make_page

SPELLING_CORPUS = Path(__file__).parent / "corpus" / "spelling"


def found(text: str, **page) -> list[tuple[str, str, str]]:
    """(rule, words, suggestion) of each finding on a one-paragraph page."""
    findings = check_grammar(make_page([text], **page), make_ctx())
    return [(f.rule, f.text, f.suggestion) for f in findings]


def test_finding_has_the_words_the_sentence_one_suggestion_and_a_plain_message():
    page = make_page(["Sit down. Remember to breath and relax. Then stand up."])
    [finding] = list(check_grammar(page, make_ctx()))
    assert finding.rule == "grammar" and finding.severity == "warning"
    assert finding.text == "breath"
    assert finding.suggestion == "breathe"
    assert finding.context == "Remember to breath and relax."
    assert finding.message == (
        "‘breath’ is a noun; after ‘Remember to’ you need the verb ‘breathe’."
    )


@pytest.mark.parametrize(
    ("text", "words", "suggestion"),
    [
        ("You will be able to functional normally.", "functional", "function"),
        ("Please advice us of any changes.", "advice", "advise"),
        ("Do not breath in the fumes.", "breath", "breathe"),
        ("You can also breath through your mouth.", "breath", "breathe"),
        ("Make sure you breath out slowly.", "breath", "breathe"),
        ("This will help you breath more easily.", "breath", "breathe"),
        ("Cold packs may relief the swelling.", "relief", "relieve"),
        ("Try not to loss heart.", "loss", "lose"),
    ],
)
def test_a_noun_where_a_verb_is_needed(text, words, suggestion):
    assert found(text) == [("grammar", words, suggestion)]


@pytest.mark.parametrize(
    "text",
    [
        "Listen to breath sounds with a stethoscope.",
        "You may need a breath test.",
        "To date, no cases have been reported.",
        "We advise you to rest. Call the advice line.",
        "Exercise helps your joints to function well.",
        "The clinic opens in May. Clinics run from May to September.",
        "A can of cola has 9 teaspoons of sugar.",
        "Make a living will if you want to plan ahead.",
        "We can help you today.",
        "Shortness of breath can be a sign of infection.",
    ],
)
def test_a_noun_in_its_right_place_is_left_alone(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "words", "suggestion"),
    [
        ("Following you operation, rest for 2 days.", "you", "your"),
        ("Keep it for you own records.", "you", "your"),
        ("Speak to you GP first.", "you", "your"),
        ("Take you're tablets with food.", "you're", "your"),
        ("Tell us if your not able to come.", "your", "you're"),
        ("Their is a car park.", "Their", "There"),
        ("Carers can ask for there own assessment.", "there", "their"),
        ("Patients can collect they're prescriptions.", "they're", "their"),
        ("Its important to finish the course.", "Its", "It's"),
        ("The clinic has it's own car park.", "it's", "its"),
        ("This promotes a health start in life.", "health", "healthy"),
        ("We can advise on health eating.", "health", "healthy"),
        ("Ask a healthy professional.", "healthy", "health"),
        ("You could of asked your GP.", "could of", "could have"),
        ("Most or the swelling goes down.", "or", "of"),
        ("Decide the best cause of action.", "cause", "course"),
        ("You need a full cause of antibiotics.", "cause", "course"),
        ("Some medicines can course dizziness.", "course", "cause"),
        ("Tell us about any side affects.", "affects", "effects"),
        ("Alcohol has an affect on sleep.", "affect", "effect"),
        ("Stress can effect your blood sugar.", "effect", "affect"),
        ("You may be effected by the change.", "effected", "affected"),
        ("Try not to loose weight too fast.", "loose", "lose"),
        ("Wear lose clothing.", "lose", "loose"),
        ("If you are loosing weight, see a GP.", "loosing", "losing"),
        ("Some try complimentary therapies.", "complimentary", "complementary"),
        ("Do not take stationary from the desk.", "stationary", "stationery"),
        ("Use a stationery bike.", "stationery", "stationary"),
        ("Take the dose proscribed by your doctor.", "proscribed", "prescribed"),
        ("The medicine is licenced for children.", "licenced", "licensed"),
        ("Speak to practise staff first.", "practise", "practice"),
    ],
)
def test_confused_words(text, words, suggestion):
    assert found(text) == [("grammar", words, suggestion)]


def test_licence_and_practice_that_spelling_reports_are_left_to_spelling():
    """One mistake, one finding: spelling's own rule reports these (spelling-american or
    typo), so grammar does not report them again."""
    assert found("Register with a GP practise near you.") == []
    assert found("You need a driving license.") == []
    assert found("You should practice these exercises.") == []


@pytest.mark.parametrize(
    "text",
    [
        "We will send you appointment letters.",
        "If you own a car, park in the multi-storey.",
        "You're welcome to bring someone. You're home by noon.",
        "You will get your welcome pack. Your likely diagnosis is explained.",
        "There are toilets on every floor. Are there children in the house?",
        "There will also be a new car park. There lies the problem.",
        "Their children can stay. They're in the waiting room.",
        "The liver and its normal function. The unit has its very own garden.",
        "It's normal to feel tired. It's time to book.",
        "Health checks are free. Public health weight services help.",
        "You can choose one or the other.",
        "You must of course tell the surgeon. Of course, you can bring a friend.",
        "There is no cause for concern. Smoking can cause cancer.",
        "A flat affect can be a sign of depression. This will not affect your care.",
        "Loose stools are common. You may lose your sense of taste.",
        "We welcome compliments and complaints. Keep your leg stationary.",
        "Some drugs are proscribed by law. Your GP may prescribe it.",
        "Your GP practice will call. Speak to the practice nurse.",
        "You may need to practise. Bring your driving licence. Pharmacies are licensed.",
    ],
)
def test_confusable_words_used_rightly_are_left_alone(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "words", "suggestion"),
    [
        ("Find out how access the service.", "how access", "how to access"),
        ("Call 999 if you showing signs of a stroke.", "you showing", "you're showing"),
        ("They an make an onward referral.", "an", "can"),
        ("We will assist you develop new skills.", "you develop", "you to develop"),
        ("Your GP may ask you take a blood test.", "you take", "you to take"),
    ],
)
def test_a_missing_word(text, words, suggestion):
    assert found(text) == [("grammar", words, suggestion)]


def test_messages_say_what_is_wrong_in_plain_words():
    def message(text: str) -> str:
        [finding] = check_grammar(make_page([text]), make_ctx())
        return finding.message

    assert message("You will be able to functional normally.") == (
        "‘functional’ is an adjective; after ‘able to’ you need the verb ‘function’."
    )
    assert message("Call us if you feeling unwell.") == (
        "A word is missing: it should say ‘you are feeling’ or ‘you’re feeling’."
    )
    assert message("Take you're tablets with food.") == (
        "‘you're’ should be ‘your’ here: ‘you’re’ means ‘you are’; ‘your’ means it is yours."
    )
    assert message("Stress can effect your sleep.") == (
        "‘effect’ should be ‘affect’ here: ‘affect’ is the verb (to change something); "
        "‘effect’ is the noun."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Learn how work affects your health. Ask how well the treatment works.",
        "If you are showing signs of infection, call us.",
        "We can arrange an interpreter. They can make an appointment.",
        "We ask you to bring a list. Allow yourself time to recover.",
        "Find out how much exercise you need.",
    ],
)
def test_complete_sentences_are_left_alone(text):
    assert found(text) == []


def test_everyday_as_an_adverb_but_not_as_an_adjective():
    assert found("Do these exercises everyday.") == [("grammar", "everyday", "every day")]
    assert found("Check your feet everyday, even if they feel fine.") == [
        ("grammar", "everyday", "every day")
    ]
    assert found("Everyday tasks may be hard. Try to be active every day.") == []


def test_doubled_words():
    assert found("Rest your your elbow on a pillow.") == [("word-repeated", "your your", "your")]
    assert found("The the cream goes on twice a day.") == [("word-repeated", "The the", "The")]
    assert found("She said that that was the worst pain she had had.") == []
    assert found("Rest your, your elbow.") == []  # punctuation between: deliberate
    assert found("The pain can be very, very severe. Bye bye!") == []


def test_no_pattern_crosses_a_line_break_a_block_quotes_or_code():
    # a <br> inside one paragraph: two lines
    assert found("Remember to\nbreath in slowly.") == []
    assert found("Ask your\nyour GP.") == []
    # two blocks
    page = make_page(["Always remember to"], list_items=["breath sounds are normal"])
    assert list(check_grammar(page, make_ctx())) == []
    # quoted words
    assert found("Search for “your your” to see the error.") == []
    assert found('Do not write "could of" in a letter.') == []
    assert found("The phrase ‘remember to breath’ is a common mistake.") == []
    # code, keyboard input, program output
    assert found("Type your your and press Enter.", literal_text=["your your"]) == []
    assert found("Type your your and press Enter.") == [("word-repeated", "your your", "your")]


def test_boundaries_from_real_html():
    html = (
        "<html><body><main><h1>Breathing</h1><p>Remember to<br>breath sounds matter.</p>"
        "<ul><li><p>Ask your</p><p>your nurse.</p></li></ul>"
        "<p>Type <kbd>your your</kbd> or <code>may breath</code>.</p>"
        "<p>Remember to breath out.</p></main></body></html>"
    )
    page = Page(url="https://t.example/a", final_url="https://t.example/a", status=200)
    findings = list(check_grammar(extract_page(page, html), make_ctx()))
    assert [(f.text, f.suggestion) for f in findings] == [("breath", "breathe")]
    assert findings[0].context == "Remember to breath out."


def test_the_check_is_reusable_and_loads_its_word_list_once():
    assert check_grammar.reusable is True
    check_grammar.warm_up()
    assert lexicon() is lexicon()
    lex = lexicon()
    assert "breathe" in lex.verb_base and "breath" not in lex.verb_forms
    assert "advise" in lex.verb_base and "advice" in lex.nouns


def test_well_edited_advice_has_no_grammar_findings():
    """The spelling corpus (5,480 words of advice-style text) has planted misspellings but
    no wrong words: not one grammar or doubled-word finding."""
    paragraphs = []
    for path in sorted(SPELLING_CORPUS.glob("*.txt")):
        paragraphs += [line for line in path.read_text(encoding="utf-8").splitlines() if line]
    page = make_page(paragraphs)
    assert [(f.rule, f.text, f.context) for f in check_grammar(page, make_ctx())] == []


def test_dev_corpus_figures():
    result = score("dev")
    print(result.line("dev"))
    assert result.errors >= 50 and result.correct >= 280
    assert result.precision >= 0.95 and result.recall >= 0.7


def test_frozen_corpus_figures():
    """The part written after the rules were frozen (commit 7ffc708) and never tuned on:
    the evidence. Measured when it was written: precision 1.00, recall 0.78 (31 of 40)."""
    result = score("frozen")
    print(result.line("frozen"))
    assert result.errors >= 30 and result.correct >= 120
    assert result.precision >= 0.95
    assert result.recall >= 0.7
