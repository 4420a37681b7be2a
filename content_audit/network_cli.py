"""``content-audit network``: audit a network of sites as a GitHub Actions matrix.

    content-audit network matrix network.toml               # JSON for strategy.matrix
    content-audit network audit network.toml SITE [--out DIR] [--history DIR]
    content-audit network merge network.toml [--sites DIR] [--out DIR] [--history DIR]

Exit status as for one site: 0 passed; 1 audited, and findings (or, for the merge, a site)
failed the gate; 2 not audited: a bad network file, a site's audit that did not finish, or
a site missing from the merge.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from content_audit.core.config import FAIL_ON_VALUES, ConfigError
from content_audit.gate import EXIT_NOT_AUDITED

if TYPE_CHECKING:
    from content_audit.network import Network

DEFAULT_SITES = "network-sites"
DEFAULT_OUT = "network-report"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="content-audit network",
        description="Audit many sites listed in one network file, one job a site, and merge them.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    plan = commands.add_parser(
        "matrix", help="print the GitHub Actions matrix (JSON), one job a site"
    )
    plan.add_argument("network", help="the network file (TOML)")
    one = commands.add_parser("audit", help="audit one site of the network")
    one.add_argument("network", help="the network file (TOML)")
    one.add_argument("site", help="the site's name in the network file")
    one.add_argument("--out", "-o", help=f"output folder (default: {DEFAULT_SITES}/SITE)")
    one.add_argument("--history", metavar="DIR", help="the network's history folder: start from sites/SITE.sqlite there")  # fmt: skip
    one.add_argument("--today", help="the date checks use, YYYY-MM-DD (default: today)")
    one.add_argument("--fail-on", choices=FAIL_ON_VALUES, help="severity that fails the site")
    one.add_argument("--set", action="append", metavar="KEY=VALUE", help="set any setting for this run (as for one site)")  # fmt: skip
    one.add_argument("--verbose", "-v", action="count", default=0, help="log more detail")
    join = commands.add_parser("merge", help="merge the sites' output folders into the network report")  # fmt: skip
    join.add_argument("network", help="the network file (TOML)")
    join.add_argument("--sites", default=DEFAULT_SITES, metavar="DIR", help=f"folder holding one output folder a site, named as the site (default: {DEFAULT_SITES})")  # fmt: skip
    join.add_argument("--out", "-o", default=DEFAULT_OUT, help=f"folder for the network report (default: {DEFAULT_OUT})")  # fmt: skip
    join.add_argument("--history", metavar="DIR", help="the network's history folder: keep each site's updated history there")  # fmt: skip
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from content_audit.network import load_network

    try:
        network = load_network(args.network)
        if args.command == "matrix":
            return matrix_command(network)
        if args.command == "audit":
            return audit_command(network, args)
        return merge_command(network, args)
    except ConfigError as exc:
        print(f"content-audit: configuration error: {exc}", file=sys.stderr)
        return EXIT_NOT_AUDITED


def matrix_command(network: Network) -> int:
    from content_audit.network import check_every_site, matrix
    from content_audit.settings import load_config

    check_every_site(network, load_config)
    print(json.dumps(matrix(network), ensure_ascii=False, separators=(",", ":")))
    return 0


def audit_command(network: Network, args: argparse.Namespace) -> int:
    """One site, as a single-site audit of it; the folder says which site it holds and how
    the audit ended (network-site.json), for the merge."""
    from content_audit.cli import (
        configure_logging,
        crash_line,
        overrides_from,
        print_summary,
        withdraw_reports,
    )
    from content_audit.cli import (
        parse_args as parse_single_site_args,
    )
    from content_audit.network import now, seed_history, site_config, write_marker
    from content_audit.pipeline import run
    from content_audit.settings import load_config

    configure_logging(args.verbose)
    site = network.site(args.site)
    out = Path(args.out or Path(DEFAULT_SITES) / site.name)
    # the single-site command's own flags, parsed by its own parser: --set means the same
    flags = ["--today", args.today] if args.today else []
    flags += ["--fail-on", args.fail_on] if args.fail_on else []
    for item in args.set or []:
        flags += ["--set", item]
    extra = overrides_from(parse_single_site_args(flags))
    config = site_config(network, site, out, load_config, **extra)
    started = now()
    write_marker(out, network, site, state="started", started=started)
    if args.history:
        seed_history(Path(args.history), site, out)
    print(f"Auditing {site.label} ({site.url}) into {out}")
    try:
        result = run(config)
    except KeyboardInterrupt:
        line = "content-audit: stopped by Ctrl-C; nothing was audited"
        print(line, file=sys.stderr)
        withdraw_reports(config.out_dir, line)
        write_marker(out, network, site, state="finished", started=started, exit_code=EXIT_NOT_AUDITED,
                     message=line.removeprefix("content-audit: "), finished=now())  # fmt: skip
        return EXIT_NOT_AUDITED
    except Exception as exc:  # a crash is never a verdict on the site
        line = crash_line(exc, args.verbose)
        print(line, file=sys.stderr)
        withdraw_reports(config.out_dir, line)
        write_marker(out, network, site, state="finished", started=started, exit_code=EXIT_NOT_AUDITED,
                     message=line.removeprefix("content-audit: "), finished=now())  # fmt: skip
        return EXIT_NOT_AUDITED
    print_summary(result)
    write_marker(out, network, site, state="finished", started=started, exit_code=result.exit_code,
                 message=result.message, finished=now())  # fmt: skip
    return result.exit_code


def merge_command(network: Network, args: argparse.Namespace) -> int:
    from content_audit.network import merge_network

    history = Path(args.history) if args.history else None
    merged = merge_network(network, Path(args.sites), Path(args.out), history)
    width = max(len(row["site"]) for row in merged.rows)
    print()
    for row in merged.rows:
        counts = (
            f"{row['pages']:>6} pages {row['error']:>6} errors {row['warning']:>6} warnings"
            if row["pages"] is not None
            else ""
        )
        state = row["state"].replace("-", " ")
        print(f"  {row['site']:<{width}}  {state:<11}  {counts}")
    print()
    print(f"Network report: {merged.out_dir / 'index.html'}")
    print(f"Data:           {merged.out_dir / 'findings.json'}")
    for reason in merged.verdict["reasons"]:
        print(f"  {reason}")
    print(merged.verdict["headline"])
    return merged.exit_code
