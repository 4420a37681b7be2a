"""Precision and recall of the wrong-word checks on the labelled corpus in corpus/grammar/.

Each sentence goes through the real check as a one-paragraph page. A finding counts as
right when its words are the labelled wrong words of an error sentence; anything else
(a finding on a correct sentence, or other words of an error sentence) is a false alarm.
Licence and practice belong to the spelling check where its own rule sees them (see
checks.grammar.spelling_reports), so its reports of those words count too: one mistake,
one finding, whichever check makes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from content_audit.checks.grammar import SPELLING_OWNS, check_grammar
from content_audit.checks.spelling import find_misspellings
from tests.test_check_helpers import make_ctx, make_page

CORPUS = Path(__file__).parent / "corpus" / "grammar"


@dataclass
class Score:
    errors: int = 0
    correct: int = 0
    found: int = 0  # error sentences whose labelled words were reported
    right_fix: int = 0  # ... with the labelled fix as the suggestion
    false_alarms: list[tuple[str, str, str]] = field(default_factory=list)
    missed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        reported = self.found + len(self.false_alarms)
        return self.found / reported if reported else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.errors if self.errors else 1.0

    def line(self, name: str) -> str:
        return (
            f"{name}: {self.errors} error and {self.correct} correct sentences; "
            f"precision {self.precision:.2f}, recall {self.recall:.2f} "
            f"({self.found} found, {self.right_fix} with the labelled fix, "
            f"{len(self.false_alarms)} false alarms)"
        )


def reported(sentence: str) -> list[tuple[str, str]]:
    """(words, suggestion) of every wrong-word finding on the sentence."""
    page = make_page([sentence])
    out = [(f.text or "", f.suggestion or "") for f in check_grammar(page, make_ctx())]
    for miss in find_misspellings(sentence):
        if miss.word.lower() in SPELLING_OWNS:
            out.append((miss.word, miss.suggestion))
    return out


def _same(a: str, b: str) -> bool:
    return a.lower().replace("’", "'") == b.lower().replace("’", "'")


def _lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def score(part: str) -> Score:
    """Score the part ("dev" or "frozen") of the corpus."""
    result = Score()
    for line in _lines(CORPUS / f"{part}_errors.tsv"):
        wrong, fix, sentence = line.split("\t")
        result.errors += 1
        hits = reported(sentence)
        matched = [h for h in hits if h[0].lower() == wrong.lower()]
        if matched:
            result.found += 1
            result.right_fix += any(_same(h[1], fix) for h in matched)
        else:
            result.missed.append((wrong, sentence))
        result.false_alarms += [(w, s, sentence) for w, s in hits if w.lower() != wrong.lower()]
    for sentence in _lines(CORPUS / f"{part}_correct.txt"):
        result.correct += 1
        result.false_alarms += [(w, s, sentence) for w, s in reported(sentence)]
    return result


if __name__ == "__main__":
    import sys

    for part in sys.argv[1:] or ["dev"]:
        s = score(part)
        print(s.line(part))
        for item in s.false_alarms:
            print("  false alarm:", item)
        for item in s.missed:
            print("  missed:", item)
