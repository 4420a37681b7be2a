"""Name what went wrong with a request that got no usable HTTP answer."""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from twisted.internet import error as net
from twisted.internet.defer import CancelledError
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from content_audit.core.model import FailureKind

try:
    from OpenSSL.SSL import Error as SSLError
except ImportError:  # pragma: no cover - pyOpenSSL comes with Scrapy
    SSLError = None  # type: ignore[assignment,misc]

try:
    from service_identity.exceptions import CertificateError, VerificationError

    IDENTITY_ERRORS: tuple[type[BaseException], ...] = (VerificationError, CertificateError)
except ImportError:  # pragma: no cover - service_identity comes with Scrapy
    IDENTITY_ERRORS = ()

DNS = "the web address does not exist (the domain name could not be found)"
REFUSED = "the server refused the connection"
RESET = "the connection was closed before an answer arrived"


def _is_ssl(exc: BaseException) -> bool:
    return SSLError is not None and isinstance(exc, SSLError)


def _inner_reasons(exc: BaseException) -> list[BaseException]:
    """The exceptions a Twisted ResponseFailed/NeverReceived wraps, looking through Scrapy's
    own wrapper (`raise ... from`)."""
    found: list[BaseException] = []
    for candidate in (exc, exc.__cause__):
        for reason in getattr(candidate, "reasons", None) or []:
            found.append(getattr(reason, "value", reason))
    return found


def classify_failure(failure: Failure | BaseException) -> tuple[FailureKind, str]:
    """(kind, plain-English detail) for a failed request."""
    exc = failure.value if isinstance(failure, Failure) else failure
    detail = str(exc) or exc.__class__.__name__
    if isinstance(exc, IgnoreRequest):
        text = detail.lower()
        if "robots" in text:
            return FailureKind.ROBOTS, "the site's robots.txt asks automated tools not to visit it"
        if "download_maxsize" in text or "exceeded" in text:  # unpacked past the limit
            return FailureKind.TOO_LARGE, (
                "the download was stopped: larger than the maximum size once unpacked "
                "(it is sent compressed)"
            )
        if "max redirections" in text:
            return FailureKind.TOO_MANY_REDIRECTS, (
                "the address redirects too many times (more than 10) without reaching a page"
            )
        if "redirect" in text:
            return (
                FailureKind.REDIRECT_LOOP,
                "the address redirects too many times (a redirect loop)",
            )
        if "private" in text or "loopback" in text or "link-local" in text:
            return FailureKind.BLOCKED_ADDRESS, detail
        return FailureKind.IGNORED, detail
    if isinstance(exc, CannotResolveHostError | net.DNSLookupError):
        return FailureKind.DNS, DNS
    if isinstance(exc, DownloadConnectionRefusedError | net.ConnectionRefusedError):
        return FailureKind.REFUSED, REFUSED
    if isinstance(
        exc, DownloadTimeoutError | net.TimeoutError | net.TCPTimedOutError | TimeoutError
    ):
        return FailureKind.TIMEOUT, "the server took too long to answer"
    if isinstance(exc, DownloadCancelledError | CancelledError):
        return FailureKind.TOO_LARGE, "the download was stopped: larger than the maximum size"
    if _is_ssl(exc):
        return FailureKind.TLS, f"the secure connection failed ({_ssl_text(exc)})"
    inner = _inner_reasons(exc)
    for reason in inner:
        if _is_ssl(reason):
            return FailureKind.TLS, f"the secure connection failed ({_ssl_text(reason)})"
        if IDENTITY_ERRORS and isinstance(reason, IDENTITY_ERRORS):
            return FailureKind.TLS, (
                "the secure connection failed (the site's certificate is for a different address)"
            )
    if isinstance(exc, DownloadFailedError | ResponseDataLossError | ResponseFailed):
        return FailureKind.RESET, RESET
    if isinstance(exc, ResponseNeverReceived):
        return FailureKind.RESET, RESET
    if isinstance(exc, net.ConnectionLost | net.ConnectionDone | ConnectionResetError):
        return FailureKind.RESET, RESET
    if isinstance(exc, net.ConnectError):
        return FailureKind.REFUSED, f"could not connect ({detail})"
    return FailureKind.ERROR, detail


def _ssl_text(exc: BaseException) -> str:
    text = _raw_ssl_text(exc)
    if "certificate verify failed" in text.lower():
        return (
            "the site's security certificate could not be verified: it is expired, "
            "self-signed or issued by an authority this computer does not trust"
        )
    return text


def _raw_ssl_text(exc: BaseException) -> str:
    try:
        parts = [p[2] for p in exc.args[0] if len(p) >= 3]
        return ", ".join(str(p) for p in parts) or str(exc)
    except (IndexError, TypeError):
        return str(exc) or "certificate problem"
