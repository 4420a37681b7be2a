"""The rule catalogue as documentation, generated so that it cannot drift from the code.

    python -m content_audit.catalogue            # rewrite README.md's table and docs/rules.md
    python -m content_audit.catalogue --check    # exit 1 if either is out of date

The README carries one table row per rule between two markers; ``docs/rules.md`` has one
section per rule (what is wrong, why it matters, how to fix it), the page each finding's
"more about this rule" points at.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path

from content_audit.checks import load_all
from content_audit.checks.engine.registry import RULES, Rule

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def _by_family(rules: Mapping[str, Rule]) -> dict[str, list[Rule]]:
    """Rules grouped by family, families and rules in alphabetical order: the registry's own
    order depends on which module happened to be imported first."""
    families: dict[str, list[Rule]] = {}
    for rule in sorted(rules.values(), key=lambda r: (r.family, r.id)):
        families.setdefault(rule.family, []).append(rule)
    return families


def rules_table(rules: Mapping[str, Rule]) -> str:
    """The README's list: each family's rule ids with their default severity, each linked
    to its section in docs/rules.md (the full text lives there, not in the manual)."""
    lines = []
    for family, members in _by_family(rules).items():
        ids = ", ".join(f"[`{r.id}`](docs/rules.md#{r.id}) ({r.severity})" for r in members)
        lines.append(f"- **{family.replace('_', ' ').capitalize()}**: {ids}")
    return "\n".join(lines) + "\n"


def rules_page(rules: Mapping[str, Rule]) -> str:
    """docs/rules.md: one section per rule, in catalogue order, grouped by family."""
    out = [
        "# Rules",
        "",
        "Generated from the rule catalogue (`checks/engine/registry.py` and the family modules) by",
        "`python -m content_audit.catalogue`; do not edit by hand. Severities can be changed and",
        "rules turned off in the `[checks]` settings (see the README).",
        "",
    ]
    for family, members in _by_family(rules).items():
        out += [f"## {family.replace('_', ' ').capitalize()}", ""]
        out += [line for rule in members for line in _section(rule)]
    return "\n".join(out)


def _section(rule: Rule) -> list[str]:
    return [
        f'<a id="{rule.id}"></a>',
        f"### {rule.name} (`{rule.id}`)",
        "",
        f"Default severity: **{rule.severity}**.",
        "",
        f"**Why it matters.** {_text(rule.summary)}",
        "",
        f"**How to fix it.** {_text(rule.fix)}",
        "",
    ]


def _text(words: str) -> str:
    """Rule texts may name HTML elements ("<title>"): shown, not interpreted."""
    return words.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def readme_with_table(readme: str, table: str) -> str:
    before, start, rest = readme.partition(START)
    _, end, after = rest.partition(END)
    if not start or not end:
        raise ValueError(f"README.md has no {START} ... {END} block for the rules table")
    return f"{before}{START}\n{table}{END}{after}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m content_audit.catalogue")
    parser.add_argument("--check", action="store_true", help="fail if the docs are out of date")
    args = parser.parse_args(argv)
    load_all()
    readme_path, page_path = ROOT / "README.md", ROOT / "docs" / "rules.md"
    readme = readme_path.read_text(encoding="utf-8")
    wanted = {
        readme_path: readme_with_table(readme, rules_table(RULES)),
        page_path: rules_page(RULES),
    }
    stale = [p for p, text in wanted.items() if not p.is_file() or p.read_text("utf-8") != text]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is out of date: run python -m content_audit.catalogue")
        return 1 if stale else 0
    for path in stale:
        path.write_text(wanted[path], encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
