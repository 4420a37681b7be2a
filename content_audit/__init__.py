"""Content Audit: a nightly content and link audit for NHS trust websites.

One import name for the whole tool. This folder holds the application layer (the pipeline,
history, baseline, gate and command line); the stages below it live in the repository's
top-level folders and are installed as sub-packages (``package-dir`` in pyproject.toml):

    content_audit.core      data model, config, URLs, the run store   (imports nothing above)
    content_audit.crawler   the Scrapy spider and extraction          (imports core)
    content_audit.checks    the rule families                          (imports core)
    content_audit.reports   the renderers                              (imports core)
"""

from content_audit.core import __version__

__all__ = ["__version__"]
