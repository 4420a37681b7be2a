"""The spelling check's lexicon: every word source, read once per process.

Debian's hunspell dictionaries (British, American and medical, each ``.dic`` expanded with
its ``.aff`` affix rules into plain word forms), codespell's common misspellings, word
frequencies for ranking suggestions, the American-to-British list and the word lists the
project owns (``checks/data/spelling/``). Building it takes seconds, so the result is kept
in the user's cache, keyed by the sources it was built from.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from content_audit.core.user_cache import cache_dir

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "spelling"
# where the hunspell dictionaries are looked for: Debian's folders, or the folders named in
# CONTENT_AUDIT_HUNSPELL_DIRS (separated by ":") when it is set
HUNSPELL_DIRS = tuple(
    Path(folder)
    for folder in (
        os.environ["CONTENT_AUDIT_HUNSPELL_DIRS"].split(os.pathsep)
        if "CONTENT_AUDIT_HUNSPELL_DIRS" in os.environ
        else ("/usr/share/hunspell", "/usr/share/myspell/dicts", "/usr/share/myspell")
    )
    if folder
)
DICTIONARY_FILES = ("en_GB.dic", "en_GB.aff", "en_US.dic", "en_US.aff", "en_med_glut.dic")


# --------------------------------------------------------------------------------------
# Hunspell: read a .dic with its .aff and expand the affixes into plain word forms.


def _condition_parts(cond: str) -> list[str]:
    """Split a hunspell affix condition into its elements: a letter, '.', or [...]."""
    parts: list[str] = []
    i = 0
    while i < len(cond):
        if cond[i] == "[":
            j = cond.find("]", i)
            j = len(cond) - 1 if j < 0 else j
            parts.append(cond[i : j + 1])
            i = j + 1
        else:
            parts.append(cond[i])
            i += 1
    return parts


@dataclass(slots=True)
class _Affix:
    strip: str
    add: str
    cond: re.Pattern[str] | None  # matched against the word's end (suffix) or start (prefix)
    width: int  # how many characters the condition looks at


@dataclass(slots=True)
class _AffixClass:
    prefix: bool
    cross: bool
    rules: list[_Affix] = field(default_factory=list)


@dataclass(slots=True)
class Affixes:
    """What expand_dic needs from a .aff file."""

    classes: dict[str, _AffixClass] = field(default_factory=dict)
    flag_type: str = "char"  # char (one character, also UTF-8), long (two) or num (1,2,3)
    aliases: list[str] = field(default_factory=list)  # AF flag sets, referred to by number

    def split(self, flags: str) -> list[str]:
        if self.aliases and flags.isdigit():
            index = int(flags) - 1
            flags = self.aliases[index] if 0 <= index < len(self.aliases) else ""
        if self.flag_type == "long":
            return [flags[i : i + 2] for i in range(0, len(flags), 2)]
        if self.flag_type == "num":
            return [f for f in flags.split(",") if f]
        return list(flags)

    def get(self, flag: str) -> _AffixClass | None:
        return self.classes.get(flag)


def read_affixes(aff_path: Path) -> Affixes:
    """The PFX/SFX classes of a hunspell .aff file, with its FLAG type and AF aliases."""
    affixes = Affixes()
    classes = affixes.classes
    for raw in aff_path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = raw.split()
        if len(parts) >= 2 and parts[0] == "FLAG":
            affixes.flag_type = parts[1].lower() if parts[1].lower() in ("long", "num") else "char"
            continue
        if len(parts) >= 2 and parts[0] == "AF" and not parts[1].isdigit():
            affixes.aliases.append(parts[1])
            continue
        if len(parts) < 4 or parts[0] not in ("PFX", "SFX"):
            continue
        kind, flag = parts[0], parts[1]
        if flag not in classes:
            if parts[2] in ("Y", "N") and parts[3].isdigit():
                classes[flag] = _AffixClass(prefix=kind == "PFX", cross=parts[2] == "Y")
            continue
        strip = "" if parts[2] == "0" else parts[2]
        add = parts[3].split("/", 1)[0]
        add = "" if add == "0" else add
        cond = parts[4] if len(parts) > 4 else "."
        elements = _condition_parts(cond)
        pattern = None
        if cond != ".":
            pattern = re.compile(cond + "$" if kind == "SFX" else "^" + cond)
        classes[flag].rules.append(_Affix(strip, add, pattern, len(elements)))
    return affixes


def expand_dic(dic_path: Path, affixes: Affixes) -> set[str]:
    """Every word form a hunspell .dic/.aff pair accepts (compounding rules aside)."""
    words: set[str] = set()
    add = words.add
    lines = dic_path.read_text(encoding="utf-8", errors="replace").splitlines()
    # Conditions look at a few characters only, so remember which rules fit each ending.
    fit_cache: dict[tuple[str, str, bool], list[_Affix]] = {}

    def fitting(flag: str, cls: _AffixClass, word: str) -> list[_Affix]:
        key = (flag, word[:4] if cls.prefix else word[-4:], cls.prefix)
        rules = fit_cache.get(key)
        if rules is None:
            rules = []
            for r in cls.rules:
                if cls.prefix:
                    if not word.startswith(r.strip):
                        continue
                    if r.cond is not None and (len(word) < r.width or not r.cond.match(word)):
                        continue
                else:
                    if not word.endswith(r.strip):
                        continue
                    if r.cond is not None and (
                        len(word) < r.width or not r.cond.search(word[-max(r.width, 4) :])
                    ):
                        continue
                rules.append(r)
            if all(len(r.strip) <= 4 and r.width <= 4 for r in cls.rules):
                fit_cache[key] = rules
        return rules

    for line in lines[1:]:
        if not line.strip() or line[0] in " \t#":
            continue  # blank, comment, or an indented header (en_med_glut.dic has one)
        entry = line.strip().split("\t", 1)[0].split(" ", 1)[0]
        stem, _, flag_text = entry.partition("/")
        if not stem:
            continue
        add(stem)
        if not flag_text:
            continue
        flags = affixes.split(flag_text)
        suffixed: list[str] = []
        for flag in flags:
            cls = affixes.get(flag)
            if cls is None or cls.prefix:
                continue
            for r in fitting(flag, cls, stem):
                form = (stem[: len(stem) - len(r.strip)] if r.strip else stem) + r.add
                add(form)
                if cls.cross:
                    suffixed.append(form)
        for flag in flags:
            cls = affixes.get(flag)
            if cls is None or not cls.prefix:
                continue
            for base in [stem, *suffixed] if cls.cross else [stem]:
                for r in fitting(flag, cls, base):
                    add(r.add + base[len(r.strip) :])
    return words


def find_hunspell(name: str, dirs: Iterable[Path]) -> Path | None:
    for d in dirs:
        path = d / name
        if path.is_file():
            return path
    return None


# --------------------------------------------------------------------------------------
# The lexicon: every word source, loaded once per process.


@dataclass(slots=True)
class Lexicon:
    words: set[str]  # lower-case forms every source accepts (the typo check's "known")
    british: set[str]  # lower-case forms of the British dictionary (ranks suggestions)
    common: dict[str, str]  # codespell: common misspelling -> first correction
    american: dict[str, str]  # American form -> British form
    freq: dict[str, int]  # word frequencies for ranking suggestions
    available: bool  # False when the hunspell dictionaries could not be found
    sources: list[str] = field(default_factory=list)


_LOCK = threading.Lock()


def wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words every working set of dictionaries knows, forms that need the affix rules included.
CANARIES = wordset(
    "colour colours organisation organised paediatric hospitals children running worried "
    "doesn't physiotherapy haemoglobin ibuprofen unhappiest gabapentin"
)

_LEXICON: Lexicon | None = None
_ON_CHANGE: list[Callable[[], None]] = []
_WARNED = False


def read_list(path: Path) -> set[str]:
    if not path.is_file():
        return set()
    out: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.add(line.lower().replace("’", "'"))
    return out


def _load_codespell() -> dict[str, str]:
    """codespell's common misspellings (wrong -> first right), when codespell is installed."""
    try:
        import codespell_lib
    except ImportError:
        return {}
    path = Path(codespell_lib.__file__).parent / "data" / "dictionary.txt"
    if not path.is_file():
        return {}
    common: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        wrong, sep, right = line.partition("->")
        if not sep:
            continue
        first = right.split(",", 1)[0].strip()
        if first and " " not in first:
            common[wrong.strip().lower()] = first.lower()
    return common


def _load_frequencies() -> dict[str, int]:
    """Word frequencies shipped with pyspellchecker (American-based), when installed."""
    try:
        import spellchecker
    except ImportError:
        return {}
    path = Path(spellchecker.__file__).parent / "resources" / "en.json.gz"
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return {}
    return {k: int(v) for k, v in data.items() if isinstance(v, int)}


def load_american() -> dict[str, str]:
    pairs: dict[str, str] = {}
    path = DATA_DIR / "american_british.txt"
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or "\t" not in line:
                continue
            us, gb = line.split("\t")[:2]
            pairs[us.strip()] = gb.strip()
    return pairs


# American medical spellings by family, for the words the owned list misses
# ("hemarthrosis"): each change is tried in turn on a word the British dictionary rejects.
_MEDICAL_FAMILIES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^hem(?=[ao])"), "haem"),  # hemorrhage, hematoma, hemarthrosis
    (re.compile(r"(?<=[a-z]{3})emi(?=(?:a|as|c|cally)$)"), "aemi"),  # anemia, ischemic
    (re.compile(r"^edem"), "oedem"),
    (re.compile(r"^esophag"), "oesophag"),
    (re.compile(r"^estr(?=og|adiol|iol|one\b|us\b)"), "oestr"),
    (re.compile(r"pediatr"), "paediatr"),
    (re.compile(r"orthoped"), "orthopaed"),
    (re.compile(r"gynec"), "gynaec"),
    (re.compile(r"diarrhe"), "diarrhoe"),
    (re.compile(r"anesthe"), "anaesthe"),
    (re.compile(r"^cesarean"), "caesarean"),
    (re.compile(r"(?<=[a-z])pnea"), "pnoea"),  # dyspnea, apnea
    (re.compile(r"^celiac"), "coeliac"),
    (re.compile(r"^etiolog"), "aetiolog"),
)
_FAMILY_HINT = re.compile(
    r"hem[ao]|emi(?:a|as|c|cally)$|edem|esophag|estr|pediatr|orthoped|gynec|diarrhe|anesthe|"
    r"cesarean|pnea|celiac|etiolog"
)
# brand names and stray entries that look like family members but are not words to change
_NOT_FAMILY = wordset("hemabate estraderm estrogel gynecare gynecort estrada estrade hemocue hema")


def british_medical(word: str) -> str | None:
    """The British form of an American medical spelling by its family ("hemarthrosis" ->
    "haemarthrosis"), or None. `word` is lower case."""
    if len(word) < 6 or word in _NOT_FAMILY or not _FAMILY_HINT.search(word):
        return None
    out = word
    for pattern, british in _MEDICAL_FAMILIES:
        out = pattern.sub(british, out, count=1)
    return out if out != word else None


def _medical_pairs(words: set[str], british: set[str], american: dict[str, str]) -> dict[str, str]:
    """American medical forms the dictionaries know and the British one rejects, by family."""
    pairs = {}
    for word in words:
        if word in british or word in american or not word.isalpha():
            continue
        fixed = british_medical(word)
        if fixed is not None:
            pairs[word] = fixed
    return pairs


def build_lexicon(dirs: Iterable[Path] = HUNSPELL_DIRS) -> Lexicon:
    """Read every source. Slow (about a second): use ``lexicon()``, which caches it."""
    dirs = list(dirs)
    sources: list[str] = []
    british: set[str] = set()
    words: set[str] = set()
    us_lower: set[str] = set()
    common: dict[str, str] = {}
    gb_dic, gb_aff = find_hunspell("en_GB.dic", dirs), find_hunspell("en_GB.aff", dirs)
    med_dic = find_hunspell("en_med_glut.dic", dirs)
    us_dic, us_aff = find_hunspell("en_US.dic", dirs), find_hunspell("en_US.aff", dirs)
    available = None not in (gb_dic, gb_aff, med_dic, us_dic, us_aff)
    if gb_dic and gb_aff and med_dic and us_dic and us_aff:
        gb_forms = expand_dic(gb_dic, read_affixes(gb_aff))
        words |= {w.lower().replace("’", "'") for w in gb_forms}
        # Suggestions come from lower-case entries only, never from names ("Ziemer").
        british = {w.replace("’", "'") for w in gb_forms if w == w.lower()}
        sources.append(str(gb_dic))
        # The medical list uses the en-US affix flags.
        us_affixes = read_affixes(us_aff)
        us_forms = expand_dic(us_dic, us_affixes)
        words |= {w.lower() for w in us_forms}
        sources.append(str(us_dic))
        # The medical list is noisy ("accomodation"): a word only it knows that codespell
        # calls a common misspelling is not trusted.
        common = _load_codespell()
        med_forms = expand_dic(med_dic, us_affixes)
        med = {w.lower() for w in med_forms}
        words |= {w for w in med if w in words or w not in common}
        # lower-case American and medical words: the ones a spelling family may change
        # (names and brands, "Bohemia", "Hemosil", are capitalised there)
        us_lower = {w for w in (*us_forms, *med_forms) if w == w.lower() and w in words}
        sources.append(str(med_dic))
        for name in ("uk_medicines.txt", "nhs_terms.txt"):
            supplement = read_list(DATA_DIR / name)
            supplement |= {w + "s" for w in supplement if not w.endswith("s")}
            words |= supplement
            british |= supplement
    if available and not (words >= CANARIES and len(british) > 100_000):
        # A dictionary format this reader does not understand: better to report nothing
        # than to call every other word a typo.
        log.warning("spelling: the hunspell dictionaries could not be read properly: %s", sources)
        available = False
        words, british = set(), set()
    american = load_american()
    if available:
        american.update(_medical_pairs(us_lower, british, american))
    # Frequencies rank candidate corrections, which are British words (or their US forms).
    freq = _load_frequencies() if available else {}
    freq = {w: n for w, n in freq.items() if w in british or w in american}
    return Lexicon(
        words=words,
        british=british,
        common=common,
        american=american,
        freq=freq,
        available=available,
        sources=sources,
    )


def _cache_key(dirs: Iterable[Path] = HUNSPELL_DIRS) -> str:
    """Changes whenever a source of the lexicon (or this module) changes."""
    import hashlib

    parts = [str(Path(__file__).stat().st_mtime_ns)]
    names = ("en_GB.dic", "en_GB.aff", "en_med_glut.dic", "en_US.dic", "en_US.aff")
    files = [find_hunspell(name, list(dirs)) for name in names]
    files += [DATA_DIR / n for n in ("uk_medicines.txt", "nhs_terms.txt", "american_british.txt")]
    for module, rel in (
        ("codespell_lib", "data/dictionary.txt"),
        ("spellchecker", "resources/en.json.gz"),
    ):
        try:
            files.append(Path(__import__(module).__file__).parent / rel)
        except ImportError:
            parts.append(f"no {module}")
    for path in files:
        if path is None or not Path(path).is_file():
            parts.append(f"missing {path}")
            continue
        stat = Path(path).stat()
        parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:16]


def cached_lexicon() -> Lexicon:
    """build_lexicon(), kept on disk between runs: expanding the dictionaries takes seconds,
    reading the result back a fraction of that."""
    import pickle

    path = cache_dir() / f"lexicon-{_cache_key()}.pickle"
    try:
        with path.open("rb") as handle:
            lex = pickle.load(handle)
        if isinstance(lex, Lexicon) and lex.available:
            return lex
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
        pass
    lex = build_lexicon()
    if lex.available:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as handle:
                pickle.dump(lex, handle, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(path)
        except OSError:
            pass  # a read-only home: just build it each time
        else:
            _remove_stale_lexicons(path)
    return lex


def _remove_stale_lexicons(kept: Path, older_than: float = 86400.0) -> None:
    """Remove the cached lexicons of other versions written over a day ago: each is 10 MB,
    and each upgrade (or checkout) of this module makes a new one. Younger ones stay, for
    another version in use beside this one (a comparison, a rollback)."""
    cutoff = time.time() - older_than
    for other in kept.parent.glob("lexicon-*.pickle"):
        with contextlib.suppress(OSError):
            if other != kept and other.stat().st_mtime < cutoff:
                other.unlink()


def lexicon() -> Lexicon:
    """The process-wide lexicon, loaded on first use."""
    global _LEXICON, _WARNED
    if _LEXICON is None:
        with _LOCK:
            if _LEXICON is None:
                lex = cached_lexicon()
                if not lex.available and not _WARNED:
                    _WARNED = True
                    log.warning(
                        "spelling: hunspell dictionaries not found (need en_GB, en_US and "
                        "en_med_glut in /usr/share/hunspell: apt-get install "
                        "hunspell-en-gb hunspell-en-med hunspell-en-us); the typo check "
                        "reports nothing this run"
                    )
                _LEXICON = lex
                for forget in _ON_CHANGE:  # results worked out with another lexicon, if any
                    forget()
    return _LEXICON


def set_lexicon(lex: Lexicon | None) -> None:
    """Replace the cached lexicon (tests)."""
    global _LEXICON
    _LEXICON = lex
    for forget in _ON_CHANGE:
        forget()


def on_change(forget: Callable[[], None]) -> None:
    """Call ``forget`` whenever the lexicon is replaced: the spelling check's caches of
    results worked out with the old one."""
    _ON_CHANGE.append(forget)
