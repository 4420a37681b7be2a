"""findings.sarif against GitHub code scanning's documented constraints, not only the schema.

From "SARIF support for code scanning" and "About code scanning limits on SARIF results"
(docs.github.com) and the GitHub rules of Microsoft's SARIF validator (GH1001-GH1005, GH2012):
locations are file paths (relative URIs or file: URIs; an http:// location is refused),
every rule has shortDescription, fullDescription and help text, every result has ruleId,
message.text, a location with region.startLine and partialFingerprints; at most 20 runs a
file, 25,000 results and 25,000 rules a run, 1,000 locations a result, 20 tags a rule, and
10 MB gzip-compressed.
"""

from __future__ import annotations

import gzip
import json
import re
from urllib.parse import urlsplit

from content_audit.checks import load_all
from content_audit.checks.engine.registry import RULES
from content_audit.reports.data import rule_info
from content_audit.reports.sarif import MAX_RESULTS, pascal_name, sarif_document

load_all()

SITE = "https://www.example-trust.nhs.uk"
RUN = {"start_urls": [f"{SITE}/"], "complete": True, "started": "2026-11-24T02:00:00+00:00"}


def finding(i: int, rule: str = "link-broken", severity: str = "error", **kw) -> dict:
    row = {
        "rule": rule, "severity": severity, "url": f"{SITE}/services/page-{i}/",
        "title": f"Service {i}", "message": "Broken link: the page no longer exists (404).",
        "text": "the leaflet", "target": f"{SITE}/docs/leaflet-{i}.pdf",
        "suggestion": "Update the link to the page's new address, or remove it.",
        "fingerprint": f"{i:016x}", "status": "new", "first_seen": "2026-11-24",
        "owner": "Clinical services", "accepted": None,
    }  # fmt: skip
    row.update(kw)
    return row


def document(findings: list[dict]) -> dict:
    rules = [{**rule_info(r, RULES), "count": 1} for r in sorted(RULES)]
    return sarif_document(RUN, findings, rules)


def uris(doc: dict) -> list[str]:
    found = []
    for result in doc["runs"][0]["results"]:
        for key in ("locations", "relatedLocations"):
            for loc in result.get(key, []):
                found.append(loc["physicalLocation"]["artifactLocation"]["uri"])
    return found


def test_locations_are_relative_paths_never_http_addresses() -> None:
    doc = document([
        finding(1),
        finding(2, url=f"{SITE}/"),
        finding(3, url=f"{SITE}/news?page=2"),
        finding(4, url="https://other.example-trust.nhs.uk/a b/"),
    ])  # fmt: skip
    found = uris(doc)
    assert found == [
        "services/page-1/",
        "index",
        "news%3Fpage=2",
        "other.example-trust.nhs.uk/a%20b/",
    ]
    for uri in found:
        assert urlsplit(uri).scheme in ("", "file") and not uri.startswith("/")
    result = doc["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "SITE"
    # the full addresses, for people and for tools
    assert result["properties"]["pageUrl"] == f"{SITE}/services/page-1/"
    assert result["properties"]["target"] == f"{SITE}/docs/leaflet-1.pdf"
    assert f"Page: {SITE}/services/page-1/" in result["message"]["text"]
    assert f"Link: {SITE}/docs/leaflet-1.pdf" in result["message"]["text"]


def test_every_rule_has_the_descriptions_github_requires_from_the_catalogue() -> None:
    rules = document([finding(1)])["runs"][0]["tool"]["driver"]["rules"]
    assert len(rules) == len(RULES) <= 25_000
    for rule in rules:
        catalogue = RULES[rule["id"]]
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", rule["name"]), rule["name"]
        assert rule["shortDescription"]["text"] == catalogue.name
        assert rule["fullDescription"]["text"] == catalogue.summary
        assert catalogue.summary in rule["help"]["text"]
        assert f"How to fix it: {catalogue.fix}" in rule["help"]["text"]
        assert len(rule["properties"]["tags"]) <= 20
    by_id = {r["id"]: r for r in rules}
    assert by_id["placeholder"]["name"] == "PlaceholderOrTemplateText"


def test_pascal_case_names() -> None:
    assert pascal_name("Placeholder or template text") == "PlaceholderOrTemplateText"
    assert pascal_name("Link to a 'page not found' page") == "LinkToAPageNotFoundPage"
    assert pascal_name("Insecure (http) link") == "InsecureHttpLink"


def test_every_result_has_what_github_needs_to_make_an_alert() -> None:
    doc = document([finding(1), finding(2, rule="title-missing", severity="warning")])
    assert len(doc["runs"]) <= 20
    for result in doc["runs"][0]["results"]:
        assert result["ruleId"] in RULES
        assert result["message"]["text"].strip()
        assert 1 <= len(result["locations"]) <= 1_000
        assert result["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1
        assert result["partialFingerprints"]["contentAudit/v1"]
        assert result["level"] in ("error", "warning", "note")


def test_a_huge_site_stays_within_the_upload_limits_most_severe_first() -> None:
    notices = [finding(i, rule="link-redirect", severity="notice") for i in range(20_000)]
    errors = [finding(100_000 + i) for i in range(10_000)]
    doc = document(notices + errors)
    results = doc["runs"][0]["results"]
    assert len(results) == MAX_RESULTS == 25_000
    assert sum(1 for r in results if r["level"] == "error") == 10_000  # none left out
    assert doc["runs"][0]["properties"]["resultsLeftOut"] == 5_000
    packed = gzip.compress(json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    assert len(packed) < 10 * 1024 * 1024
