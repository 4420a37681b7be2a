"""Where the audit keeps what it can work out again but would rather not each night.

The spelling lexicon (checks.spelling) and the report templates compiled to Python
(reports.html) live here: ``$CONTENT_AUDIT_CACHE``, else ``$XDG_CACHE_HOME/content-audit``,
else ``~/.cache/content-audit``. Everything in it may be deleted at any time; a folder that
cannot be written only means the work is done again on each run.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    root = os.environ.get("CONTENT_AUDIT_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "content-audit"
    )
    return Path(root)
