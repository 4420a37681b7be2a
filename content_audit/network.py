"""A network of sites: one settings file that lists many sites (every trust in an integrated
care system, say), audited one site a job in a GitHub Actions matrix, then merged into one
network report, one findings.json, one history and one gate.

The three steps, each a command (``content_audit/network_cli.py``):

1. **matrix**: the network file becomes the JSON that ``strategy.matrix`` takes, one entry a
   site. Every site's settings are loaded first, so a bad one stops the plan, not one job.
2. **audit**: one site, exactly as a single-site audit of it (the same pipeline, the same
   settings); its output folder is what the job uploads. A small ``network-site.json`` beside
   the reports says which site the folder holds and how the audit ended, so that the merge
   can tell a crash from a site that was never audited.
3. **merge**: reads each site's folder, copies its reports under ``sites/<name>/`` for the
   drill-down, and writes the network's ``index.html``, ``findings.json`` and ``summary.md``.
   A site whose folder is missing, or whose audit did not finish, is named and fails the
   network's gate (exit 2), never skipped.

History: one folder for the network, keyed by site (``sites/<name>.sqlite``, each the
ordinary history of that site) with the network's own nights beside them
(``network.sqlite``: each merge's verdict and every site's counts). A site's audit starts
from its file, so "new since last night" and ``--fail-on-new`` work per site; the merge
copies each audited site's updated file back, and leaves a missing site's file as it was.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import sqlite3
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from content_audit.core import __version__
from content_audit.core.config import Config, ConfigError
from content_audit.core.urls import url_problem
from content_audit.gate import EXIT_FINDINGS, EXIT_NOT_AUDITED, EXIT_OK

NAME_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
MAX_SITES = 256  # GitHub Actions runs at most 256 jobs from one matrix
MARKER = "network-site.json"  # written by `network audit` beside the site's reports
SITE_KEYS = ("name", "title", "url", "config", "settings")
NETWORK_KEYS = ("name", "config", "settings")
# what the drill-down copy of a site's folder leaves out: the stores tomorrow's run reuses
# (large, and of no use to a reader) and files half written
NOT_COPIED = ("*.sqlite", "*.sqlite-*", "*.tmp", MARKER)
SEVERITIES = ("error", "warning", "notice")


@dataclass(slots=True)
class Site:
    name: str  # short id: folders, artefact names, history keys
    url: str
    title: str = ""
    config: str = ""  # settings file for this site (replaces the network's), resolved
    settings: dict[str, Any] = field(default_factory=dict)  # dotted keys, as --set

    @property
    def label(self) -> str:
        return self.title or self.name


@dataclass(slots=True)
class Network:
    path: Path
    name: str
    sites: list[Site]
    config: str = ""  # settings file every site starts from, resolved
    settings: dict[str, Any] = field(default_factory=dict)

    def site(self, name: str) -> Site:
        for site in self.sites:
            if site.name == name:
                return site
        names = ", ".join(s.name for s in self.sites)
        raise ConfigError(f"{self.path}: no site named {name!r} (the network lists {names})")


# -- the network file ------------------------------------------------------------------------
def _settings(where: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f'{where}: settings must be a table of dotted keys, e.g. {{ "crawl.delay" = 0.5 }}')  # fmt: skip
    for key in value:
        if not key.strip() or key.startswith(".") or key.endswith("."):
            raise ConfigError(f"{where}: settings key {key!r} is not a dotted setting name")
        if key in ("site.start_urls", "report.out", "report.history"):
            raise ConfigError(
                f"{where}: settings cannot set {key}: the network decides it for each site"
            )
    return dict(value)


def _file(where: str, value: Any, base: Path) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: config must be the path of a settings file (TOML)")
    path = Path(value).expanduser()
    path = path if path.is_absolute() else base / path
    if not path.is_file():
        raise ConfigError(f"{where}: config {value!r}: no such file ({path})")
    return str(path)


def load_network(path: str | Path) -> Network:
    """Read and check the network file; every problem is one line naming where it is."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the network file: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: the network file is not UTF-8 text") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    base = path.parent
    for key in data:
        if key not in ("network", "sites"):
            raise ConfigError(f"{path}: unknown table {key!r} (expected [network] and [[sites]])")
    head = data.get("network", {})
    if not isinstance(head, dict):
        raise ConfigError(f"{path}: [network] must be a table")
    for key in head:
        if key not in NETWORK_KEYS:
            raise ConfigError(f"{path}: [network]: unknown key {key!r} (expected {', '.join(NETWORK_KEYS)})")  # fmt: skip
    name = head.get("name", "")
    if not isinstance(name, str):
        raise ConfigError(f"{path}: [network] name must be a string")
    network = Network(path=path, name=name.strip() or path.stem, sites=[])
    if "config" in head:
        network.config = _file(f"{path}: [network]", head["config"], base)
    if "settings" in head:
        network.settings = _settings(f"{path}: [network]", head["settings"])
    sites = data.get("sites")
    if not isinstance(sites, list) or not sites:
        raise ConfigError(f'{path}: no sites: list each one in a [[sites]] table with name and url')  # fmt: skip
    if len(sites) > MAX_SITES:
        raise ConfigError(f"{path}: {len(sites)} sites, more than the {MAX_SITES} jobs one GitHub Actions matrix can run")  # fmt: skip
    seen_names: dict[str, int] = {}
    seen_urls: dict[str, str] = {}
    for i, entry in enumerate(sites, 1):
        where = f"{path}: site {i}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: each site must be a [[sites]] table")
        if isinstance(entry.get("name"), str):
            where = f"{path}: site {i} ({entry['name']})"
        for key in entry:
            if key not in SITE_KEYS:
                raise ConfigError(f"{where}: unknown key {key!r} (expected {', '.join(SITE_KEYS)})")  # fmt: skip
        site_name = entry.get("name")
        if not isinstance(site_name, str) or not site_name:
            raise ConfigError(f"{where}: name is missing (a short id such as \"leeds-teaching\")")  # fmt: skip
        if not NAME_PATTERN.fullmatch(site_name):
            raise ConfigError(
                f"{where}: name {site_name!r} must be lower-case letters, digits and hyphens "
                "(at most 63), as it names folders, artefacts and the site's history"
            )
        if site_name in seen_names:
            raise ConfigError(f"{where}: name {site_name!r} is already used by site {seen_names[site_name]}")  # fmt: skip
        seen_names[site_name] = i
        url = entry.get("url")
        if not isinstance(url, str) or not url.strip():
            raise ConfigError(f"{where}: url is missing (the site's start URL)")
        url = url.strip()
        if not url.lower().startswith(("http://", "https://")):
            raise ConfigError(f"{where}: url {url!r} is not an http(s) address")
        problem = url_problem(url)
        if problem:
            raise ConfigError(f"{where}: url {url!r}: {problem}")
        if url in seen_urls:
            raise ConfigError(f"{where}: url {url!r} is already the start of site {seen_urls[url]!r}")  # fmt: skip
        seen_urls[url] = site_name
        title = entry.get("title", "")
        if not isinstance(title, str):
            raise ConfigError(f"{where}: title must be a string")
        site = Site(name=site_name, url=url, title=title.strip())
        if "config" in entry:
            site.config = _file(where, entry["config"], base)
        if "settings" in entry:
            site.settings = _settings(where, entry["settings"])
        network.sites.append(site)
    return network


def site_overrides(network: Network, site: Site, out: Path) -> dict[str, Any]:
    """The dotted settings one site's audit runs with: the network's, the site's, then what
    the network decides (its start URL and output folder)."""
    return {
        **network.settings,
        **site.settings,
        "site.start_urls": [site.url],
        "report.out": str(out.resolve()),
        # in the output folder, where the job uploads it: the merge keeps it (even when the
        # site's own settings file names another history)
        "report.history": str((out / "history.sqlite").resolve()),
    }


def site_config_file(network: Network, site: Site) -> str | None:
    return site.config or network.config or None


def site_config(network: Network, site: Site, out: Path, load: Any, **extra: Any) -> Config:
    """One site's settings, loaded and checked by ``load`` (content_audit.settings.load_config);
    a problem is one line that names the site. ``extra`` are more dotted overrides."""
    overrides = {**site_overrides(network, site, out), **extra}
    try:
        return load(site_config_file(network, site), overrides)  # type: ignore[no-any-return]
    except ConfigError as exc:
        raise ConfigError(f"{network.path}: site {site.name!r}: {exc}") from exc


def check_every_site(network: Network, load: Any) -> None:
    """Load every site's settings, so that a bad one stops the plan (not one matrix job)."""
    for site in network.sites:
        site_config(network, site, Path("network-sites") / site.name, load)


def matrix(network: Network) -> dict[str, Any]:
    """What ``strategy.matrix`` takes: one job a site."""
    return {
        "include": [
            {"site": site.name, "title": site.label, "url": site.url} for site in network.sites
        ]
    }


# -- one site's job --------------------------------------------------------------------------
def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def write_marker(out: Path, network: Network, site: Site, **state: Any) -> None:
    """``network-site.json``: which site this folder holds, and how its audit ended."""
    out.mkdir(parents=True, exist_ok=True)
    record = {
        "network": network.name,
        "site": site.name,
        "url": site.url,
        "tool": {"name": "content-audit", "version": __version__},
        **state,
    }
    tmp = out / (MARKER + ".tmp")
    tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(out / MARKER)


def seed_history(history_dir: Path, site: Site, out: Path) -> Path | None:
    """Start the site's audit from its file in the network history (when there is one):
    copied into the output folder, where the audit updates it and the job uploads it."""
    source = site_history(history_dir, site.name)
    if not source.is_file():
        return None
    out.mkdir(parents=True, exist_ok=True)
    target = out / "history.sqlite"
    _copy_file(source, target)
    return target


def site_history(history_dir: Path, name: str) -> Path:
    return history_dir / "sites" / f"{name}.sqlite"


def _copy_file(source: Path, target: Path) -> None:
    tmp = target.with_name(target.name + ".tmp")
    shutil.copyfile(source, tmp)
    tmp.replace(target)


# -- the merge -------------------------------------------------------------------------------
@dataclass(slots=True)
class SiteResult:
    site: Site
    folder: Path
    state: str  # "passed", "failed", "not-audited" or "missing"
    problem: str = ""  # why it is not audited or missing, one line
    data: dict[str, Any] = field(default_factory=dict)  # the site's findings.json

    @property
    def exit_code(self) -> int:
        return {"passed": EXIT_OK, "failed": EXIT_FINDINGS}.get(self.state, EXIT_NOT_AUDITED)


def _read_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def read_site(site: Site, folder: Path) -> SiteResult:
    """What a site's job left: its verdict, or why there is none."""
    if not folder.is_dir():
        return SiteResult(site, folder, "missing", f"no output folder {folder} (the site's job did not run, failed before uploading, or its artefact was not downloaded)")  # fmt: skip
    marker: dict[str, Any] = {}
    marker_path = folder / MARKER
    if marker_path.is_file():
        try:
            marker = _read_json(marker_path)
        except (OSError, ValueError):
            marker = {}
        if marker.get("site") not in (None, site.name):
            return SiteResult(site, folder, "missing", f"{folder} holds the audit of site {marker.get('site')!r}, not {site.name!r}")  # fmt: skip
    findings_path = folder / "findings.json"
    if marker.get("state") == "started":
        # begun and never ended (the job was stopped, the runner lost): a findings.json
        # here is an earlier night's, not tonight's
        why = "the audit did not finish (the job was stopped or crashed)"
        return SiteResult(site, folder, "not-audited", why)
    if not findings_path.is_file():
        if marker.get("message"):
            why = marker["message"]
        elif marker:
            why = "the audit did not finish (the job was stopped or crashed)"
        else:
            why = f"no findings.json in {folder}"
        return SiteResult(site, folder, "not-audited", why)
    try:
        data = _read_json(findings_path)
    except (OSError, ValueError) as exc:
        return SiteResult(site, folder, "not-audited", f"{findings_path} cannot be read: {exc}")  # fmt: skip
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        return SiteResult(site, folder, "not-audited", f"{findings_path} is not a findings.json")  # fmt: skip
    start_urls = (data.get("run") or {}).get("start_urls") or []
    if start_urls and site.url not in start_urls:
        return SiteResult(site, folder, "missing", f"{folder} holds an audit of {', '.join(start_urls)}, not {site.url}")  # fmt: skip
    verdict = data.get("verdict") or {}
    complete = bool((data.get("run") or {}).get("complete"))
    code = verdict.get("exit_code")
    if code == EXIT_NOT_AUDITED and verdict.get("headline"):
        why = verdict["headline"].removeprefix("Not audited: ")
        return SiteResult(site, folder, "not-audited", why, data)
    if not complete or code not in (EXIT_OK, EXIT_FINDINGS):
        why = "the audit did not finish, so its findings are not the whole site's"
        return SiteResult(site, folder, "not-audited", why, data)
    state = "passed" if code == EXIT_OK else "failed"
    return SiteResult(site, folder, state, "", data)


def copy_site_report(result: SiteResult, target: Path) -> None:
    """The drill-down: the site's reports (not its stores) under the network report."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(result.folder, target, ignore=shutil.ignore_patterns(*NOT_COPIED))


def site_row(result: SiteResult, report_href: str) -> dict[str, Any]:
    data = result.data
    summary = data.get("summary") or {}
    run = data.get("run") or {}
    verdict = data.get("verdict") or {}
    row = {
        "site": result.site.name,
        "title": result.site.label,
        "url": result.site.url,
        "state": result.state,
        "exit_code": result.exit_code,
        "problem": result.problem,
        "report": report_href if data or (result.folder / "index.html").is_file() else "",
        "headline": result.problem or verdict.get("headline") or "",
        "pages": summary.get("pages", len(data.get("pages") or [])) if data else None,
        "findings": len(data.get("findings") or []) if data else None,
        "new": summary.get("new") if summary.get("has_history") else None,
        "fixed": summary.get("fixed") if summary.get("has_history") else None,
        "has_history": bool(summary.get("has_history")),
        "previous_run": summary.get("previous_run") or "",
        "started": run.get("started") or "",
        "today": run.get("today") or (run.get("started") or "")[:10],
    }
    counts = {s: 0 for s in SEVERITIES}
    for finding in data.get("findings") or []:
        if finding.get("severity") in counts:
            counts[finding["severity"]] += 1
    for severity in SEVERITIES:
        row[severity] = counts[severity] if data else None
    return row


def network_verdict(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The network passes only when every site was audited and passed its own gate."""
    reasons = []
    for row in rows:
        if row["state"] == "missing":
            reasons.append(f"{row['site']}: missing: {row['problem']}")
        elif row["state"] == "not-audited":
            reasons.append(f"{row['site']}: not audited: {row['problem']}")
        elif row["state"] == "failed":
            reasons.append(f"{row['site']}: {row['headline']}")
    code = max((row["exit_code"] for row in rows), default=EXIT_NOT_AUDITED)
    counts = {state: sum(1 for r in rows if r["state"] == state) for state in ("passed", "failed", "not-audited", "missing")}  # fmt: skip
    sites = f"{len(rows)} site{'s' if len(rows) != 1 else ''}"
    if code == EXIT_OK:
        headline = f"Passed: all {sites} were audited and passed their gates"
    else:
        parts = []
        if counts["failed"]:
            parts.append(f"{counts['failed']} failed {'their gates' if counts['failed'] != 1 else 'its gate'}")  # fmt: skip
        if counts["not-audited"]:
            parts.append(f"{counts['not-audited']} not audited")
        if counts["missing"]:
            parts.append(f"{counts['missing']} missing")
        lead = "Not audited" if code == EXIT_NOT_AUDITED else "Failed"
        headline = f"{lead}: of {sites}, " + ", ".join(parts)
    return {
        "exit_code": code,
        "passed": code == EXIT_OK,
        "audited": counts["not-audited"] + counts["missing"] == 0,
        "sites": len(rows),
        "sites_by_state": counts,
        "reasons": reasons,
        "headline": headline,
    }


@dataclass(slots=True)
class Merged:
    exit_code: int
    out_dir: Path
    rows: list[dict[str, Any]]
    verdict: dict[str, Any]
    summary: dict[str, Any]
    findings: int


def merge_network(
    network: Network,
    sites_dir: Path,
    out_dir: Path,
    history_dir: Path | None = None,
) -> Merged:
    """Read every site's folder under ``sites_dir``, write the network's reports into
    ``out_dir`` and, with ``history_dir``, keep each audited site's history there."""
    from content_audit.reports.network import write_network_reports

    out_dir.mkdir(parents=True, exist_ok=True)
    results = [read_site(site, sites_dir / site.name) for site in network.sites]
    rows: list[dict[str, Any]] = []
    findings_path = out_dir / "findings.json"
    tmp = findings_path.with_name("findings.json.tmp")
    rule_counts: dict[str, dict[str, int]] = {}
    total = 0
    fixed: list[dict[str, Any]] = []
    with tmp.open("w", encoding="utf-8") as out:
        out.write('{\n "findings": [')
        for result in results:
            href = f"sites/{result.site.name}/index.html"
            if result.folder.is_dir() and result.state != "missing":
                copy_site_report(result, out_dir / "sites" / result.site.name)
            else:
                with contextlib.suppress(FileNotFoundError):
                    shutil.rmtree(out_dir / "sites" / result.site.name)
            rows.append(site_row(result, href))
            for finding in result.data.get("findings") or []:
                record = {"site": result.site.name, **finding}
                out.write(",\n  " if total else "\n  ")
                out.write(json.dumps(record, ensure_ascii=False))
                total += 1
                per_rule = rule_counts.setdefault(finding.get("rule", ""), {})
                per_rule[result.site.name] = per_rule.get(result.site.name, 0) + 1
            fixed += [{"site": result.site.name, **item} for item in result.data.get("fixed") or []]
            result.data = {}  # done with it: one site's findings in memory at a time
        out.write("\n ]")
    verdict = network_verdict(rows)
    audited = [r for r in rows if r["pages"] is not None]
    summary = {
        "sites": len(rows),
        "pages": sum(r["pages"] or 0 for r in audited),
        "findings": total,
        **{s: sum(r[s] or 0 for r in audited) for s in SEVERITIES},
        "new": sum(r["new"] or 0 for r in audited),
        "fixed": sum(r["fixed"] or 0 for r in audited),
        "sites_with_history": sum(1 for r in audited if r["has_history"]),
        "rules": {rule: dict(sorted(n.items())) for rule, n in sorted(rule_counts.items())},
    }
    head = {
        "schema_version": 1,
        "tool": {"name": "content-audit", "version": __version__},
        "network": {"name": network.name, "config": str(network.path), "merged": now()},
        "summary": summary,
        "verdict": verdict,
        "sites": rows,
        "fixed": fixed,
    }
    # the head first, then the findings streamed above, in one valid document
    final = findings_path.with_name("findings.json.part")
    with final.open("w", encoding="utf-8") as out, tmp.open(encoding="utf-8") as body:
        out.write(json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ",\n")
        body.read(2)  # "{\n"
        shutil.copyfileobj(body, out)
        out.write("\n}\n")
    tmp.unlink()
    final.replace(findings_path)
    if history_dir is not None:
        keep_history(results, history_dir)
        head["trend"] = record_network_run(history_dir, head)
    write_network_reports(out_dir, head)
    return Merged(verdict["exit_code"], out_dir, rows, verdict, summary, total)


def keep_history(results: list[SiteResult], history_dir: Path) -> list[str]:
    """Each site's updated history back into the network history. A missing site keeps
    the file it had (its history is not lost because one night's job failed); a site whose
    audit did not finish brings its history too, where that run is marked incomplete and
    so never the comparison point for new and fixed."""
    history_dir.mkdir(parents=True, exist_ok=True)
    kept = []
    for result in results:
        source = result.folder / "history.sqlite"
        if result.state == "missing" or not source.is_file():
            continue
        target = site_history(history_dir, result.site.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        _copy_file(source, target)
        kept.append(result.site.name)
    return kept


NETWORK_RUNS = """
CREATE TABLE IF NOT EXISTS merges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    merged TEXT NOT NULL,
    exit_code INTEGER NOT NULL,
    summary TEXT NOT NULL,   -- the merged findings.json's summary, without its rules
    sites TEXT NOT NULL      -- each site's state and counts, keyed by its name
);
"""
TREND = 14  # the network's last nights shown in its report


def record_network_run(history_dir: Path, head: dict[str, Any]) -> list[dict[str, Any]]:
    """The network's night in ``network.sqlite``; returns the last nights, oldest first,
    this one last (what the report's "last nights" table shows)."""
    history_dir.mkdir(parents=True, exist_ok=True)
    keys = ("state", "pages", *SEVERITIES, "new", "fixed")
    sites = {row["site"]: {k: row[k] for k in keys} for row in head["sites"]}
    summary = {k: v for k, v in head["summary"].items() if k != "rules"}
    db = sqlite3.connect(history_dir / "network.sqlite", timeout=30)
    try:
        with db:
            db.executescript(NETWORK_RUNS)
            db.execute(
                "INSERT INTO merges (merged, exit_code, summary, sites) VALUES (?, ?, ?, ?)",
                (head["network"]["merged"], head["verdict"]["exit_code"],
                 json.dumps(summary), json.dumps(sites)),
            )  # fmt: skip
        rows = db.execute(
            "SELECT merged, exit_code, summary, sites FROM merges ORDER BY id DESC LIMIT ?",
            (TREND,),
        ).fetchall()
    finally:
        db.close()
    return [
        {"merged": merged, "exit_code": code, "summary": json.loads(summary),
         "sites": json.loads(by_site)}
        for merged, code, summary, by_site in reversed(rows)
    ]  # fmt: skip
