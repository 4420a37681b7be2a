"""Content Audit: a nightly content and link audit for NHS trust websites.

One import name for the whole tool. This folder holds the application layer (the pipeline,
history, baseline, gate and command line); the stages below it live in the repository's
top-level folders and are installed as sub-packages (``package-dir`` in pyproject.toml):

    content_audit.core      data model, config, URLs, the run store   (imports nothing above)
    content_audit.crawler   the Scrapy spider and extraction          (imports core)
    content_audit.checks    the rule families                          (imports core)
    content_audit.reports   the renderers                              (imports core)
"""

from pathlib import Path as _Path

# In a checkout the stage folders sit beside this one. Look there first, so that a checkout
# (a second worktree, an A/B bench, ``python run_audit.py``) runs its own code, never the
# tree an editable install happens to point at. An installed wheel has no pyproject.toml
# beside its package, and is left alone.
_checkout = _Path(__file__).resolve().parent.parent
if (_checkout / "pyproject.toml").is_file() and (_checkout / "core" / "__init__.py").is_file():
    __path__.append(str(_checkout))

from content_audit.core import __version__  # noqa: E402

__all__ = ["__version__"]
