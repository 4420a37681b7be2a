"""The README stays true: every rule is listed, and the settings it shows are accepted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from content_audit.checks import load_all
from content_audit.checks.engine.registry import RULES
from content_audit.settings import load_config as load

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_lists_every_rule():
    load_all()
    listed = set(re.findall(r"\[`([a-z0-9-]+)`\]\(docs/rules\.md#\1\)", README))
    assert listed == set(RULES)


@pytest.mark.parametrize("doc", ["README.md", "docs/configuration.md"])
def test_the_settings_shown_are_a_valid_config(tmp_path, doc):
    text = (ROOT / doc).read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", text, re.S)
    assert block, f"{doc} shows the settings in a ```toml block"
    path = tmp_path / "audit.toml"
    path.write_text(block.group(1), encoding="utf-8")
    config = load(path)  # raises ConfigError naming any key the document invented
    assert config.site.start_urls == ["https://www.example-trust.nhs.uk/"]


def test_the_configuration_reference_shows_every_setting():
    """docs/configuration.md lists every setting with its default: a new key must be added."""
    from dataclasses import fields, is_dataclass

    from content_audit.core.config import Config

    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    config = Config()
    for section in fields(config):
        value = getattr(config, section.name)
        if not is_dataclass(value):
            continue
        assert f"[{section.name}]" in text, section.name
        for key in fields(value):
            shown = rf"^(?:{key.name} = |\[\[{section.name}\.{key.name}\]\])"
            assert re.search(shown, text, re.M), f"{section.name}.{key.name}"


def test_the_readme_stays_a_short_manual():
    assert len(README.split()) < 2000


def test_readme_shows_the_two_commands_ci_runs():
    assert "bash scripts/setup.sh && .venv/bin/content-audit" in README
    assert "bash scripts/setup.sh --dev && .venv/bin/python -m pytest" in README
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/setup.sh --dev && .venv/bin/python -m pytest" in ci


def test_the_architecture_page_names_only_modules_that_exist():
    """docs/architecture.md names files (``core/store.py``) and the layers; a rename that
    forgets the page fails here."""
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(
        re.findall(
            r"`((?:core|crawler|checks|reports|content_audit)/(?:[a-z_]+/)*[a-z_]+\.py)`", page
        )
    )
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
        assert f"[`{rule.id}`](docs/rules.md#{rule.id}) ({rule.severity})" in README
