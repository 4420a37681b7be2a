"""Link checking end to end: run_audit.py in a subprocess against local servers.

One small site (written to a temporary folder, served by content_audit.sample.servers.SampleServers)
links to every behaviour of the fake external web; each test asserts the exact verdict for
one target, including the ones that must NOT be reported as broken. A Twisted reactor runs
once per process, hence the subprocesses.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from content_audit.sample.servers import SampleServers

pytestmark = pytest.mark.e2e  # a real crawl, server or browser: not in the fast tier

ROOT = Path(__file__).resolve().parent.parent
EXT = "https://external.example"  # rewritten to the external server's origin when served
PAGES = 200  # pages that all use the same links

PAGE = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">
<title>{title}</title><link rel="stylesheet" href="/css/site.css"></head>
<body><header><a href="/index.html">Home</a></header>
<nav><ul><li><a href="/index.html">Home</a></li><li><a href="{ext}/ok/nav-partner">Partner</a></li></ul></nav>
<main id="content"><h1 id="top-heading">{title}</h1>
{body}
</main><footer><a href="{ext}/ok/footer-link">Footer partner</a></footer></body></html>
"""


def closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def write_page(site: Path, path: str, title: str, body: str) -> None:
    file = site / path.lstrip("/")
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(PAGE.format(title=title, body=body, ext=EXT), encoding="utf-8")


def run_audit(site_url: str, tmp: Path, config: str, *flags: str, env: dict | None = None):
    cfg = tmp / "audit.toml"
    cfg.write_text(config, encoding="utf-8")
    out = tmp / "out"
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "run_audit.py", site_url + "/index.html", "--out", str(out),
         "--today", "2026-11-24", "--config", str(cfg), *flags],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, **(env or {})},
    )  # fmt: skip
    elapsed = time.monotonic() - started
    assert (out / "findings.json").is_file(), proc.stdout + proc.stderr
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return data["findings"], elapsed, proc


BASE_CONFIG = """
[site]
use_sitemap = false
[crawl]
timeout = 2
retries = 1
concurrency = 16
per_host_concurrency = 4
[links]
retry_after_max = 2
timeout_retries = 1
youtube_oembed = "{ext}/youtube/oembed"
cache = "{cache}"
exclude = ["/ok/excluded-by-pattern"]
[[links.hosts]]
host = "127.0.0.1:{rules_port}"
accept_status = [404]
headers = {{ X-Partner-Key = "partner-secret" }}
[[links.hosts]]
host = "127.0.0.1:{skip_port}"
skip = true
"""


class Audit:
    """The servers, the site and the findings of the first run, shared by the tests."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.site_dir = tmp / "site"
        self.site_dir.mkdir()
        self.main = SampleServers(site_dir=self.site_dir, slow_seconds=6).start()
        self.rules = SampleServers(site_dir=self.site_dir).start()  # "another host" with rules
        self.skipped = SampleServers(site_dir=self.site_dir).start()  # a host to skip
        self.refused = closed_port()
        self.cache = tmp / "cache" / "links.sqlite"
        self.write_site()
        self.config = BASE_CONFIG.format(
            ext=self.main.external_url,
            cache=self.cache,
            rules_port=self.rules.external_url.rsplit(":", 1)[1],
            skip_port=self.skipped.external_url.rsplit(":", 1)[1],
        )

    def write_site(self) -> None:
        links = [
            ("ok", f"{EXT}/ok/healthy", "Healthy partner page"),
            ("moved", f"{EXT}/moved", "Moved partner page"),
            ("chain", f"{EXT}/chain", "Chained partner page"),
            ("temporary", f"{EXT}/temporary", "Temporary partner page"),
            ("gone", f"{EXT}/gone", "Gone partner page"),
            ("removed", f"{EXT}/removed", "Removed partner page"),
            ("server-error", f"{EXT}/server-error", "Erroring partner page"),
            ("unavailable", f"{EXT}/unavailable", "Unavailable partner page"),
            ("flaky", f"{EXT}/flaky", "Flaky partner page"),
            ("rate-limited-once", f"{EXT}/rate-limited-once", "Busy partner page"),
            ("always-429", f"{EXT}/always-429", "Very busy partner page"),
            ("head-refused", f"{EXT}/head-refused", "Partner page that refuses HEAD"),
            ("bot-wall", f"{EXT}/bot-wall", "Partner behind a bot wall"),
            ("linkedin", f"{EXT}/linkedin", "Partner on a social network"),
            ("slow", f"{EXT}/slow", "Slow partner page"),
            ("loop", f"{EXT}/loop", "Looping partner page"),
            ("reset", f"{EXT}/reset", "Partner that hangs up"),
            ("teapot", f"{EXT}/status/418", "Partner that is a teapot"),
            ("soft-404", f"{EXT}/soft-404", "Partner page that is not there"),
            ("fragment-ok", f"{EXT}/ok/guide#part-1", "Part 1 of the guide"),
            ("fragment-missing", f"{EXT}/ok/guide#missing-part", "Missing part of the guide"),
            ("refused", f"http://127.0.0.1:{self.refused}/", "Closed partner service"),
            ("dns", "https://no-such-host.invalid/", "Partner that does not exist"),
            ("metadata", "http://169.254.169.254/latest/meta-data/", "Cloud metadata"),
            ("video-ok", f"{EXT}/youtube/watch?v=fineVideo1", "A video that exists"),
            ("video-removed", f"{EXT}/youtube/watch?v=REMOVED123", "A removed video"),
            ("video-private", f"{EXT}/youtube/watch?v=PRIVATE123", "A private video"),
            ("excluded", f"{EXT}/ok/excluded-by-pattern", "An excluded partner page"),
            ("rule-accepts-404", f"{self.rules.external_url}/gone", "Partner whose 404 is fine"),
            ("rule-headers", f"{self.rules.external_url}/ok/with-key", "Partner with a key"),
            ("skipped-host", f"{self.skipped.external_url}/gone", "Partner never checked"),
            ("internal-404", "/no-such-page.html", "Missing page of ours"),
            ("internal-fragment-ok", "/about.html#team", "Our team"),
            ("internal-fragment-missing", "/about.html#history", "Our history"),
        ]
        self.targets = {name: url for name, url, _ in links}
        items = "\n".join(f'<li><a href="{url}">{text}</a></li>' for _, url, text in links)
        body = f"""<p>Welcome.</p><ul>{items}</ul>
<p><img src="{EXT}/head-refused?as=image" alt="A partner logo"></p>
<p>For the leaflet <a href="{EXT}/ok/leaflet-info">click here</a>.</p>
<p><a href="{EXT}/ok/leaflet-info">Leaflet information</a>, the
<a href="{EXT}/ok/leaflet-archive">leaflet archive</a> and again
<a href="{EXT}/ok/leaflet-info">Leaflet information</a>.</p>
<p>See <a href="/pages.html">all our pages</a>.</p>"""
        write_page(self.site_dir, "/index.html", "Home", body)
        write_page(
            self.site_dir, "/about.html", "About us",
            '<h2 id="team">Team</h2><p>Our team. <a href="#top">Back to top</a></p>',
        )  # fmt: skip
        # PAGES pages that all use the same two external links and one image
        listing = "".join(
            f'<li><a href="/page-{n}.html">Page number {n}</a></li>' for n in range(1, PAGES + 1)
        )
        write_page(self.site_dir, "/pages.html", "All pages", f"<ul>{listing}</ul>")
        for n in range(1, PAGES + 1):
            nxt = ""
            write_page(
                self.site_dir, f"/page-{n}.html", f"Page {n}",
                f'<p>Page {n}. <a href="{EXT}/ok/everywhere">Shared partner page</a>.</p>'
                f'<p><img src="{EXT}/ok/shared-image.png" alt="Shared image"> {nxt}</p>',
            )  # fmt: skip

    def stop(self) -> None:
        for servers in (self.main, self.rules, self.skipped):
            servers.stop()


@pytest.fixture(scope="module")
def audit(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("links")
    state = Audit(tmp)
    env = {"CONTENT_AUDIT_USER": "editor", "CONTENT_AUDIT_PASSWORD": "s3cret"}
    state.findings, state.elapsed, state.proc = run_audit(
        state.main.site_url, tmp, state.config, env=env
    )
    state.first_external_log = state.main.external_log()
    state.first_site_log = state.main.site_log()
    state.rules_log = state.rules.external_log()
    state.skipped_log = state.skipped.external_log()
    yield state
    state.stop()


def for_target(audit: Audit, name: str) -> list[dict[str, Any]]:
    url = audit.main.rewrite(audit.targets[name])
    if url.startswith("/"):
        url = audit.main.site_url + url
    return [f for f in audit.findings if f.get("target") == url]


def rules_for(audit: Audit, name: str) -> set[str]:
    return {f["rule"] for f in for_target(audit, name)}


def only(audit: Audit, name: str, rule: str) -> dict[str, Any]:
    found = for_target(audit, name)
    verdicts = [f for f in found if f["rule"] != "link-insecure"]
    assert [f["rule"] for f in verdicts] == [rule], (name, found)
    return verdicts[0]


# -- exact verdicts ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "rule", "severity", "reason", "words"),
    [
        ("gone", "link-broken", "error", "gone", "no longer exists (404)"),
        ("removed", "link-broken", "error", "gone", "removed for good (410)"),
        ("teapot", "link-broken", "error", "client-error", "(418)"),
        ("server-error", "link-broken", "error", "server-error", "(500)"),
        ("unavailable", "link-broken", "error", "server-error", "(503)"),
        ("slow", "link-broken", "error", "timeout", "took more than 2 s to answer"),
        ("loop", "link-broken", "error", "redirect-loop", "loop"),
        ("reset", "link-broken", "error", "connection", "connection"),
        ("refused", "link-broken", "error", "connection", "refused"),
        ("dns", "link-broken", "error", "gone", "does not exist"),
        ("always-429", "link-unverifiable", "notice", "rate-limited", "429"),
        ("bot-wall", "link-unverifiable", "notice", "blocked", "bot protection"),
        ("linkedin", "link-unverifiable", "notice", "blocked", "999"),
        ("metadata", "link-unverifiable", "notice", "private-address", "private"),
        ("soft-404", "link-soft-404", "warning", "not-found-page", "Page not found"),
        ("video-removed", "link-soft-404", "warning", "video-removed", "does not exist"),
        ("video-private", "link-soft-404", "warning", "video-private", "private"),
        ("moved", "link-redirect", "warning", "redirect", "/ok/new-home"),
        ("chain", "link-redirect", "warning", "redirect", "/ok/chain-end"),
        ("temporary", "link-redirect", "notice", "redirect", "/ok/temporary-home"),
        ("internal-404", "link-broken", "error", "gone", "(404)"),
    ],
)
def test_verdict(audit, name, rule, severity, reason, words):
    finding = only(audit, name, rule)
    assert finding["severity"] == severity
    assert finding["details"]["reason"] == reason
    assert words in finding["message"]
    assert finding["url"] == audit.main.site_url + "/index.html"  # the page that has the link
    assert finding["text"]  # the link text, so the owner can find it


@pytest.mark.parametrize(
    "name",
    ["ok", "flaky", "rate-limited-once", "head-refused", "fragment-ok", "video-ok",
     "internal-fragment-ok", "excluded", "rule-accepts-404", "rule-headers", "skipped-host"],
)  # fmt: skip
def test_no_finding(audit, name):
    assert for_target(audit, name) == []


def test_redirect_suggests_the_final_address(audit):
    chain = only(audit, "chain", "link-redirect")
    assert chain["suggestion"] == audit.main.external_url + "/ok/chain-end"
    assert chain["details"]["hops"] == 2  # one finding for the whole chain


def test_missing_fragments(audit):
    ext = audit.main.rewrite(audit.targets["fragment-missing"])
    found = [f for f in audit.findings if f["rule"] == "link-fragment-missing"]
    targets = {f["target"] for f in found}
    assert targets == {ext, audit.main.site_url + "/about.html#history"}
    assert not any(f["target"].endswith("#top") for f in found)


def test_head_refused_image_is_asked_again_with_get(audit):
    methods = [r.method for r in audit.first_external_log if r.path == "/head-refused?as=image"]
    assert methods == ["HEAD", "GET"]
    assert not [f for f in audit.findings if "head-refused" in (f.get("target") or "")]


def test_retry_after_is_honoured(audit):
    log = [r for r in audit.first_external_log if r.path == "/rate-limited-once"]
    assert [r.status for r in log] == [429, 200]


def test_link_text_and_duplicates(audit):
    page = audit.main.site_url + "/index.html"
    leaflet = audit.main.external_url + "/ok/leaflet-info"
    texts = [f for f in audit.findings if f["rule"] == "link-text-unhelpful" and f["url"] == page]
    assert [(f["text"], f["target"]) for f in texts] == [("click here", leaflet)]
    dups = [f for f in audit.findings if f["rule"] == "link-duplicate" and f["url"] == page]
    assert {(f["target"], f["details"]["reason"]) for f in dups} == {(leaflet, "same-target")}


def test_insecure_links(audit):
    insecure = {f["target"] for f in audit.findings if f["rule"] == "link-insecure"}
    # http:// to loopback hosts is secure for browsers; the metadata address is not loopback
    assert insecure == {audit.targets["metadata"]}


# -- once per run, politeness, safety ------------------------------------------------------------
def test_a_link_used_on_200_pages_is_fetched_once(audit):
    pages = [r for r in audit.first_site_log if r.path.startswith("/page-")]
    assert len({r.path for r in pages}) == PAGES
    counts = Counter(r.path for r in audit.first_external_log)
    assert counts["/ok/everywhere"] == 1
    assert counts["/ok/shared-image.png"] == 1


def test_every_target_is_requested_once_except_retries(audit):
    counts = Counter((r.method, r.path) for r in audit.first_external_log)
    repeated = {k: v for k, v in counts.items() if v > 1}
    # retried on purpose: 5xx/429 (retries = 1), timeouts (timeout_retries = 1); the
    # connection reset may also be retried once by the HTTP client itself
    allowed = {"/server-error", "/unavailable", "/flaky", "/rate-limited-once", "/always-429",
               "/slow", "/reset"}  # fmt: skip
    assert {path for _, path in repeated} <= allowed, repeated


def test_run_is_quick_despite_slow_server(audit):
    # the slow server answers after 6 s; timeout 2 s and one retry: well under a minute
    assert audit.elapsed < 40, audit.elapsed


def test_credentials_only_go_to_the_site(audit):
    site_auth = [r.headers.get("Authorization") for r in audit.first_site_log]
    assert site_auth and all(a and a.startswith("Basic ") for a in site_auth)
    for log in (audit.first_external_log, audit.rules_log):
        assert not [r for r in log if "Authorization" in r.headers]


def test_host_rules(audit):
    assert audit.skipped_log == []  # skip = true: never requested
    keyed = [r for r in audit.rules_log if r.path == "/ok/with-key"]
    assert keyed and all(r.headers.get("X-Partner-Key") == "partner-secret" for r in keyed)
    assert not [r for r in audit.first_external_log if "X-Partner-Key" in r.headers]
    assert not [r for r in audit.first_external_log if "excluded" in r.path]


def test_second_run_uses_the_cache(audit, tmp_path):
    audit.main.reset_state()
    findings, _, _ = run_audit(audit.main.site_url, audit.tmp, audit.config)
    paths = Counter(r.path for r in audit.main.external_log())
    assert paths["/ok/healthy"] == 0  # healthy: cached for 7 days
    assert paths["/ok/everywhere"] == 0
    assert paths["/moved"] == 0  # redirect: cached for 3 days
    assert paths["/gone"] >= 1  # failures are never cached
    run = json.loads((audit.tmp / "out" / "findings.json").read_text(encoding="utf-8"))["run"]
    assert run["link_cache"]["reused"] >= 4  # healthy, everywhere, the image, moved, ...
    ok = [f for f in findings if f.get("target", "").endswith("/moved")]
    assert [f["rule"] for f in ok] == ["link-redirect"]  # a cached verdict is still reported
    # --recheck-links: everything is asked again
    audit.main.reset_state()
    run_audit(audit.main.site_url, audit.tmp, audit.config, "--recheck-links")
    assert Counter(r.path for r in audit.main.external_log())["/ok/healthy"] == 1
