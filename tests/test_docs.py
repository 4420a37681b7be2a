"""The README stays true: every rule is listed, and the settings it shows are accepted."""

from __future__ import annotations

import re
from pathlib import Path

from content_audit.checks import load_all
from content_audit.checks.registry import RULES
from content_audit.settings import load_config as load

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_lists_every_rule():
    load_all()
    listed = set(re.findall(r"^\| `([a-z0-9-]+)` \|", README, re.M))
    assert listed == set(RULES)


def test_readme_settings_example_is_a_valid_config(tmp_path):
    block = re.search(r"```toml\n(.*?)```", README, re.S)
    assert block, "the README shows the settings in a ```toml block"
    path = tmp_path / "audit.toml"
    path.write_text(block.group(1), encoding="utf-8")
    config = load(path)  # raises ConfigError naming any key the README invented
    assert config.site.start_urls == ["https://www.example-trust.nhs.uk/"]


def test_readme_shows_the_two_commands_ci_runs():
    assert "bash scripts/setup.sh && .venv/bin/content-audit" in README
    assert "bash scripts/setup.sh && .venv/bin/python -m pytest" in README
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/setup.sh && .venv/bin/python -m pytest" in ci


def test_the_architecture_page_names_only_modules_that_exist():
    """docs/architecture.md names files (``core/store.py``) and the layers; a rename that
    forgets the page fails here."""
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:core|crawler|checks|reports|content_audit)/[a-z_]+\.py)`", page))
    assert len(named) > 25, "the page names the modules it describes"
    missing = sorted(name for name in named if not (ROOT / name).is_file())
    assert not missing, f"docs/architecture.md names modules that do not exist: {missing}"
    for folder in ("core", "crawler", "checks", "reports", "content_audit"):
        assert f"`{folder}/`" in page, f"the layer table has no row for {folder}/"


def test_the_rule_docs_are_generated_from_the_catalogue():
    """README's rule table and docs/rules.md come from the catalogue; adding or changing a
    rule without regenerating them (python -m content_audit.catalogue) fails here."""
    from content_audit.catalogue import main

    assert main(["--check"]) == 0
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule in RULES.values():
        assert f'<a id="{rule.id}"></a>' in page
        assert f"[{rule.name}](docs/rules.md#{rule.id})" in README
