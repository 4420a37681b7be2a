"""The network report: one row a site (its verdict, counts, what changed since its last
audit and a link to its own report), the rules across the network, and summary.md for the
job summary. Data in (the merged findings.json's head, plain dicts), files out; rendered
with Jinja2, autoescaping on, one self-contained file with the site reports' stylesheet.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from content_audit.core import __version__
from content_audit.reports.data import long_date
from content_audit.reports.html import safe_href
from content_audit.reports.writer import append_step_summary

STATE_LABEL = {
    "passed": "Passed",
    "failed": "Failed",
    "not-audited": "Not audited",
    "missing": "Missing",
}

_env = Environment(
    loader=PackageLoader(__package__ or "content_audit.reports", "templates"),
    autoescape=select_autoescape(["html", "j2"], default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["safe_href"] = safe_href
_env.filters["long_date"] = long_date
_env.filters["noun"] = lambda n, word, plural=None: word if n == 1 else (plural or word + "s")
_env.filters["num"] = lambda n: "–" if n is None else f"{n:,}"


@cache
def stylesheet() -> Markup:
    css = resources.files("content_audit.reports").joinpath("assets", "report.css")
    return Markup(css.read_text(encoding="utf-8"))


def rule_rows(head: dict[str, Any]) -> list[dict[str, Any]]:
    """Rules across the network, most findings first: which sites share a problem."""
    sites = [row["site"] for row in head["sites"]]
    rows = []
    for rule, by_site in (head["summary"].get("rules") or {}).items():
        rows.append(
            {
                "rule": rule,
                "total": sum(by_site.values()),
                "sites": sum(1 for n in by_site.values() if n),
                "by_site": [by_site.get(site, 0) for site in sites],
            }
        )
    rows.sort(key=lambda r: (-r["total"], r["rule"]))
    return rows


EXIT_LABEL = {0: "Passed", 1: "Failed", 2: "Not audited"}


def trend_rows(head: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for night in head.get("trend") or []:
        passed = sum(1 for site in night["sites"].values() if site.get("state") == "passed")
        merged = str(night.get("merged") or "")
        when = long_date(merged) + (f", {merged[11:16]} UTC" if len(merged) >= 16 else "")
        rows.append({**night, "passed": passed, "when": when})
    return rows


def render_network_html(head: dict[str, Any]) -> str:
    template = _env.get_template("network.html.j2")
    merged = head["network"].get("merged", "")
    return template.render(
        head=head,
        network=head["network"],
        summary=head["summary"],
        verdict=head["verdict"],
        sites=head["sites"],
        rules=rule_rows(head),
        state_label=STATE_LABEL,
        trend=trend_rows(head),
        exit_label=EXIT_LABEL,
        merged_date=long_date(merged),
        css=stylesheet(),
        version=__version__,
    )


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_network_markdown(head: dict[str, Any]) -> str:
    verdict = head["verdict"]
    mark = "✅" if verdict["passed"] else "❌"
    lines = [
        f"## {mark} Content audit of {_cell(head['network']['name'])}: {_cell(verdict['headline'])}",
        "",
        "| site | verdict | pages | errors | warnings | notices | new | fixed |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in head["sites"]:
        label = STATE_LABEL[row["state"]]

        def n(value: Any) -> str:
            return "–" if value is None else f"{value:,}"

        lines.append(
            f"| {_cell(row['title'])} | {label} | {n(row['pages'])} | {n(row['error'])} | "
            f"{n(row['warning'])} | {n(row['notice'])} | {n(row['new'])} | {n(row['fixed'])} |"
        )
    if verdict["reasons"]:
        lines += ["", *(f"- {_cell(reason)}" for reason in verdict["reasons"])]
    lines += ["", "Open `index.html` in the network report for each site's own report.", ""]
    return "\n".join(lines)


def write_network_reports(out_dir: Path, head: dict[str, Any]) -> dict[str, Path]:
    """index.html and summary.md (also appended to the GitHub job summary)."""
    paths = {"html": out_dir / "index.html", "markdown": out_dir / "summary.md"}
    for key, text in (
        ("html", render_network_html(head)),
        ("markdown", render_network_markdown(head)),
    ):
        tmp = paths[key].with_name(paths[key].name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(paths[key])
    append_step_summary(paths["markdown"].read_text(encoding="utf-8"))
    return paths
