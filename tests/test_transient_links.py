"""Another site's server error fails the gate only when it is still failing at the next
audit: one bad night elsewhere is a warning, never a red build, nor "fixed" next day."""

from __future__ import annotations

import pytest

from tests.conftest import run_cli
from tests.webserver import Reply, WebServer, html

pytestmark = pytest.mark.e2e

FAST = "[crawl]\ntimeout = 3\nretries = 0\n[site]\nuse_sitemap = false\n"


def test_a_link_to_a_failing_site_is_a_warning_then_an_error(tmp_path):
    out = tmp_path / "out"
    with WebServer({"/help": Reply(503, "down for maintenance")}) as other:
        other_url = other.url.replace("127.0.0.1", "localhost") + "/help"
        page = html("Falls", f"<p>Read the <a href='{other_url}'>falls charity's advice</a>.</p>")
        with WebServer({"/": Reply(body=page)}) as site:
            first = run_cli([site.url + "/"], out, config=FAST)
            assert first.code == 0, first.stdout + first.stderr
            (finding,) = first.findings("link-broken")
            assert finding["severity"] == "warning"
            assert "may be short-lived" in finding["message"]

            second = run_cli([site.url + "/"], out, config=FAST)
            assert second.code == 1, second.stdout + second.stderr
            (finding,) = second.findings("link-broken")
            assert finding["severity"] == "error" and finding["status"] == "persisting"
            assert "may be short-lived" not in finding["message"]
