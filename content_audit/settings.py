"""Loading the settings with everything the application knows: the bottom layer
(``core.config``) checks types, ranges and patterns; here the rule ids a setting names are
checked against the rule catalogue, which the checks layer owns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from content_audit.checks import load_all
from content_audit.checks.engine.registry import RULES
from content_audit.core.config import Config, load


def load_config(path: str | Path | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """``core.config.load`` with rule ids checked against every registered rule."""
    load_all()
    return load(path, overrides, rule_ids=frozenset(RULES))
