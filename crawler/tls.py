"""Certificate verification for every HTTPS request.

Scrapy does not verify certificates unless DOWNLOAD_VERIFY_CERTIFICATES is on; then it uses
the platform trust store (OpenSSL's default paths, so ``SSL_CERT_FILE`` and ``SSL_CERT_DIR``
are honoured). For a site behind a private CA, ``links.ca_bundle`` adds that bundle to the
platform store through this context factory. An invalid, expired or wrong-host certificate
fails the request; crawler.errors classifies it as "tls".
"""

from __future__ import annotations

import warnings
from typing import Any

from scrapy.core.downloader.contextfactory import _ScrapyClientContextFactory
from twisted.internet._sslverify import IOpenSSLTrustRoot
from twisted.internet.ssl import optionsForClientTLS
from zope.interface import implementer


@implementer(IOpenSSLTrustRoot)
class PlatformPlusBundle:
    """The platform's trusted CAs plus the certificates in one PEM bundle."""

    def __init__(self, bundle: str) -> None:
        self.bundle = bundle

    def _addCACertsToContext(self, context: Any) -> None:
        context.set_default_verify_paths()
        context.load_verify_locations(self.bundle)


class BundleContextFactory(_ScrapyClientContextFactory):
    """Verifies every certificate against the platform store plus AUDIT_CA_BUNDLE."""

    bundle: str = ""

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> BundleContextFactory:
        factory = super().from_crawler(crawler, *args, **kwargs)
        factory.bundle = crawler.settings.get("AUDIT_CA_BUNDLE") or ""
        return factory

    def creatorForNetloc(self, hostname: bytes, port: int) -> Any:
        if not self.bundle:
            return super().creatorForNetloc(hostname, port)
        return optionsForClientTLS(
            hostname=hostname.decode("ascii"),
            trustRoot=PlatformPlusBundle(self.bundle),
            extraCertificateOptions=self._get_cert_options_kwargs(),
        )


def tls_settings(ca_bundle: str) -> dict[str, Any]:
    """Scrapy settings that make every HTTPS request verify the server's certificate."""
    settings: dict[str, Any] = {"DOWNLOAD_VERIFY_CERTIFICATES": True}
    if ca_bundle:
        # The setting is deprecated in Scrapy 2.19 but still the only way to add trust roots.
        warnings.filterwarnings("ignore", message=".*DOWNLOADER_CLIENTCONTEXTFACTORY.*")
        settings["DOWNLOADER_CLIENTCONTEXTFACTORY"] = (
            "content_audit.crawler.tls.BundleContextFactory"
        )
        settings["AUDIT_CA_BUNDLE"] = ca_bundle
    return settings
