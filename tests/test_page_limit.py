"""A run stopped by the page limit audited part of the site: it never passes as a full
audit, it still checks where the pages it read link to, and it never calls a problem
fixed that it did not look at again."""

from __future__ import annotations

import pytest

from tests.conftest import run_cli
from tests.webserver import Reply, WebServer, html

pytestmark = pytest.mark.e2e

FAST = "[crawl]\ntimeout = 3\nretries = 0\n[site]\nuse_sitemap = false\n"
FOOTER = "<footer><a href='/cookies.html'>Cookies</a></footer>"


def site() -> dict[str, Reply]:
    """A home page linking to six service pages; every page's footer links to a cookies
    page that is gone (404): seven pages past a limit of one."""
    links = "".join(f"<li><a href='/s{i}.html'>Service {i}</a></li>" for i in range(6))
    routes = {"/": Reply(body=html("Home", f"<ul>{links}</ul>{FOOTER}"))}
    for i in range(6):
        routes[f"/s{i}.html"] = Reply(body=html(f"Service {i}", f"<p>About {i}.</p>{FOOTER}"))
    return routes


def broken_targets(run) -> set[str]:
    return {f["target"].rsplit("/", 1)[-1] for f in run.findings("link-broken")}


def test_a_run_stopped_by_the_page_limit_is_not_a_full_audit(tmp_path):
    out = tmp_path / "out"
    with WebServer(site()) as server:
        full = run_cli([server.url + "/"], out, config=FAST)
        assert full.code == 1, full.stdout + full.stderr
        assert broken_targets(full) == {"cookies.html"}

        limited = run_cli([server.url + "/", "--max-pages", "1"], out, config=FAST)
        assert limited.code == 2, limited.stdout + limited.stderr
        said = limited.stdout + limited.stderr
        assert "the page limit was reached: site.max_pages is 1, and 7 more pages" in said
        # the one page read still had its links checked, the dead footer link among them
        assert broken_targets(limited) == {"cookies.html"}
        assert limited.data["fixed"] == []
        assert limited.data["run"]["complete"] is False
        summary = (out / "summary.md").read_text(encoding="utf-8")
        assert "page limit" in summary and "Passed" not in summary

        # a sample audit on purpose: judged on the page it read, and says so
        sample = run_cli(
            [server.url + "/", "--max-pages", "1", "--set", "site.partial_ok=true"],
            out,
            config=FAST,
        )
        assert sample.code == 1, sample.stdout + sample.stderr
        assert "on part of the site only: 7 pages past the page limit" in sample.stdout
        assert sample.data["fixed"] == []  # the service pages were not looked at again

        # the next full run compares with the last full run: nothing new, nothing fixed
        again = run_cli([server.url + "/"], out, config=FAST)
        assert again.code == 1
        assert "0 new, 0 fixed" in again.stdout, again.stdout
