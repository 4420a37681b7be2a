"""Every content check over a clean corpus: well-edited NHS-style advice must stay quiet.

The corpus is the project's own writing (``tests/corpus/nhs/``: patient advice for many
services, a referral-criteria page for clinicians, an A to Z listing, a contact directory)
plus the spelling corpus (``tests/corpus/spelling/*.txt``) with its planted misspellings
put right. Real HTML goes through real extraction and the full check run, as on a site.

What must hold: no ``typo``, ``placeholder``, ``grammar`` or ``nhs-style`` finding at all,
nor any from the other rules in ``SILENT`` (a finding there on correct text is a false alarm), and the calibrated rules within their
rates: ``sentence-long`` rare, ``readability-hard`` on no page. The per-rule counts are
printed so the figures can be read in the test log (``pytest -s``) and quoted in the README.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from content_audit.checks import load_all
from content_audit.checks.engine.registry import RULES, CheckContext
from content_audit.checks.engine.runner import run_checks
from content_audit.core.config import Config
from content_audit.core.model import Finding, Page
from content_audit.core.store import RunStore
from content_audit.crawler.extract import extract_page

CORPUS = Path(__file__).parent / "corpus"
SITE = "https://www.northdale-community.nhs.uk"
TODAY = date(2026, 12, 5)
REVIEWED, REVIEW_DUE = "10 June 2026", "10 June 2029"  # for the spelling-corpus pages

# Rules that must say nothing on correct text: the ones issue 21 names, the rules it asks
# for (checked once another branch registers them) and others that are quiet here today.
SILENT = (
    "typo",
    "placeholder",
    "grammar",
    "nhs-style",
    "word-repeated",
    "content-outdated",
    "content-repeated",
    "spelling-american",
    "review-overdue",
    "review-date-missing",
    "content-duplicate",
    "email-invalid",
    "phone-inconsistent",
)
# Findings that are right on this corpus, each with the reason. Keep it short.
ALLOWED: dict[tuple[str, str, str | None], str] = {}
# Calibrated rates, sentence-long findings a page: the project's own pages are edited to
# NHS standard (a few sentences of 26-27 words remain, as on real pages); the spelling
# corpus was written for spelling and has more long sentences, each rightly reported.
MAX_SENTENCE_LONG_PER_PAGE = {"nhs": 0.3, "all": 1.0}


def _url(path: Path) -> str:
    """services/physiotherapy.html -> SITE/services/physiotherapy/ (index.html -> folder)."""
    rel = path.relative_to(CORPUS / "nhs").with_suffix("").as_posix()
    rel = rel.removesuffix("index").rstrip("/")
    return f"{SITE}/{rel}/" if rel else f"{SITE}/"


def _corrected(name: str, text: str) -> str:
    """A spelling-corpus file with its planted misspellings put right (labels.tsv)."""
    for line in (CORPUS / "spelling" / "labels.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        file, wrong, right, _kind = line.split("\t")
        if file == name:
            text = re.sub(rf"\b{re.escape(wrong)}\b", right, text)
    return text


def _txt_to_html(title: str, text: str) -> str:
    """A spelling-corpus file (a line a block) as a page: short lines without a full stop
    are headings, lines after one ending in a colon are list items until a full stop."""
    body, in_list = [f"<h1>{html.escape(title)}</h1>"], False
    for line in text.splitlines()[1:]:
        line = line.strip()
        if not line:
            continue
        ends = line[-1] in ".!?"
        if in_list and not ends:
            body.append(f"<ul><li>{html.escape(line)}</li></ul>")
            continue
        in_list = line.endswith(":")
        if not ends and not in_list and len(line.split()) <= 8:
            body.append(f"<h2>{html.escape(line)}</h2>")
        else:
            body.append(f"<p>{html.escape(line)}</p>")
    body.append(f"<p>Page last reviewed: {REVIEWED}</p><p>Next review due: {REVIEW_DUE}</p>")
    return (
        f"<!doctype html><html lang='en-GB'><head><title>{html.escape(title)}</title></head>"
        f"<body><main>{''.join(body)}</main></body></html>"
    )


def corpus_pages() -> dict[str, str]:
    """{url: html} for every page of the clean corpus."""
    pages = {
        _url(p): p.read_text(encoding="utf-8") for p in sorted((CORPUS / "nhs").rglob("*.html"))
    }
    for path in sorted((CORPUS / "spelling").glob("*.txt")):
        text = _corrected(path.name, path.read_text(encoding="utf-8"))
        title = text.splitlines()[0].strip()
        pages[f"{SITE}/advice/{path.stem}/"] = _txt_to_html(title, text)
    return pages


def config() -> Config:
    """The settings a trust would use for this site: the defaults, plus the clinicians'
    section named as pages for professionals."""
    cfg = Config(today=TODAY.isoformat())
    cfg.checks.professional_pages = ["/professionals/"]
    return cfg


def audit(tmp_path: Path, cfg: Config) -> tuple[list[Page], list[Finding]]:
    """Extract every corpus page and run every registered check over them."""
    load_all()
    store = RunStore(tmp_path / "run.sqlite", fresh=True)
    for url, text in corpus_pages().items():
        store.add_page(extract_page(Page(url=url, final_url=url, status=200), text))
    store.commit()
    ctx = CheckContext(
        config=cfg.checks,
        today=TODAY,
        site_origin=SITE,
        full_config=cfg,
        link_results={},
    )
    findings = run_checks(store, ctx)
    return list(store.pages()), findings


@pytest.fixture(scope="module")
def audited(tmp_path_factory) -> tuple[list[Page], list[Finding]]:
    return audit(tmp_path_factory.mktemp("corpus"), config())


def part(url: str) -> str:
    """Which part of the corpus a page belongs to: 'nhs' (tests/corpus/nhs) or 'spelling'."""
    return "spelling" if url.startswith(f"{SITE}/advice/") else "nhs"


def summary(pages: list[Page], findings: list[Finding]) -> str:
    """Words, pages and findings a page by rule, for the whole corpus and its two parts,
    as printed and quoted in the README."""
    lines = []
    for name in ("all", "nhs", "spelling"):
        mine = [p for p in pages if name in ("all", part(p.url))]
        urls = {p.url for p in mine}
        words = sum(p.figures.get("words", 0) or 0 for p in mine)
        found = [f for f in findings if f.url in urls]
        lines.append(f"clean corpus ({name}): {len(mine)} pages, {words} words")
        for rule, n in sorted(Counter(f.rule for f in found).items()):
            lines.append(f"  {rule:20} {n:4}  ({n / len(mine):.2f} a page)")
        lines.append(f"  {'all rules':20} {len(found):4}  ({len(found) / len(mine):.2f} a page)")
    return "\n".join(lines)


def test_corpus_is_big_enough(audited) -> None:
    pages, _findings = audited
    assert len(pages) >= 30
    assert sum(p.figures.get("words", 0) or 0 for p in pages) >= 20_000


def test_print_figures(audited, capsys) -> None:
    """The figures, and every finding but the long sentences, for a reader to judge."""
    pages, findings = audited
    with capsys.disabled():
        print("\n" + summary(pages, findings))
        for f in findings:
            if f.rule != "sentence-long":
                print(f"    {f.rule:16} {f.url[len(SITE) :]:40} {f.text!r}")
    assert findings  # the corpus has a few right findings (long sentences): the run ran


@pytest.mark.parametrize("rule", SILENT)
def test_no_false_alarms(audited, rule: str) -> None:
    if rule not in RULES:
        pytest.skip(f"{rule} is not registered on this branch")
    if rule == "typo":
        from content_audit.checks.engine import lexicon as lexicon_module

        assert lexicon_module.lexicon().available, (
            "no dictionaries: the silence would prove nothing"
        )
    _pages, findings = audited
    wrong = [
        (f.url, f.text, f.message)
        for f in findings
        if f.rule == rule and (f.rule, f.url[len(SITE) :], f.text) not in ALLOWED
    ]
    assert wrong == []


@pytest.mark.parametrize("name", ["nhs", "all"])
def test_sentence_long_is_rare(audited, name: str) -> None:
    pages, findings = audited
    urls = {p.url for p in pages if name in ("all", part(p.url))}
    n = sum(1 for f in findings if f.rule == "sentence-long" and f.url in urls)
    assert n / len(urls) <= MAX_SENTENCE_LONG_PER_PAGE[name]


def test_sentences_of_21_to_25_words_are_not_reported(audited) -> None:
    """The issue's noise: 124 of 278 sentence-long findings were on 21-25-word sentences."""
    _pages, findings = audited
    lengths = [f.details["words"] for f in findings if f.rule == "sentence-long"]
    assert lengths and min(lengths) > 25


def test_corpus_has_a_realistic_share_of_21_to_25_word_sentences(audited) -> None:
    """The corpus must hold the sentences the old default reported, or it proves nothing."""
    from content_audit.checks.engine.text import page_blocks, split_sentences
    from content_audit.checks.readability import prose_words

    pages, _findings = audited
    lengths = [
        len(prose_words(s))
        for p in pages
        if part(p.url) == "nhs"
        for b in page_blocks(p)
        if b.kind == "paragraph"
        for s in split_sentences(b.text)
    ]
    share = sum(1 for n in lengths if 21 <= n <= 25) / len(lengths)
    assert share >= 0.2  # about a quarter on real, well-edited NHS pages


def test_no_page_is_called_hard_to_read(audited) -> None:
    _pages, findings = audited
    assert [f.url for f in findings if f.rule == "readability-hard"] == []


def test_page_kinds_are_recognised(audited) -> None:
    pages, _findings = audited
    kinds = {p.url[len(SITE) :]: p.figures.get("page_kind") for p in pages}
    assert kinds["/services/"] == "a-z"
    assert kinds["/contact-us/"] == "directory"
    assert kinds["/professionals/msk-referral-criteria/"] == "professional"
    assert Counter(kinds.values())["advice"] == len(pages) - 3


def test_clinical_terms_are_left_alone_on_pages_for_professionals(audited) -> None:
    _pages, findings = audited
    assert [
        f.text for f in findings if f.rule == "plain-english" and "/professionals/" in f.url
    ] == []
