#!/usr/bin/env python3
"""The command line from a checkout: ``python run_audit.py --help``.

A thin shim over ``content_audit.cli`` (installed as ``content-audit``); run
``bash scripts/setup.sh`` first, then use ``.venv/bin/python run_audit.py``.
"""

from content_audit.cli import cli, main  # noqa: F401

if __name__ == "__main__":
    cli()
