"""index.html and the per-owner reports: one self-contained file each (inline CSS and JS,
no network), rendered with Jinja2 with autoescaping on.

Findings are embedded once as JSON in a ``<script type="application/json">`` block (with
a string table, so repeated messages and URLs cost little) and drawn 100 at a time by
reports/assets/report.js. Without JavaScript the first ``STATIC_FINDINGS`` findings are
in the HTML itself, and the CSV has them all.

Nothing from a crawled page can run: text goes through autoescaping, the embedded JSON has
``<``, ``>``, ``&``, U+2028 and U+2029 escaped so no ``</script>`` can close the block, the
script only ever uses textContent, and only http(s) URLs become links.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import numbers
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from jinja2.bccache import Bucket, FileSystemBytecodeCache
from markupsafe import Markup, escape

from content_audit.core import __version__
from content_audit.core.urls import readable_hosts
from content_audit.core.user_cache import cache_dir
from content_audit.reports.data import (
    SEVERITY_LABEL,
    SEVERITY_MEANING,
    ReportData,
    for_owner,
    long_date,
    message_parts,
    reading_age_text,
)

STATIC_FINDINGS = 300  # findings written into the HTML for readers without JavaScript
PAGE_LIMIT = 5000  # rows in the pages and readability tables
CONTACT_LIMIT = 2000
FIXED_LIMIT = 500


class CompiledTemplates(FileSystemBytecodeCache):
    """The templates compiled to Python, kept between runs (core.user_cache): compiling
    index.html.j2 takes about 0.15 s of CPU, in each process that writes HTML. Jinja keys
    each file by template and checks it against the template's source, so an edited
    template is compiled afresh. The folder is looked up at each use, and a cache that
    cannot be written is no cache: never a failed report."""

    def __init__(self) -> None:
        super().__init__(directory=str(cache_dir() / "templates"))

    def _get_cache_filename(self, bucket: Bucket) -> str:
        self.directory = str(cache_dir() / "templates")
        return super()._get_cache_filename(bucket)

    def load_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # unreadable: compiled as if there were none
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # a read-only home: compiled again next time
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)


PAGES_LISTED = 500  # pages listed under a template-wide finding; findings.json has all

_env = Environment(
    loader=PackageLoader(__package__ or "content_audit.reports", "templates"),
    autoescape=select_autoescape(["html", "j2"], default=True),
    trim_blocks=True,
    lstrip_blocks=True,
    bytecode_cache=CompiledTemplates(),
)


def safe_href(url: str | None) -> str | None:
    """Only http(s) URLs become links; javascript:, data: and the rest never do."""
    if url and url.strip().lower().startswith(("http://", "https://")) and url == url.strip():
        return url
    return None


_env.filters["safe_href"] = safe_href
_env.filters["long_date"] = long_date
_env.filters["noun"] = lambda n, word, plural=None: word if n == 1 else (plural or word + "s")

_JSON_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def script_json(data: Any) -> Markup:
    """JSON that is safe inside a <script> element: it cannot close the element.
    (One str.replace a character: on a report's 3 MB of findings, a twentieth of the time
    of one str.translate with a table.)"""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _JSON_ESCAPES:
        text = text.replace(char, escaped)
    return Markup(text)


@cache
def _asset(name: str) -> Markup:
    text = (
        resources.files("content_audit.reports")
        .joinpath("assets", name)
        .read_text(encoding="utf-8")
    )
    if "</" in text and name.endswith(".js"):
        text = text.replace("</", "<\\/")
    return Markup(text)


def embedded_findings(data: ReportData, show_owner: bool) -> dict[str, Any]:
    """Findings as compact arrays over one string table."""
    strings: list[str] = []
    index: dict[str, int] = {}

    def s(value: str | None) -> int:
        if value is None or value == "":
            return -1
        at = index.get(value)
        if at is None:
            at = index[value] = len(strings)
            strings.append(value)
        return at

    page_index: dict[str, int] = {}
    pages: list[list[int]] = []
    rows = []
    sev = {"error": 0, "warning": 1, "notice": 2}
    # a first audit has nothing to be new against: no "New since the last audit" tags
    status = {"new": 0, "persisting": 1} if data.summary.get("has_history") else {}
    for f in data.findings:
        p = page_index.get(f["url"])
        if p is None:
            p = page_index[f["url"]] = len(pages)
            pages.append([s(f["title"]), s(f["url"]), s(f["owner"])])
        accepted = f["accepted"] or {}
        rows.append(
            [
                sev.get(f["severity"], 2),
                s(f["rule"]),
                p,
                s(f["message"]),
                s(f["text"]),
                s(f["context"]),
                s(f["suggestion"]),
                s(f["target"]),
                status.get(f["status"], 2),
                s(long_date(f["first_seen"])),
                s(accepted.get("reason")) if accepted else -1,
                s(long_date(accepted.get("expires"))) if accepted else -1,
                s(f["first_seen"]),  # ISO, for sorting
                [s(u) for u in f["pages"][:PAGES_LISTED]],  # a template-wide problem's pages
                len(f["pages"]),
                s(f.get("action")),  # what to do, when there is no suggested fix
                s(f["fingerprint"]),  # for the "not a problem here?" lines
                f.get("page_count") or 1,  # how many pages it is on ("fix these first")
                # some of them, when the finding names only examples (a placeholder's)
                [s(u) for u in (f.get("example_pages") or [])[:PAGES_LISTED]]
                if not f["pages"] and (f.get("page_count") or 1) > len(f.get("example_pages") or [])
                else [],
            ]
        )
    titles = data.extra.get("titles") or {}
    mentioned: dict[str, str] = {}
    for f in data.findings:
        if "://" in (f["message"] or ""):
            for _part, url in message_parts(f["message"], titles):
                if url:
                    mentioned[url] = titles[url]
    return {
        "s": strings,
        "p": pages,
        "f": rows,
        "t": mentioned,  # titles of the pages whose addresses are in messages
        "rules": {r["id"]: r["name"] for r in data.rules},
        "showOwner": show_owner,
        "acceptUntil": accept_until(data),
        "acceptUntilText": long_date(accept_until(data)),
    }


def _text(value: Any) -> str:
    """A value as Jinja's autoescape writes it (None as "None", like Jinja)."""
    return str(escape(value))


def _page_link(url: Any, title: Any) -> str:
    """A page's title linking to it (the bare title when its URL may not be a link)."""
    label = _text(title or url)
    href = safe_href(url)
    return f'<a href="{_text(href)}">{label}</a>' if href else label


def message_html(message: Any, titles: Mapping[str, str]) -> Markup:
    """A finding's message, with each audited page's address shown as its title, linked
    (report.js linkedMessage builds the same)."""
    out = []
    for text, url in message_parts(message, titles):
        out.append(_page_link(url, text) if url else _text(text))
    return Markup("".join(out))


def _or_dash(value: Any) -> str:
    return "–" if value is None else _text(value)


def _sort_key(value: Any, missing: Any) -> str:
    return _text(value if isinstance(value, numbers.Number) else missing)


# The two tables with a row per page are written here, not in the template: Jinja took
# about 60 microseconds a row (most of it looking up dict keys as attributes), a third of
# the site's report and of the owners' reports on a site of 2,000 pages; these take a
# tenth of that. The markup is the template's, and tests/test_report_rows.py holds the
# two equal.


def page_rows(pages: Iterable[dict[str, Any]], show_owner: bool) -> Markup:
    """The rows of the Pages table (each cell labelled, for the stacked rows on a phone)."""
    rows = []
    for p in pages:
        url, age = p.get("url"), p.get("reading_age")
        owner = f'<td data-label="Owner">{_text(p.get("owner", ""))}</td>' if show_owner else ""
        rows.append(
            f'<tr><td>{_page_link(url, p.get("title"))}<br><span class="url">{_text(url)}'
            f'</span></td>{owner}<td class="n" data-label="Errors">{_text(p.get("error", ""))}</td>'
            f'<td class="n" data-label="Warnings">{_text(p.get("warning", ""))}</td>'
            f'<td class="n" data-label="Notices">{_text(p.get("notice", ""))}</td>'
            f'<td class="n" data-label="New">{_text(p.get("new", ""))}</td>'
            f'<td class="n" data-label="Reading age" data-sort="{_text(-1 if age is None else age)}">'
            f"{_text(reading_age_text(age))}</td></tr>"
        )
    return Markup("\n".join(rows))


def smog_age(smog: Any) -> Any:
    """SMOG's grade as a reading age (grade + 5, as the reading age is), or None."""
    return math.floor(smog + 5.5) if isinstance(smog, numbers.Number) else None  # half up


def readability_rows(rows_in: Iterable[dict[str, Any]], show_owner: bool) -> Markup:
    """The rows of the Readability table: the reading age and a second estimate (SMOG,
    as a reading age; marked * where there were too few sentences for it), both shown as
    "very hard (above 18)" past 18. The formulas' raw scores are in findings.json."""
    rows = []
    for r in rows_in:
        age, second, words = r.get("reading_age"), smog_age(r.get("smog_index")), r.get("words")
        hard = "hard" if isinstance(age, numbers.Number) and age > 11 else ""
        owner = f'<td data-label="Owner">{_text(r.get("owner", ""))}</td>' if show_owner else ""
        star = "*" if second is not None and not r.get("smog_reliable") else ""
        rows.append(
            f'<tr class="{hard}"><td>{_page_link(r.get("url"), r.get("title"))}</td>{owner}'
            f'<td class="n" data-label="Reading age" data-sort="{_sort_key(age, -1)}">'
            f"{_text(reading_age_text(age))}</td>\n"
            f'<td class="n" data-label="Second estimate" data-sort="{_sort_key(second, -1)}">'
            f"{_text(reading_age_text(second))}{star}</td>\n"
            f'<td class="n" data-label="Words">{_or_dash(words)}</td></tr>'
        )
    return Markup("\n".join(rows))


BIG_REPORT = 1000  # pages: past this, the long tables are drawn only when scrolled to
PLACES_LISTED = 200  # places listed under one phone number or address
PLACES_INLINE = 3  # up to this many are listed in the row; more go behind "Show"
REGION_WORDS = {"main": "the page text", "footer": "the footer", "header": "the header",
                "nav": "the menus", "aside": "a side panel"}  # fmt: skip


def contact_where(places: list[dict[str, Any]]) -> dict[str, Any]:
    """Where one number or address appears, in a line: how many pages, and in which part
    of them ("in the footer of 61 pages, in the page text of 2"), so that a switchboard
    number in the footer is one row, not 63."""
    pages_by_region: dict[str, set[str]] = {}
    for p in places:
        region = p.get("region") or "main"
        pages_by_region.setdefault(region, set()).add(p.get("url") or "")
    regions = sorted(pages_by_region.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    parts = [
        f"in {REGION_WORDS.get(region, 'the ' + region)} of {len(urls):,} "
        f"page{'' if len(urls) == 1 else 's'}"
        for region, urls in regions
    ]
    said = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    pages = len({p.get("url") for p in places})
    return {
        "pages": pages,
        "summary": said[:1].upper() + said[1:] if pages > 1 else "",
        "inline": len(places) <= PLACES_INLINE,
    }


def trend_chart(trend: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Stacked bars (errors, warnings, notices) for the last runs, as SVG coordinates."""
    if len(trend) < 2:
        return None
    width, height, left, top, bottom = 640, 170, 34, 10, 24
    base = height - bottom
    biggest = max((r.get("errors", 0) + r.get("warnings", 0) + r.get("notices", 0)) for r in trend)
    biggest = max(biggest, 1)
    slot = (width - left) / len(trend)
    bar_w = max(4, min(40, slot * 0.7))
    bars = []
    for i, r in enumerate(trend):
        x = left + i * slot + (slot - bar_w) / 2
        y = base
        segments = []
        for cls, key in (("error", "errors"), ("warning", "warnings"), ("notice", "notices")):
            value = r.get(key, 0) or 0
            h = (base - top) * value / biggest
            if value:
                y -= h
                segments.append({"cls": cls, "y": round(y, 1), "h": round(max(h, 0.5), 1)})
        iso = str(r.get("today") or str(r.get("started", ""))[:10])
        label = long_date(iso)
        bars.append(
            {
                "x": round(x, 1),
                "w": round(bar_w, 1),
                "segments": segments,
                "label": label,
                "short": long_date(iso, short=True),
                "error": r.get("errors", 0),
                "warning": r.get("warnings", 0),
                "notice": r.get("notices", 0),
                "total": (r.get("errors", 0) or 0)
                + (r.get("warnings", 0) or 0)
                + (r.get("notices", 0) or 0),
                "complete": r.get("complete", True),
                "current": i == len(trend) - 1,
            }
        )
    return {
        "width": width,
        "height": height,
        "left": left,
        "top": top,
        "base": base,
        "max": biggest,
        "bars": bars,
        "any_incomplete": any(not b["complete"] for b in bars),
    }


PRIORITY_GROUPS = {
    "error": "Errors: fix these first",
    "warning": "Warnings: fix these next",
    "notice": "Notices: when you can",
}
_SCHEME_HOST = re.compile(r"^[a-z]+://[^/]*", re.IGNORECASE)


def url_depth(url: str) -> int:
    """How many folders down a page is (``/services/msk/index.html``: 2), as report.js
    counts them: pages near the top of the site are the ones most people reach."""
    path = re.split(r"[?#]", _SCHEME_HOST.sub("", url), maxsplit=1)[0]
    return sum(1 for part in path.split("/") if part and part != "index.html")


def priority_order(findings: list[dict[str, Any]], has_history: bool) -> list[dict[str, Any]]:
    """ "Fix these first", the order the report opens on, with or without its script
    (report.js priorityCompare): errors, then warnings, then notices; within each, the
    problems on the most pages first (a header's or a footer's), then new ones, then
    pages near the top of the site, then by owner."""
    order = {"error": 0, "warning": 1, "notice": 2}

    def key(item: tuple[int, dict[str, Any]]) -> tuple[Any, ...]:
        i, f = item
        new = has_history and f["status"] == "new"
        return (
            order.get(f["severity"], 2),
            -(f.get("page_count") or 1),
            0 if new else 1,
            url_depth(f["url"]),
            f["owner"].lower(),
            i,
        )

    return [f for _i, f in sorted(enumerate(findings), key=key)]


def static_groups(data: ReportData, show_owner: bool) -> list[dict[str, Any]]:
    """The findings written into the HTML, for readers without JavaScript, grouped as the
    script first shows them: the site's report in "fix these first" order, under one
    heading per severity; an owner's report page by page."""
    if not data.scope:
        counts = Counter(f["severity"] for f in data.findings)
        first = priority_order(data.findings, bool(data.summary.get("has_history")))
        groups: list[dict[str, Any]] = []
        for f in first[:STATIC_FINDINGS]:
            if not groups or groups[-1]["key"] != f["severity"]:
                n = counts[f["severity"]]
                label = PRIORITY_GROUPS.get(f["severity"], "Other")
                groups.append({"key": f["severity"], "owner": None, "findings": [],
                               "heading": f"{label} ({n:,} finding{'' if n == 1 else 's'})"})  # fmt: skip
            groups[-1]["findings"].append(f)
        return groups
    order = {"error": 0, "warning": 1, "notice": 2}
    by_page = sorted(
        data.findings[:STATIC_FINDINGS],  # already most serious first
        key=lambda f: (
            (f["title"] or f["url"]).lower(),
            f["url"],
            order.get(f["severity"], 3),
        ),
    )
    groups = []
    for f in by_page:
        if not groups or groups[-1]["key"] != f["url"]:
            groups.append({"key": f["url"], "heading": f["title"] or f["url"], "findings": [],
                           "owner": f["owner"] if show_owner else None})  # fmt: skip
        groups[-1]["findings"].append(f)
    return groups


def render_html(data: ReportData, *, rel: str = "", csv_href: str = "findings.csv") -> str:
    return "".join(html_chunks(data, rel=rel, csv_href=csv_href))


ACCEPT_DAYS = 90  # how long an owner's "not a problem here" lasts by default
SPELLING_RULES = ("typo", "spelling-american")


def accept_until(data: ReportData) -> str:
    """The expiry an owner's acceptance gets by default: 90 days after the audit."""
    from datetime import date, timedelta

    day = str(data.run.get("today") or str(data.run.get("started", ""))[:10])
    try:
        return (date.fromisoformat(day) + timedelta(days=ACCEPT_DAYS)).isoformat()
    except ValueError:
        return ""


def baseline_line(f: dict[str, Any], until: str) -> str:
    """The entry a finding gets in the baseline's "accepted" list (content_audit.baseline),
    for an owner to send to the web team: the reason is theirs to fill in."""
    entry = {"fingerprint": f["fingerprint"], "rule": f["rule"], "url": f["url"],
             "text": f["text"] or None, "target": f["target"] or None,
             "reason": "WHY IT IS RIGHT", "expires": until}  # fmt: skip
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))  # as JSON.stringify


def html_chunks(
    data: ReportData, *, rel: str = "", csv_href: str = "findings.csv"
) -> Iterator[str]:
    """The report as Jinja generates it, piece by piece: written straight to the file, so
    a large site's report is never held whole in memory."""
    # an owner's name on every card and row: not in an owner's own report, and not when
    # no owners are configured (every page would say "Unassigned")
    show_owner = not data.scope and data.owners_configured
    run_date = long_date(str(data.run.get("today") or str(data.run.get("started", ""))[:10]))
    site = urlsplit((data.run.get("start_urls") or [""])[0]).hostname or "the website"
    heading = f"Content audit for {data.scope}" if data.scope else f"Content audit of {site}"
    chunks = _env.get_template("index.html.j2").generate(
        d=data,
        page_title=f"{heading} – {run_date}",
        heading=heading,
        run_date=run_date,
        rel=rel,
        csv_href=csv_href,
        show_owner=show_owner,
        static_groups=static_groups(data, show_owner),
        static_count=min(len(data.findings), STATIC_FINDINGS),
        accept_until=accept_until(data),
        baseline_line=baseline_line,
        spelling_rules=SPELLING_RULES,
        page_limit=PAGE_LIMIT,
        contact_limit=CONTACT_LIMIT,
        fixed_limit=FIXED_LIMIT,
        chart=trend_chart(data.trend),
        severity_label=SEVERITY_LABEL,
        severity_meaning=SEVERITY_MEANING,
        rule_names={r["id"]: r["name"] for r in data.rules},
        data_json=script_json(embedded_findings(data, show_owner)),
        css=_asset("report.css"),
        js=_asset("report.js"),
        tool_version=__version__,
        page_rows=page_rows,
        readability_rows=readability_rows,
        message_html=functools.partial(message_html, titles=data.extra.get("titles") or {}),
        pages_listed=PAGES_LISTED,
        contact_where=contact_where,
        big_report=BIG_REPORT,
        places_listed=PLACES_LISTED,
    )
    return (readable_hosts(chunk) for chunk in chunks)  # bücher.example, not xn--bcher-kva


def write_index_report(out_dir: Path, data: ReportData) -> dict[str, Path]:
    """index.html, the whole site's report."""
    index = out_dir / "index.html"
    _write(index, html_chunks(data))
    return {"html": index}


def write_owner_reports(out_dir: Path, data: ReportData) -> dict[str, Path]:
    """owners/<slug>.html and .csv: each content owner's pages and findings. None when no
    owners are configured: the one owner, "Unassigned", would have the site's report again."""
    from content_audit.reports.csv_report import write_findings_csv

    paths: dict[str, Path] = {}
    if not data.owners_configured:
        return paths
    owners_dir = out_dir / "owners"
    owners_dir.mkdir(parents=True, exist_ok=True)
    for owner in data.owners:
        part = for_owner(data, owner)
        csv_path = owners_dir / f"{owner['slug']}.csv"
        write_findings_csv(csv_path, part.findings)
        path = owners_dir / f"{owner['slug']}.html"
        _write(path, html_chunks(part, rel="../", csv_href=csv_path.name))
        paths[f"owner:{owner['name']}"] = path
    return paths


def _write(path: Path, chunks: str | Iterable[str]) -> None:
    """Write through a temporary file, so a reader never sees half a report."""
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        if isinstance(chunks, str):
            out.write(chunks)
        else:
            out.writelines(chunks)
    tmp.replace(path)


def write_index_html(
    path: Path,
    run: dict[str, Any],
    pages: list[dict[str, Any]],
    findings: list[Any],
    rules: Mapping[str, Any],
) -> None:
    """The first report's entry point, kept for callers that only have findings."""
    from content_audit.reports.data import build

    _write(path, render_html(build(run, pages, findings, rules=rules)))
