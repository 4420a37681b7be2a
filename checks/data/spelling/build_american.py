"""Build american_british.txt: American spellings and their British forms.

Run by hand when the sources change (needs the breame package and Debian's hunspell-en-gb,
hunspell-en-us and hunspell-en-med)::

    python -m checks.data.spelling.build_american

Sources:
* breame's AMERICAN_ENGLISH_SPELLINGS (about 1,700 pairs), with their inflections found in
  the en-US dictionary ("colors", "centered");
* the difference between the en-US/medical and en-GB hunspell dictionaries: an en-US or
  medical word that en-GB rejects, where one of the usual spelling changes (e -> ae/oe,
  or -> our, er -> re, yze -> yse, og -> ogue, ense -> ence) gives an en-GB word
  ("hemoglobin" -> "haemoglobin", "esophageal" -> "oesophageal").

Precision first: a pair is kept only when en-GB does NOT accept the American form, so words
that are also British ("program", "license", "practice", "organize", "fetus", "meter") never
appear, and only when en-GB accepts the British form. EXCLUDE drops a few more by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

from content_audit.checks.engine.lexicon import (
    HUNSPELL_DIRS,
    expand_dic,
    find_hunspell,
    read_affixes,
)

OUT = Path(__file__).parent / "american_british.txt"

# American forms never to flag: also British in some sense, or names, or too rare to matter.
EXCLUDE = {
    "ax",  # also a verb form / abbreviation
    "corse",  # archaic, not "course"
    "porer",
    "busses",
    "dialog",  # computing: a dialog box
    "analog",  # electronics
    "catalog",  # computing, library catalogues online
    "disk",  # computing
    "program",
    "programs",
    "install",
    "installment",
    "enroll",  # also British (dated)
    "skeptic",
    "mustache",
    "inquire",
    "inquiry",
    "inquiries",
    "curb",  # also a British verb
    "curbs",
    "curbed",
    "draft",
    "drafts",
    "check",
    "checks",
    "tire",
    "tires",
    "tired",
    "story",
    "stories",
    "gray",
    "grays",
    "fetus",
    "fetal",
    "fetuses",
    "sulfur",  # IUPAC / UK science teaching use sulfur
    "sulfate",
    "sulfates",
    "sulfide",
    "sulfides",
    "sulfonamide",
    "sulfonamides",
    "sulfonylurea",
    "sulfonylureas",
    "estrogen",  # UK medicine increasingly uses estrogen as well as oestrogen? no: keep
    "specialty",  # NHS usage ("specialty doctor", "surgical specialties"), not American
    "specialties",
}
EXCLUDE.discard("estrogen")  # NHS uses oestrogen

# Generic American -> British spelling changes tried on dictionary differences.
CHANGES = [
    ("e", "ae"),
    ("e", "oe"),
    ("or", "our"),
    ("er", "re"),
    ("yze", "yse"),
    ("yzi", "ysi"),
    ("og", "ogue"),
    ("ense", "ence"),
]


# -ize/-ization: en-GB accepts them (Oxford spelling), but NHS style is -ise, so a pair from
# breame or codespell whose only difference is -ize/-ise is kept as a notice.
FLAG_IZE = True

# Pairs the sources miss or get wrong (breame has "edema" -> "edoema").
EXTRA = [
    ("edema", "oedema"),
    ("edemas", "oedemas"),
    ("edematous", "oedematous"),
    ("orthopedics", "orthopaedics"),
    ("hematology", "haematology"),
    ("hematologist", "haematologist"),
    ("anesthesiologist", "anaesthetist"),
    ("pediatrics", "paediatrics"),
    ("apnea", "apnoea"),
    ("apneas", "apnoeas"),
    ("dyspnea", "dyspnoea"),
    ("esophagitis", "oesophagitis"),
    ("esophageal", "oesophageal"),
    ("cecum", "caecum"),
    ("septicemia", "septicaemia"),
    ("anemia", "anaemia"),
    ("hypoxemia", "hypoxaemia"),
    ("eon", "aeon"),
    ("eons", "aeons"),
    ("ameba", "amoeba"),
    ("amebas", "amoebas"),
    ("amebic", "amoebic"),
    ("fetuses", "fetuses"),
]

IZE = re.compile(r"^[a-z]{4,}iz(e|ed|es|ing|ation|ations|er|ers|able|ational|ationally)$")

MIN_LENGTH = {"e": 7, "ense": 7, "og": 6}


def _load(name: str, aff_name: str) -> set[str]:
    dic = find_hunspell(name, HUNSPELL_DIRS)
    aff = find_hunspell(aff_name, HUNSPELL_DIRS)
    if dic is None or aff is None:
        raise SystemExit(f"missing hunspell dictionary {name}")
    # Lower-case entries only: "Center" (a name) does not make "center" British.
    return {w.replace("’", "'") for w in expand_dic(dic, read_affixes(aff)) if w == w.lower()}


def _ize_pair(american: str, british: str) -> bool:
    """organization -> organisation: Oxford spelling, accepted by en-GB, not NHS style."""
    return "iz" in american and american.replace("iz", "is") == british


def _codespell_pairs() -> dict[str, str]:
    """codespell's en-GB -> en-US list, turned round."""
    import codespell_lib

    path = Path(codespell_lib.__file__).parent / "data" / "dictionary_en-GB_to_en-US.txt"
    pairs: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        gb, sep, us = line.partition("->")
        if sep and "," not in us:
            pairs[us.strip().lower()] = gb.strip().lower()
    return pairs


def build() -> dict[str, str]:
    from breame.data.spelling_constants import AMERICAN_ENGLISH_SPELLINGS

    gb = _load("en_GB.dic", "en_GB.aff")
    us = _load("en_US.dic", "en_US.aff") | _load("en_med_glut.dic", "en_US.aff")
    word = re.compile(r"^[a-z]+$")

    base: dict[str, str] = {}
    for a, b in [*AMERICAN_ENGLISH_SPELLINGS.items(), *_codespell_pairs().items(), *EXTRA]:
        a, b = a.lower(), b.lower()
        if a == b or not word.match(a) or not word.match(b) or b not in gb:
            continue
        if a not in gb or (FLAG_IZE and _ize_pair(a, b)):
            base[a] = b

    pairs = dict(base)
    american_only = sorted(w for w in us if w not in gb and word.match(w))
    for w in american_only:
        if w in pairs:
            continue
        # Inflections of a breame pair: colors -> colours, centered -> centred.
        for k in range(len(w) - 1, 3, -1):
            b = base.get(w[:k])
            if b is None:
                continue
            tail = w[k:]
            options = [b + tail]
            if b.endswith("e") and tail[:1] in ("e", "i"):
                options.append(b[:-1] + tail)
            hit = next((o for o in options if o in gb), None)
            if hit:
                pairs[w] = hit
                break
        if w in pairs:
            continue
        # Generic changes, each tried at every place it fits; keep only one clear answer.
        found = set()
        for us_part, gb_part in CHANGES:
            if len(w) < MIN_LENGTH.get(us_part, 5):
                continue  # too short to tell a spelling change from another word
            for m in re.finditer(re.escape(us_part), w):
                if us_part == "e" and m.end() >= len(w) - 1:
                    continue  # not "blastule" -> "blastulae", "snowshed" -> "snowshoed"
                if us_part == "er" and (
                    w[m.end() :] not in ("", "s") or w[m.start() - 1] not in "bcghkt"
                ):
                    continue  # center, titers, fiber; not "ceram" -> "cream", "luer" -> "lure"
                cand = w[: m.start()] + gb_part + w[m.end() :]
                if cand in gb:
                    found.add(cand)
        if len(found) == 1:
            pairs[w] = found.pop()
    if FLAG_IZE:
        # Oxford -ize forms en-GB accepts, where the -ise form is British too:
        # immunizations -> immunisations. Only the usual suffixes, after a stem of 4+ letters,
        # so "prize", "seize" and "capsize" never match.
        for w in sorted(gb):
            if w not in pairs and IZE.match(w):
                british = w.replace("iz", "is")
                if british in gb:
                    pairs[w] = british
        # Prefer -ise in the British form too: anesthetized -> anaesthetised.
        for a, b in pairs.items():
            if "iz" in b and b.replace("iz", "is") in gb:
                pairs[a] = b.replace("iz", "is")
    return {a: b for a, b in pairs.items() if a not in EXCLUDE and len(a) >= 4}


def main() -> None:
    pairs = build()
    lines = [
        "# American spelling -> British spelling. Generated by build_american.py; edit there.",
        *(f"{a}\t{b}" for a, b in sorted(pairs.items())),
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(pairs)} pairs -> {OUT}")


if __name__ == "__main__":
    main()
