"""The gate verdict for each mode, with and without a baseline, and the thresholds."""

from __future__ import annotations

import json
from datetime import date

import pytest

from content_audit.baseline import BaselineError, load_baseline, write_baseline
from content_audit.core.model import Finding, assign_fingerprints
from content_audit.gate import EXIT_FINDINGS, EXIT_NOT_AUDITED, EXIT_OK, Thresholds, decide, gate
from tests.test_report_fixtures import SITE, findings

TODAY = date(2026, 11, 24)


def only(*severities: str) -> list[Finding]:
    return assign_fingerprints(
        [
            Finding(rule="title-missing", severity=s, url=f"{SITE}/{i}", message="m")
            for i, s in enumerate(severities)
        ]
    )


@pytest.mark.parametrize(
    ("severities", "fail_on", "expected"),
    [
        (("error", "warning", "notice"), "error", EXIT_FINDINGS),
        (("warning", "notice"), "error", EXIT_OK),
        (("warning", "notice"), "warning", EXIT_FINDINGS),
        (("notice",), "warning", EXIT_OK),
        (("notice",), "notice", EXIT_FINDINGS),
        ((), "notice", EXIT_OK),
        (("error", "warning", "notice"), "never", EXIT_OK),
    ],
)
def test_fail_on_each_severity(severities, fail_on, expected):
    verdict = decide(only(*severities), fail_on=fail_on)
    assert verdict.exit_code == expected
    assert gate(only(*severities), fail_on) == expected
    if expected == EXIT_FINDINGS:
        assert f"(the gate fails on {fail_on}s" in verdict.headline
    else:
        assert verdict.headline.startswith("Passed")


def test_not_audited_is_2_whatever_the_findings():
    for found in ([], only("error")):
        for fail_on in ("error", "never"):
            verdict = decide(
                found, fail_on=fail_on, audited=False, not_audited_reason="crawl aborted"
            )
            assert verdict.exit_code == EXIT_NOT_AUDITED
            assert verdict.headline == "Not audited: crawl aborted"


def test_fail_on_new_counts_only_new_findings():
    found = only("error", "error")
    found[0].status, found[1].status = "persisting", "new"
    verdict = decide(found, fail_on="error", fail_on_new=True)
    assert verdict.exit_code == EXIT_FINDINGS
    assert verdict.failing == [found[1].fingerprint]
    assert "1 new error" in verdict.reasons[0]
    found[1].status = "persisting"
    verdict = decide(found, fail_on="error", fail_on_new=True)
    assert verdict.exit_code == EXIT_OK
    assert verdict.headline == "Passed: no new errors or worse"


def test_baseline_round_trip_accepts_until_expiry(tmp_path):
    found = findings("a")
    path = tmp_path / "baseline.json"
    assert write_baseline(path, found, TODAY, days=90) == len(found)
    data = json.loads(path.read_text())
    entry = data["accepted"][0]
    assert set(entry) >= {"fingerprint", "rule", "url", "text", "reason", "expires"}
    assert entry["reason"] == "accepted at adoption"
    assert entry["expires"] == "2027-02-22"

    baseline = load_baseline(path)
    accepted = baseline.accepted(found, TODAY)
    assert set(accepted) == {f.fingerprint for f in found}
    # without the baseline the errors fail; with it nothing does
    assert decide(found, fail_on="error").exit_code == EXIT_FINDINGS
    verdict = decide(found, fail_on="notice", accepted=accepted)
    assert verdict.exit_code == EXIT_OK
    assert verdict.accepted == len(found)
    # a new error is not in the baseline: it fails
    today = findings("b")
    verdict = decide(today, fail_on="error", accepted=baseline.accepted(today, TODAY))
    assert verdict.exit_code == EXIT_FINDINGS
    assert len(verdict.failing) == 1
    # once expired, entries stop counting
    later = date(2027, 2, 23)
    assert baseline.accepted(found, later) == {}
    assert decide(found, fail_on="error", accepted=baseline.accepted(found, later)).exit_code == 1
    assert len(baseline.expired(later)) == len(found)


def test_baseline_with_fail_on_new(tmp_path):
    found = findings("b")
    for f in found:
        f.status = "new"  # the first run with history: everything is new
    path = tmp_path / "b.json"
    write_baseline(path, found, TODAY)
    accepted = load_baseline(path).accepted(found, TODAY)
    assert decide(found, fail_on="error", fail_on_new=True).exit_code == EXIT_FINDINGS
    assert decide(found, fail_on="error", fail_on_new=True, accepted=accepted).exit_code == EXIT_OK


@pytest.mark.parametrize(
    "text",
    ["{", '{"accepted": "no"}', '{"accepted": [{"rule": "x"}]}',
     '{"accepted": [{"fingerprint": "a", "expires": "soon"}]}'],
)  # fmt: skip
def test_bad_baseline_files_are_named(tmp_path, text):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(BaselineError, match=r"bad\.json"):
        load_baseline(path)


def broken_links(n_internal: int, n_external: int) -> list[Finding]:
    items = [
        Finding(rule="link-broken", severity="error", url=f"{SITE}/a", message="Broken link.", target=f"{SITE}/gone{i}")
        for i in range(n_internal)
    ] + [
        Finding(rule="link-broken", severity="error", url=f"{SITE}/a", message="Broken link.", target=f"https://other.example/{i}")
        for i in range(n_external)
    ]  # fmt: skip
    return assign_fingerprints(items)


def test_threshold_broken_internal_links():
    limits = Thresholds(max_broken_internal_links=2)
    ok = decide(broken_links(2, 5), fail_on="never", thresholds=limits)
    assert ok.exit_code == EXIT_OK
    bad = decide(broken_links(3, 0), fail_on="never", thresholds=limits)
    assert bad.exit_code == EXIT_FINDINGS
    assert bad.reasons == [
        "max_broken_internal_links: 3 broken internal links, more than the 2 allowed"
    ]
    assert "max_broken_internal_links" in bad.headline


def test_threshold_reading_age_names_the_pages():
    pages = [
        {"url": f"{SITE}/easy", "figures": {"reading_age": 9}},
        {"url": f"{SITE}/hard", "figures": {"reading_age": 16}},
        {"url": f"{SITE}/none", "figures": {}},
    ]
    verdict = decide([], fail_on="error", thresholds=Thresholds(max_reading_age=12), pages=pages)
    assert verdict.exit_code == EXIT_FINDINGS
    assert verdict.reasons == [f"max_reading_age: 1 page above reading age 12: {SITE}/hard (16)"]
    assert decide(
        [], fail_on="error", thresholds=Thresholds(max_reading_age=16), pages=pages
    ).passed
    # a page too short for readability figures to mean much does not count
    pages[1]["figures"]["words"] = 40
    limits = Thresholds(max_reading_age=12)
    assert decide([], fail_on="error", thresholds=limits, pages=pages, min_words=100).passed


def test_the_reading_age_threshold_spares_listings_and_judges_clinicians_pages_by_theirs():
    """An A to Z gets figures, never a verdict; a page for clinicians
    (checks.professional_pages) is held to their reading age, as readability-hard is."""
    limits = Thresholds(max_reading_age=14)
    az = [{"url": f"{SITE}/a-z", "figures": {"reading_age": 17, "page_kind": "a-z"}}]
    assert decide([], fail_on="error", thresholds=limits, pages=az).passed
    gp = [{"url": f"{SITE}/refer", "figures": {"reading_age": 17, "page_kind": "professional"}}]
    assert decide([], fail_on="error", thresholds=limits, pages=gp, professional_age=18).passed
    gp[0]["figures"]["reading_age"] = 19
    assert not decide([], fail_on="error", thresholds=limits, pages=gp, professional_age=18).passed
    advice = [{"url": f"{SITE}/back", "figures": {"reading_age": 17, "page_kind": "advice"}}]
    assert not decide([], fail_on="error", thresholds=limits, pages=advice).passed


def test_threshold_placeholders():
    found = assign_fingerprints(
        [
            Finding(
                rule="placeholder-text",
                severity="warning",
                url=f"{SITE}/a",
                message="Lorem ipsum left in.",
                text="Lorem ipsum",
            )
        ]
    )
    verdict = decide(found, fail_on="never", thresholds=Thresholds(max_placeholders=0))
    assert verdict.exit_code == EXIT_FINDINGS
    assert verdict.reasons[0].startswith("max_placeholders: 1 placeholder text")
    accepted = {found[0].fingerprint}
    assert decide(
        found, fail_on="never", thresholds=Thresholds(max_placeholders=0), accepted=accepted
    ).passed


def test_thresholds_off_by_default():
    assert decide(broken_links(50, 0), fail_on="never").passed


def test_a_check_that_could_not_run_never_hides_what_the_others_found():
    """Missing dictionaries: the run cannot pass (2), but the broken links it did find
    still fail it as findings (1), with both reasons in the headline."""
    why = "typo could not run: the spelling dictionaries are not installed on this machine"
    found = decide(only("error"), fail_on="error", checks_not_run=why)
    assert found.exit_code == EXIT_FINDINGS
    assert found.headline.startswith("Failed: 1 error (the gate fails on errors); typo could")
    clean = decide(only("notice"), fail_on="error", checks_not_run=why)
    assert clean.exit_code == EXIT_NOT_AUDITED and not clean.passed
    assert clean.headline == f"Not audited: {why}"


def test_another_sites_passing_failure_is_a_warning_until_seen_twice():
    from content_audit.gate import unconfirmed_transient

    site = "https://www.example-trust.nhs.uk"

    def broken(target, reason, status=""):
        f = Finding("link-broken", "error", f"{site}/a", "Broken link: x.", target=target,
                    details={"reason": reason})  # fmt: skip
        f.status = status
        return f

    other_500 = broken("https://charity.example.org/help", "server-error", "new")
    other_again = broken("https://charity.example.org/help", "server-error", "persisting")
    other_gone = broken("https://charity.example.org/old", "gone", "new")
    own_500 = broken(f"{site}/book", "server-error", "new")
    other_timeout = broken("https://slow.example.org/", "timeout", "")  # a first audit
    found = [other_500, other_again, other_gone, own_500, other_timeout]
    unconfirmed_transient(found, {"www.example-trust.nhs.uk"})
    assert [f.severity for f in found] == ["warning", "error", "error", "error", "warning"]
    assert other_500.message.endswith("if it still fails at the next audit, it becomes an error.")
    assert other_500.details["unconfirmed"] is True
