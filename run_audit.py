#!/usr/bin/env python3
"""The command line from a checkout: ``python run_audit.py --help``.

A thin shim over ``content_audit.cli`` (installed as ``content-audit``). Started with a
Python that does not have the project installed (the system's ``python3``), it hands over to
the checkout's ``.venv`` when there is one, and otherwise says how to make it.
"""

import os
import sys
from pathlib import Path

try:
    from content_audit.cli import cli, main  # noqa: F401
except ModuleNotFoundError as missing:  # not installed for this Python
    venv = Path(__file__).resolve().parent / ".venv"
    venv_python = venv / "bin" / "python"
    # sys.prefix, not the executable: a venv's python is a link to the machine's own
    if venv_python.is_file() and Path(sys.prefix).resolve() != venv.resolve():
        os.execv(str(venv_python), [str(venv_python), __file__, *sys.argv[1:]])
    print(
        f"content-audit: {missing.name} is not installed for this Python; "
        "run: bash scripts/setup.sh, then .venv/bin/content-audit",
        file=sys.stderr,
    )
    sys.exit(2)  # not audited

if __name__ == "__main__":
    cli()
