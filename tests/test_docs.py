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
