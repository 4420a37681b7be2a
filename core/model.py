"""The data model shared by every stage: what the crawler extracts and what checks report.

Plain dataclasses that round-trip through JSON, so pages can be streamed to the run store
as they arrive and read back by the checks without holding the whole site in memory.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any, Literal

Severity = Literal["error", "warning", "notice"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "notice")
SEVERITY_RANK: dict[str, int] = {"error": 3, "warning": 2, "notice": 1, "never": 99}

Region = Literal["main", "header", "navigation", "footer", "aside", "other"]


_FIELD_NAMES: dict[type, frozenset[str]] = {}
_asdict_inner = getattr(dataclasses, "_asdict_inner", None)


def _from_dict(cls: type, data: dict[str, Any]) -> Any:
    """Build a dataclass from a dict, ignoring unknown keys (older or newer stores)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(f.name for f in fields(cls))
    if data.keys() <= names:
        return cls(**data)
    return cls(**{k: v for k, v in data.items() if k in names})


def _from_dicts(cls: type, items: Any) -> list[Any]:
    """``[cls.from_dict(x) for x in items]``, fast when no item has unknown keys."""
    try:
        return [cls(**x) for x in items]
    except TypeError:  # an unknown key (or a missing one: _from_dict raises that again)
        return [_from_dict(cls, x) for x in items]


def _plain(value: Any) -> Any:
    """A copy of ``value`` as dataclasses.asdict makes it (containers copied, recursively)."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    if kind is list:
        return [_plain(v) for v in value]
    if kind is dict:
        return {_plain(k): _plain(v) for k, v in value.items()}
    if kind is tuple:
        return tuple(_plain(v) for v in value)
    if _asdict_inner is not None:  # anything else (subclasses, dataclasses): as asdict does
        return _asdict_inner(value, dict)
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return copy.deepcopy(value)


# The to_dict helpers below are hand-written equivalents of dataclasses.asdict (same keys,
# same order, same values, nothing shared with the object), several times faster: pages are
# converted on every run-store write and every report.


def _link_dict(x: Link) -> dict[str, Any]:
    return {
        "url": x.url, "href": x.href, "text": x.text, "tag": x.tag, "region": x.region,
        "position": x.position, "fragment": x.fragment, "context": x.context,
        "new_tab": x.new_tab,
    }  # fmt: skip


def _phone_dict(x: Phone) -> dict[str, Any]:
    return {
        "text": x.text, "href": x.href, "context": x.context, "label": x.label,
        "region": x.region,
    }  # fmt: skip


def _email_dict(x: Email) -> dict[str, Any]:
    return {
        "text": x.text, "href": x.href, "context": x.context, "label": x.label,
        "region": x.region,
    }  # fmt: skip


def _image_dict(x: Image) -> dict[str, Any]:
    return {"src": x.src, "alt": x.alt, "region": x.region}


def _section_dict(x: Section) -> dict[str, Any]:
    return {
        "heading": x.heading, "level": x.level, "paragraphs": _plain(x.paragraphs),
        "list_items": _plain(x.list_items),
    }  # fmt: skip


def _contacts_dict(x: Contacts) -> dict[str, Any]:
    return {
        "phones": [_phone_dict(p) for p in x.phones],
        "emails": [_email_dict(e) for e in x.emails],
        "opening_hours": _plain(x.opening_hours),
        "addresses": _plain(x.addresses),
        "faxes": [_phone_dict(p) for p in x.faxes],
    }


@dataclass(slots=True)
class Link:
    """One link as it appears on one page."""

    url: str  # absolute URL without fragment; the thing that gets checked
    href: str  # the attribute value exactly as written
    text: str  # visible link text (alt text for image links); "" when empty
    tag: str  # a, area, img, script, iframe, link
    region: Region
    position: int  # order of the link on the page, from 0
    fragment: str = ""  # the #fragment, without "#"
    context: str = ""  # the sentence or list item the link sits in
    new_tab: bool = False  # target="_blank"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Link:
        return _from_dict(cls, data)


@dataclass(slots=True)
class Phone:
    text: str  # the number as shown on the page
    href: str | None = None  # the tel: href as written, when the number is a link
    context: str = ""  # the sentence or line around it
    label: str = ""  # the contact or section name it belongs to ("Physiotherapy")
    region: Region = "main"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Phone:
        return _from_dict(cls, data)


@dataclass(slots=True)
class Email:
    text: str
    href: str | None = None  # the mailto: href as written, when the address is a link
    context: str = ""
    label: str = ""
    region: Region = "main"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Email:
        return _from_dict(cls, data)


@dataclass(slots=True)
class Image:
    src: str
    alt: str | None  # None when the attribute is absent; "" marks a decorative image
    region: Region = "main"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Image:
        return _from_dict(cls, data)


@dataclass(slots=True)
class Section:
    """A heading and the advice under it, in reading order."""

    heading: str
    level: int  # 1-6; 0 for text before the first heading
    paragraphs: list[str] = field(default_factory=list)
    list_items: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Section:
        return _from_dict(cls, data)


@dataclass(slots=True)
class Contacts:
    phones: list[Phone] = field(default_factory=list)
    emails: list[Email] = field(default_factory=list)
    opening_hours: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    # fax numbers: kept apart so they are neither listed nor checked as phone numbers
    faxes: list[Phone] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Contacts:
        return cls(
            phones=_from_dicts(Phone, data.get("phones", [])),
            emails=_from_dicts(Email, data.get("emails", [])),
            opening_hours=list(data.get("opening_hours", [])),
            addresses=list(data.get("addresses", [])),
            faxes=_from_dicts(Phone, data.get("faxes", [])),
        )


@dataclass(slots=True)
class Fetch:
    """What the server answered for one URL: the raw facts, no verdict."""

    url: str
    final_url: str
    status: int  # 0 when no HTTP answer arrived (DNS, refused, timeout, TLS...)
    content_type: str = ""
    size: int = 0
    elapsed_ms: int = 0
    redirects: list[tuple[str, int]] = field(default_factory=list)  # (url, status) per hop
    error: str = ""  # a machine-readable reason when status is 0: dns, refused, timeout...
    error_detail: str = ""
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)  # the few headers verdicts need

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "final_url": self.final_url,
            "status": self.status,
            "content_type": self.content_type,
            "size": self.size,
            "elapsed_ms": self.elapsed_ms,
            "redirects": _plain(self.redirects),
            "error": self.error,
            "error_detail": self.error_detail,
            "method": self.method,
            "headers": _plain(self.headers),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fetch:
        fetch = _from_dict(cls, data)
        fetch.redirects = [(u, int(s)) for u, s in fetch.redirects]
        return fetch


@dataclass(slots=True)
class Page:
    """Everything extracted from one crawled page."""

    url: str
    final_url: str
    status: int
    content_type: str = ""
    size: int = 0
    elapsed_ms: int = 0
    depth: int = 0
    is_html: bool = True
    title: str = ""
    lang: str = ""
    meta_description: str = ""
    headings: list[tuple[int, str]] = field(default_factory=list)
    main_found: bool = True  # False when no main-content selector matched
    main_text: str = ""  # the advice text only: no navigation, footer or cookie panels
    sections: list[Section] = field(default_factory=list)
    boilerplate_text: str = ""  # visible text outside main (placeholders are checked there too)
    attribute_text: list[str] = field(default_factory=list)  # alt/title/aria-label/placeholder
    # main-content text shown as code, keyboard input or program output (code, kbd, samp,
    # pre): checks that read prose leave it alone
    literal_text: list[str] = field(default_factory=list)
    word_count: int = 0
    contacts: Contacts = field(default_factory=Contacts)
    links: list[Link] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)  # ids and names a #fragment may target
    last_reviewed: str | None = None  # ISO date
    next_review_due: str | None = None  # ISO date
    review_text: str = ""  # the review line(s) as shown
    blocks: list[list[str]] = field(
        default_factory=list
    )  # [hash, kind, text] per block (boilerplate)
    content_hash: str = ""
    encoding_problem: str = ""  # set when the declared charset did not fit the bytes
    error: str = ""  # why the page could not be read, if it could not
    figures: dict[str, Any] = field(default_factory=dict)  # readability etc, set by checks
    # links and images past the most one page keeps (crawler.extract): not checked
    links_not_kept: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "final_url": self.final_url,
            "status": self.status,
            "content_type": self.content_type,
            "size": self.size,
            "elapsed_ms": self.elapsed_ms,
            "depth": self.depth,
            "is_html": self.is_html,
            "title": self.title,
            "lang": self.lang,
            "meta_description": self.meta_description,
            "headings": _plain(self.headings),
            "main_found": self.main_found,
            "main_text": self.main_text,
            "sections": [_section_dict(x) for x in self.sections],
            "boilerplate_text": self.boilerplate_text,
            "attribute_text": _plain(self.attribute_text),
            "literal_text": _plain(self.literal_text),
            "word_count": self.word_count,
            "contacts": _contacts_dict(self.contacts),
            "links": [_link_dict(x) for x in self.links],
            "images": [_image_dict(x) for x in self.images],
            "anchors": _plain(self.anchors),
            "last_reviewed": self.last_reviewed,
            "next_review_due": self.next_review_due,
            "review_text": self.review_text,
            "blocks": _plain(self.blocks),
            "content_hash": self.content_hash,
            "encoding_problem": self.encoding_problem,
            "error": self.error,
            "figures": _plain(self.figures),
            "links_not_kept": self.links_not_kept,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Page:
        page: Page = _from_dict(cls, data)
        page.headings = [(int(level), text) for level, text in page.headings]
        page.sections = _from_dicts(Section, data.get("sections", []))
        page.contacts = Contacts.from_dict(data.get("contacts", {}))
        page.links = _from_dicts(Link, data.get("links", []))
        page.images = _from_dicts(Image, data.get("images", []))
        return page


@dataclass(slots=True)
class Finding:
    """One problem on one page, written for the content owner who has to fix it."""

    rule: str
    severity: Severity
    url: str  # the page where it was found
    message: str  # one plain-English line
    target: str | None = None  # link target, when the finding is about a link
    text: str | None = None  # the exact offending text
    context: str | None = None  # the sentence around it
    suggestion: str | None = None
    details: dict[str, Any] = field(default_factory=dict)  # rule-specific extras
    fingerprint: str = ""
    status: str = ""  # new / persisting, set by the history stage
    first_seen: str = ""
    # what to do, for a finding with no text to put in (a broken link, a missing review
    # date): the rule's own fix, so that every finding tells its owner what to do
    action: str | None = None

    def identity(self) -> str:
        """The parts that make a finding 'the same problem on the same page' across runs."""
        return "\x1f".join([self.rule, self.url, self.target or "", self.text or ""])

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "url": self.url,
            "message": self.message,
            "target": self.target,
            "text": self.text,
            "context": self.context,
            "suggestion": self.suggestion,
            "details": _plain(self.details),
            "fingerprint": self.fingerprint,
            "status": self.status,
            "first_seen": self.first_seen,
            "action": self.action,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return _from_dict(cls, data)


def assign_fingerprints(findings: list[Finding]) -> list[Finding]:
    """Give each finding a stable fingerprint; repeats of one problem on a page are numbered."""
    seen: dict[str, int] = {}
    for finding in findings:
        identity = finding.identity()
        n = seen.get(identity, 0)
        seen[identity] = n + 1
        raw = identity if n == 0 else f"{identity}\x1f{n}"
        finding.fingerprint = hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]
    return findings
