"""Hostile servers and broken state, end to end (issue 23): every run ends in bounded time,
never passes after auditing less, and says what went wrong in words an owner can act on."""

from __future__ import annotations

import time

import pytest

from tests.webserver import Reply, WebServer, html

pytestmark = pytest.mark.e2e

FAST = "[crawl]\ntimeout = 3\nretries = 0\n"
NO_SITEMAP = "[site]\nuse_sitemap = false\n"


def sitemap_index(*locs: str) -> Reply:
    entries = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return Reply(
        body='<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}'
        "</sitemapindex>",
        content_type="application/xml",
    )


def test_sitemap_index_that_lists_itself_ends_and_is_reported(audit):
    holder: list[str] = []
    routes = {
        "/": Reply(body=html("Home", "<p>Welcome to the clinic.</p>")),
        "/robots.txt": lambda r: Reply(
            body=f"User-agent: *\nSitemap: {holder[0]}/sitemap.xml\n", content_type="text/plain"
        ),
        # one lists itself, and through the other it loops in two steps
        "/sitemap.xml": lambda r: sitemap_index(
            f"{holder[0]}/sitemap.xml", f"{holder[0]}/sitemap-b.xml"
        ),
        "/sitemap-b.xml": lambda r: sitemap_index(
            f"{holder[0]}/sitemap.xml", "http://[::1", f"{holder[0]}/pages.xml"
        ),
        # a page address written wrongly must not stop the sitemap's other pages
        "/pages.xml": lambda r: Reply(
            body='<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{holder[0]}:99999/bad</loc></url>"
            f"<url><loc>{holder[0]}/orphan.html</loc></url></urlset>",
            content_type="application/xml",
        ),
        "/orphan.html": Reply(body=html("Orphan", "<p>Only in the sitemap.</p>")),
    }
    with WebServer(routes) as server:
        holder.append(server.url)
        started = time.monotonic()
        run = audit([server.url + "/"], config=FAST, timeout=60)
        took = time.monotonic() - started
        log = server.paths()
    assert took < 45
    assert log.count("/sitemap.xml") == 1 and log.count("/sitemap-b.xml") == 1
    loops = [f for f in run.data["findings"] if "sitemap" in f["url"] and "loop" in f["message"]]
    assert loops, run.data["findings"]
    assert f"{server.url}/orphan.html" in run.pages() and run.code == 1, run.stdout


def test_malformed_links_get_findings_and_the_crawl_goes_on(audit):
    bad = [
        "http://www.example.org:99999/",
        "http://www.example.org:abc/",
        "http://[::1",
    ]
    links = " ".join(f"<a href='{href}'>Bad {i}</a>" for i, href in enumerate(bad))
    routes = {
        "/": Reply(
            body=html("Home", f"<p><a href='/a.html'>A</a> {links} <a href='/b.html'>B</a></p>")
        ),
        "/a.html": Reply(body=html("A", "<p>Advice A.</p>")),
        "/b.html": Reply(body=html("B", "<p>Advice B.</p>")),
    }
    with WebServer(routes) as server:
        rule = '[[links.hosts]]\nhost = "www.linkedin.com"\naccept_status = [999]\n'
        run = audit([server.url + "/"], config=FAST + NO_SITEMAP + rule, timeout=60)
    pages = run.pages()
    assert f"{server.url}/a.html" in pages and f"{server.url}/b.html" in pages, run.stderr
    assert not pages[f"{server.url}/"].get("error")
    broken = {f["target"]: f["message"] for f in run.findings("link-broken")}
    for href in bad:
        assert href in broken, (href, broken)
        assert "not a valid web address" in broken[href]
    assert "99999" in broken[bad[0]] and "Passed" not in run.stdout
    assert not run.findings("link-insecure")  # said once, as broken, not twice
    assert "Traceback" not in run.stderr and "failed" not in run.stderr, run.stderr
    assert run.code == 1


def test_ipv6_literal_link_is_checked_and_the_crawl_goes_on(audit):
    with WebServer({"/": Reply(body=html("Dead", "<p>x</p>"))}) as dead:
        port = dead.url.rsplit(":", 1)[1]
    target = f"http://[::1]:{port}/"  # nothing listens there now: refused, on loopback
    routes = {
        "/": Reply(body=html("Home", f"<p><a href='{target}'>Six</a> <a href='/b.html'>B</a></p>")),
        "/b.html": Reply(body=html("B", "<p>Advice B.</p>")),
    }
    with WebServer(routes) as server:
        run = audit([server.url + "/"], config=FAST + NO_SITEMAP, timeout=60)
    assert f"{server.url}/b.html" in run.pages(), run.stderr
    assert [f for f in run.findings("link-broken") if f["target"] == target]


def one_line_error(run, *words: str) -> None:
    """Exit 2 with one line on stderr or stdout that says why, and no traceback."""
    text = run.stdout + run.stderr
    assert run.code == 2, text
    assert "Traceback" not in text, text
    assert any(all(w in line for w in words) for line in text.splitlines()), (words, text)


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("crawl.delay", "inf"),
        ("links.retry_after_max", "inf"),
        ("crawl.max_size_mb", "inf"),
        ("crawl.max_size_mb", "nan"),
        ("crawl.timeout", "inf"),
        ("crawl.delay", "1e9"),
        ("links.retry_after_max", "-inf"),
    ],
)
def test_endless_numbers_in_settings_are_refused(audit, setting, value):
    run = audit(["http://127.0.0.1:9/", "--set", f"{setting}={value}"], timeout=30)
    one_line_error(run, setting, value.lstrip("-").replace("1e9", "1e+09"))


def test_a_config_path_that_is_a_folder_or_binary_is_refused(audit, tmp_path):
    blob = tmp_path / "audit.toml"
    blob.write_bytes(bytes(range(256)) * 8)
    run = audit(["--config", str(tmp_path)], timeout=30)
    one_line_error(run, "folder")
    run = audit(["--config", str(blob)], timeout=30)
    one_line_error(run, "not a text file")


def test_capital_scheme_and_ipv6_literal_start_urls_are_audited(audit):
    routes = {
        "/": Reply(body=html("Home", "<p><a href='/a.html'>Advice A</a></p>")),
        "/a.html": Reply(body=html("A", "<p>Advice A.</p>")),
    }
    with WebServer(routes, host="::1") as server:
        run = audit([server.url + "/"], config=FAST + NO_SITEMAP, timeout=60)
        assert run.code == 0, run.stdout + run.stderr
        assert f"{server.url}/a.html" in run.pages()
    with WebServer(routes) as server:
        run = audit([server.url.replace("http://", "HTTP://") + "/"], config=FAST, timeout=60)
        assert run.code == 0, run.stdout + run.stderr
        assert f"{server.url}/a.html" in run.pages()


def test_start_url_that_redirects_to_another_site_says_why(audit):
    with WebServer({"/": Reply(body=html("Elsewhere", "<p>x</p>"))}) as other:
        routes = {"/": Reply(301, headers={"Location": other.url + "/"})}
        with WebServer(routes) as site:
            run = audit([site.url + "/"], config=FAST + NO_SITEMAP, timeout=60)
    one_line_error(run, "redirects to", other.url, "another site")


def test_two_start_urls_with_one_dead_exit_2(audit):
    with WebServer({"/": Reply(body=html("Dead", "<p>x</p>"))}) as dead:
        dead_url = dead.url + "/"
    with WebServer({"/": Reply(body=html("Home", "<p>Welcome.</p>"))}) as site:
        run = audit([site.url + "/", dead_url], config=FAST + NO_SITEMAP, timeout=60)
    one_line_error(run, dead_url, "refused")


def test_credentials_in_the_start_url_are_refused_and_never_shown(audit):
    with WebServer({"/": Reply(body=html("Home", "<p>Welcome.</p>"))}) as site:
        url = site.url.replace("http://", "http://stage:s3cret-pass@") + "/"
        run = audit([url], config=FAST, timeout=60)
        assert site.paths() == []
    one_line_error(run, "CONTENT_AUDIT_USER")
    assert "s3cret-pass" not in run.stdout + run.stderr
    for path in run.out.rglob("*") if run.out.exists() else []:
        if path.is_file():
            assert b"s3cret-pass" not in path.read_bytes(), path


def test_an_output_folder_that_cannot_be_made_is_one_line(tmp_path):
    from tests.conftest import run_cli

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    with WebServer({"/": Reply(body=html("Home", "<p>Welcome.</p>"))}) as site:
        run = run_cli([site.url + "/"], blocker / "out", timeout=60)
    one_line_error(run, "nothing was audited", "Not a directory")


def test_hostile_answers_become_the_right_findings(audit):
    import random

    noise = random.Random(23).randbytes(200_000)
    asked: list[str] = []

    def twice(request):  # 429 with a Retry-After of junk, then the page
        asked.append(request.path)
        if asked.count(request.path) == 1:
            return Reply(429, "slow down", {"Retry-After": "\u00b2"})
        return Reply(body=html("Clinic times", "<p>Open 9am to 5pm.</p>"))

    def chain(request):
        n = int(request.path[2:])
        return Reply(302, headers={"Location": f"/r{n + 1}"})

    routes = {
        "/": Reply(
            body=html(
                "Home",
                "<p><a href='/times'>Times</a> <a href='/to-file'>Leaflet</a>"
                " <a href='/r0'>Long way round</a> <a href='/noise'>Noise</a></p>",
            )
        ),
        "/times": twice,
        "/to-file": Reply(302, headers={"Location": "file:///etc/passwd"}),
        "/noise": Reply(body=noise, content_type="text/html"),
    }
    routes.update({f"/r{n}": chain for n in range(40)})
    with WebServer(routes) as server:
        config = "[crawl]\ntimeout = 3\nretries = 1\n" + NO_SITEMAP
        run = audit([server.url + "/"], config=config, timeout=60)
    base = server.url
    assert run.pages()[f"{base}/times"]["status"] == 200, run.stderr
    on = {f["target"]: f for f in run.findings("link-broken")}
    assert f"{base}/times" not in on
    assert "file:///etc/passwd" in on[f"{base}/to-file"]["message"]
    assert "not a web address" in on[f"{base}/to-file"]["message"]
    chain_message = on[f"{base}/r0"]["message"]
    assert "too many" in chain_message and "loop" not in chain_message
    about_noise = [f for f in run.data["findings"] if f["url"] == f"{base}/noise"]
    assert len(about_noise) == 1, about_noise
    assert about_noise[0]["rule"] == "page-error"
    assert "not a readable page" in about_noise[0]["message"]
    assert "Traceback" not in run.stderr, run.stderr


def small_site() -> dict:
    links = " ".join(f"<a href='/p{n}.html'>Page {n}</a>" for n in range(6))
    routes = {"/": Reply(body=html("Home", f"<p>{links}</p>"), headers={"ETag": '"home"'})}
    for n in range(6):
        routes[f"/p{n}.html"] = Reply(
            body=html(f"Page {n}", f"<p>Advice number {n}.</p>"), headers={"ETag": f'"p{n}"'}
        )
    return routes


def zero_pages(path, share: float) -> None:
    """Overwrite the last ``share`` of an SQLite file's pages with zeros, as a disk that
    lost its last writes would."""
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    pages = len(data) // page
    first = max(1, pages - int(pages * share))
    data[first * page :] = bytes(len(data) - first * page)
    path.write_bytes(bytes(data))


def test_a_garbage_link_cache_is_dropped_with_a_warning(audit, tmp_path):
    from tests.conftest import run_cli

    out = tmp_path / "night"
    with WebServer({"/": Reply(body=html("Partner", "<p>x</p>"))}) as other:
        routes = {"/": Reply(body=html("Home", f"<p><a href='{other.url}/'>Partner</a></p>"))}
        with WebServer(routes) as site:
            first = run_cli([site.url + "/"], out, config=FAST + NO_SITEMAP, timeout=60)
            assert first.code == 0, first.stdout + first.stderr
            (out / "link-cache.sqlite").write_bytes(b"this is not a database\n" * 400)
            run = run_cli([site.url + "/"], out, config=FAST + NO_SITEMAP, timeout=60)
    assert run.code == 0, run.stdout + run.stderr
    assert "link cache" in run.stderr and "Traceback" not in run.stderr
    assert run.data["run"]["links_checked"] == 1


@pytest.mark.parametrize("damage", ["zeroed-half", "zeroed-all", "garbage"])
def test_a_corrupted_run_store_starts_afresh_with_a_warning(audit, tmp_path, damage):
    from tests.conftest import run_cli

    out = tmp_path / "night"
    with WebServer(small_site()) as site:
        first = run_cli([site.url + "/"], out, config=FAST + NO_SITEMAP, timeout=60)
        assert first.code == 0, first.stdout + first.stderr
        store = out / "run.sqlite"
        if damage.startswith("zeroed"):
            zero_pages(store, 0.5 if damage == "zeroed-half" else 1.0)
        else:
            store.write_bytes(b"\x00garbage" * 5000)
        stamp = (out / "findings.json").stat().st_mtime
        run = run_cli([site.url + "/"], out, config=FAST + NO_SITEMAP, timeout=60)
        again = run_cli([site.url + "/"], out, config=FAST + NO_SITEMAP, timeout=60)
    text = run.stdout + run.stderr
    assert run.code == 0, text
    assert "Traceback" not in text
    assert "run.sqlite" in run.stderr and "afresh" in run.stderr
    assert len(run.pages()) == 7 and (out / "findings.json").stat().st_mtime > stamp
    assert again.code == 0 and len(again.pages()) == 7, again.stdout + again.stderr


@pytest.mark.parametrize("damage", ["empty", "garbage"])
def test_a_damaged_history_is_named(audit, tmp_path, damage):
    from tests.conftest import run_cli

    out = tmp_path / "night"
    with WebServer(small_site()) as site:
        first = run_cli([site.url + "/"], out, config=FAST + NO_SITEMAP, timeout=60)
        assert first.code == 0, first.stdout + first.stderr
        history = out / "history.sqlite"
        history.write_bytes(b"" if damage == "empty" else b"rubbish " * 2000)
        run = run_cli([site.url + "/"], out, config=FAST + NO_SITEMAP, timeout=60)
    text = run.stdout + run.stderr
    assert "Traceback" not in text
    assert "history.sqlite" in text, text
    if damage == "empty":  # a new history, and the owners are told every finding is new
        assert run.code == 0 and "history" in run.stderr and "new" in run.stderr, text
    else:  # the record of past nights is not thrown away: the run stops and says why
        one_line_error(run, "history.sqlite", "not a database", "move it aside")
        assert not (out / "findings.json").exists()  # last night's report is not left


def gzip_bomb(mib: int) -> bytes:
    """gzip data that unpacks to ``mib`` MiB of zeros (about 1 KiB in for every MiB out),
    made a piece at a time so the test itself never holds the unpacked bytes."""
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip header and trailer
    chunk = bytes(1024 * 1024)
    parts = [packer.compress(chunk) for _ in range(mib)]
    return b"".join(parts) + packer.flush()


PEAK_OF_ONE_RUN = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[2:]).returncode
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open(sys.argv[1], "w").write(str(peak))
sys.exit(code)
"""


def test_decompression_bombs_are_stopped_and_reported(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT, AuditRun

    bomb = gzip_bomb(600)
    holder: list[str] = []
    routes = {
        "/": Reply(body=html("Home", "<p><a href='/bomb.html'>Leaflet</a></p>")),
        "/robots.txt": lambda r: Reply(
            body=f"User-agent: *\nSitemap: {holder[0]}/sitemap.xml.gz\n", content_type="text/plain"
        ),
        "/sitemap.xml.gz": Reply(body=bomb, content_type="application/gzip"),
        "/bomb.html": Reply(body=bomb, headers={"Content-Encoding": "gzip"}),
    }
    out, config, peak = tmp_path / "out", tmp_path / "audit.toml", tmp_path / "peak"
    config.write_text(FAST + "max_size_mb = 2\n", encoding="utf-8")
    with WebServer(routes) as server:
        holder.append(server.url)
        # the largest resident size of the audit or any process it started, and of no
        # other (this test process's own children include every earlier test's audits)
        proc = subprocess.run(
            [sys.executable, "-c", PEAK_OF_ONE_RUN, str(peak), sys.executable,
             str(ROOT / "run_audit.py"), server.url + "/", "--out", str(out),
             "--config", str(config)],
            capture_output=True, text=True, timeout=120, cwd=ROOT,
        )  # fmt: skip
    run = AuditRun(proc.returncode, proc.stdout, proc.stderr, out)
    peak_mib = int(peak.read_text()) / 1024
    assert peak_mib < 450, peak_mib  # the sitemap alone unpacks to 600 MiB
    base = server.url
    page = [f for f in run.data["findings"] if f.get("target") == f"{base}/bomb.html"]
    assert page and "once unpacked" in page[0]["message"], run.data["findings"]
    sitemap = [f for f in run.data["findings"] if f["url"] == f"{base}/sitemap.xml.gz"]
    assert sitemap and "once unpacked" in sitemap[0]["message"], run.data["findings"]


def test_robots_txt_answering_a_server_error_means_crawl_nothing(audit):
    routes = {
        "/": Reply(body=html("Home", "<p><a href='/a.html'>A</a></p>")),
        "/a.html": Reply(body=html("A", "<p>Advice A.</p>")),
        "/robots.txt": Reply(503, "down for maintenance", content_type="text/plain"),
    }
    with WebServer(routes) as server:
        run = audit([server.url + "/"], config=FAST + NO_SITEMAP, timeout=60)
        asked = server.paths()
    assert set(asked) == {"/robots.txt"}, asked
    one_line_error(run, "robots.txt", "server error")
    assert "503" in run.stderr and "RFC 9309" in run.stderr


def test_a_second_audit_into_a_busy_folder_is_refused(tmp_path):
    import fcntl

    from tests.conftest import run_cli

    out = tmp_path / "night"
    with WebServer(small_site()) as site:
        first = run_cli([site.url + "/"], out, config=FAST + NO_SITEMAP, timeout=60)
        assert first.code == 0, first.stdout + first.stderr
        report = (out / "index.html").read_bytes()
        before = len(site.paths())
        with open(out / ".content-audit.lock", "a+") as held:  # an audit under way
            fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            run = run_cli([site.url + "/"], out, config=FAST + NO_SITEMAP, timeout=60)
        assert len(site.paths()) == before  # nothing was asked of the site
        assert (out / "index.html").read_bytes() == report  # nor the other run's reports
        again = run_cli([site.url + "/"], out, config=FAST + NO_SITEMAP, timeout=60)
    one_line_error(run, "another audit is writing to")
    assert again.code == 0, again.stdout + again.stderr  # the lock goes with its holder


BROKEN_SPIDER = """
import sys
from content_audit.crawler import spider

real = spider.AuditSpider._links_of

def links_of(self, links, depth):
    for output in real(self, links, depth):
        yield output
        if getattr(output, "url", "").endswith("/a.html"):
            raise RuntimeError("a bug met half-way through a page's links")

spider.AuditSpider._links_of = links_of
from content_audit.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_page_read_only_in_part_never_passes(tmp_path):
    """Whatever bug stops a page's links half-way (issue 23: one bad link once did), the
    run is incomplete: exit 2, and it says so, never "Passed"."""
    import subprocess
    import sys

    routes = {
        "/": Reply(body=html("Home", "<p><a href='/a.html'>A</a> <a href='/b.html'>B</a></p>")),
        "/a.html": Reply(body=html("A", "<p>Advice A.</p>")),
        "/b.html": Reply(body=html("B", "<p>Advice B.</p>")),
    }
    config = tmp_path / "audit.toml"
    config.write_text(FAST + NO_SITEMAP, encoding="utf-8")
    with WebServer(routes) as site:
        args = [site.url + "/", "--out", str(tmp_path / "out"), "--config", str(config)]
        proc = subprocess.run(
            [sys.executable, "-c", BROKEN_SPIDER, *args],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    text = proc.stdout + proc.stderr
    assert proc.returncode == 2, text
    assert "Passed" not in text and "incomplete" in proc.stdout, text
    assert "partly read" in proc.stderr and "Traceback" not in text, text


def test_ctrl_c_stops_with_one_line_and_no_traceback(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    from tests.conftest import ROOT

    def slow(request):  # endless, and slow enough to be stopped half-way
        time.sleep(0.1)
        n = int(request.path.strip("/p") or 0)
        return Reply(
            body=html(f"Page {n}", f"<a href='/p{n + 1}'>next</a> <a href='/p{n + 2}'>on</a>")
        )

    with WebServer(default=slow) as site:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "run_audit.py"), site.url + "/p0", "--out",
             str(tmp_path / "out"), "--set", "site.use_sitemap=false",
             "--set", "site.max_depth=100000"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
            start_new_session=True,  # its own process group, as a terminal's job is
        )  # fmt: skip
        time.sleep(8)  # past 50 pages: extraction and checks run in worker processes
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches every process of the job
        try:
            out, err = proc.communicate(timeout=30)
        finally:
            proc.kill()
    assert proc.returncode == 2, out + err
    assert "Traceback" not in out + err, err
    assert "Passed" not in out


def children_of(pid: int) -> set[int]:
    """The processes ``pid`` started (Linux /proc)."""
    from pathlib import Path

    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            continue
    return found


def alive(pid: int) -> bool:
    from pathlib import Path

    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_kill_9_mid_crawl_leaves_no_worker_behind(tmp_path):
    import contextlib
    import os
    import signal
    import subprocess
    import sys

    from tests.conftest import ROOT

    def endless(request):
        n = int(request.path.strip("/p") or 0)
        return Reply(
            body=html(f"Page {n}", f"<a href='/p{n + 1}'>next</a> <a href='/p{n + 2}'>on</a>")
        )

    with WebServer(default=endless) as site:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "run_audit.py"), site.url + "/p0", "--out",
             str(tmp_path / "out"), "--set", "site.use_sitemap=false",
             "--set", "site.max_depth=100000", "--set", "crawl.delay=0.02"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 40
            workers: set[int] = set()
            while time.monotonic() < deadline and len(workers) < 2:
                time.sleep(0.5)
                workers = children_of(proc.pid)
            assert workers, "the audit started no worker process"
            time.sleep(1)  # past their start-up
            workers = children_of(proc.pid)
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and any(alive(w) for w in workers):
                time.sleep(0.2)
            left = [w for w in workers if alive(w)]
        finally:
            proc.kill()
            for worker in children_of(proc.pid) | locals().get("workers", set()):
                with contextlib.suppress(OSError):  # this test's own, if any are left
                    os.kill(worker, signal.SIGKILL)
    assert not left, f"workers still running after the audit was killed: {left}"


def test_malformed_links_are_reported_again_the_next_night(tmp_path):
    """The next run asks last night's problem links first: a malformed one must not stop
    that run before it starts."""
    from tests.conftest import run_cli

    bad = ["http://www.example.org:99999/", "http://[::1", "http://a]b.example/"]
    links = " ".join(f"<a href='{href}'>Bad {i}</a>" for i, href in enumerate(bad))
    routes = {
        "/": Reply(body=html("Home", f"<p>{links} <a href='/b.html'>B</a></p>")),
        "/b.html": Reply(body=html("B", "<p>Advice B.</p>")),
    }
    out = tmp_path / "night"
    with WebServer(routes) as server:
        first = run_cli([server.url + "/"], out, config=FAST + NO_SITEMAP, timeout=60)
        second = run_cli([server.url + "/"], out, config=FAST + NO_SITEMAP, timeout=60)
    for run in (first, second):
        assert run.code == 1, run.stdout + run.stderr
        assert f"{server.url}/b.html" in run.pages()
        assert {f["target"] for f in run.findings("link-broken")} >= set(bad[:2])
