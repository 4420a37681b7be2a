"""The site's own credentials, as every request to the audited origins carries them.

Apart from the Scrapy middleware that sends them (crawler.middlewares) so that the
revalidation before the crawl (crawler.revalidate), which sends the same, need not import
Scrapy: it runs in a child process while the crawl's process imports it.
"""

from __future__ import annotations

import base64
import os


def site_auth_header(user_env: str | None, password_env: str | None) -> str:
    """The Basic-auth Authorization value from the credentials in those environment
    variables, or "" when no user is set (crawler.revalidate sends the same)."""
    user = os.environ.get(user_env or "", "")
    if not user:
        return ""
    password = os.environ.get(password_env or "", "")
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
