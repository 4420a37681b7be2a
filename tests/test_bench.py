"""The benchmark harness: the site generator and the reading of each tool's results.

Fast and offline: no servers, no peers (bench/run.py runs those).
"""

from __future__ import annotations

import json
import re
from collections import deque
from pathlib import Path

import pytest

from bench import sitegen
from bench.run import Scorer, parse_advertools, parse_linkchecker, parse_linkinator, parse_ours
from bench.servers import external_answer

EXT = "http://127.0.0.2:9999"
HREF = re.compile(r'href="([^"]+)"')


@pytest.fixture(scope="module")
def small_site():
    return sitegen.build(120, EXT)


def test_same_seed_same_site(small_site):
    _, files, truth = small_site
    _, files2, truth2 = sitegen.build(120, EXT)
    assert files == files2
    assert truth == truth2
    _, files3, _ = sitegen.build(120, EXT, seed=7)
    assert files3 != files


def test_every_page_reachable_from_home(small_site):
    specs, files, _ = small_site
    seen, todo = {"/index.html"}, deque(["/index.html"])
    while todo:
        for href in HREF.findall(files[todo.popleft()]):
            path = href.split("#")[0]
            if path.endswith(".html") and path in files and path not in seen:
                seen.add(path)
                todo.append(path)
    assert seen >= {s.path for s in specs}
    assert len(specs) == 120


def test_pages_look_like_advice(small_site):
    specs, files, _ = small_site
    for spec in specs[:40]:
        page = files[spec.path]
        main = re.search(r"<main.*?</main>", page, re.S).group(0)
        words = len(re.sub(r"<[^>]+>", " ", main).split())
        assert 300 <= words <= 800, (spec.path, words)
        links = HREF.findall(page)
        internal = [h for h in links if h.startswith("/") and h != "/css/site.css"]
        external = [h for h in links if h.startswith(EXT)]
        assert 20 <= len(internal) <= 60 + len(spec.children), (spec.path, len(internal))
        assert 2 <= len(external) <= 6
        assert re.search(r"0113 843 \d{4}", main) and "@northdale.nhs.uk" in main
        # the boilerplate is identical on every page
        assert (
            page.split('<nav class="site-nav"')[1].split("</nav>")[0]
            == files["/index.html"].split('<nav class="site-nav"')[1].split("</nav>")[0]
        )


def test_truth_matches_the_files(small_site):
    _, files, truth = small_site
    assert truth["broken"], "a 120-page site has planted broken links"
    for entry in truth["broken"]:
        if entry["kind"] == "internal-404":
            assert entry["target"] not in files
        else:
            assert entry["target"].startswith(EXT + "/gone/")
        for page in entry["pages"]:
            assert f'href="{entry["target"]}"' in files[page]
    for entry in truth["missing_fragments"]:
        path, frag = entry["target"].split("#")
        assert path in files and f'id="{frag}"' not in files[path]
        for page in entry["pages"]:
            assert f'href="{entry["target"]}"' in files[page]


def test_write_and_mutate(tmp_path):
    truth = sitegen.write_site(tmp_path, 30, EXT)
    assert json.loads((tmp_path / "truth.json").read_text()) == truth
    before = {p: (tmp_path / "site" / p.lstrip("/")).read_text() for p in truth["html_pages"]}
    changed = sitegen.mutate(tmp_path / "site", truth, 0.1)
    assert len(changed) == 3
    for p in truth["html_pages"]:
        after = (tmp_path / "site" / p.lstrip("/")).read_text()
        assert (after != before[p]) == (p in changed)
        assert HREF.findall(after) == HREF.findall(before[p])  # links untouched


def test_external_web_answers():
    assert external_answer("/gone/x")[0] == 404
    status, _, headers, _ = external_answer("/moved/nhs-uk/a")
    assert status == 301 and headers["Location"] == "/nhs-uk/a"
    assert external_answer("/nhs-uk/a")[0] == 200
    assert all(50 <= sitegen.latency_ms(f"/p/{i}") <= 200 for i in range(200))


SITE = "http://127.0.0.1:8080"
TRUTH = {
    "broken": [
        {"target": "/a/old.html", "kind": "internal-404", "pages": ["/a/1.html", "/a/2.html"]},
        {"target": EXT + "/gone/x", "kind": "external-404", "pages": ["/a/1.html"]},
    ],
    "missing_fragments": [{"target": "/a/3.html#section-4", "pages": ["/a/2.html"]}],
}


def test_scorer_counts_pairs_targets_and_false_positives():
    scorer = Scorer(TRUTH, SITE)
    result = scorer.score({
        (SITE + "/a/1.html", SITE + "/a/old.html"),
        (SITE + "/a/1.html", EXT + "/gone/x"),
        (SITE + "/a/2.html", SITE + "/a/3.html#section-4"),
        (SITE + "/a/2.html", SITE + "/a/4.html"),  # not planted
        (SITE + "/a/old.html", SITE + "/a/old.html#maincontent"),  # on the 404 page
        (SITE + "/a/2.html", "mailto:x@example.org"),  # not an HTTP link
    })  # fmt: skip
    assert result["broken_found"] == 2 and result["broken_expected"] == 3
    assert result["targets_found"] == 2 and result["targets_expected"] == 2
    assert result["fragments_found"] == 1 and result["fragments_expected"] == 1
    assert result["false_positives"] == 1
    assert result["reports_on_error_pages"] == 1


def test_parse_ours(tmp_path):
    findings = {
        "run": {"pages_crawled": 10, "links_checked": 5},
        "findings": [
            {"rule": "link-broken", "url": SITE + "/a/1.html", "target": SITE + "/a/old.html"},
            {"rule": "link-redirect", "url": SITE + "/a/1.html", "target": EXT + "/moved/y"},
            {"rule": "typo", "url": SITE + "/a/1.html", "target": None},
        ],
    }
    (tmp_path / "findings.json").write_text(json.dumps(findings))
    reported, checked = parse_ours(tmp_path)
    assert reported == {(SITE + "/a/1.html", SITE + "/a/old.html")}
    assert checked == 15


def test_parse_linkchecker(tmp_path):
    csv_file = tmp_path / "out.csv"
    csv_file.write_text(
        "# created by: LinkChecker\n"
        "urlname;parentname;base;result;warningstring;infostring;valid;url;line;column;name;"
        "dltime;size;checktime;cached;level;modified\n"
        f"/a/old.html;{SITE}/a/1.html;;404 Not Found;;;False;{SITE}/a/old.html;5;7;x;-1;0;0.1;0;2;\n"
        f"/a/ok.html;{SITE}/a/1.html;;200 OK;;;True;{SITE}/a/ok.html;6;7;x;-1;0;0.1;0;2;\n"
        "# Stopped checking at 2026-11-24\n"
    )
    stdout = tmp_path / "out.txt"
    stdout.write_text("That's it. 2,345 links in 1,234 URLs checked. 0 warnings found.\n")
    reported, checked = parse_linkchecker(csv_file, stdout)
    assert reported == {(SITE + "/a/1.html", SITE + "/a/old.html")}
    assert checked == 1234


def test_parse_linkinator(tmp_path):
    out = tmp_path / "out.json"
    links = [
        {"url": SITE + "/", "status": 200, "state": "OK"},
        {"url": SITE + "/a/old.html", "status": 404, "state": "BROKEN", "parent": SITE + "/"},
        {"url": EXT + "/x", "status": 200, "state": "OK", "parent": SITE + "/"},
        {"url": EXT + "/x", "status": 200, "state": "OK", "parent": SITE + "/a/1.html"},
    ]
    out.write_text(json.dumps({"links": links, "passed": False}))
    reported, checked = parse_linkinator(out)
    assert reported == {(SITE + "/", SITE + "/a/old.html")}
    assert checked == 3


def test_parse_advertools_counts_pages_and_reports_no_links(tmp_path):
    out = tmp_path / "crawl.jl"
    rows = [{"url": SITE + "/", "status": 200, "title": "Home"},
            {"url": SITE + "/a/1.html", "status": 200, "title": "One"},
            {"url": SITE + "/a/old.html", "status": 404, "title": "Not found"}]  # fmt: skip
    out.write_text("".join(json.dumps(r) + "\n" for r in rows) + "\n")
    assert parse_advertools(out) == (set(), 3)


def test_advertools_runs_at_the_same_politeness_as_ours(tmp_path):
    from bench.run import tool_command

    ctx = {"run_dir": tmp_path, "start_url": SITE + "/", "concurrency": 4,
           "peers": {"advertools": ["/venv/bin/python"]}}  # fmt: skip
    cmd, extra = tool_command("advertools", 1, ctx)
    settings = json.loads(cmd[-1])
    assert settings["CONCURRENT_REQUESTS_PER_DOMAIN"] == 4 and settings["ROBOTSTXT_OBEY"]
    assert settings["CONCURRENT_REQUESTS"] == 16
    assert cmd[-3] == SITE + "/" and extra["jl"] == tmp_path / "advertools-1.jl"


def test_results_folder_is_not_in_gitignore():
    ignore = (Path(__file__).resolve().parent.parent / "bench" / ".gitignore").read_text()
    assert "results" not in ignore and ".work" in ignore


def test_ab_runs_each_side_from_its_own_tree(tmp_path):
    """bench/ab.py: each side is its own checkout's run_audit.py. The editable install's
    content-audit entry point would run the main checkout from any folder."""
    from bench.ab import audit_command

    cmd = audit_command(tmp_path / "tree", tmp_path / "bench.toml", tmp_path / "out")
    assert cmd[1] == str(tmp_path / "tree" / "run_audit.py")
    assert not any("content-audit" in part for part in cmd)
    assert cmd[cmd.index("--config") + 1] == str(tmp_path / "bench.toml")


def test_ab_pairs_take_turns_and_are_summed_up():
    from bench.ab import pair_order, summarise

    assert [pair_order(i) for i in range(3)] == [
        ("base", "new"), ("new", "base"), ("base", "new")
    ]  # fmt: skip
    pairs = [
        {"base": {"wall_s": 10.0, "cpu_s": 20.0}, "new": {"wall_s": 9.0, "cpu_s": 18.0}},
        {"base": {"wall_s": 12.0, "cpu_s": 22.0}, "new": {"wall_s": 12.5, "cpu_s": 21.0}},
        {"base": {"wall_s": 11.0, "cpu_s": 21.0}, "new": {"wall_s": 8.0, "cpu_s": 19.0}},
    ]
    assert summarise(pairs) == {
        "base_wall_s": 11.0, "base_cpu_s": 21.0, "new_wall_s": 9.0, "new_cpu_s": 19.0,
        "new_quicker": 2, "pairs": 3,
    }  # fmt: skip


def test_the_realistic_site_server_answers_after_its_latency(tmp_path):
    """bench.servers site: files as they are, the 404 page for anything else, HEAD without
    a body, and every answer after 20-50 ms (the realistic mode)."""
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    from bench import servers as srv

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("<h1>Area</h1>")
    (tmp_path / "404.html").write_text("<h1>Not found</h1>")
    port = srv.free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.servers", "site", "--root", str(tmp_path),
         "--port", str(port)], cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    try:
        srv.wait_listening("127.0.0.1", port, proc)
        start = time.monotonic()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/a/", timeout=5) as answer:
            assert answer.status == 200 and answer.read() == b"<h1>Area</h1>"
        assert time.monotonic() - start >= 0.019
        with pytest.raises(urllib.error.HTTPError) as gone:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/../etc/passwd", timeout=5)
        assert gone.value.code == 404 and b"Not found" in gone.value.read()
        head = urllib.request.Request(f"http://127.0.0.1:{port}/a/index.html", method="HEAD")
        with urllib.request.urlopen(head, timeout=5) as answer:
            assert answer.headers["Content-Length"] == "13" and answer.read() == b""
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert all(20 <= srv.site_latency_ms(f"/p{n}.html") <= 50 for n in range(200))


def test_the_bound_counts_every_address_on_the_site_a_link_check_must_ask_for(tmp_path):
    """Missing pages and files are requested by every tool that reports them, so they
    count; other hosts, fragments and pages no link reaches do not."""
    from bench import run

    site = "http://127.0.0.1:8080"
    (tmp_path / "index.html").write_text(
        '<a href="/a.html#top">A</a> <a href="gone.html">gone</a> <img src="/logo.png">'
        f' <a href="{site}/a.html">A again</a> <a href="http://127.0.0.2:9/x">elsewhere</a>'
        ' <a href="/b.html?page=2">B, page 2</a>'
    )
    (tmp_path / "a.html").write_text('<a href="/index.html">home</a>')
    (tmp_path / "b.html").write_text("no links")
    (tmp_path / "orphan.html").write_text("no link reaches this page")
    addresses = run.site_addresses(tmp_path, site)
    assert addresses == sorted(
        ["/", "/robots.txt", "/a.html", "/gone.html", "/logo.png", "/index.html",
         "/b.html?page=2"]
    )  # fmt: skip


def test_the_politeness_bound_and_its_ratio_are_printed():
    from bench import run
    from bench import servers as srv

    paths = [f"/p{n}.html" for n in range(8)] + ["/p0.html?page=2"]
    expected = (sum(srv.site_latency_ms(f"/p{n}.html") for n in range(8))
                + srv.site_latency_ms("/p0.html")) / 1000 / 4  # fmt: skip
    assert run.politeness_bound(paths, 4) == pytest.approx(expected)
    summary = {"ours": {k: None for k in run.summarise({"ours": []})["ours"]}}
    summary["ours"].update(wall_s=2.0, cpu_s=1.0, pages_per_s=4.0, machine_busy_cores=1.75)
    text = run.table(summary, 1, pages=8, bound=1.6, floor=1.8)
    assert "politeness bound 1.60 s (per host" in text and "x1.25" in text and " 125 " in text
    assert "measured floor 1.80 s" in text and "x1.11" in text
    assert "busy cores" in text and text.rstrip().endswith("1.75")  # a noisy machine shows


def test_the_measured_floor_fetches_each_address_over_its_connections(tmp_path):
    """The floor is a real client against the realistic server: at least the bound (the
    server sleeps each address's latency), every address asked for once."""
    from bench import run
    from bench import servers as srv

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("<h1>Area</h1>")
    port = srv.free_port()
    proc = srv.start_python_server(
        ["site", "--root", str(tmp_path)], "127.0.0.1", port, tmp_path / "site.log"
    )
    try:
        paths = ["/a/", "/missing.html", "/a/index.html", "/robots.txt"]
        floor = run.measured_floor(f"http://127.0.0.1:{port}", paths, 2)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert floor >= run.politeness_bound(paths, 2) * 0.99


def test_the_external_webs_bound_counts_each_distinct_url_once(tmp_path):
    from bench import run
    from bench.sitegen import latency_ms

    ext = "http://127.0.0.2:8081"
    (tmp_path / "a.html").write_text(f'<a href="{ext}/ok/x">x</a> <a href="{ext}/ok/y#part">y</a>')
    (tmp_path / "b.html").write_text(f'<a href="{ext}/ok/x">x again</a> <a href="/local">here</a>')
    expected = (latency_ms("/ok/x") + latency_ms("/ok/y")) / 1000 / 4
    assert run.external_bound(tmp_path, ext, 4) == pytest.approx(expected)


def test_the_realistic_site_answers_conditional_requests(tmp_path):
    """A nightly re-run asks with If-None-Match: the bench's site must answer 304, as a
    real server does, or the realistic re-run figures measure a full audit."""
    from bench import servers as srv

    (tmp_path / "a.html").write_text("<h1>A</h1>")
    answer = srv.site_answer(tmp_path)
    status, _reason, headers, _body = answer("/a.html", {})
    assert status == 200 and headers["ETag"] and headers["Last-Modified"]
    again = answer("/a.html", {"if-none-match": headers["ETag"]})
    assert again[0] == 304 and again[3] == b""
    assert answer("/a.html", {"if-none-match": '"other"'})[0] == 200


def test_a_forked_child_counts_twice_in_rss_and_once_in_pss(tmp_path):
    """The process tree's RSS counts a forked child's pages shared with its parent twice;
    its PSS once (the audit forks for its reports and after-crawl link checks)."""
    import sys

    from bench import run

    script = (
        "import os, time\n"
        "block = bytearray(os.urandom(120 * 2**20))  # 120 MiB, every page touched\n"
        "pid = os.fork()\n"
        "time.sleep(3)  # the sampler looks for new children once a second\n"
        "if pid: os.waitpid(pid, 0)\n"
    )
    m = run.measure([sys.executable, "-c", script], tmp_path / "out.txt")
    assert m["exit"] == 0
    assert m["peak_rss_mib"] >= 230  # the block in parent and child
    assert 120 <= m["peak_pss_mib"] < 0.7 * m["peak_rss_mib"]  # the block once


@pytest.mark.parametrize(
    ("large_pss", "code", "verdict"), [(590.0, 0, "met"), (610.0, 3, "missed")]
)
def test_the_memory_command_runs_ten_times_the_pages_once_and_judges_the_ratio(
    monkeypatch, capsys, tmp_path, large_pss, code, verdict
):
    from bench import run

    ran = []

    def bench_once(args, work):
        ran.append((args.pages, args.runs, args.mode, args.tools, args.concurrency))
        pss = 400.0 if args.pages == 2000 else large_pss
        return 0, {"summary": {"ours": {"peak_rss_mib": 450.0, "peak_pss_mib": pss,
                                        "wall_s": 1.0, "cpu_s": 2.0}}}  # fmt: skip

    monkeypatch.setattr(run, "bench_once", bench_once)
    assert run.main(["--memory", "--work", str(tmp_path)]) == code
    assert ran == [(2000, 3, "loopback", ["ours"], 16), (20000, 1, "loopback", ["ours"], 16)]
    out = capsys.readouterr().out
    assert f"PSS: x{large_pss / 400:.2f} ({verdict})" in out and "RSS: x1.00 (met)" in out


def test_the_memory_command_never_passes_without_a_measurement(monkeypatch, capsys, tmp_path):
    from bench import run

    def bench_once(args, work):
        return 0, {"summary": {"ours": {"peak_rss_mib": None, "peak_pss_mib": None,
                                        "wall_s": 1.0, "cpu_s": 2.0}}}  # fmt: skip

    monkeypatch.setattr(run, "bench_once", bench_once)
    assert run.main(["--memory", "--work", str(tmp_path)]) == 3
    assert "RSS: not measured" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        run.main(["--memory", "--runs", "0", "--work", str(tmp_path)])
