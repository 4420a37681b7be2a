"""Downloader middlewares: credentials scoped to the audited site."""

from __future__ import annotations

import base64
import os
from typing import Any

from scrapy.http import Request

from core.urls import origin


class SiteAuthMiddleware:
    """Basic-auth credentials for a staging site, sent to the audited origins only.

    Scrapy's own HttpAuthMiddleware matches domains, not ports, and would send the password
    to another service on the same host; this one compares scheme, host and port, and runs
    again for every redirect hop.
    """

    def __init__(self, origins: frozenset[str], header: bytes | None) -> None:
        self.origins = origins
        self.header = header

    @classmethod
    def from_crawler(cls, crawler: Any) -> SiteAuthMiddleware:
        settings = crawler.settings
        user = os.environ.get(settings.get("AUDIT_AUTH_USER_ENV") or "", "")
        password = os.environ.get(settings.get("AUDIT_AUTH_PASSWORD_ENV") or "", "")
        header = None
        if user:
            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            header = f"Basic {token}".encode("ascii")
        return cls(frozenset(settings.getlist("AUDIT_SITE_ORIGINS")), header)

    def process_request(self, request: Request) -> None:
        if self.header and origin(request.url) in self.origins:
            request.headers[b"Authorization"] = self.header
        else:
            request.headers.pop(b"Authorization", None)
