"""Words a service manager can act on (first-week review, item 16): no reading age of 31,
no formula scores, no character-set names, and pages named by their titles, not their
addresses."""

from __future__ import annotations

import re
from pathlib import Path

from content_audit.checks.basics import check_encoding, check_title_and_h1, heading_from_title
from content_audit.checks.engine.registry import RULES
from content_audit.checks.readability import _message
from content_audit.core.model import Finding, Page, assign_fingerprints
from content_audit.reports.data import message_parts, message_text, reading_age_text
from content_audit.reports.writer import write_reports
from tests.test_report import section, visible_text
from tests.test_report_fixtures import RUN, SITE, FakeStore, config, findings, pages

PHYSIO = f"{SITE}/services/physiotherapy/"


def test_a_reading_age_past_18_is_very_hard_not_a_number():
    assert reading_age_text(31) == "very hard (above 18)"
    assert reading_age_text(18) == "18"
    assert reading_age_text(9.5) == "9.5"
    assert reading_age_text(None) == "–"
    message = _message(31, 15, False, 11)
    assert "reading age above 18, very hard" in message and "31" not in message
    assert "reading age of 14 " in _message(14, 15, False, 11)


def test_a_wrong_character_set_is_explained_without_its_name():
    page = Page(url=f"{SITE}/a", final_url=f"{SITE}/a", status=200, title="A")
    page.encoding_problem = (
        "The page says its text is in one character set (utf-8) but it is written in "
        "another (cp1252), so some letters show as \ufffd."
    )
    (finding,) = check_encoding(page, None)
    words = f"{finding.message} {finding.action}"
    for name in ("utf-8", "cp1252", "UTF-8", "charset"):
        assert name not in words, name
    assert "character set it says it uses" in finding.message
    assert "web team" in finding.action
    assert finding.details["technical"] == page.encoding_problem  # for the web team


def test_a_suggested_heading_leaves_out_the_sites_name():
    assert heading_from_title("Respiratory service - Northdale Community Health NHS Trust") == (
        "Respiratory service"
    )
    assert heading_from_title("Sepsis: symptoms | Northdale NHS") == "Sepsis: symptoms"
    assert heading_from_title("Covid-19 vaccines") == "Covid-19 vaccines"
    page = Page(
        url=f"{SITE}/r",
        final_url=f"{SITE}/r",
        status=200,
        title="Respiratory service - Northdale Community Health NHS Trust",
        is_html=True,
    )
    (finding,) = check_title_and_h1(page, None)
    assert finding.suggestion == "Respiratory service"


def test_an_address_in_a_message_is_the_pages_title():
    titles = {PHYSIO: "Physiotherapy"}
    message = f"2 other pages give 0113 843 7700, for example {PHYSIO}."
    assert message_parts(message, titles) == [
        ("2 other pages give 0113 843 7700, for example ", ""),
        ("Physiotherapy", PHYSIO),
        (".", ""),
    ]
    assert message_text(message, titles).endswith("for example ‘Physiotherapy’.")
    # an address that is not an audited page stays as it is
    other = "This link redirects to https://www.nhs.uk/visiting/."
    assert message_parts(other, titles) == [(other, "")]


def wording_report(tmp: Path, owners: dict[str, str] | None = None) -> Path:
    found = [
        *findings("b"),
        Finding(
            rule="phone-inconsistent",
            severity="error",
            url=f"{SITE}/services/maternity/antenatal/",
            message=f"This page gives 0113 843 7701; 2 other pages give 0113 843 7700, "
            f"for example {PHYSIO}.",
            text="0113 843 7701",
        ),
    ]
    assign_fingerprints(found)
    cfg = config(tmp / "out", **({"owners": owners} if owners is not None else {}))
    store = FakeStore(pages())
    for page in store._pages:
        if page.url == PHYSIO:
            page.figures = {**page.figures, "reading_age": 31, "smog_index": 24.2}
    write_reports(cfg.out_dir, dict(RUN), store, found, cfg, rules=RULES)
    return cfg.out_dir


def test_the_report_names_pages_and_never_shows_an_age_of_31(tmp_path):
    out = wording_report(tmp_path)
    index = (out / "index.html").read_text(encoding="utf-8")
    card = next(
        c for c in re.findall(r"<article.*?</article>", index, flags=re.S) if "0113 843 7701" in c
    )
    assert f'for example <a href="{PHYSIO}">Physiotherapy</a>.' in card
    readability = visible_text(section(index, "readability"))
    assert "Physiotherapy Clinical services very hard (above 18) very hard (above 18)" in (
        readability
    )
    assert " 31 " not in readability and " 29 " not in readability
    assert "very hard (above 18)" in visible_text(section(index, "pages"))
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "for example ‘Physiotherapy’." in summary
