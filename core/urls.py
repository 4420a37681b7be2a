"""URL normalisation and site scope.

One place decides when two URLs are "the same page" (so each is fetched once) and whether
a URL belongs to the audited site: same origin (scheme, host and port) or an added host.
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from functools import lru_cache
from urllib.parse import unquote, unquote_plus, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, safe_url_string

DEFAULT_PORTS = {"http": 80, "https": 443}
_PATH_SESSION = re.compile(r";(jsessionid|phpsessid|sid|sessionid)=[^/?#]*", re.IGNORECASE)
# what no host name can hold: a browser refuses an address with one of these in its host
_BAD_HOST = re.compile(r"[\s<>\"{}|\\^`/?#@\[\]]")


@lru_cache(maxsize=8192)
def origin(url: str) -> str:
    """scheme://host[:port] with the default port left out.

    Remembered: scope tests ask for the origin of the same link targets on every page.
    "" for an address that cannot be read (a bad port, an unclosed "["): no site's."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    host = _netloc_host(ascii_host(parts.hostname or ""))
    if port is None or port == DEFAULT_PORTS.get(scheme):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def _netloc_host(hostname: str) -> str:
    """A host name as written in an address: an IPv6 literal goes back in brackets."""
    host = hostname.lower()
    return f"[{host}]" if ":" in host else host


@lru_cache(maxsize=8192)
def host_of(url: str) -> str:
    try:
        return ascii_host(urlsplit(url).hostname or "")
    except ValueError:  # an unclosed "[": no host anyone can reach
        return ""


@lru_cache(maxsize=4096)
def url_problem(url: str) -> str:
    """Why ``url`` is not a web address a browser could open, in plain words, or "" when
    it is one. A page can link to anything: a port past 65535, letters for a port, an IPv6
    address with its "]" missing."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "its server part is written wrongly (an IPv6 address needs both [ and ])"
    try:
        port = parts.port
    except ValueError:
        written = parts.netloc.rpartition(":")[2]
        return f"the port {written!r} is not a number from 1 to 65535"
    if port == 0:
        return "the port 0 is not a number from 1 to 65535"
    host = parts.hostname or ""
    if parts.scheme.lower() in ("http", "https") and not host:
        return "it has no server name"
    if _BAD_HOST.search(host):
        return f"the server name {host!r} has characters a web address cannot have"
    return ""


@lru_cache(maxsize=4096)
def ascii_host(host: str) -> str:
    """The host as it goes over the network: lower case, an IDN host in punycode
    (``bücher.example`` is ``xn--bcher-kva.example``), so a link written either way is
    on the same site."""
    host = host.lower()
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def split_fragment(url: str) -> tuple[str, str]:
    base, _, fragment = url.partition("#")
    return base, unquote(fragment)


def normalise(url: str, ignore_params: list[str] | tuple[str, ...] = ()) -> str:
    """The key that tells when two links are the same page: lower-case scheme and host
    (IDN hosts in punycode), no default port, no fragment, no session ids or tracking
    parameters, equivalent percent-encodings made one. It changes nothing the server tells
    apart (``%2F`` stays ``%2F``), so asking for the key is asking for the link as written.

    Remembered per (url, parameters): the same few thousand link targets are normalised
    again on every page that links to them."""
    if type(ignore_params) is not tuple:
        ignore_params = tuple(ignore_params)
    return _normalise(url, ignore_params)


@lru_cache(maxsize=65536)
def _normalise(url: str, ignore_params: tuple[str, ...]) -> str:
    url = url.strip()
    try:
        # w3lib: IDN hosts to punycode, other non-ASCII characters percent-encoded, as Scrapy
        # requests them
        parts = urlsplit(safe_url_string(url))
        port = parts.port
    except ValueError:
        return url.split("#", 1)[0]
    scheme = parts.scheme.lower()
    host = _netloc_host(parts.hostname or "")
    netloc = host
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{port}"
    path = _canonical_path(_PATH_SESSION.sub("", parts.path) or "/")
    query = _without_params(parts.query, ignore_params) if ignore_params else parts.query
    return urlunsplit((scheme, netloc, path, query, ""))


def _canonical_path(path: str) -> str:
    """The path with equivalent spellings made one (``%7e`` and ``~``, ``%c3%bc`` and
    ``%C3%BC``) but reserved escapes kept: ``leaflet%2F2026.pdf`` is not
    ``leaflet/2026.pdf`` to the server, so the key must not make them one (w3lib's
    canonical form; it sorts queries too, so only its path is taken)."""
    if not path.startswith("/"):
        return path  # mailto:, tel: and the like: nothing to make one
    return urlsplit(canonicalize_url(f"http://h{path}")).path or "/"


def _without_params(query: str, ignore_params: tuple[str, ...]) -> str:
    """The query without tracking parameters; the rest left exactly as written (decoding
    and re-encoding would change what the server is asked, ``?print`` into ``?print=``)."""
    kept = []
    for pair in query.split("&"):
        name = unquote_plus(pair.split("=", 1)[0]).lower()
        if pair and not any(fnmatch.fnmatchcase(name, p.lower()) for p in ignore_params):
            kept.append(pair)
    return "&".join(kept)


@lru_cache(maxsize=4096)
def display_host(host: str) -> str:
    """A punycode host as people write it (``xn--bcher-kva.example`` is ``bücher.example``);
    anything that does not decode is left as it is."""
    if "xn--" not in host:
        return host
    try:
        shown = host.encode("ascii").decode("idna")
    except UnicodeError:
        return host
    # only letters of the Latin alphabet: a host with others (a Cyrillic "һ" in "nһs.uk")
    # keeps its xn-- form, which is what exposes a lookalike address
    if all(ch.isascii() or unicodedata.name(ch, "").startswith("LATIN") for ch in shown):
        return shown
    return host


# a host after "//" or "@", or standing alone ("Content audit of xn--bcher-kva.example");
# never a path segment ("/docs/xn--file.pdf")
_PUNYCODE_HOST = re.compile(
    r"(?:(?<=//)|(?<=@)|(?<![\w./%-]))(?:[a-z0-9-]+\.)*xn--[a-z0-9-]+(?:\.[a-z0-9-]+)*", re.I
)


def display_url(url: str) -> str:
    """The URL for people to read: the host in its own letters, the rest as requested."""
    return readable_hosts(url)


def readable_hosts(text: str) -> str:
    """``text`` (a URL, a message, a whole report) with every punycode host written in its
    own letters. Free when there is none, as on nearly every site."""
    if "xn--" not in text and "XN--" not in text:
        return text
    return _PUNYCODE_HOST.sub(lambda m: display_host(m.group(0).lower()), text)


def path_key(url: str) -> str:
    """origin + path, without the query: the unit that query-string traps are counted on."""
    parts = urlsplit(url)
    return f"{origin(url)}{parts.path}"


_INDEX_FILE = re.compile(r"/(index|default)\.(html?|php|aspx?)$", re.IGNORECASE)


def address_key(url: str) -> str:
    """Addresses that normally serve one document share a key: "/dir/", "/dir/index.html"
    and "/dir/?month=1" all give "origin/dir/". For telling aliases from real duplicates."""
    parts = urlsplit(url)
    return origin(url) + _INDEX_FILE.sub("/", parts.path or "/")


@lru_cache(maxsize=8192)
def is_http(url: str) -> bool:
    """Whether the address says http(s), read from its scheme alone: a link to an http
    address written wrongly is still one, and gets its own finding (``url_problem``)."""
    scheme, sep, _ = url.partition(":")
    return bool(sep) and scheme.lstrip().lower() in ("http", "https")


class Scope:
    """Which URLs are the audited site, and which of those the crawl may visit."""

    def __init__(
        self,
        start_urls: list[str],
        allowed_hosts: list[str] = (),  # type: ignore[assignment]
        include: list[str] = (),  # type: ignore[assignment]
        exclude: list[str] = (),  # type: ignore[assignment]
    ) -> None:
        self.origins = frozenset(origin(u) for u in start_urls)
        self.hosts = frozenset(ascii_host(h) for h in allowed_hosts)
        self.include = [re.compile(p) for p in include]
        self.exclude = [re.compile(p) for p in exclude]

    def is_site(self, url: str) -> bool:
        """True for URLs on the audited site: its origins or an added host."""
        return origin(url) in self.origins or host_of(url) in self.hosts

    def may_crawl(self, url: str) -> bool:
        """True when the crawl should fetch and parse this URL as a page of the site."""
        if not self.is_site(url):
            return False
        if self.include and not any(p.search(url) for p in self.include):
            return False
        return not any(p.search(url) for p in self.exclude)


def looks_like_trap(url: str, max_path_segments: int = 20, max_repeats: int = 3) -> bool:
    """Paths that grow without end: very deep, or the same segment repeated over and over.
    An address that cannot be split at all is no page to crawl either."""
    try:
        segments = [s for s in urlsplit(url).path.split("/") if s]
    except ValueError:
        return True
    if len(segments) > max_path_segments or len(url) > 2000:
        return True
    counts: dict[str, int] = {}
    for segment in segments:
        counts[segment] = counts.get(segment, 0) + 1
        if counts[segment] > max_repeats:
            return True
    return False
