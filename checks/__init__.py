"""Checks: one module per family of rules. Importing this package registers them all."""

from content_audit.checks.engine import registry  # noqa: F401

FAMILIES = (
    "basics",
    "links",
    "readability",
    "plain_english",
    "nhs_style",
    "placeholders",
    "contacts",
    "freshness",
    "duplicates",
    "spelling",
    "grammar",
    "repeats",
    "outdated",
)


def load_all() -> None:
    """Import every family module so its rules and checks register themselves."""
    import importlib

    for name in FAMILIES:
        importlib.import_module(f"{__name__}.{name}")
