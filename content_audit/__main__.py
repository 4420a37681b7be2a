"""``python -m content_audit``: the command line."""

from content_audit.cli import cli

cli()
