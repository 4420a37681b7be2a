"""The sample site and its two local servers: the demo and the end-to-end test fixture."""

from __future__ import annotations

import contextlib
import html
import json
import re
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import requests

from content_audit.sample.servers import SampleServers

pytestmark = pytest.mark.e2e  # a real crawl, server or browser: not in the fast tier

SAMPLE = Path(__file__).resolve().parent.parent / "sample"
SITE_DIR = SAMPLE / "site"
TRUTH = json.loads((SAMPLE / "truth.json").read_text(encoding="utf-8"))

REQUIRED_RULES = {
    "link-broken",
    "link-redirect",
    "link-fragment-missing",
    "link-unverifiable",
    "link-insecure",
    "link-duplicate",
    "link-text-unhelpful",
    "link-soft-404",
    "email-invalid",
    "phone-invalid",
    "phone-inconsistent",
    "typo",
    "spelling-american",
    "placeholder",
    "readability-hard",
    "sentence-long",
    "plain-english",
    "nhs-style",
    "review-overdue",
    "review-date-missing",
    "image-alt-missing",
    "title-missing",
    "content-duplicate",
    "page-error",
    "page-encoding",
}
# Rules whose `text` is something a reader can see in the page.
CONTENT_RULES = REQUIRED_RULES - {"page-encoding"}


@pytest.fixture(scope="module")
def servers():
    with SampleServers(slow_seconds=3) as s:
        yield s


@pytest.fixture
def fresh():
    """Servers with their own per-path counters, for the stateful routes."""
    with SampleServers(slow_seconds=3) as s:
        yield s


def get(url: str, **kwargs) -> requests.Response:
    kwargs.setdefault("timeout", 10)
    return requests.get(url, **kwargs)


def served_text(servers: SampleServers, path: str) -> str:
    response = get(servers.site_url + path)
    assert response.status_code == 200, path
    text = html.unescape(response.content.decode("utf-8", errors="replace"))
    return " ".join(text.split())


# ----------------------------------------------------------------------------------------
# The external web
# ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/ok/anything", 200),
        ("/ok/guide", 200),
        ("/gone", 404),
        ("/removed", 410),
        ("/server-error", 500),
        ("/unavailable", 503),
        ("/always-429", 429),
        ("/linkedin", 999),
        ("/soft-404", 200),
        ("/status/418", 418),
        ("/status/204", 204),
        ("/no-such-route", 404),
    ],
)
def test_external_status(servers, path, status):
    response = get(servers.external_url + path, allow_redirects=False)
    assert response.status_code == status


def test_external_always_429_sends_retry_after(servers):
    for _ in range(3):
        response = get(servers.external_url + "/always-429")
        assert response.status_code == 429
        assert response.headers["Retry-After"] == "1"


def test_external_ok_page_has_ids(servers):
    body = get(servers.external_url + "/ok/guide").text
    assert "<title>" in body
    assert 'id="part-1"' in body
    assert 'id="missing-part"' not in body


def test_external_soft_404_says_not_found(servers):
    response = get(servers.external_url + "/soft-404")
    assert response.status_code == 200
    assert "<title>Page not found</title>" in response.text


def test_flaky_fails_once_then_works(fresh):
    url = fresh.external_url + "/flaky"
    assert get(url).status_code == 503
    assert get(url).status_code == 200
    assert get(url).status_code == 200
    fresh.reset_state()
    assert get(url).status_code == 503


def test_rate_limited_once(fresh):
    url = fresh.external_url + "/rate-limited-once"
    first = get(url)
    assert first.status_code == 429
    assert first.headers["Retry-After"] == "1"
    assert get(url).status_code == 200


def test_head_refused(servers):
    url = servers.external_url + "/head-refused"
    assert requests.head(url, timeout=5).status_code == 405
    assert get(url).status_code == 200


def test_bot_wall(servers):
    url = servers.external_url + "/bot-wall"
    for agent in ("ContentAudit/0.1", "python-requests/2", "Mozilla/5.0 ContentAudit/0.1"):
        response = get(url, headers={"User-Agent": agent})
        assert response.status_code == 403
        assert response.headers["cf-mitigated"] == "challenge"
    browser = get(url, headers={"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"})
    assert browser.status_code == 200


@pytest.mark.parametrize(
    ("path", "hops", "final"),
    [
        ("/moved", [301], "/ok/new-home"),
        ("/chain", [301, 308], "/ok/chain-end"),
        ("/temporary", [302], "/ok/temporary-home"),
        ("/redirect/3", [302, 302, 302], "/ok/redirect-end"),
    ],
)
def test_external_redirects(servers, path, hops, final):
    response = get(servers.external_url + path)
    assert [r.status_code for r in response.history] == hops
    assert response.status_code == 200
    assert response.url == servers.external_url + final


def test_redirect_loop_never_ends(servers):
    first = get(servers.external_url + "/loop", allow_redirects=False)
    assert first.status_code == 302
    assert first.headers["Location"] == "/loop/b"
    second = get(servers.external_url + "/loop/b", allow_redirects=False)
    assert second.headers["Location"] == "/loop"
    with pytest.raises(requests.TooManyRedirects):
        get(servers.external_url + "/loop")


def test_reset_gives_connection_error(servers):
    with pytest.raises(requests.ConnectionError):
        get(servers.external_url + "/reset")
    # The server survives.
    assert get(servers.external_url + "/ok/after-reset").status_code == 200


def test_slow_times_out_with_short_timeout(servers):
    start = time.monotonic()
    with pytest.raises(requests.Timeout):
        get(servers.external_url + "/slow", timeout=0.5)
    assert time.monotonic() - start < 2.5


def test_slow_answers_eventually(servers):
    response = get(servers.external_url + "/slow", timeout=10)
    assert response.status_code == 200


def test_youtube_watch_and_oembed(servers):
    ext = servers.external_url
    for video in ("REMOVED123", "abc123"):
        assert get(f"{ext}/youtube/watch?v={video}").status_code == 200

    def oembed(video: str) -> requests.Response:
        watch = quote(f"{ext}/youtube/watch?v={video}", safe="")
        return get(f"{ext}/youtube/oembed?url={watch}&format=json")

    assert oembed("REMOVED123").status_code == 404
    assert oembed("PRIVATE9").status_code == 401
    ok = oembed("abc123")
    assert ok.status_code == 200
    assert ok.json()["type"] == "video"


def test_external_delay_adds_latency():
    with SampleServers(external_delay=0.3) as s:
        start = time.monotonic()
        assert get(s.external_url + "/ok/x").status_code == 200
        assert time.monotonic() - start >= 0.3


def test_external_log_records_requests(fresh):
    get(fresh.external_url + "/gone", headers={"User-Agent": "ContentAudit-test"})
    requests.head(fresh.external_url + "/ok/x?a=1", timeout=5)
    log = fresh.external_log()
    assert log[0].method == "GET"
    assert log[0].path == "/gone"
    assert log[0].status == 404
    assert log[0].headers["User-Agent"] == "ContentAudit-test"
    assert (log[1].method, log[1].path, log[1].status) == ("HEAD", "/ok/x?a=1", 200)
    fresh.reset_state()
    assert fresh.external_log() == []


# ----------------------------------------------------------------------------------------
# The site server
# ----------------------------------------------------------------------------------------
def test_root_and_directory_serve_index(servers):
    root = get(servers.site_url + "/")
    assert root.status_code == 200
    assert "<h1>Northdale Community Health NHS Trust</h1>" in root.text
    directory = get(servers.site_url + "/services/")
    assert "<h1>Services A to Z</h1>" in directory.text
    bare = get(servers.site_url + "/services", allow_redirects=False)
    assert bare.status_code == 301
    assert bare.headers["Location"] == "/services/"


def test_markers_are_rewritten(servers):
    body = get(servers.site_url + "/services/msk/back-problems/sciatica.html").text
    assert "external.example" not in body
    assert servers.external_url + "/ok/guide#missing-part" in body
    assert "https://www.nhs.uk/conditions/sciatica/" in body
    self_link = get(servers.site_url + "/services/physiotherapy/self-referral.html").text
    assert servers.site_url + "/services/physiotherapy/index.html" in self_link
    assert "site.example" not in self_link
    assert servers.rewrite("https://external.example/gone") == servers.external_url + "/gone"
    assert servers.rewrite("https://site.example/a.html") == servers.site_url + "/a.html"


def test_robots_and_sitemap(servers):
    robots = get(servers.site_url + "/robots.txt")
    assert robots.headers["Content-Type"].startswith("text/plain")
    assert "Disallow: /private/" in robots.text
    assert f"Sitemap: {servers.site_url}/sitemap.xml" in robots.text
    sitemap = get(servers.site_url + "/sitemap.xml")
    assert "xml" in sitemap.headers["Content-Type"]
    assert "site.example" not in sitemap.text
    for orphan in TRUTH["orphans_in_sitemap"]:
        assert f"<loc>{servers.site_url}{orphan}</loc>" in sitemap.text
    for private in TRUTH["not_crawled"]:
        assert private not in sitemap.text
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap.text)
    assert len(locs) >= 35
    for loc in locs:
        assert get(loc).status_code == 200, loc


def test_orphan_is_linked_from_nowhere():
    for orphan in TRUTH["orphans_in_sitemap"]:
        name = orphan.rsplit("/", 1)[-1]
        for file in SITE_DIR.rglob("*.html"):
            assert name not in file.read_bytes().decode("utf-8", "replace"), file


def test_private_page_is_linked_but_disallowed(servers):
    assert get(servers.site_url + "/private/staff.html").status_code == 200
    about = get(servers.site_url + "/about-us.html").text
    assert 'href="/private/staff.html"' in about


def test_content_types(servers):
    cases = {
        "/index.html": "text/html; charset=utf-8",
        "/documents/back-pain-exercises.pdf": "application/pdf",
        "/documents/physiotherapy-self-referral-form.docx": (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        ),
        "/images/logo.svg": "image/svg+xml",
    }
    for path, content_type in cases.items():
        assert get(servers.site_url + path).headers["Content-Type"] == content_type
    pdf = get(servers.site_url + "/documents/back-pain-exercises.pdf").content
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    docx = get(servers.site_url + "/documents/physiotherapy-self-referral-form.docx").content
    assert docx.startswith(b"PK")


def test_head_on_site(servers):
    response = requests.head(servers.site_url + "/services/index.html", timeout=5)
    assert response.status_code == 200
    assert int(response.headers["Content-Length"]) > 1000
    assert response.content == b""


def test_missing_page_is_a_proper_404(servers):
    response = get(servers.site_url + "/services/hearing/index.html")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert 'class="cookie-banner"' in response.text
    assert get(servers.site_url + "/_errors/404.html").status_code == 404
    assert get(servers.site_url + "/../servers.py").status_code == 404


def test_internal_redirect_and_error_routes(servers):
    moved = get(servers.site_url + "/old-services/physio.html", allow_redirects=False)
    assert moved.status_code == 301
    assert moved.headers["Location"] == "/services/physiotherapy/index.html"
    broken = get(servers.site_url + "/services/online-booking.html")
    assert broken.status_code == 500
    assert "problem with the service" in broken.text


def test_wrong_charset_page(servers):
    response = get(servers.site_url + "/news/new-cafe-opens.html")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert b'<meta charset="utf-8">' in response.content
    with pytest.raises(UnicodeDecodeError):
        response.content.decode("utf-8")
    assert "caf\u00e9" in response.content.decode("cp1252")


def test_calendar_trap_goes_on_forever(servers):
    base = get(servers.site_url + "/events/calendar.html").text
    assert "November 2026" in base
    assert 'href="/events/calendar.html?month=2026-12"' in base
    month = "2026-12"
    for _ in range(30):
        body = get(f"{servers.site_url}/events/calendar.html?month={month}").text
        found = re.search(r'href="/events/calendar.html\?month=(\d{4}-\d{2})">Next month', body)
        assert found, month
        month = found.group(1)
    assert month == "2029-06"
    bad = get(servers.site_url + "/events/calendar.html?month=nonsense")
    assert "November 2026" in bad.text


def test_conditional_requests_return_304(servers):
    url = servers.site_url + "/services/physiotherapy/index.html"
    first = get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == etag
    assert get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert get(url, headers={"If-Modified-Since": old}).status_code == 200


def test_site_log(fresh):
    get(fresh.site_url + "/index.html", headers={"User-Agent": "ContentAudit-test"})
    record = fresh.site_log()[-1]
    assert (record.method, record.path, record.status) == ("GET", "/index.html", 200)
    assert record.headers["User-Agent"] == "ContentAudit-test"


def test_tracking_and_session_links_serve_the_page(servers):
    for path in (
        "/news/2026-09-new-health-centre.html?sessionid=abc123",
        "/services/index.html?utm_source=homepage&utm_medium=banner&utm_campaign=winter",
    ):
        assert get(servers.site_url + path).status_code == 200


# ----------------------------------------------------------------------------------------
# The layout and the answer key
# ----------------------------------------------------------------------------------------
def html_pages() -> list[Path]:
    return [p for p in SITE_DIR.rglob("*.html") if "_errors" not in p.parts]


def test_site_has_enough_pages():
    assert len(html_pages()) >= 35
    assert len(TRUTH["pages"]) == len(html_pages())


def test_every_page_has_the_shared_layout():
    for file in html_pages():
        text = file.read_bytes().decode("utf-8", errors="replace")
        assert text.count("<main") == 1, file
        before, after = text.split("<main", 1)
        assert 'id="cookie-consent"' in before and "{vendor_count}" in before, file
        assert "<header" in before and "<nav" in before, file
        assert "<footer" in after.split("</main>", 1)[1], file
        assert "0113 843 0000" in after.split("</main>", 1)[1], file


def test_truth_shape():
    assert TRUTH["today"] == "2026-11-24"
    assert set(TRUTH) >= {
        "site",
        "today",
        "defects",
        "must_not_flag",
        "clean_pages",
        "skipped_hosts",
        "not_crawled",
        "orphans_in_sitemap",
    }
    for item in TRUTH["defects"] + TRUTH["must_not_flag"]:
        assert {"rule", "page", "text", "target", "note"} <= set(item)
        assert item["page"].startswith("/")


def test_every_rule_is_planted():
    planted = {d["rule"] for d in TRUTH["defects"]}
    assert planted >= REQUIRED_RULES, REQUIRED_RULES - planted


def test_clean_pages():
    clean = set(TRUTH["clean_pages"])
    assert len(clean) >= 12
    dirty = {d["page"] for d in TRUTH["defects"] if not d.get("site_wide")}
    dirty |= {d.get("other_page") for d in TRUTH["defects"] if d.get("other_page")}
    dirty |= {d["target"] for d in TRUTH["defects"] if d["rule"] == "content-duplicate"}
    assert not clean & dirty


def test_truth_pages_exist(servers):
    failing = {d["page"]: d["status"] for d in TRUTH["defects"] if d["rule"] == "page-error"}
    assert failing
    paths = set(TRUTH["clean_pages"]) | {d["page"] for d in TRUTH["defects"]}
    paths |= {d["page"] for d in TRUTH["must_not_flag"]}
    paths |= set(TRUTH["orphans_in_sitemap"])
    for path in sorted(paths):
        assert get(servers.site_url + path).status_code == failing.get(path, 200), path


def test_truth_texts_appear_in_pages(servers):
    for item in TRUTH["defects"] + TRUTH["must_not_flag"]:
        if item["rule"] not in CONTENT_RULES or not item["text"]:
            continue
        text = served_text(servers, item["page"])
        expected = " ".join(servers.rewrite(item["text"]).split())
        assert expected in text, (item["page"], item["text"])


def test_truth_targets_appear_in_pages(servers):
    for item in TRUTH["defects"] + TRUTH["must_not_flag"]:
        target = item["target"]
        if not target or item["rule"] in ("content-duplicate", "image-alt-missing"):
            continue
        raw = get(servers.site_url + item["page"]).content.decode("utf-8", "replace")
        page_dir = item["page"].rsplit("/", 1)[0] + "/"
        href = servers.rewrite(target).replace("&", "&amp;")
        relative = target.removeprefix(page_dir) if target.startswith("/") else None
        assert f'href="{href}"' in raw or (relative and f'href="{relative}"' in raw), (
            item["page"],
            target,
        )


def test_internal_targets_behave_as_described(servers):
    for item in TRUTH["defects"]:
        target = item["target"]
        if not target or not target.startswith("/"):
            continue
        url = servers.site_url + target
        rule = item["rule"]
        if rule == "link-broken":
            assert get(url).status_code in (404, 500), target
        elif rule == "link-redirect":
            assert get(url, allow_redirects=False).status_code in (301, 308), target
        elif rule == "link-soft-404":
            response = get(url)
            assert response.status_code == 200
            assert "<title>Page not found" in response.text
            assert "<h1>Page not found</h1>" in response.text
        elif rule == "link-fragment-missing":
            path, fragment = target.split("#", 1)
            response = get(servers.site_url + path)
            assert response.status_code == 200
            assert f'id="{fragment}"' not in response.text


def test_external_targets_behave_as_described(servers):
    expected = {
        "/gone": 404,
        "/removed": 410,
        "/server-error": 500,
        "/unavailable": 503,
        "/linkedin": 999,
        "/always-429": 429,
        "/bot-wall": 403,
        "/moved": 301,
        "/chain": 301,
        "/temporary": 302,
        "/loop": 302,
    }
    for item in TRUTH["defects"]:
        target = item["target"] or ""
        if not target.startswith("https://external.example/"):
            continue
        path = target.removeprefix("https://external.example")
        if path in expected:
            response = get(servers.rewrite(target), allow_redirects=False)
            assert response.status_code == expected[path], target


def test_skipped_hosts_are_declared():
    hosts = set(TRUTH["skipped_hosts"])
    for file in html_pages():
        text = file.read_bytes().decode("utf-8", errors="replace")
        for host in re.findall(r'href="https?://([^/"]+)', text):
            assert host in hosts or host in {
                "external.example",
                "site.example",
                "no-such-host.invalid",
                "127.0.0.1:9",
            }, (file, host)


def test_sentence_long_texts_are_long():
    for item in TRUTH["defects"]:
        if item["rule"] == "sentence-long":
            assert len(item["text"].split()) > 20


def test_committed_site_matches_the_generator(tmp_path):
    from content_audit.sample.build_site import build

    build(tmp_path / "site", tmp_path / "truth.json")
    built = {
        p.relative_to(tmp_path / "site") for p in (tmp_path / "site").rglob("*") if p.is_file()
    }
    committed = {p.relative_to(SITE_DIR) for p in SITE_DIR.rglob("*") if p.is_file()}
    assert built == committed, "run: python -m sample.build_site"
    for rel in built:
        assert (tmp_path / "site" / rel).read_bytes() == (SITE_DIR / rel).read_bytes(), rel
    assert (tmp_path / "truth.json").read_text() == (SAMPLE / "truth.json").read_text()


# ----------------------------------------------------------------------------------------
# Clean pages really are clean; every broken internal link is in the answer key
# ----------------------------------------------------------------------------------------
def _soup(path: str):
    from bs4 import BeautifulSoup

    raw = (SITE_DIR / path.lstrip("/")).read_bytes()
    return BeautifulSoup(raw.decode("utf-8", errors="replace"), "html.parser")


def _resolve(page: str, href: str) -> str:
    from urllib.parse import urljoin, urlsplit

    url = urljoin("https://site.example" + page, href)
    parts = urlsplit(url)
    if parts.netloc != "site.example":
        return url
    return parts.path + ("#" + parts.fragment if parts.fragment else "")


def _sentences(main) -> list[str]:
    out = []
    for block in main.find_all(["p", "li", "td", "dd", "h1", "h2", "h3", "caption"]):
        if block.find(["p", "li", "ul", "ol"]):
            continue
        text = " ".join(block.get_text(" ", strip=True).split())
        out += [s for s in re.split(r"(?<=[.!?])\s+", text) if s]
    return out


AMERICAN = re.compile(r"\b(color|center|pediatric|organization|utilize|program)\b", re.I)
PLACEHOLDER = re.compile(r"\{[^}]*\}|lorem ipsum|\bTODO\b|\[insert|\bundefined\b|\bNaN\b", re.I)
UNHELPFUL = {"click here", "here", "read more", "more", "link", "this page", "find out more"}


@pytest.mark.parametrize("path", TRUTH["clean_pages"])
def test_clean_page_is_clean(path):
    soup = _soup(path)
    assert soup.title and soup.title.get_text(strip=True), "title"
    main = soup.find("main")
    assert len(main.find_all("h1")) == 1, "one h1"
    text = " ".join(main.get_text(" ", strip=True).split())
    assert 150 <= len(text.split()) <= 500, len(text.split())
    assert "Page last reviewed:" in text and "Next review due:" in text
    for sentence in _sentences(main):
        assert len(sentence.split()) <= 20, sentence
    assert not AMERICAN.search(text)
    assert not PLACEHOLDER.search(text)
    assert not re.search(
        r"\b\d{1,2}(\.\d\d)?\s?-\s?\d{1,2}(am|pm)\b|\b\d\d:\d\d\b|\.00(am|pm)", text
    )
    assert not re.search(
        r"\b12 ?(pm|noon)\b|Telephone:|Mob:|\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b",
        text,
    )
    for img in main.find_all("img"):
        assert img.has_attr("alt"), img
    for a in main.find_all("a", href=True):
        href, label = a["href"], " ".join(a.get_text(" ", strip=True).split())
        assert label and label.lower() not in UNHELPFUL and "://" not in label, a
        if href.startswith("tel:"):
            assert href == "tel:+44" + re.sub(r"\D", "", label)[1:], a
        elif href.startswith("mailto:"):
            assert href[7:] == label and label.endswith(".nhs.uk")
        elif href.startswith("https://external.example/"):
            assert href.startswith("https://external.example/ok/"), href
        else:
            assert "://" not in href or href.startswith("https://site.example/"), href
    links = [a["href"] for a in main.find_all("a", href=True)]
    external = [h for h in links if "://" in h and "site.example" not in h]
    assert len(external) == len(set(external)), "duplicate targets"


def test_internal_links_resolve_unless_planted():
    from content_audit.sample.servers import CALENDAR_PATH, SITE_ERROR_PAGES, SITE_REDIRECTS

    planted = {(d["page"], d["target"]) for d in TRUTH["defects"] if d["target"]}
    files = {"/" + str(p.relative_to(SITE_DIR)) for p in SITE_DIR.rglob("*") if p.is_file()}
    for page in TRUTH["pages"]:
        soup = _soup(page)
        for a in soup.find_all("a", href=True):
            href = a["href"]
            if href.startswith(("tel:", "mailto:")) or (
                "://" in href and not href.startswith("https://site.example")
            ):
                continue
            target = _resolve(page, href)
            path, _, fragment = target.partition("#")
            if path in SITE_REDIRECTS or path in SITE_ERROR_PAGES or path not in files:
                assert (page, path) in planted or (page, target) in planted, (page, href)
                continue
            if path == CALENDAR_PATH or path == "/services/old-clinic-times.html":
                continue
            if fragment:
                ids = {el["id"] for el in _soup(path).find_all(id=True)}
                if fragment not in ids:
                    assert (page, target) in planted, (page, href)


def test_demo_config_points_at_the_servers(servers):
    from content_audit.core.config import load
    from content_audit.sample.servers import demo_overrides

    config = load(servers.config_path, demo_overrides(servers))
    assert config.site.start_urls == [servers.site_url + "/"]
    assert config.site.sitemaps == [servers.site_url + "/sitemap.xml"]
    assert config.today == TRUTH["today"]
    assert config.crawl.timeout < 30
    assert {h.host for h in config.links.hosts if h.skip} == set(TRUTH["skipped_hosts"])


def test_command_line_serves_until_stopped():
    import signal
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "content_audit.sample.servers"],
        cwd=SAMPLE.parent,
        stdout=subprocess.PIPE,
        text=True,
        # Ctrl-C as in a terminal, even when the tests were started in the background
        # (a shell starts background jobs with SIGINT ignored, and children inherit that)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        site = proc.stdout.readline().split()[-1]
        external = proc.stdout.readline().split()[-1]
        assert get(site + "index.html").status_code == 200
        assert get(external + "gone").status_code == 404
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0


def test_fixed_ports():
    import socket

    def free_port() -> int:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]

    site_port, external_port = free_port(), free_port()
    with SampleServers(site_port=site_port, external_port=external_port) as s:
        assert s.site_url == f"http://127.0.0.1:{site_port}"
        assert s.external_url == f"http://127.0.0.1:{external_port}"
        assert get(s.site_url + "/index.html").status_code == 200


def test_slow_route_does_not_block_others(servers):
    import threading

    done = threading.Event()

    def slow() -> None:
        try:
            get(servers.external_url + "/slow", timeout=10)
        finally:
            done.set()

    thread = threading.Thread(target=slow, daemon=True)
    thread.start()
    time.sleep(0.1)
    start = time.monotonic()
    assert get(servers.external_url + "/ok/fast").status_code == 200
    assert get(servers.site_url + "/index.html").status_code == 200
    assert time.monotonic() - start < 1.0
    assert not done.is_set()  # the slow answer is still on its way; the servers stop it


def test_many_parallel_requests(servers):
    from concurrent.futures import ThreadPoolExecutor

    paths = [servers.site_url + p for p in TRUTH["pages"]] * 3
    with ThreadPoolExecutor(max_workers=24) as pool:
        statuses = list(pool.map(lambda url: get(url).status_code, paths))
    assert statuses.count(200) == len(paths)


def test_garbage_requests_do_not_kill_the_servers(servers):
    import socket
    from urllib.parse import urlsplit

    for url in (servers.site_url, servers.external_url):
        port = urlsplit(url).port
        for payload in (b"NONSENSE\r\n\r\n", b"GET /" + b"x" * 70000 + b" HTTP/1.1\r\n\r\n", b""):
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                sock.sendall(payload)
                sock.shutdown(socket.SHUT_WR)
                with contextlib.suppress(OSError):
                    sock.recv(1000)
        assert get(url + "/ok/x" if url == servers.external_url else url + "/").status_code == 200


def test_head_on_external_routes(servers):
    for path, status in (("/gone", 404), ("/ok/a", 200), ("/moved", 301), ("/linkedin", 999)):
        response = requests.head(servers.external_url + path, timeout=5)
        assert response.status_code == status
        assert response.content == b""
