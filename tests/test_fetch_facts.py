"""Facts about a fetch (core.model.FetchFacts) and why it failed (FailureKind): typed in
memory, stored as they always were, so the last run's store and the link cache read back."""

from __future__ import annotations

import json

from content_audit.core.model import (
    FACT_NAMES,
    STORED_FACTS,
    FailureKind,
    Fetch,
    FetchFacts,
    LinkProblem,
)

EVERY_FACT = FetchFacts(
    title="Back pain", h1="Back pain", anchors="top treatment", anchors_truncated=True,
    problem=LinkProblem.SOFT_404, oembed=404, oembed_error=FailureKind.TIMEOUT,
    https="https://partner.example/", head_status=405, retry_after_too_long="3600",
    retries=2, cached="2026-11-23T01:02:03Z", content_hash="abc", body="def",
    unchanged="304", probe="https://www.trust.nhs.uk", is_page=True,
)  # fmt: skip


def test_every_fact_has_its_stored_name():
    assert set(FACT_NAMES) == {name for name in FetchFacts.__slots__}
    assert len(set(STORED_FACTS.values())) == len(STORED_FACTS)


def test_facts_round_trip_through_the_stored_form():
    fetch = Fetch(url="https://partner.example/a", final_url="https://partner.example/a",
                  status=200, headers={"etag": '"1"'}, facts=EVERY_FACT)  # fmt: skip
    data = json.loads(json.dumps(fetch.to_dict()))
    assert data["headers"]["x-audit-head-status"] == "405"
    assert data["headers"]["x-audit-kind"] == "page"
    assert data["headers"]["x-audit-anchors-truncated"] == "1"
    back = Fetch.from_dict(data)
    assert back.facts == EVERY_FACT and back.headers == {"etag": '"1"'}
    assert back == fetch


def test_a_record_stored_last_night_reads_as_typed_facts():
    """Written by the version that carried facts as x-audit-* pseudo-headers."""
    old = {
        "url": "https://partner.example/v", "final_url": "https://partner.example/v",
        "status": 0, "content_type": "", "size": 0, "elapsed_ms": 12, "redirects": [],
        "error": "youtube-unknown", "error_detail": "YouTube did not say", "method": "GET",
        "headers": {"x-audit-oembed-error": "dns", "x-audit-retries": "1",
                    "x-audit-title": "", "server": "nginx"},
    }  # fmt: skip
    fetch = Fetch.from_dict(old)
    assert fetch.error is FailureKind.YOUTUBE_UNKNOWN
    assert fetch.facts == FetchFacts(oembed_error=FailureKind.DNS, retries=1, title="")
    assert fetch.headers == {"server": "nginx"}
    assert fetch.to_dict() == old  # written back the very same


def test_what_this_version_cannot_read_is_not_a_fact():
    fetch = Fetch.from_dict({"url": "u", "final_url": "u", "status": 0, "error": "quantum",
                             "headers": {"x-audit-problem": "haunted",
                                         "x-audit-retries": "many"}})  # fmt: skip
    assert fetch.error is FailureKind.ERROR
    assert fetch.facts == FetchFacts()


def test_a_failure_kind_is_its_stored_text():
    assert json.dumps({"error": FailureKind.BLOCKED_ADDRESS}) == '{"error": "blocked-address"}'
    assert f"{FailureKind.DNS}" == "dns" and FailureKind.DNS == "dns"
