"""Certificate verification for every HTTPS request.

Scrapy does not verify certificates unless DOWNLOAD_VERIFY_CERTIFICATES is on; then it uses
the platform trust store (OpenSSL's default paths, so ``SSL_CERT_FILE`` and ``SSL_CERT_DIR``
are honoured). For a site behind a private CA, ``links.ca_bundle`` adds that bundle to the
platform store through ``scrapy_private.BundleContextFactory``. An invalid, expired or wrong-host certificate
fails the request; crawler.errors classifies it as "tls".
"""

from __future__ import annotations

import warnings
from typing import Any


def tls_settings(ca_bundle: str) -> dict[str, Any]:
    """Scrapy settings that make every HTTPS request verify the server's certificate."""
    settings: dict[str, Any] = {"DOWNLOAD_VERIFY_CERTIFICATES": True}
    if ca_bundle:
        # The setting is deprecated in Scrapy 2.19 but still the only way to add trust roots.
        warnings.filterwarnings("ignore", message=".*DOWNLOADER_CLIENTCONTEXTFACTORY.*")
        settings["DOWNLOADER_CLIENTCONTEXTFACTORY"] = (
            "content_audit.crawler.scrapy_private.BundleContextFactory"
        )
        settings["AUDIT_CA_BUNDLE"] = ca_bundle
    return settings
