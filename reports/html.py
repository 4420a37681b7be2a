"""index.html: the report content owners read. Rendered with Jinja2, autoescaping on."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from checks.registry import RULES
from core.model import Finding

_env = Environment(
    loader=PackageLoader("reports", "templates"),
    autoescape=select_autoescape(["html", "j2"], default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def safe_href(url: str | None) -> str | None:
    """Only http(s) URLs become links; javascript: and data: never do."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


_env.filters["safe_href"] = safe_href


def write_index_html(
    path: Path, run: dict[str, Any], pages: list[dict[str, Any]], findings: list[Finding]
) -> None:
    by_page: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_page[finding.url].append(finding)
    titles = {p["url"]: p.get("title") or p["url"] for p in pages}
    html = _env.get_template("index.html.j2").render(
        run=run,
        pages=pages,
        titles=titles,
        by_page=dict(by_page),
        severities=Counter(f.severity for f in findings),
        rules=RULES,
        total=len(findings),
    )
    path.write_text(html, encoding="utf-8")
