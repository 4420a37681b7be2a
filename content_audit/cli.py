#!/usr/bin/env python3
"""Content Audit command line: audit a site and write reports.

    python run_audit.py https://www.example-trust.nhs.uk/ --out audit-output
    python run_audit.py --config audit.toml
    python run_audit.py            # serves the bundled sample site and audits it

Exit status: 0 audited and nothing reached the failing severity (or --write-baseline wrote
the baseline); 1 audited with findings at or above it; 2 not audited (bad config, site
unreachable, nothing crawled, aborted).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import logging
import os
import sys
import tomllib
from pathlib import Path
from typing import Any

from content_audit.baseline import BaselineRequest, BaselineWriteError
from content_audit.core import __version__
from content_audit.core.config import FAIL_ON_VALUES, ConfigError
from content_audit.pipeline import EXIT_NOT_AUDITED, RunResult, merge, run
from content_audit.settings import load_config as load


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="content-audit",
        description="Audit an NHS website's content and links, and write reports.",
        epilog="exit status: 0 the site was audited and nothing reached the failing "
        "severity; 1 findings (or a [report] threshold) fail the gate; 2 the site could "
        "not be fully audited (bad settings, site unreachable, page limit reached, a "
        "check that could not run, the crawl stopped early). Many sites: content-audit "
        "network --help (docs/network.md).",
    )
    parser.add_argument("urls", nargs="*", help="start URL(s); none: audit the bundled sample site")
    parser.add_argument(
        "--sample-port",
        type=int,
        metavar="PORT",
        help=f"with no URL: serve the sample site on PORT and its external web on PORT+1 "
        f"(default {DEMO_PORTS[0]})",
    )
    parser.add_argument("--config", "-c", help="settings file (TOML)")
    parser.add_argument("--out", "-o", help="output folder (default: audit-output)")
    parser.add_argument("--today", help="the date checks use, YYYY-MM-DD (default: today)")
    parser.add_argument("--fail-on", choices=FAIL_ON_VALUES, help="severity that fails the run")
    parser.add_argument(
        "--fail-on-new",
        action="store_true",
        help="fail only on findings that were not in the previous complete run or the baseline",
    )
    parser.add_argument(
        "--baseline", metavar="FILE", help="accepted findings (JSON) not to fail on"
    )
    parser.add_argument(
        "--write-baseline",
        metavar="FILE",
        help="after the audit, write every finding to FILE as accepted (see --baseline)",
    )
    parser.add_argument(
        "--baseline-days",
        type=int,
        default=90,
        metavar="N",
        help="with --write-baseline: the acceptances expire after N days (default 90)",
    )
    parser.add_argument(
        "--baseline-reason",
        default="accepted at adoption",
        help="with --write-baseline: the reason recorded for each accepted finding",
    )
    parser.add_argument(
        "--history", metavar="PATH", help="history database (default: <out>/history.sqlite)"
    )
    parser.add_argument(
        "--owner",
        action="append",
        metavar="PREFIX=NAME",
        help="content owner of the pages under a URL prefix (repeatable; longest prefix wins)",
    )
    parser.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="set any setting, e.g. --set links.block_private=true (value in TOML syntax)",
    )
    parser.add_argument(
        "--max-pages",
        type=int,
        help="stop after this many pages; the run then exits 2, as only part of the site "
        "was audited, unless --set site.partial_ok=true",
    )
    parser.add_argument("--sitemap", action="append", help="sitemap URL to start from too")
    parser.add_argument("--no-robots", action="store_true", help="ignore robots.txt")
    parser.add_argument(
        "--merge",
        nargs="+",
        metavar="DIR",
        help="combine the output folders of shard runs into one report and history",
    )
    parser.add_argument(
        "--recheck-links",
        action="store_true",
        help="check every link again, ignoring the link cache",
    )
    parser.add_argument("--version", action="version", version=f"content-audit {__version__}")
    parser.add_argument(
        "--verbose",
        "-v",
        action="count",
        default=0,
        help="log more detail: -v our steps and Scrapy's warnings, one line each; "
        "-vv everything, with tracebacks",
    )
    return parser.parse_args(argv)


def overrides_from(args: argparse.Namespace) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    if args.urls:
        overrides["site.start_urls"] = list(args.urls)
    if args.sitemap:
        overrides["site.sitemaps"] = list(args.sitemap)
    if args.out:
        overrides["report.out"] = str(Path(args.out).resolve())
    if args.today:
        overrides["today"] = args.today
    if args.fail_on:
        overrides["report.fail_on"] = args.fail_on
    if args.max_pages is not None:
        overrides["site.max_pages"] = args.max_pages
    if args.no_robots:
        overrides["crawl.obey_robots"] = False
    if args.fail_on_new:
        overrides["report.fail_on_new"] = True
    if args.baseline:
        overrides["report.baseline"] = str(Path(args.baseline).resolve())
    if args.history:
        overrides["report.history"] = str(Path(args.history).resolve())
    for item in args.set or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--set {item!r}: expected KEY=VALUE, e.g. links.block_private=true")
        try:
            overrides[key.strip()] = tomllib.loads(f"v = {value.strip()}")["v"]
        except tomllib.TOMLDecodeError:
            overrides[key.strip()] = value.strip()  # a bare word: take it as a string
    if args.recheck_links:
        overrides["links.recheck_all"] = True
    return overrides


def owners_from(args: argparse.Namespace) -> dict[str, str]:
    owners: dict[str, str] = {}
    for item in args.owner or []:
        prefix, sep, name = item.partition("=")
        if not sep or not prefix.strip() or not name.strip():
            raise ConfigError(f"--owner {item!r}: expected PREFIX=NAME")
        owners[prefix.strip()] = name.strip()
    return owners


def print_summary(result: RunResult) -> None:
    counts = result.counts
    run = result.run
    if run:
        # "could not be fetched" is about pages; "findings" about what the checks found
        rows = [
            # the report's "pages audited" counts every page asked for, failed ones too
            ("Pages audited", run.get("pages_crawled", 0)),
            ("  of them, could not be fetched", run.get("pages_unreachable", 0)),
            # the site's own pages are checked by being crawled; these are the rest
            ("Other links checked (files, images, other sites)", run.get("links_checked", 0)),
            ("Error findings", counts.get("error", 0)),
            ("Warning findings", counts.get("warning", 0)),
            ("Notice findings", counts.get("notice", 0)),
        ]
        verdict = getattr(result.review, "verdict", None)
        if verdict is not None and verdict.accepted:
            rows.append(("Accepted in the baseline", verdict.accepted))
        width = max(len(name) for name, _ in rows)
        print()
        for name, value in rows:
            print(f"  {name:<{width}}  {value:>6}")
        print()
        changes = getattr(result.review, "changes", None)
        if changes is not None and changes.previous_run:
            print(f"  Since the last complete run: {changes.new} new, {len(changes.fixed)} fixed")
            print()
        elif changes is not None:
            print("  New since the last run: first audit, no history to compare")
            print()
        print(f"Report: {result.out_dir / 'index.html'}")
        print(f"Data:   {result.out_dir / 'findings.json'}")
    print(result.message)


FRAMEWORK = ("scrapy", "twisted", "py.")


class OneLineFramework(logging.Filter):
    """Scrapy's and Twisted's records at -v: warnings and errors only, one line each. A
    failed request is already a finding; its traceback helps only someone debugging the
    crawler, who asks for it with -vv."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(FRAMEWORK):
            return True
        if record.levelno < logging.WARNING:
            return False
        record.exc_info = record.exc_text = None
        record.stack_info = None
        return True


def configure_logging(verbose: int) -> None:
    """Our own messages at WARNING; -v: ours at INFO and the framework's warnings in one
    line each; -vv: everything, tracebacks included."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    if not verbose:
        # Scrapy logs every request; failures already become findings.
        handler.addFilter(lambda record: not record.name.startswith(FRAMEWORK))
    elif verbose == 1:
        handler.addFilter(OneLineFramework())
    level = logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, handlers=[handler])


# where the demo (no site given) serves the sample site and its external web, when free:
# the same addresses every run, so that "since the last run" shows what really changed.
# Below the range Linux hands out for outgoing connections and port 0 (32768-60999): there
# any server or crawl on the machine could hold them for a while (a test run once did)
DEMO_PORTS = (18731, 18732)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["network"]:  # content-audit network matrix|audit|merge (many sites)
        from content_audit.network_cli import main as network_main

        return network_main(argv[1:])
    args = parse_args(argv)
    configure_logging(args.verbose)
    servers = None
    try:
        overrides = overrides_from(args)
        if args.today:  # before any server is started for the sample site
            _date_or_error(args.today)
    except ConfigError as exc:
        print(f"content-audit: configuration error: {exc}", file=sys.stderr)
        return EXIT_NOT_AUDITED
    try:
        if args.merge:
            config = load(args.config, overrides)
        elif not args.urls and not args.config:
            from content_audit.sample.servers import SampleServers, demo_overrides

            site_port = args.sample_port or DEMO_PORTS[0]
            try:  # fixed ports: a second demo run then compares like with like
                servers = SampleServers(site_port=site_port, external_port=site_port + 1)
                servers.start()
            except OSError:  # taken: any free ports (the next run's addresses will differ)
                servers = None
                if args.sample_port:
                    raise ConfigError(
                        f"--sample-port {site_port}: port {site_port} or {site_port + 1} "
                        "is in use; choose another"
                    ) from None
                servers = SampleServers().start()
                print(
                    f"content-audit: ports {site_port} and {site_port + 1} are in use, so the "
                    "sample site is served at other addresses: its findings count as new "
                    "against earlier runs (choose the ports with --sample-port)",
                    file=sys.stderr,
                )
            print(
                f"Serving the sample site at {servers.site_url}/ (external web at {servers.external_url})"
            )
            overrides = {**demo_overrides(servers), **overrides}
            overrides.setdefault("report.out", str(Path("audit-output").resolve()))
            config = load(servers.config_path, overrides)
        else:
            config = load(args.config, overrides)
        config.report.owners.update(owners_from(args))
        if not config.site.start_urls and not args.merge:
            raise ConfigError("no site to audit: give a URL or set site.start_urls in the config")
    except ConfigError as exc:
        print(f"content-audit: configuration error: {exc}", file=sys.stderr)
        if servers:
            servers.stop()
        return EXIT_NOT_AUDITED
    try:
        request = baseline_request(args)
        result = (
            merge(config, [Path(d) for d in args.merge], request)
            if args.merge
            else run(config, request)
        )
    except BaselineWriteError as exc:  # one line, and not "findings" (1)
        line = f"content-audit: {exc}"
        print(line, file=sys.stderr)
        if not args.merge:
            withdraw_reports(config.out_dir, line)
        return EXIT_NOT_AUDITED
    except KeyboardInterrupt:  # Ctrl-C outside the crawl (which stops gracefully itself)
        line = "content-audit: stopped by Ctrl-C; nothing was audited"
        print(line, file=sys.stderr)
        if not args.merge:
            withdraw_reports(config.out_dir, line)
        return EXIT_NOT_AUDITED
    except Exception as exc:  # a crash is never a verdict on the site: exit 2, not 1
        line = crash_line(exc, args.verbose)
        print(line, file=sys.stderr)
        if not args.merge:
            withdraw_reports(config.out_dir, line)
        return EXIT_NOT_AUDITED
    finally:
        if servers:
            servers.stop()
    print_summary(result)
    if args.write_baseline and result.exit_code == EXIT_NOT_AUDITED:
        print("content-audit: no baseline written: the site was not fully audited", file=sys.stderr)
    return result.exit_code


def baseline_request(args: argparse.Namespace) -> BaselineRequest | None:
    """--write-baseline and its companions, for the review stage, which writes the file
    before the reports so that they show the run as accepted (never from a run that did
    not finish: that exits 2 with no baseline written)."""
    if not args.write_baseline:
        return None
    return BaselineRequest(
        Path(args.write_baseline), days=args.baseline_days, reason=args.baseline_reason
    )


def _date_or_error(text: str) -> None:
    from datetime import date

    try:
        date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"--today must be a date as YYYY-MM-DD, not {text!r}") from None


def crash_line(exc: BaseException, verbose: bool) -> str:
    """One line that says why the audit stopped (a full disk, a read-only folder, a bug);
    the traceback goes to the log with --verbose only."""
    if verbose:
        logging.getLogger("content-audit").error("the audit crashed", exc_info=exc)
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        why = f"{exc.strerror}{where}"
    else:
        why = f"{exc.__class__.__name__}: {exc}"
    hint = "" if verbose else " (--verbose shows the details)"
    return f"content-audit: the audit stopped, nothing was audited: {why}{hint}"


def withdraw_reports(out_dir: Path, line: str) -> None:
    """After a crash, last night's reports must not look like this run's: they are
    replaced by a "not audited" page (when the folder can be written at all)."""
    from content_audit.reports.writer import not_audited

    with contextlib.suppress(Exception):
        not_audited(out_dir, line.removeprefix("content-audit: "))


def cli() -> None:
    """The command: run, then end the process at once. The run has closed its stores and
    written its reports; the exit handlers (logging, multiprocessing, thread pools) run as
    at any exit, but the interpreter is not then taken apart object by object, which took
    0.3 s after a nightly re-run of 2,000 pages (a twentieth of the run)."""
    code = main()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # closed, or a closed pipe
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    cli()
