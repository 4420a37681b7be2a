"""Turn one HTML document into one Page record.

The document is parsed once (lxml) and walked once. Every element is tagged with the region
it sits in (main, header, navigation, footer, aside, other), so the advice text that checks
read never includes navigation, footers or cookie panels.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from functools import lru_cache
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector

from content_audit.core.contacts import (
    LABELLED_RE,
    SHORT_NUMBER_NAMES,
    describe_numbers,
    find_emails,
    find_opening_hours,
    find_postcodes,
    own_label,
)
from content_audit.core.dates import DATE_LABEL_HINT_RE, DATE_LABEL_HINTS, find_review_dates
from content_audit.core.model import Contacts, Email, Image, Link, Page, Phone, Region, Section
from content_audit.core.urls import is_http, split_fragment

SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "math", "title", "iframe", "object"}
)
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
TEXT_BLOCKS = frozenset(
    {"p", "li", "dt", "dd", "td", "th", "blockquote", "figcaption", "caption", "address", "pre",
     "summary", "label", "legend", "button", *HEADINGS}
)  # fmt: skip
LIST_ITEMS = frozenset({"li", "dt", "dd", "td", "th"})
INLINE_BREAKS = frozenset({"br"})
# Block elements nested in a text block (a list item holding two paragraphs): their text is
# kept as a line of its own, so a check never reads the end of one and the start of the
# next as one sentence.
NESTED_BLOCKS = frozenset(
    {"p", "div", "blockquote", "section", "article", "address", "figure", "figcaption",
     "pre", "hr", "details", "summary", "header", "footer", "aside", "nav", "form",
     "fieldset", "legend", *HEADINGS}
)  # fmt: skip
# Text that is shown as code, keyboard input or program output, not written as prose.
LITERAL_TAGS = frozenset({"code", "kbd", "samp", "pre", "tt"})
LINE_BREAK = "\n"  # between the lines of a block's text in Section paragraphs and items
_BREAK_MARK = "\x00"  # while joining: the source's own newlines are only white space
ATTRIBUTE_TEXT = ("alt", "title", "aria-label", "placeholder")
BANNER_HINT = re.compile(r"cookie|consent|gdpr|banner", re.IGNORECASE)
_WS = re.compile(r"\s+")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)

NESTED_LISTS = frozenset({"ul", "ol", "dl", "table"})
# links (and images) kept from one page: past this the rest are counted, not kept, and the
# page gets a finding. Issue 23: a page of 200,000 links took 0.8 GiB and over 3 minutes
# (8 GiB and a crash when they shared one paragraph); the biggest real pages hold fewer
# (the Python documentation's full index, 17,242)
MAX_LINKS_PER_PAGE = 20_000
# the text around a link kept as its context: a paragraph longer than this (a wall of
# links, or text run together) keeps this much around the link, centred on it
MAX_CONTEXT = 1_000
NOT_CONTAINERS = frozenset({"html", "body", "head"})
REGION_TAGS = frozenset({"nav", "header", "footer", "aside"})
# what _own_text must not take with text_content(): left-out subtrees, <br> (a space) and
# nodes that are not elements (processing instructions, comments, entities)
_OWN_TEXT_SLOW = frozenset({*SKIP_TAGS, *NESTED_LISTS, *INLINE_BREAKS, *NESTED_BLOCKS})
# Cheap tests that say a recogniser cannot match, so it need not run (see _contacts):
_DIGIT = re.compile(r"\d")  # phone numbers and postcodes have digits
_DAY_HINT = re.compile(r"mon|tue|wed|thu|fri|sat|sun", re.IGNORECASE)  # opening hours
_REVIEW_HINT = DATE_LABEL_HINT_RE  # every review or update label has one of its words
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _may_have_day(text: str) -> bool:
    """_DAY_HINT.search(text), quickly: for ASCII text lower() is what IGNORECASE does."""
    if text.isascii():
        lower = text.lower()
        return any(day in lower for day in _DAYS)
    return _DAY_HINT.search(text) is not None


def _may_have_review(text: str) -> bool:
    if text.isascii():
        lower = text.lower()
        return any(hint in lower for hint in DATE_LABEL_HINTS)
    return _REVIEW_HINT.search(text) is not None


REVIEW_MARGIN = 8  # lines kept either side of a line that mentions a date label word


def review_window(lines: list[str]) -> str:
    """The text find_review_dates needs from ``"\n".join(lines)``, where every line is a
    non-empty block with single spaces: the lines around each mention of a date label
    word ("review", "updated", "published": core.dates.DATE_LABEL_HINTS).

    Every date label contains one of those words; a label, the ":" or "on" after it and the date it
    reads (on the line where the label ends) reach at most a few lines either side, since
    whitespace between words is one space or one line break. Runs of lines that are not
    next to each other are joined by a line holding only NUL, which no label, separator
    or date can match across, so the function finds the same dates in the same order.
    """
    runs: list[list[int]] = []
    for i, line in enumerate(lines):
        if _may_have_review(line):
            start, end = max(0, i - REVIEW_MARGIN), min(len(lines), i + REVIEW_MARGIN + 1)
            if runs and start <= runs[-1][1]:
                runs[-1][1] = end
            else:
                runs.append([start, end])
    return "\n\x00\n".join("\n".join(lines[start:end]) for start, end in runs)


_selector_cache: dict[str, CSSSelector] = {}
# urljoin results, shared by pages: (base key, href) -> (absolute, is http(s), url, fragment)
_join_cache: dict[tuple[str, str], tuple[str, bool, str, str]] = {}
_JOIN_CACHE_MAX = 50_000


def _base_key(base_url: str) -> str:
    """What a root-relative href ("/a/b") is resolved against: for http(s) bases only the
    scheme and host matter (urljoin takes the path, query and fragment from the href)."""
    try:
        parts = urlsplit(base_url)
    except ValueError:
        return base_url
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"\x00{parts.scheme}://{parts.netloc}"  # cannot be a whole base URL
    return base_url


def _join(base_url: str, base_key: str, href: str) -> tuple[str, bool, str, str]:
    """urljoin(base_url, href), whether it is http(s), and its URL and #fragment."""
    key = (base_key if href[:1] == "/" and href[:2] != "//" else base_url, href)
    hit = _join_cache.get(key)
    if hit is None:
        try:
            absolute = urljoin(base_url, href)
        except ValueError:  # "http://[::1": kept as written, to be reported (url_problem)
            absolute = href if is_http(href) else ""
        if is_http(absolute):
            url, fragment = split_fragment(absolute)
            hit = (absolute, True, url, fragment)
        else:
            hit = (absolute, False, "", "")
        if len(_join_cache) >= _JOIN_CACHE_MAX:
            _join_cache.clear()
        _join_cache[key] = hit
    return hit


def clean(text: str | None) -> str:
    # str.split() and re's \s agree on what whitespace is; this equals \s+ -> " ", strip()
    return " ".join(text.split()) if text else ""


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def _selector(css: str) -> CSSSelector:
    sel = _selector_cache.get(css)
    if sel is None:
        sel = _selector_cache[css] = CSSSelector(css)
    return sel


def _region_of(el: etree._Element, current: Region) -> Region:
    """The region an element opens, given the region it sits in."""
    tag = el.tag if isinstance(el.tag, str) else ""
    role = (el.get("role") or "").lower()
    if tag == "nav" or role == "navigation":
        return "navigation"
    if current != "main":
        if tag == "header" or role == "banner":
            return "header"
        if tag == "footer" or role == "contentinfo":
            return "footer"
    if tag == "aside" or role in ("complementary", "dialog", "alertdialog"):
        return "aside" if current != "main" else current
    ident = f"{el.get('id') or ''} {el.get('class') or ''}"
    if ident.strip() and BANNER_HINT.search(ident) and tag in ("div", "section", "aside", "form"):
        return "other"
    return current


def _own_text(el: etree._Element) -> str:
    """Text of a block without the text of nested lists or tables (a list item's sub-list).

    A ``<br>`` or a nested block element (a paragraph inside a list item) starts a new line:
    the lines are joined with LINE_BREAK, each with single spaces. ``flat()`` gives the
    one-line text that every reader but the sentence checks uses."""
    if not len(el):
        return clean(el.text)  # no children: the text is all there is
    for node in el.iterdescendants():
        tag = node.tag
        if not isinstance(tag, str) or tag in _OWN_TEXT_SLOW:
            break  # something to leave out (or a comment, instruction or entity)
    else:
        return clean(el.text_content())  # the common case: nothing to leave out
    parts: list[str] = []

    def walk(node: etree._Element, top: bool) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        skip = not top and (tag in SKIP_TAGS or tag in ("ul", "ol", "dl", "table") or not tag)
        if not skip:
            breaks = not top and (tag in INLINE_BREAKS or tag in NESTED_BLOCKS)
            if breaks:
                parts.append(_BREAK_MARK)
            if node.text:
                parts.append(node.text)
            for child in node:
                walk(child, False)
            if breaks:
                parts.append(_BREAK_MARK)
        if not top and node.tail:
            parts.append(node.tail)

    walk(el, True)
    lines = (clean(line) for line in "".join(parts).split(_BREAK_MARK))
    return LINE_BREAK.join(line for line in lines if line)


def flat(text: str) -> str:
    """A block's text on one line, as it was before lines were kept: breaks are spaces."""
    return text.replace(LINE_BREAK, " ") if LINE_BREAK in text else text


class _Walker:
    """One pass over the tree collecting blocks, links, images and anchors by region."""

    def __init__(self, base_url: str, main_el: etree._Element | None) -> None:
        self.base_url = base_url
        self.base_key = _base_key(base_url)
        self.main_el = main_el
        self.blocks: list[tuple[Region, str, str]] = []  # (region, kind, text)
        self.links: list[Link] = []
        self.images: list[Image] = []
        self.anchors: list[str] = []
        self.attribute_text: list[str] = []
        self.literal_text: list[str] = []  # code, kbd, samp, pre shown in the main content
        self.tel_links: list[tuple[str, str, Region, str]] = []  # href, text, region, context
        self.mail_links: list[tuple[str, str, Region, str]] = []
        self.links_not_kept = 0  # links and images past MAX_LINKS_PER_PAGE

    def walk(self, el: etree._Element, region: Region, context: str = "") -> None:
        tag = el.tag
        if not isinstance(tag, str) or not tag or tag in SKIP_TAGS:
            if tag == "script" and el.get("src"):
                self._add_link(el.get("src", ""), "", "script", region, "")
            elif tag == "iframe" and el.get("src"):
                self._add_link(el.get("src", ""), el.get("title") or "", "iframe", region, "")
            return
        # most elements have no attributes: then only the tag can change the region, and
        # there are no ids, attribute text, hrefs or srcs to collect
        has_attrs = bool(el.keys())
        if el is self.main_el:
            region = "main"
        elif has_attrs or tag in REGION_TAGS:
            region = _region_of(el, region)
        if tag in TEXT_BLOCKS and not context:
            text = _own_text(el)
            if text:
                kind = tag if tag in HEADINGS else ("li" if tag in LIST_ITEMS else "p")
                self.blocks.append((region, kind, text))
            context = flat(text) or " "
        if tag in LITERAL_TAGS and region == "main":
            literal = clean(el.text_content())
            if literal:
                self.literal_text.append(literal)
        if has_attrs:
            self._element(el, tag, region, context)
        blocks = self.blocks
        container = tag not in NOT_CONTAINERS
        for child in el:
            child_tag = child.tag
            if not isinstance(child_tag, str):
                continue  # a processing instruction: walk() would skip it and its tail
            self.walk(child, region, "" if child_tag in NESTED_LISTS else context)
            if not context and child_tag and child_tag not in TEXT_BLOCKS:
                tail = child.tail
                if tail and container:
                    loose = clean(tail)
                    if loose:
                        blocks.append((region, "p", loose))
        if not context and container:
            text = el.text
            if text:
                text = clean(text)
                if text:
                    # bare text directly inside a container (a div with loose text)
                    blocks.append((region, "p", text))

    def _element(self, el: etree._Element, tag: str, region: Region, context: str) -> None:
        ident = el.get("id")
        if ident:
            self.anchors.append(ident)
        for attr in ATTRIBUTE_TEXT:
            value = el.get(attr)
            if value and value.strip():
                self.attribute_text.append(value.strip())
        if tag in ("a", "area"):
            if tag == "a" and el.get("name"):
                self.anchors.append(el.get("name", ""))
            if el.get("href") is not None:
                self._anchor(el, tag, region, context.strip())
        elif tag == "img":
            src = (el.get("src") or el.get("data-src") or "").strip()
            if src and len(self.images) >= MAX_LINKS_PER_PAGE:
                self.links_not_kept += 1
            elif src and not src.lower().startswith("data:"):
                absolute = _join(self.base_url, self.base_key, src)[0]
                self.images.append(Image(src=absolute, alt=el.get("alt"), region=region))
                self._add_link(src, el.get("alt") or "", "img", region, "")
        elif tag == "link" and "stylesheet" in (el.get("rel") or "").lower() and el.get("href"):
            self._add_link(el.get("href", ""), "", "link", region, "")

    def _anchor(self, a: etree._Element, tag: str, region: Region, context: str) -> None:
        href = (a.get("href") or "").strip()
        # the accessible name: aria-label wins over the visible text, as screen readers do
        text = clean(a.get("aria-label"))
        if not text:
            text = clean(a.text_content()) if tag == "a" else clean(a.get("alt"))
        if not text:
            text = " ".join(t for t in (clean(i.get("alt")) for i in a.iter("img")) if t)
        if not text:
            text = clean(a.get("title"))
        lower = href.lower()
        if lower.startswith("tel:"):
            self.tel_links.append((href, text, region, context))
        elif lower.startswith("mailto:"):
            self.mail_links.append((href, text, region, context))
        elif href in ("", "#") or lower.startswith(("javascript:", "data:", "sms:", "ftp:")):
            return
        else:
            new_tab = a.get("target") == "_blank"
            self._add_link(href, text, tag, region, context, new_tab=new_tab)

    def _add_link(
        self,
        href: str,
        text: str,
        tag: str,
        region: Region,
        context: str,
        new_tab: bool = False,
    ) -> None:
        if len(self.links) >= MAX_LINKS_PER_PAGE:
            self.links_not_kept += 1
            return
        _absolute, http, url, fragment = _join(self.base_url, self.base_key, href.strip())
        if not http:
            return
        if len(context) > MAX_CONTEXT:
            context = _around(context, text)
        self.links.append(
            Link(
                url=url,
                href=href,
                text=text,
                tag=tag,
                region=region,
                position=len(self.links),
                fragment=fragment,
                context=context,
                new_tab=new_tab,
            )
        )


def _around(context: str, text: str) -> str:
    """MAX_CONTEXT characters of ``context`` around ``text`` (its start when not found),
    cut at spaces, with an ellipsis where it was cut."""
    at = context.find(text) if text else -1
    middle = max(at, 0) + len(text) // 2 if at >= 0 else 0
    start = max(0, min(middle - MAX_CONTEXT // 2, len(context) - MAX_CONTEXT))
    end = start + MAX_CONTEXT
    if start:
        space = context.find(" ", start, start + 50)
        start = space + 1 if space >= 0 else start
    if end < len(context):
        space = context.rfind(" ", end - 50, end)
        end = space if space > start else end
    return ("…" if start else "") + context[start:end].strip() + ("…" if end < len(context) else "")


def _hash(text: str) -> str:
    return hashlib.blake2b(text.lower().encode("utf-8"), digest_size=8).hexdigest()


def build_sections(blocks: list[tuple[str, str]]) -> list[Section]:
    """Group (kind, text) blocks under their headings, in reading order."""
    sections: list[Section] = []
    current: Section | None = None
    for kind, text in blocks:
        if kind in HEADINGS:
            current = Section(heading=text, level=HEADINGS[kind])
            sections.append(current)
            continue
        if current is None:
            current = Section(heading="", level=0)
            sections.append(current)
        (current.list_items if kind == "li" else current.paragraphs).append(text)
    return sections


def find_main(root: etree._Element, main_selector: str) -> etree._Element | None:
    """The outermost element matching the main-content selector, if any."""
    try:
        matches = _selector(main_selector)(root)
    except Exception:  # a bad selector is caught at config validation; be safe here
        return None
    return matches[0] if matches else None


def parse_html(html: str | bytes) -> etree._Element | None:
    """Parse leniently; malformed markup still gives a tree. None when there is nothing."""
    if isinstance(html, str):
        html = html.encode("utf-8")
    if not html or not html.strip():
        return None
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, huge_tree=True)
    try:
        root = lxml.html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError):
        return None
    return root


def extract_page(page: Page, html: str, main_selector: str = "main, article, [role=main]") -> Page:
    """Fill ``page`` from its HTML. ``page.url``/``final_url`` must be set; links resolve
    against the final URL (or <base href>)."""
    root = parse_html(html)
    if root is None:
        page.error = page.error or "the page is empty"
        return page
    base_url = page.final_url or page.url
    base = root.find(".//base[@href]")
    if base is not None:
        with contextlib.suppress(ValueError):  # a <base href> written wrongly: ignored
            base_url = urljoin(base_url, base.get("href", ""))
    title_el = root.find(".//title")
    page.title = clean(title_el.text_content()) if title_el is not None else ""
    page.lang = (root.get("lang") or root.get("xml:lang") or "").strip()
    desc = root.find('.//meta[@name="description"]')
    page.meta_description = clean(desc.get("content")) if desc is not None else ""

    main_el = find_main(root, main_selector)
    page.main_found = main_el is not None
    walker = _Walker(base_url, main_el)
    # walk from the root: with no <body> tag, libxml2 can leave content inside <head>
    walker.walk(root, "other" if main_el is not None else "main")

    # Section paragraphs and list items keep a block's line breaks (<br>, nested blocks);
    # everything else reads each block on one line, as before
    lined_main = [(kind, text) for region, kind, text in walker.blocks if region == "main"]
    walker.blocks = [(region, kind, flat(text)) for region, kind, text in walker.blocks]
    main_blocks = [(kind, text) for region, kind, text in walker.blocks if region == "main"]
    page.headings = [(HEADINGS[k], t) for k, t in main_blocks if k in HEADINGS]
    if not page.headings:
        page.headings = [(HEADINGS[k], t) for r, k, t in walker.blocks if k in HEADINGS]
    page.sections = build_sections(
        [(kind, flat(text) if kind in HEADINGS else text) for kind, text in lined_main]
    )
    page.main_text = "\n".join(text for _, text in main_blocks)
    outside = [(region, kind, text) for region, kind, text in walker.blocks if region != "main"]
    page.boilerplate_text = "\n".join(text for _, _, text in outside)
    page.word_count = count_words(page.main_text)
    page.links = walker.links
    page.images = walker.images
    page.links_not_kept = walker.links_not_kept
    page.anchors = sorted(set(walker.anchors))
    page.attribute_text = walker.attribute_text
    page.literal_text = list(dict.fromkeys(walker.literal_text))
    if page.main_found:
        page.blocks = [[_hash(text), kind, ""] for _, kind, text in outside]
    else:
        page.blocks = [
            [_hash(flat(text)), kind, text if kind not in HEADINGS else flat(text)]
            for kind, text in lined_main
        ]
    page.content_hash = _hash(page.main_text)
    page.contacts = _contacts(walker, page, main_blocks, outside)
    lines = [t for _, _, t in walker.blocks]
    if any(map(_may_have_review, lines)):
        # only the lines around the mentions: the same result, without reading the page
        last, due, review_text = find_review_dates(review_window(lines))
        page.last_reviewed, page.next_review_due, page.review_text = last, due, review_text
    else:  # no review label can match
        page.last_reviewed, page.next_review_due, page.review_text = None, None, ""
    return page


def _contacts(
    walker: _Walker,
    page: Page,
    main_blocks: list[tuple[str, str]],
    outside: list[tuple[Region, str, str]],
) -> Contacts:
    """The page's phone and fax numbers, email addresses, opening hours and addresses.

    A number's label is the page's own: the name its block gives it ("Physiotherapy:
    0113 843 1909"), the table or list cell just before ("Fax" | number), the fixed name
    of a national number (999, NHS 111), or else the heading it sits under on this page."""
    contacts = Contacts()
    blocks: list[tuple[Region, str, str, str]] = []  # (region, label, text, cell before)
    label, before = "", ""
    for kind, text in main_blocks:
        if kind in HEADINGS:
            if HEADINGS[kind] > 1:
                label = heading_label(text)
            before = ""
            continue
        blocks.append(("main", label, text, before))
        before = text if kind in LABEL_CELLS else ""
    before = ""
    for region, kind, text in outside:
        if kind in HEADINGS:
            before = ""
            continue
        blocks.append((region, region, text, before))
        before = text if kind in LABEL_CELLS else ""

    labels: dict[str, tuple[str, str]] = {}  # block text -> (label, cell before), first time
    if walker.tel_links or walker.mail_links:
        for _region, label, text, before in blocks:
            labels.setdefault(text, (label, before))
    for href, text, region, context in walker.tel_links:
        shown = text or unquote(href[4:])
        label, before = labels.get(context, ("", ""))
        kind, own = _number_facts(context, shown, href)
        _add_number(contacts, Phone(text=shown, href=href.strip(), context=context,
                                    region=region), kind, own, label, before)  # fmt: skip
    mail_shown: set[str] = set()
    for href, text, region, context in walker.mail_links:
        address = unquote(href[7:]).split("?", 1)[0].strip()
        mail_shown.add(clean(text).lower())
        contacts.emails.append(
            Email(text=text or address, href=href.strip(), context=context,
                  label=labels.get(context, ("", ""))[0], region=region)
        )  # fmt: skip
    linked_phone_texts = {clean(p.text) for p in (*contacts.phones, *contacts.faxes)}
    for region, label, text, before in blocks:
        numbers, emails, hours, address = _recognised(text)
        for shown, kind, own in numbers:
            if clean(shown) in linked_phone_texts:
                continue
            phone = Phone(text=shown, href=None, context=text, region=region)
            _add_number(contacts, phone, kind, own, label, before)
        for shown in emails:
            if shown.lower() in mail_shown:
                continue
            mail_shown.add(shown.lower())
            contacts.emails.append(
                Email(text=shown, href=None, context=text, label=label, region=region)
            )
        contacts.opening_hours.extend(hours)
        if address:
            contacts.addresses.append(text)
    contacts.opening_hours = list(dict.fromkeys(contacts.opening_hours))
    contacts.addresses = list(dict.fromkeys(contacts.addresses))
    return contacts


# a cell or item that may name the next ("Fax:"): table and list cells all come as "li"
LABEL_CELLS = frozenset({"li", "dt", "th", "td"})
_FAX_CELL = re.compile(r"(?:fax|facsimile|f)(?:\s+(?:number|no\.?))?\s*:?", re.I)


def _bare(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


def heading_label(heading: str) -> str:
    """A heading as the name of the numbers under it: "Emergency: we aim to see you within
    2 days" names them "Emergency"; a sentence-long heading names nothing."""
    name = heading.split(": ", 1)[0].strip()
    return name if len(name.split()) <= 6 else ""


def _number_facts(context: str, shown: str, href: str) -> tuple[str, str]:
    """(kind, own label) of a tel: link's number, read from the block it sits in."""
    digits = re.sub(r"\D", "", shown) or re.sub(r"\D", "", unquote(href[4:]))
    for number, kind, own in _recognised(context)[0]:
        if clean(number) == clean(shown) or re.sub(r"\D", "", number) == digits:
            return kind, own
    return "phone", SHORT_NUMBER_NAMES.get(digits, "")


def _add_number(
    contacts: Contacts, phone: Phone, kind: str, own: str, heading: str, before: str
) -> None:
    """File a number as a phone or a fax, with the nearest label its own page gives it."""
    cell = before.strip()
    if not cell.endswith(":") and _bare(phone.context) != _bare(phone.text):
        cell = ""  # the item before names this one only if it ends ":" or this is bare
    if kind == "phone" and _FAX_CELL.fullmatch(cell):
        kind = "fax"
    phone.label = own or own_label(cell + ":") or heading
    (contacts.faxes if kind == "fax" else contacts.phones).append(phone)


@lru_cache(maxsize=8192)
def _recognised(
    text: str,
) -> tuple[tuple[tuple[str, str, str], ...], tuple[str, ...], tuple[str, ...], bool]:
    """The phone numbers (text, "phone" or "fax", own label), email addresses and opening
    hours shown in one block of text, and whether it has a postcode. Remembered: headers,
    footers and contact panels repeat on every page of a site. The recognisers are only run
    on text they could match in: phone numbers need a digit and a "0" or "+" (UK forms,
    international forms), "111" (NHS 111) or a label such as "Call"; postcodes need a
    digit; emails an "@"; opening hours a day name."""
    has_digit = _DIGIT.search(text) is not None
    phones: tuple[tuple[str, str, str], ...] = ()
    if has_digit and ("0" in text or "+" in text or "111" in text or LABELLED_RE.search(text)):
        phones = tuple((n.text, n.kind, n.label) for n in describe_numbers(text))
    emails = tuple(shown for _start, _end, shown in find_emails(text)) if "@" in text else ()
    hours = tuple(find_opening_hours(text)) if _may_have_day(text) else ()
    return phones, emails, hours, bool(has_digit and find_postcodes(text))
