"""Wrong words and grammar: real-word errors a spell checker cannot see.

"Remember to breath", "you will be able to functional normally", "a health diet",
"following you operation", "best cause of action", "could of": every word is spelt right,
so only the words around it give the error away. Each rule here is a hand-written pattern
over the words of one line, and fires only when the context leaves no doubt (precision
first: a content owner who meets false alarms stops reading). Where a rule is unsure, it
stays quiet.

Which words can be verbs, nouns or adjectives comes from lemminflect's word list (the
SPECIALIST lexicon of the US National Library of Medicine), read directly from the gzipped
CSV it ships: no model, no numpy, no download.

A pattern never spans a line break (<br>), two blocks, punctuation, quoted text or text
shown as code, keyboard input or program output (``Page.literal_text``).
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources

from content_audit.checks.engine.registry import CheckContext, define, page_check
from content_audit.checks.engine.text import quote, sentence_at
from content_audit.core.model import Finding, Page

GRAMMAR = define(
    "grammar",
    "warning",
    "A word is spelt correctly but is the wrong word here, or a word is missing. Readers may "
    "misunderstand the advice, and it makes the page look careless.",
    "Change the words as suggested, after reading the sentence again to be sure.",
    "grammar",
    name="Wrong word or grammar",
)
REPEATED = define(
    "word-repeated",
    "warning",
    "The same word is written twice in a row, as in ‘your your’.",
    "Delete one of the two words.",
    "grammar",
    name="Word written twice",
)


# --------------------------------------------------------------------------------------
# The word list.


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Which word forms can be which part of speech (lower case)."""

    verb_base: frozenset[str]  # "breathe", "advise"
    verb_forms: frozenset[str]  # every form of every verb: "breathes", "advised"
    verb_ing: frozenset[str]  # present participles: "showing"
    verb_past: frozenset[str]  # past tenses and participles: "worried"
    nouns: frozenset[str]  # singular and plural
    adjectives: frozenset[str]
    adverbs: frozenset[str]

    def noun_only(self, word: str) -> bool:
        """A noun that cannot be read as a verb, adjective or adverb ("appointment")."""
        return (
            word in self.nouns
            and word not in self.verb_forms
            and word not in self.adjectives
            and word not in self.adverbs
            and word not in CLOSED_CLASS
        )

    def noun_not_predicate(self, word: str) -> bool:
        """A noun that cannot follow "you're" or "they're": not an adjective, adverb,
        participle or function word ("tablets", "details"; not "home", "worried")."""
        return (
            word in self.nouns
            and word not in self.adjectives
            and word not in self.adverbs
            and word not in self.verb_ing
            and word not in self.verb_past
            and word not in CLOSED_CLASS
            and word not in EXTRA_VERB_FORMS
            and word not in MODALS
        )


def _forms(field: str) -> list[str]:
    return [f for f in field.split("/") if f]


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Read lemminflect's inflection table once per process (about 40,000 lines)."""
    source = resources.files("lemminflect") / "resources" / "infl_lu.csv.gz"
    verb_base: set[str] = set()
    verb_forms: set[str] = set()
    verb_ing: set[str] = set()
    verb_past: set[str] = set()
    nouns: set[str] = set()
    adjectives: set[str] = set()
    adverbs: set[str] = set()
    with source.open("rb") as raw, gzip.open(raw) as unzipped:
        for row in csv.reader(io.TextIOWrapper(unzipped, encoding="utf-8")):
            if len(row) < 2:
                continue
            word, kind, forms = row[0].lower(), row[1], row[2:]
            if kind == "verb":
                verb_base.add(word)
                verb_forms.add(word)
                for i, field in enumerate(forms):
                    for form in _forms(field.lower()):
                        verb_forms.add(form)
                        if i == 2:
                            verb_ing.add(form)
                        elif i < 2:
                            verb_past.add(form)
            elif kind == "noun":
                nouns.add(word)
                for field in forms:
                    nouns.update(_forms(field.lower()))
            elif kind == "adj":
                adjectives.add(word)
                for field in forms:
                    adjectives.update(_forms(field.lower()))
            elif kind == "adv":
                adverbs.add(word)
    return Lexicon(
        frozenset(verb_base),
        frozenset(verb_forms | EXTRA_VERB_FORMS),
        frozenset(verb_ing),
        frozenset(verb_past),
        frozenset(nouns),
        frozenset(adjectives),
        frozenset(adverbs),
    )


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Function words the lexicon lists as nouns now and then ("one", "nil", "today"), and
# words that are often a noun after "you"/"there" in correct text.
CLOSED_CLASS = _set(
    "i me you he him she her it we us they them one ones someone anyone everyone something "
    "anything everything nothing none nil all both each either neither few many much more "
    "most other others another such own self today tomorrow tonight yesterday now here there "
    "home first last next later soon too also alone together instead halfway overnight "
    "online offline free yes no ok okay please thanks sir madam"
)
# Auxiliaries and modals the table leaves out; they are verb forms for our purposes.
EXTRA_VERB_FORMS = _set(
    "can could will would shall should may might must am is are was were be been being do "
    "does did have has had"
)

DETERMINERS = _set(
    "a an the this that these those your my his her their our its some any no every each another"
)
MODALS = _set(
    "can could will would should shall must may might cannot can't couldn't won't wouldn't "
    "shouldn't mustn't mightn't needn't"
)
# "May" with a capital mid-sentence is the month; "a can", "the will", "a must" are nouns.
NOT_MODAL_BEFORE = _set("a an the this that your my his her their our its living own free good")
# Words that come before "to" when a bare verb must follow it.
TO_BEFORE = _set(
    "able unable remember try tried trying need needs needed want wants how have has going "
    "important best better advisable helpful safe essential vital possible easier harder "
    "hard easy difficult sure"
)
# Adverbs that may stand between the trigger and the verb: "you can also breathe".
ADVERBS_BETWEEN = _set(
    "also still then just always never now often only usually gently slowly not easily "
    "normally safely properly regularly really even sometimes carefully fully"
)
OBJECTS = _set("you them him her us me people patients children someone others")
# After "breath" these make a noun phrase: "a breath test", "breath sounds".
COMPOUND_AFTER = _set(
    "test tests testing sound sounds rate sample samples holding check checks control"
)


@dataclass(slots=True)
class Token:
    text: str
    low: str  # lower case, curly apostrophes made straight
    start: int
    end: int


@dataclass(slots=True)
class Hit:
    first: int  # index of the first token of the wrong words in the run
    last: int  # index of the last one (inclusive)
    suggestion: str  # what the wrong words should be
    message: str
    kind: str  # which sub-rule: "verb-needed", "confused", "missing-word", "everyday"


TOKEN_RE = re.compile(r"[A-Za-z0-9]+(?:['’\-][A-Za-z0-9]+)*")
QUOTED_RE = re.compile(
    r"“[^”\n]*”|\"[^\"\n]*\"|(?<!\w)‘.*?’(?!\w)|(?<![\w'])'(?=\S).*?(?<=\S)'(?!\w)"
)

_QUOTE_MARK_RE = re.compile(r"[“\"‘']")  # every QUOTED_RE match starts with one of these

# --------------------------------------------------------------------------------------
# Where to look: lines, without quotes or code, split at punctuation into runs of words.


def masked_spans(line: str, literals: list[str]) -> list[tuple[int, int]]:
    """Spans of a line that no pattern may read: quoted text and code-like text."""
    # most lines hold no quote mark at all, and looking for one is quick; QUOTED_RE's
    # look-behinds make the regex engine try every position (a fifth of the check's time)
    spans = (
        [(m.start(), m.end()) for m in QUOTED_RE.finditer(line)]
        if _QUOTE_MARK_RE.search(line)
        else []
    )
    for literal in literals:
        at = line.find(literal)
        while at >= 0:
            spans.append((at, at + len(literal)))
            at = line.find(literal, at + len(literal))
    return spans


# words separated by nothing but spaces: one run (the tokens are TOKEN_RE's)
RUN_RE = re.compile(rf"{TOKEN_RE.pattern}(?:\s+{TOKEN_RE.pattern})*")


def runs(line: str, literals: list[str]) -> Iterator[list[Token]]:
    """Runs of words separated by nothing but spaces, outside the masked spans."""
    spans = masked_spans(line, literals)
    if not spans:  # most lines: nothing quoted, no code
        yield from _plain_runs(line, every=True)
        return
    yield from _masked_runs(line, spans)


def _plain_runs(line: str, every: bool = False) -> Iterator[list[Token]]:
    """``runs`` of a line with nothing masked. Unless ``every``, only the runs in which a
    rule could find something (``_may_hit``): most runs of a well-written page have none,
    and making their tokens was half of the check's time."""
    for found in RUN_RE.finditer(line):
        if every or _may_hit(TOKEN_RE.findall(found.group().lower().replace("’", "'"))):
            yield [
                Token(m.group(), m.group().lower().replace("’", "'"), m.start(), m.end())
                for m in TOKEN_RE.finditer(line, found.start(), found.end())
            ]


def _may_hit(words: list[str]) -> bool:
    """Whether any rule of ``line_hits`` could fire on a run of these (lower-case) words:
    a word that has rules of its own, a noun or adjective that may stand for a verb, or
    a word written twice in a row. Every rule fires on one of those."""
    for word in words:
        if word in RULES_BY_WORD or _verbs_for_noun(word):
            return True
    return any(a == b for a, b in itertools.pairwise(words))


def _masked_runs(line: str, spans: list[tuple[int, int]]) -> Iterator[list[Token]]:
    run: list[Token] = []
    last_end = 0
    for m in TOKEN_RE.finditer(line):
        start, end = m.span()
        gap = line[last_end:start]
        masked = any(s < end and start < e for s, e in spans)
        if run and (gap.strip() or masked or any(last_end <= s < start for s, _ in spans)):
            yield run
            run = []
        last_end = end
        if masked:
            continue
        text = m.group()
        run.append(Token(text, text.lower().replace("’", "'"), start, end))
    if run:
        yield run


def _word(run: list[Token], i: int) -> str:
    """The lower-case word at i, or "" outside the run."""
    return run[i].low if 0 <= i < len(run) else ""


def _match_case(template: str, replacement: str) -> str:
    if template[:1].isupper() and not template.isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


# --------------------------------------------------------------------------------------
# Rule 1: a word that can never be a verb where a bare verb is needed.


def verb_slot(run: list[Token], i: int) -> str:
    """The words that make run[i] need to be a bare verb ("remember to"), or ""."""
    j = i - 1
    skipped = 0
    while j >= 0 and run[j].low in ADVERBS_BETWEEN and skipped < 2:
        if run[j].low == "not" and j >= 1 and run[j - 1].low in ("do", "does", "did"):
            break
        j -= 1
        skipped += 1
    if j < 0:
        return ""
    w = run[j].low
    prev = _word(run, j - 1)
    if w in MODALS:
        if run[j].text in ("May", "Will", "Can", "Must") and j > 0:
            return ""  # mid-sentence capital: "in May", a name
        if prev in NOT_MODAL_BEFORE:
            return ""
        return run[j].text
    if w in ("please", "don't", "doesn't", "didn't"):
        return run[j].text
    if w == "not" and prev in ("do", "does", "did"):
        return f"{run[j - 1].text} not"
    if w in OBJECTS and prev in ("help", "helps", "helping", "helped"):
        return f"{run[j - 1].text} {run[j].text}"
    if w == "you" and prev == "sure" and _word(run, j - 2) in ("make", "making"):
        return f"{run[j - 2].text} sure you"
    if w == "to" and prev == "not" and _word(run, j - 2) in TO_BEFORE:
        return f"{run[j - 2].text} not to"
    if w == "to" and prev in TO_BEFORE:
        if prev in ("have", "has") and _word(run, j - 2) in ("you", "we", "they", "i"):
            return f"{run[j - 1].text} to"
        if prev not in ("have", "has"):
            return f"{run[j - 1].text} to"
    return ""


def _verb_forms_close_to(word: str) -> list[str]:
    """Verbs a writer may have meant: breath -> breathe, advice -> advise,
    functional -> function, approval -> approve, relief -> relieve, loss -> lose."""
    out = [word + "e"]
    if word.endswith("ce"):
        out.append(word[:-2] + "se")
    if word.endswith("al"):
        out += [word[:-2], word[:-2] + "e"]
    if word.endswith("f"):
        out.append(word[:-1] + "ve")
    out += SPECIAL_VERBS.get(word, [])
    return out


def _close_verbs(word: str, lex: Lexicon) -> list[str]:
    return [v for v in _verb_forms_close_to(word) if v in lex.verb_base and v != word]


@functools.lru_cache(maxsize=65536)
def _verbs_for_noun(word: str) -> tuple[str, ...]:
    """The verbs a noun or adjective that can never be a verb may stand for, or () for
    every other word (remembered: most words of a site repeat)."""
    lex = lexicon()
    if word in lex.verb_forms or word in CLOSED_CLASS:
        return ()
    if word not in lex.nouns and word not in lex.adjectives:
        return ()
    return tuple(_close_verbs(word, lex))


SPECIAL_VERBS = {"loss": ["lose"], "choice": ["choose"], "success": ["succeed"]}


def rule_verb_needed(run: list[Token], i: int, lex: Lexicon) -> Hit | None:
    token = run[i]
    word = token.low
    verbs = _verbs_for_noun(word)
    if not verbs or token.text.isupper() or _word(run, i + 1) in COMPOUND_AFTER:
        return None
    trigger = verb_slot(run, i)
    if not trigger:
        return None
    verb = verbs[0]
    kind = "an adjective" if word in lex.adjectives else "a noun"
    message = (
        f"{quote(token.text)} is {kind}; after {quote(trigger)} you need the verb {quote(verb)}."
    )
    return Hit(i, i, _match_case(token.text, verb), message, "verb-needed")


# --------------------------------------------------------------------------------------
# Rule 2: confused words, checked by the words around them.


def _hit(
    run: list[Token], i: int, j: int, suggestion: str, message: str, kind: str = "confused"
) -> Hit:
    return Hit(i, j, _match_case(run[i].text, suggestion), message, kind)


def _confused(run: list[Token], i: int, wrong: str, right: str, why: str) -> Hit:
    shown = right.replace("'", "’")
    return _hit(run, i, i, right, f"{quote(wrong)} should be {quote(shown)} here: {why}")


HAVE_MODALS = _set("could should would must might may")


def rule_could_of(run: list[Token], i: int, lex: Lexicon) -> Hit | None:
    """ "could of" for "could have"."""
    if run[i].low != "of" or _word(run, i - 1) not in HAVE_MODALS:
        return None
    if _word(run, i + 1) == "course" or not _word(run, i + 1):
        return None  # "you must, of course," / "you must of course tell us"
    modal = run[i - 1].text
    return _hit(
        run,
        i - 1,
        i,
        f"{modal} have",
        f"{quote(modal + ' of')} should be {quote(modal + ' have')}: "
        "it sounds the same when spoken, but ‘of’ is not a verb.",
    )


YOUR_FOR_YOURE = {
    "not": None,  # any word may follow
    "going": _set("to"),
    "able": _set("to"),
    "unable": _set("to"),
    "likely": _set("to"),
    "unlikely": _set("to"),
    "entitled": _set("to"),
    "eligible": _set("for to"),
    "worried": _set("about that"),
    "pregnant": _set("or and"),
    "welcome": frozenset({""}),  # at the end: "your welcome."
}
YOU_THEN_NOUN_BEFORE = _set(
    "following after before during for about with of from to into on at by through help "
    "helps protect protects"
)
ACRONYM_NOUNS = _set("gp gps nhs")
HELP_VERBS = _set("help helps protect protects")


def rule_your_youre(run: list[Token], i: int, lex: Lexicon) -> Hit | None:
    """your / you're / you: each where another is needed."""
    word, nxt = run[i].low, _word(run, i + 1)
    if word == "your" and nxt in YOUR_FOR_YOURE:
        allowed = YOUR_FOR_YOURE[nxt]
        after = _word(run, i + 2)
        if nxt == "welcome" and run[i + 1].text != "welcome":
            return None
        if allowed is None or after in allowed:
            return _confused(
                run, i, run[i].text, "you're", f"it is short for ‘you are’ before {quote(nxt)}."
            )
    if word == "you're" and nxt and (nxt == "own" or _noun_after(run, i + 1, lex, loose=True)):
        return _confused(
            run, i, run[i].text, "your", "‘you’re’ means ‘you are’; ‘your’ means it is yours."
        )
    if word == "you" and nxt:
        prev = _word(run, i - 1)
        own = nxt == "own" and _word(run, i + 2) not in DETERMINERS | OBJECTS | {""}
        own = own and _word(run, i + 2) not in lex.verb_forms - lex.nouns
        noun = prev in YOU_THEN_NOUN_BEFORE and _noun_after(run, i + 1, lex)
        if noun and prev in HELP_VERBS and _close_verbs(nxt, lex):
            noun = False  # "help you breath": the verb is what is wrong
        if own or noun:
            return _confused(
                run,
                i,
                run[i].text,
                "your",
                f"before {quote(run[i + 1].text)} it needs to say whose it is.",
            )
    return None


def _noun_after(run: list[Token], j: int, lex: Lexicon, loose: bool = False) -> bool:
    """Is run[j] a word that can only be a noun (or GP, NHS, or a noun's possessive)?
    ``loose``: any noun that cannot follow "you're" ("tablets" may be a verb, too)."""
    token = run[j]
    if token.low in ACRONYM_NOUNS:
        return True
    if token.text.isupper() or token.text[:1].isdigit():
        return False
    word = token.low
    if word.endswith("'s") and word[:-2] in lex.nouns and word[:-2] not in CLOSED_CLASS:
        return True  # "there child's red book"
    return lex.noun_not_predicate(word) if loose else lex.noun_only(word)


# Verbs that follow "there" at the start of a sentence: "There lies the problem".
THERE_VERBS = _set(
    "lies stands remains remain seems seem appears appear follows comes goes exists exist "
    "lives live used"
)
BE_FORMS = _set("is are was were isn't aren't wasn't weren't")
THERE_BEFORE_NOUN = _set(
    "with to for about of on at by into ask tell bring take give call contact help support "
    "protect check update if when"
)


def rule_their_there(run: list[Token], i: int, lex: Lexicon) -> Hit | None:
    word, nxt = run[i].low, _word(run, i + 1)
    if word == "their" and nxt in BE_FORMS:
        return _confused(
            run, i, run[i].text, "there", f"before {quote(run[i + 1].text)} it is ‘there’."
        )
    if word == "there" and nxt == "own":
        return _confused(run, i, run[i].text, "their", "‘their’ means it belongs to them.")
    if word == "there" and nxt and nxt not in THERE_VERBS:
        prev = _word(run, i - 1)
        first = i == 0 and _noun_after(run, i + 1, lex, loose=True)  # "There nurses will"
        if first or (prev in THERE_BEFORE_NOUN and _noun_after(run, i + 1, lex)):
            return _confused(run, i, run[i].text, "their", "‘their’ means it belongs to them.")
    if word == "they're" and nxt and (nxt == "own" or _noun_after(run, i + 1, lex, True)):
        return _confused(
            run, i, run[i].text, "their", "‘they’re’ means ‘they are’; ‘their’ means it is theirs."
        )
    return None


ITS_BEFORE = {
    "a": None,
    "an": None,
    "the": None,
    "not": None,
    "been": None,
    "got": None,
    "okay": None,
    "ok": None,
}
ITS_ADJECTIVES = _set(
    "important best normal likely unlikely possible safe fine essential vital better easier "
    "harder hard difficult common rare unusual advisable helpful useful"
)
PREDICATE_AFTER = _set("to that if for")


def rule_its(run: list[Token], i: int, lex: Lexicon) -> Hit | None:
    word, nxt = run[i].low, _word(run, i + 1)
    if word == "it's" and nxt == "own":
        return _confused(run, i, run[i].text, "its", "‘its’ means belonging to it.")
    if word != "its" or not nxt:
        return None
    after = _word(run, i + 2)
    short = "‘it’s’ is short for ‘it is’ or ‘it has’."
    if nxt in ITS_BEFORE:
        return _confused(run, i, run[i].text, "it's", short)
    if nxt in ITS_ADJECTIVES and (after in PREDICATE_AFTER or not after):
        return _confused(run, i, run[i].text, "it's", short)
    if nxt == "worth" and (after.endswith("ing") or after == "it"):
        return _confused(run, i, run[i].text, "it's", short)
    return None


HEALTHY_NOUNS = _set(
    "eating diet diets lifestyle lifestyles weight start snack snacks meal meals breakfast "
    "heart balanced"
)
HEALTH_COMPOUNDS = _set(
    "mental sexual public oral physical eye bone child children's heart men's women's nhs "
    "community school occupational environmental emotional digital dental good"
)
HEALTH_NOUNS = _set(
    "visitor visitors professional professionals centre centres care service services "
    "record records check checks worker workers"
)


def rule_health(run: list[Token], i: int, lex: Lexicon) -> Hit | None:
    token, nxt = run[i], _word(run, i + 1)
    if token.text == "health" and nxt in HEALTHY_NOUNS:
        if _word(run, i - 1) in HEALTH_COMPOUNDS:
            return None
        return _confused(
            run,
            i,
            token.text,
            "healthy",
            f"before {quote(run[i + 1].text)} you need the adjective ‘healthy’.",
        )
    if token.text == "healthy" and nxt in HEALTH_NOUNS:
        return _confused(
            run, i, token.text, "health", f"it is a {quote('health ' + run[i + 1].text)}."
        )
    return None


OF_BEFORE = _set("one some any most many each none both instead because lots plenty front top")
OF_AFTER = _set("the your these those them us you our their this its my")


def rule_of_or(run: list[Token], i: int, lex: Lexicon) -> Hit | None:
    if run[i].low != "or" or _word(run, i - 1) not in OF_BEFORE:
        return None
    if _word(run, i + 1) not in OF_AFTER or _word(run, i + 2) in ("other", "others"):
        return None
    return _confused(
        run, i, run[i].text, "of", f"it reads {quote(run[i - 1].text + ' of')} in this sentence."
    )


PRACTICE_NOUN_BEFORE = _set(
    "gp gp's dental general medical private nursing good best clinical into at"
)
PRACTICE_NOUN_AFTER = _set(
    "nurse nurses manager managers team staff reception receptionist receptionists website "
    "list area leaflet pharmacist boundary patients population premises building hours "
    "phone"
)
LICENCE_BEFORE = _set(
    "driving valid full provisional premises personal marriage fishing tv television "
    "driver's pilot's"
)


def rule_practice_licence(run: list[Token], i: int, lex: Lexicon) -> Hit | None:
    """British usage: the noun is practice and licence, the verb practise and license."""
    word, nxt, prev = run[i].low, _word(run, i + 1), _word(run, i - 1)
    noun_why = "in British English the noun is spelt with a ‘c’."
    verb_why = "in British English the verb is spelt with an ‘s’."
    if word in ("practise", "practises") and (
        prev in DETERMINERS | PRACTICE_NOUN_BEFORE or nxt in PRACTICE_NOUN_AFTER
    ):
        return _confused(run, i, run[i].text, word.replace("practise", "practice"), noun_why)
    verb_use = word == "practice" and bool(verb_slot(run, i)) and prev not in DETERMINERS
    if word == "practice" and nxt not in PRACTICE_NOUN_AFTER | COMPOUND_AFTER and verb_use:
        return _confused(run, i, run[i].text, "practise", verb_why)
    if word in ("licenced", "licencing"):
        return _confused(run, i, run[i].text, word.replace("licenc", "licens"), verb_why)
    if word in ("license", "licenses") and prev in DETERMINERS | LICENCE_BEFORE:
        return _confused(run, i, run[i].text, word.replace("license", "licence"), noun_why)
    return None


COURSE_OF = _set(
    "antibiotics tablets steroids treatment physiotherapy therapy injections medicine "
    "medication chemotherapy radiotherapy sessions exercises"
)
COURSE_END = _set("for to and from which that or you is will")
CAUSE_OBJECTS = _set(
    "you your it them a an problems pain harm damage side symptoms infection irritation "
    "discomfort bleeding swelling serious long-term permanent"
)


def rule_cause_course(run: list[Token], i: int, lex: Lexicon) -> Hit | None:
    word, nxt, prev = run[i].low, _word(run, i + 1), _word(run, i - 1)
    if word == "cause" and nxt == "of":
        item = _word(run, i + 2)
        after = _word(run, i + 3)
        if item == "action" or (item in COURSE_OF and (not after or after in COURSE_END)):
            return _confused(
                run, i, run[i].text, "course", f"it is a ‘course of {run[i + 2].text}’."
            )
    if word == "cause" and prev == "of" and (i == 1 or not nxt) and _word(run, i - 2) != "no":
        return _confused(run, i - 0, run[i].text, "course", "the phrase is ‘of course’.")
    caused = nxt in CAUSE_OBJECTS or (nxt and _noun_after(run, i + 1, lex))
    if word == "course" and caused and verb_slot(run, i):
        return _confused(
            run, i, run[i].text, "cause", "‘cause’ is the verb that means make something happen."
        )
    return None


COMPLEMENT_OBJECTS = _set(
    "treatment treatments care medicine medicines therapy therapies diet exercise"
)


def rule_complement(run: list[Token], i: int, lex: Lexicon) -> Hit | None:
    word, nxt = run[i].low, _word(run, i + 1)
    if word == "complimentary" and nxt in _set(
        "therapy therapies medicine medicines treatment treatments health"
    ):
        return _confused(
            run, i, run[i].text, "complementary", "‘complementary’ means used alongside."
        )
    if word in ("compliment", "compliments", "complimented", "complimenting"):
        after = _word(run, i + 2) if nxt in DETERMINERS | _set("existing other standard") else nxt
        if after in COMPLEMENT_OBJECTS and nxt != "our" and verb_slot_or_subject(run, i):
            right = word.replace("compliment", "complement")
            return _confused(run, i, run[i].text, right, "‘complement’ means go well with.")
    if word in ("complement", "complements"):
        near = {_word(run, i - 2), _word(run, i - 1), nxt, _word(run, i + 2)}
        if near & _set("complaints comments feedback"):
            right = word.replace("complement", "compliment")
            return _confused(run, i, run[i].text, right, "‘compliments’ are words of praise.")
    return None


def verb_slot_or_subject(run: list[Token], i: int) -> bool:
    """Is run[i] used as a verb: after a verb trigger, or after "it", "this", "which"?"""
    return bool(verb_slot(run, i)) or _word(run, i - 1) in _set("it this which that")


def rule_stationery(run: list[Token], i: int, lex: Lexicon) -> Hit | None:
    word, nxt, prev = run[i].low, _word(run, i + 1), _word(run, i - 1)
    if word == "stationary" and (
        nxt in _set("cupboard shop supplies items order orders")
        or (prev in _set("pens paper office take buy order sells") and not lex.noun_only(nxt))
    ):
        return _confused(
            run, i, run[i].text, "stationery", "‘stationery’ is paper, pens and envelopes."
        )
    if word == "stationery" and (
        nxt in _set("bike bikes bicycle cycle cycling vehicle traffic car")
        or prev in _set("remain remains stay stays keep is are")
    ):
        return _confused(run, i, run[i].text, "stationary", "‘stationary’ means not moving.")
    return None


PRESCRIBER_WORDS = _set(
    "gp doctor doctors nurse nurses pharmacist pharmacists prescriber consultant dentist "
    "midwife you your medicine medicines medication medications tablet tablets antibiotic "
    "antibiotics dose we"
)


def rule_proscribe(run: list[Token], i: int, lex: Lexicon) -> Hit | None:
    word = run[i].low
    if not word.startswith("proscrib"):
        return None
    near = {_word(run, j) for j in range(i - 3, i + 4) if j != i}
    if near & PRESCRIBER_WORDS:
        right = word.replace("proscrib", "prescrib")
        return _confused(
            run, i, run[i].text, right, "‘proscribe’ means ban; ‘prescribe’ means order a medicine."
        )
    return None


EFFECT_BEFORE = _set(
    "a an the any no little big positive negative harmful good bad lasting serious "
    "knock-on same this these main possible other real"
)
AFFECT_OBJECTS = _set("you your him her them their how people children the my our his whether")
EFFECTS_SUBJECTS = _set("it this which smoking alcohol stress")
AFFECT_WHY = "‘affect’ is the verb (to change something); ‘effect’ is the noun."
BE_AFFECTED = _set("is are was were be been being get gets feel feels isn't aren't")


def rule_effect_affect(run: list[Token], i: int, lex: Lexicon) -> Hit | None:
    word, nxt, prev = run[i].low, _word(run, i + 1), _word(run, i - 1)
    if word in ("affect", "affects"):
        right = word.replace("affect", "effect")
        if prev == "side":
            return _confused(run, i, run[i].text, right, "the noun is ‘side effect’.")
        if prev in EFFECT_BEFORE and nxt in ("on", "of"):
            return _confused(run, i, run[i].text, right, "the noun is ‘effect’.")
    if word == "effect" and nxt in AFFECT_OBJECTS and verb_slot(run, i):
        return _confused(run, i, run[i].text, "affect", AFFECT_WHY)
    if word == "effects" and prev in EFFECTS_SUBJECTS and nxt in AFFECT_OBJECTS:
        return _confused(run, i, run[i].text, "affects", AFFECT_WHY)
    if word == "effected" and prev in BE_AFFECTED:
        return _confused(run, i, run[i].text, "affected", AFFECT_WHY)
    return None


LOOSE_NOUNS = _set("stools stool clothing clothes fitting motions bowel")


def rule_lose_loose(run: list[Token], i: int, lex: Lexicon) -> Hit | None:
    word, nxt, prev = run[i].low, _word(run, i + 1), _word(run, i - 1)
    lose_why = "‘lose’ is the verb; ‘loose’ means not tight."
    if word == "loose" and nxt == "weight":
        return _confused(run, i, run[i].text, "lose", lose_why)
    if word == "loose" and nxt not in LOOSE_NOUNS and verb_slot(run, i):
        return _confused(run, i, run[i].text, "lose", lose_why)
    if word == "loosing":
        return _confused(run, i, run[i].text, "losing", lose_why)
    if word == "lose-fitting":
        return _confused(run, i, run[i].text, "loose-fitting", "‘loose’ means not tight.")
    if word == "lose" and (nxt in LOOSE_NOUNS or prev in _set("a too very")):
        return _confused(run, i, run[i].text, "loose", "‘loose’ means not tight.")
    return None


# --------------------------------------------------------------------------------------
# Rule 3: a missing word ("how access", "if you showing", "they an make", "assist you
# develop"), and "everyday" used for "every day".


CONJUNCTIONS = _set("if when while whether because unless until once as")
SUBJECT_PRONOUNS = _set("i we they he she")
TO_VERBS = _set(
    "assist assists encourage encourages enable enables allow allows want wants ask asks "
    "advise advises require requires expect expects invite invites urge urges remind reminds"
)


def rule_missing_word(run: list[Token], i: int, lex: Lexicon) -> Hit | None:
    word, nxt = run[i].low, _word(run, i + 1)
    if not nxt:
        return None
    after = _word(run, i + 2)
    if (
        word == "how"
        and nxt in lex.verb_base
        and nxt not in lex.adjectives
        and nxt not in lex.adverbs
        and nxt not in CLOSED_CLASS
        and after in DETERMINERS | OBJECTS | _set("it")
    ):
        return _hit(
            run,
            i,
            i + 1,
            f"{run[i].text} to {run[i + 1].text}",
            f"A word is missing: {quote(run[i].text + ' to ' + run[i + 1].text)}.",
            "missing-word",
        )
    if (
        word == "you"
        and _word(run, i - 1) in CONJUNCTIONS
        and nxt in lex.verb_ing
        and nxt not in lex.nouns - lex.verb_forms
    ):
        return _hit(
            run,
            i,
            i + 1,
            f"{run[i].text}'re {run[i + 1].text}",
            f"A word is missing: it should say {quote(run[i].text + ' are ' + run[i + 1].text)}"
            f" or {quote(run[i].text + '’re ' + run[i + 1].text)}.",
            "missing-word",
        )
    if (
        word in SUBJECT_PRONOUNS
        and nxt == "an"
        and after in lex.verb_base
        and after not in lex.adjectives
    ):
        return _hit(
            run,
            i + 1,
            i + 1,
            "can",
            f"{quote(run[i].text + ' an ' + run[i + 2].text)} should be "
            f"{quote(run[i].text + ' can ' + run[i + 2].text)}.",
            "missing-word",
        )
    if (
        word in TO_VERBS
        and nxt in OBJECTS
        and after in lex.verb_base
        and (after not in lex.nouns or _word(run, i + 3) in DETERMINERS | OBJECTS)
        and after not in lex.adjectives
        and after not in CLOSED_CLASS
    ):
        return _hit(
            run,
            i + 1,
            i + 2,
            f"{run[i + 1].text} to {run[i + 2].text}",
            f"A word is missing: {quote(run[i].text + ' ' + run[i + 1].text + ' to ' + run[i + 2].text)}.",
            "missing-word",
        )
    return None


EVERYDAY_AFTER = _set(
    "for at and or until to in if so but after before when with as during even of"
)


def rule_everyday(run: list[Token], i: int, lex: Lexicon, line_rest: str = "") -> Hit | None:
    if run[i].low != "everyday":
        return None
    nxt = _word(run, i + 1)
    if nxt and nxt not in EVERYDAY_AFTER and not nxt[:1].isdigit():
        return None
    return _hit(
        run,
        i,
        i,
        "every day",
        "‘everyday’ (one word) means ordinary, as in ‘everyday tasks’; "
        "for ‘each day’ write ‘every day’.",
        "everyday",
    )


Rule = Callable[[list[Token], int, Lexicon], Hit | None]
# Each rule with the words it starts from, in the order they are tried; the first to fire
# on a word wins. rule_verb_needed is tried on every other word.
ANCHORED_RULES: tuple[tuple[Rule, frozenset[str]], ...] = (
    (rule_could_of, _set("of")),
    (rule_your_youre, _set("your you're you")),
    (rule_their_there, _set("their there they're")),
    (rule_its, _set("its it's")),
    (rule_health, _set("health healthy")),
    (rule_of_or, _set("or")),
    (rule_cause_course, _set("cause course")),
    (
        rule_complement,
        _set(
            "complimentary compliment compliments complimented complimenting complement complements"
        ),
    ),
    (rule_stationery, _set("stationary stationery")),
    (rule_proscribe, _set("proscribe proscribed proscribes proscribing")),
    (
        rule_practice_licence,
        _set("practise practises practice licenced licencing license licenses"),
    ),
    (rule_effect_affect, _set("affect affects effect effects effected")),
    (rule_lose_loose, _set("loose loosing lose-fitting lose")),
    (rule_missing_word, _set("how you") | SUBJECT_PRONOUNS | TO_VERBS),
    (rule_everyday, _set("everyday")),
)


def _rules_by_word() -> dict[str, tuple[Rule, ...]]:
    table: dict[str, list[Rule]] = {}
    for rule, words in ANCHORED_RULES:
        for word in words:
            table.setdefault(word, []).append(rule)
    return {word: (*rules, rule_verb_needed) for word, rules in table.items()}


RULES_BY_WORD = _rules_by_word()


# --------------------------------------------------------------------------------------
# Doubled words.


NOT_DOUBLED = _set("that had bye ha ho tut knock very there")


def doubled(run: list[Token], i: int) -> bool:
    """Is run[i] the second of two same words in a row ("your your")?"""
    if i == 0:
        return False
    a, b = run[i - 1], run[i]
    if a.low != b.low or a.low in NOT_DOUBLED:
        return False
    if a.text[:1].isdigit() or (len(a.text) > 1 and a.text.isupper()):
        return False
    return a.text.lower() == a.text or b.text.lower() == b.text


# --------------------------------------------------------------------------------------
# The check.


@dataclass(slots=True)
class LineHit:
    rule: str
    start: int  # in the line
    end: int
    suggestion: str
    message: str
    kind: str


def line_hits(line: str, literals: list[str] | None = None) -> list[LineHit]:
    """Every grammar and doubled-word problem on one line of text."""
    lex = lexicon()
    out: list[LineHit] = []
    spans = masked_spans(line, literals or [])
    for run in _masked_runs(line, spans) if spans else _plain_runs(line):
        taken = -1  # the last token index already in a finding
        for i in range(len(run)):
            low = run[i].low
            if i and run[i - 1].low == low and doubled(run, i):
                word = run[i - 1].text
                out.append(
                    LineHit(
                        REPEATED.id,
                        run[i - 1].start,
                        run[i].end,
                        word,
                        f"{quote(word)} is written twice in a row.",
                        "doubled",
                    )
                )
                taken = i
                continue
            if i <= taken:
                continue
            rules = RULES_BY_WORD.get(low)
            if rules is None:  # the one rule for any other word needs a noun or adjective
                if not _verbs_for_noun(low):
                    continue
                rules = (rule_verb_needed,)
            for rule in rules:
                hit = rule(run, i, lex)
                if hit is not None and hit.first > taken:
                    out.append(
                        LineHit(
                            GRAMMAR.id,
                            run[hit.first].start,
                            run[hit.last].end,
                            hit.suggestion,
                            hit.message,
                            hit.kind,
                        )
                    )
                    taken = hit.last
                    break
    return out


SPELLING_OWNS = _set("practice practise practises license licenses")


def spelling_reports(line: str, word: str) -> bool:
    """Licence and practice: the spelling check reports the uses its own rule recognises
    (as American spelling or a typo); this check stays quiet on those, so that one mistake
    is one finding."""
    from content_audit.checks.spelling import find_misspellings

    return any(m.word.lower() == word for m in find_misspellings(line))


def _block_lines(page: Page) -> Iterator[str]:
    for section in page.sections:
        for block in (*section.paragraphs, *section.list_items):
            yield from block.split("\n")
    if not page.sections:
        headings = {text.strip() for _level, text in page.headings}
        for line in page.main_text.splitlines():
            if line.strip() and line.strip() not in headings:
                yield line


def _warm_up() -> None:
    lexicon()


@page_check(rules=(GRAMMAR, REPEATED), reusable=True, warm_up=_warm_up)
def check_grammar(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """Wrong words, missing words and doubled words in the main content, line by line."""
    literals = [text for text in page.literal_text if text.strip()]
    for line in _block_lines(page):
        for hit in line_hits(line, literals):
            text = line[hit.start : hit.end]
            if text.lower() in SPELLING_OWNS and spelling_reports(line, text.lower()):
                continue
            rule = GRAMMAR if hit.rule == GRAMMAR.id else REPEATED
            yield rule.finding(
                page.url,
                hit.message,
                text=text,
                context=sentence_at(line, hit.start, hit.end),
                suggestion=hit.suggestion,
                details={"kind": hit.kind},
            )
