"""The request policy (core.policy): one object answers every question about a request, and
the crawl, the link checks and the revalidation before a re-run all obey it."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest

from content_audit.core.config import Config, HostRule
from content_audit.core.policy import ROBOTS_AGENT, RequestPolicy, is_loopback
from tests.webserver import Reply, WebServer, html


def policy_for(*rules: HostRule, exclude: tuple[str, ...] = (), **environ: str) -> RequestPolicy:
    config = Config()
    config.site.start_urls = ["https://www.example-trust.nhs.uk/"]
    config.links.hosts = list(rules)
    config.links.exclude = list(exclude)
    return RequestPolicy.from_config(config, environ)


def test_host_rules_match_a_host_its_subdomains_or_one_port():
    rule = HostRule(host="example.org")
    assert rule.matches("www.example.org", "www.example.org")
    assert rule.matches("example.org", "example.org:8080")
    assert not rule.matches("badexample.org", "badexample.org")
    port = HostRule(host="127.0.0.1:8080")
    assert port.matches("127.0.0.1", "127.0.0.1:8080")
    assert not port.matches("127.0.0.1", "127.0.0.1:9090")


def test_the_first_matching_rule_decides_statuses_and_skips():
    policy = policy_for(
        HostRule(host="www.linkedin.com", accept_status=[999]),
        HostRule(host="linkedin.com", skip=True),
        HostRule(host="ads.example", skip=True),
        exclude=(r"/archive/",),
    )
    assert policy.accepted_statuses("https://www.linkedin.com/in/someone") == (999,)
    assert policy.accepted_statuses("https://uk.linkedin.com/in/someone") == ()
    assert policy.accepted_statuses("https://example.org:99999/") == ()  # unreadable port
    assert not policy.skips_link("https://www.linkedin.com/in/someone")
    assert policy.skips_link("https://uk.linkedin.com/in/someone")
    assert policy.skips_link("https://cdn.ads.example/banner.js")
    assert policy.skips_link("https://example.org/archive/2019")
    assert not policy.skips_link("https://example.org/current")


def test_credentials_go_to_the_site_origins_only_and_are_never_shown():
    policy = policy_for(
        HostRule(host="partner.example", headers={"X-Partner-Key": "k1"}),
        HostRule(host="www.partner.example", headers={"X-Partner-Key": "k2", "X-More": "1"}),
        CONTENT_AUDIT_USER="editor",
        CONTENT_AUDIT_PASSWORD="s3cret",
    )
    site = policy.request_headers("https://www.example-trust.nhs.uk/a")
    assert site == {"Authorization": "Basic ZWRpdG9yOnMzY3JldA=="}
    assert policy.auth_for("https://www.example-trust.nhs.uk:8443/") == ""  # another port
    assert policy.auth_for("http://www.example-trust.nhs.uk/") == ""  # another scheme
    # every matching rule adds its headers, later ones winning
    assert policy.request_headers("https://www.partner.example/x") == {
        "X-Partner-Key": "k2",
        "X-More": "1",
    }
    assert "s3cret" not in repr(policy) and "ZWRpdG9y" not in repr(policy)
    assert policy_for().auth == ""  # no user set: no credentials


def test_loopback_hosts():
    for host in ("localhost", "127.0.0.1", "127.8.9.1", "::1", "[::1]", "app.localhost"):
        assert is_loopback(host), host
    for host in ("example.org", "10.0.0.1", "localhost.example.org", "[::2]"):
        assert not is_loopback(host), host


def test_robots_rules_are_read_for_one_name():
    from content_audit.crawler.settings import build_settings

    assert build_settings(Config())["ROBOTSTXT_USER_AGENT"] == ROBOTS_AGENT
    assert RequestPolicy().robots_agent == ROBOTS_AGENT


def test_the_middlewares_read_the_spiders_policy():
    from scrapy.http import Request

    from content_audit.crawler.middlewares import LinkPolicyMiddleware, SiteAuthMiddleware

    policy = policy_for(
        HostRule(host="partner.example", headers={"X-Partner-Key": "k1"}),
        CONTENT_AUDIT_USER="editor",
    )
    auth, rules = SiteAuthMiddleware(policy), LinkPolicyMiddleware(policy)
    request = Request("https://www.example-trust.nhs.uk/a")
    auth.process_request(request)
    rules.process_request(request)
    assert request.headers[b"Authorization"].startswith(b"Basic ")
    assert b"X-Partner-Key" not in request.headers
    # a redirect hop to the partner drops the credentials and adds the partner's key
    hop = request.replace(url="https://partner.example/b")
    auth.process_request(hop)
    rules.process_request(hop)
    assert b"Authorization" not in hop.headers
    assert hop.headers[b"X-Partner-Key"] == b"k1"
    # and a hop back drops the key again
    back = hop.replace(url="https://www.example-trust.nhs.uk/c")
    rules.process_request(back)
    assert b"X-Partner-Key" not in back.headers


# -- one host rule, obeyed by every request the audit makes -------------------------------
KEY = "trust-key"


def keyed_site() -> dict:
    """A site that, like a CDN in front of it, answers 304 only to requests that carry the
    key; the links point at a partner on another port that answers 999 (as LinkedIn does)."""
    bodies = {
        "/": html("Home", "<p><a href='/a.html'>Back pain</a> <a href='/b.html'>Knees</a></p>"),
        "/a.html": html("Back pain", "<p>Keep moving and take painkillers if you need them.</p>"),
        "/b.html": html("Knee pain", "<p>Rest your knee and use an ice pack.</p>"),
    }

    def route(path: str):
        def answer(request):
            etag = '"' + hashlib.sha1(bodies[path].encode()).hexdigest()[:12] + '"'
            keyed = request.headers.get("x-trust-key") == KEY
            if keyed and request.headers.get("if-none-match") == etag:
                return Reply(304, b"", {"ETag": etag})
            return Reply(body=bodies[path], headers={"ETag": etag})

        return answer

    return {path: route(path) for path in bodies}, bodies


@pytest.mark.e2e
def test_one_host_rule_is_obeyed_by_the_crawl_the_link_checks_and_revalidation(tmp_path):
    from tests.conftest import run_cli

    routes, bodies = keyed_site()
    partner = WebServer({"/members": Reply(999, "Request denied")})
    site = WebServer(routes)
    with site, partner:
        link = f"<p><a href='{partner.url}/members'>Members' area</a></p>"
        bodies["/"] = bodies["/"].replace("</main>", link + "</main>")
        base = 'today = "2026-11-24"\n[crawl]\ntimeout = 3\nretries = 0\n'
        # without the rule: the partner's 999 is a finding, and no request has the key
        plain = run_cli([site.url + "/"], tmp_path / "plain", config=base)
        assert plain.code in (0, 1), plain.stdout + plain.stderr
        assert [f["rule"] for f in plain.findings() if "members" in f.get("target", "")]
        assert not [h for h in site.log + partner.log if "x-trust-key" in h.headers]

        # one rule for the host 127.0.0.1 (both servers, any port): a header and a status
        rule = '[[links.hosts]]\nhost = "127.0.0.1"\naccept_status = [999]\n'
        rule += f'headers = {{ "X-Trust-Key" = "{KEY}" }}\n'
        site.log.clear()
        partner.log.clear()
        out = tmp_path / "ruled"
        first = run_cli([site.url + "/"], out, config=base + rule)
        assert first.code in (0, 1), first.stdout + first.stderr
        # the crawl: every page request carried the key
        pages = [h for h in site.log if h.path in bodies]
        assert pages and all(h.headers.get("x-trust-key") == KEY for h in pages)
        # the link checks: the partner was asked with the key, and its 999 is accepted
        assert partner.log and all(h.headers.get("x-trust-key") == KEY for h in partner.log)
        assert not [f for f in first.findings() if "members" in f.get("target", "")]

        # revalidation before the second run's crawl: only a request with the key gets a
        # 304, so every page is known unchanged only if revalidation sent it too
        site.log.clear()
        second = run_cli([site.url + "/"], out, config=base + rule)
        assert second.code == first.code, second.stdout + second.stderr
        with sqlite3.connect(out / "run.sqlite") as db:
            (summary,) = db.execute("SELECT value FROM meta WHERE key = 'revalidation'").fetchone()
        assert json.loads(summary) == {"asked": 3, "unchanged": 3, "stopped": ""}
        asked = [h for h in site.log if h.path in bodies]
        assert asked and all(h.headers.get("x-trust-key") == KEY for h in asked)
        assert second.data["run"]["pages_unchanged"] == 3
        assert second.findings() == first.findings()
