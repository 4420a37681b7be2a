"""Refuse to request private, loopback and link-local addresses for links to other sites.

A page can link anywhere, including addresses inside the network the audit runs in (a
router admin page, a cloud metadata service). With ``links.block_private`` on, every request
to a host that is not the audited site is resolved first and refused when any of its
addresses is not public. Each redirect hop passes through here again. The cloud metadata
address is refused whatever the setting says (names are resolved for that in any case).

Limit: the check resolves the name and the download resolves it again; a hostile DNS
server could answer differently the second time (DNS rebinding).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from scrapy.exceptions import CannotResolveHostError, IgnoreRequest
from scrapy.http import Request
from scrapy.utils.httpobj import urlparse_cached

from content_audit.core.urls import origin

METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)
METADATA_HOSTS = frozenset(
    {"metadata.google.internal", "metadata", "instance-data", "instance-data.ec2.internal"}
)


Address = ipaddress.IPv4Address | ipaddress.IPv6Address
# NAT64's well-known prefix (RFC 6052): 64:ff9b::a9fe:a9fe reaches 169.254.169.254
NAT64 = ipaddress.ip_network("64:ff9b::/96")


def embedded_ipv4(address: Address) -> Address:
    """The IPv4 address an IPv6 form carries (IPv4-mapped ::ffff:a.b.c.d, the old
    IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::a.b.c.d, 6to4 2002:aabb:ccdd::), or the address
    itself: every form of a blocked address is that address."""
    if not isinstance(address, ipaddress.IPv6Address):
        return address
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    packed = int(address)
    if address in NAT64 or (packed >> 32 == 0 and packed > 1):  # not :: or ::1
        return ipaddress.IPv4Address(packed & 0xFFFFFFFF)
    return address


def is_public(address: Address) -> bool:
    address = embedded_ipv4(address)
    # is_global is False for private, loopback, link-local, shared (100.64/10), reserved
    # and unspecified ranges
    return address.is_global and not address.is_multicast


def resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]


def refusal(host: str, addresses: list[Any], block_private: bool) -> str | None:
    """Why a request to ``host`` (resolved to ``addresses``) must not be made, or None."""
    if host in METADATA_HOSTS or any(
        a in METADATA_ADDRESSES or embedded_ipv4(a) in METADATA_ADDRESSES for a in addresses
    ):
        return f"not requested: {host} is a cloud metadata address (private)"
    if block_private:
        bad = [a for a in addresses if not is_public(a)]
        if bad:
            return f"not requested: {host} resolves to a private or loopback address ({bad[0]})"
    return None


# Lookups run in threads of their own: in asyncio's default pool (CPU count + 4 threads,
# shared with other work) a few slow lookups of dead domains queue every other one
LOOKUP_THREADS = 32
_lookups: ThreadPoolExecutor | None = None


def _lookup_threads() -> ThreadPoolExecutor:
    global _lookups
    if _lookups is None:
        _lookups = ThreadPoolExecutor(LOOKUP_THREADS, thread_name_prefix="audit-dns")
    return _lookups


def _lasting(exc: BaseException) -> bool:
    """A failure worth remembering for the run: the name does not exist (or cannot be a
    name), or the lookup hung past DNS_TIMEOUT (asking again would stall the crawl again).
    A resolver that failed for a moment ("temporary failure in name resolution") is not:
    the next request for the host, a retry, asks again."""
    if isinstance(exc, (UnicodeError, ValueError, TimeoutError)):
        return True
    if isinstance(exc, socket.gaierror):
        return exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME))
    return False


class AddressGuardMiddleware:
    """Checks the addresses of every request that leaves the audited site.

    Each host is looked up once a run, whether the lookup works or fails: a dead domain
    that a thousand pages link to costs one lookup, not a thousand (and not two each, the
    guard's and the download's), and requests to it fail at once as "domain not found".
    Lookups of one host asked for at the same time wait for the first."""

    def __init__(
        self, block_private: bool, site_origins: frozenset[str], dns_timeout: float = 15.0
    ) -> None:
        self.block_private = block_private
        self.site_origins = site_origins
        self.dns_timeout = dns_timeout
        self.cache: dict[str, list[Any]] = {}  # by host: the port changes no address
        self.failed: set[str] = set()  # hosts whose lookup failed this run
        self.lookups = 0  # lookups made (for tests and the log)
        self._pending: dict[str, asyncio.Future[list[Any]]] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> AddressGuardMiddleware:
        from content_audit.crawler.middlewares import request_policy

        policy = request_policy(crawler)
        return cls(
            policy.block_private,
            policy.site_origins,
            crawler.settings.getfloat("DNS_TIMEOUT", 15.0),
        )

    async def addresses(self, host: str, port: int) -> list[Any]:
        """The host's addresses, looked up once a run; CannotResolveHostError when the
        name does not resolve (then, and for the rest of the run, with no new lookup)."""
        if host in self.failed:
            raise CannotResolveHostError(f"{host}: the domain name could not be found")
        found = self.cache.get(host)
        if found is not None:
            return found
        pending = self._pending.get(host)
        if pending is None:
            pending = asyncio.ensure_future(self._look_up(host, port))
            self._pending[host] = pending
        try:
            return await asyncio.shield(pending)
        finally:
            if pending.done():
                self._pending.pop(host, None)

    async def _look_up(self, host: str, port: int) -> list[Any]:
        self.lookups += 1
        loop = asyncio.get_running_loop()
        try:
            found = await asyncio.wait_for(
                loop.run_in_executor(_lookup_threads(), resolve, host, port), self.dns_timeout
            )
        except (OSError, UnicodeError, TimeoutError, ValueError) as exc:
            if _lasting(exc):
                self.failed.add(host)
            raise CannotResolveHostError(f"{host}: the domain name could not be found") from exc
        self.cache[host] = found
        return found

    async def process_request(self, request: Request) -> None:
        if origin(request.url) in self.site_origins:
            return  # the audited site itself may be local
        parsed = urlparse_cached(request)
        host = (parsed.hostname or "").lower()
        if not host:
            return
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        # resolved whatever the setting, so that no name can lead to the metadata service
        addresses = await self.addresses(host, port)
        reason = refusal(host, addresses, self.block_private)
        if reason:
            raise IgnoreRequest(reason)
