"""Placeholders: template tokens and filler text that reached the live page.

Unlike the other text checks this one reads the whole page: the main content, the
boilerplate (header, navigation, footer, cookie banner), attribute text that screen readers
announce (alt, title, aria-label, placeholder) and the page title.

Words like "undefined", "null" and "NaN" are only reported where they stand in for a value:
as a whole line, block or attribute; after a label ("Opening times: undefined"); next to a
currency sign or unit ("£NaN", "NaN%"); after "Call", "Phone", "Email" and the like; or
doubled ("undefined undefined"). "NaN" is reported anywhere, as it is never an English word
in that spelling. So "null and void" and "for an undefined period" are not reported.

A token found on at least half the pages (and 3 or more), or on more than 25 pages, is
template text: it is reported once for the site, at the first page where it was seen, with
the number of pages in details["pages"] and a few in details["example_pages"].
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from content_audit.checks.engine.registry import CheckContext, SiteCheck, define, site_check
from content_audit.checks.engine.text import RepeatCollapser, quote, sentence_at
from content_audit.core.model import Finding, Page

PLACEHOLDER = define(
    "placeholder",
    "error",
    "Template code or filler text is showing to the public instead of real information, "
    "which looks broken and can leave people without what they need.",
    "Replace it with the real text, or remove it. If it is on every page, fix the template "
    "or the component that produces it.",
    "placeholders",
    name="Placeholder or template text",
)

# Shortcode tag names are lower case (WordPress and page builders); attributes are
# name=value, with straight or typographic quotes. "[see below]" has neither.
_SC_NAME = r"[a-z][a-z0-9_-]{1,40}"
_SC_ATTR = r"(?:\s+[a-z_][\w-]*\s*=\s*(?:\"[^\"\n]*\"|'[^'\n]*'|[“”″][^“”″\n]*[“”″]|[^\s\]]+))"
_SC_KNOWN = (
    r"gallery|caption|embed|playlist|contact-form(?:-7)?|wpforms|gravityforms?|ninja_forms?|"
    r"rev_slider|smartslider3|instagram-feed|custom-facebook-feed|pdf-embedder|"
    r"display-posts|searchandfilter|sitemap|(?:vc|et_pb|su|fusion|av|wpdm|fts|wp)_[a-z0-9_]+"
)
_SERVER_EXTENSIONS = (
    ".php",
    ".phtml",
    ".twig",
    ".tpl",
    ".liquid",
    ".njk",
    ".erb",
    ".cshtml",
    ".ftl",
)
_SERVER_TEMPLATE_FILE = (
    r"[\w.-]*[A-Za-z][\w.-]*(?:/[\w.-]+)*\.(?:"
    + "|".join(ext[1:] for ext in _SERVER_EXTENSIONS)
    + ")"
)
_TEMPLATE_FILE = rf"(?:{_SERVER_TEMPLATE_FILE}|[\w.-]*[A-Za-z][\w.-]*\.(?:html?|hbs|inc|aspx?|jsp))"

_TOKEN_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("template", re.compile(r"\{\{\s*[^{}\n]{1,60}?\s*\}\}")),
    ("template", re.compile(r"\{%[^%\n]{1,80}%\}")),
    ("template", re.compile(r"\$\{[^{}\n]{1,60}\}")),
    ("template", re.compile(r"(?<![{$\w])\{(?:[A-Za-z_][\w.\-]{0,40}|\d{1,2})\}(?!\})")),
    ("template", re.compile(r"\[\[[^\[\]\n]{1,60}\]\]")),
    ("template", re.compile(r"%\([A-Za-z_]\w*\)[sdif]")),
    ("template", re.compile(r"(?<![\w%])%[sd](?!\w)")),
    ("template", re.compile(r"\[object Object\]")),
    (
        "filler",
        re.compile(
            r"\blorem\s+ipsum(?:\s+dolor(?:\s+sit(?:\s+amet)?)?)?\b|\bdolor\s+sit\s+amet\b", re.I
        ),
    ),
    ("filler", re.compile(r"\b(?:TODO|FIXME)\b")),
    ("filler", re.compile(r"(?<![\w-])(?:X{3,}|x{3,})(?![\w-])")),
    (
        "filler",
        re.compile(
            r"\[(?:insert|add|enter|your|name of|link to)\s[^\[\]\n]{1,60}\]|"
            r"\[(?:name|date|title|time|phone number|telephone number|email address|"
            r"address|postcode|link|tbc)\]",
            re.I,
        ),
    ),
    ("value", re.compile(r"(?<![\w-])NaN(?![\w-])")),
    ("template", re.compile(r"%%[A-Za-z_][\w-]{0,40}%%")),
    ("template", re.compile(r"(?<![\w%])%[A-Z][A-Z0-9_]{1,30}%(?![\w%])")),
    # shortcodes: [name attr="value"], a pair [name]...[/name], a closing [/name], and
    # known or snake_case names on their own ([gallery], [wpseo_breadcrumb])
    ("shortcode", re.compile(rf"\[{_SC_NAME}{_SC_ATTR}+\s*/?\]")),
    ("shortcode", re.compile(rf"\[({_SC_NAME})(?:\s[^\[\]\n]*)?\][^\[\]\n]{{0,200}}\[/\1\]")),
    ("shortcode", re.compile(rf"\[/{_SC_NAME}\]")),
    ("shortcode", re.compile(rf"\[(?:{_SC_KNOWN}|[a-z][a-z0-9]*_[a-z0-9_]+)\s*/?\]")),
    # CMS and theme debug output: a template file name between asterisks or as a comment,
    # a template file name alone on a line, markup comments and PHP shown as text, and
    # PHP errors that give a server path
    ("debug", re.compile(rf"\*{{1,3}}[ \t]*{_TEMPLATE_FILE}[ \t]*\*{{1,3}}", re.I)),
    ("debug", re.compile(rf"/\*[ \t]*{_TEMPLATE_FILE}[ \t]*\*/", re.I)),
    ("debug", re.compile(rf"^[ \t]*{_SERVER_TEMPLATE_FILE}[ \t]*$", re.I)),
    ("debug", re.compile(r"<!--[^\n]{0,200}?-->|<\?php\b[^\n]{0,80}")),
    (
        "debug",
        re.compile(
            r"\b(?:Warning|Notice|Deprecated|Fatal error|Parse error)\s*:\s[^\n]{1,200}? in "
            r"(?:/|[A-Za-z]:\\)[^\n]{1,200}? on line \d+"
        ),
    ),
    # visit and view counters
    (
        "counter",
        re.compile(
            r"\(\s*Visited\s+\d[\d,]*\s+times?(?:\s*,\s*\d[\d,]*\s+visits?\s+today)?\s*\)|"
            r"(?<!\w)Visited\s+\d[\d,]*\s+times?\s*,\s*\d[\d,]*\s+visits?\s+today|"
            r"^\s*Visited\s+\d[\d,]*\s+times?\s*$|"
            r"\b\d[\d,]*\s+(?:visits?|views?|hits?)\s+today\b|"
            r"\b(?:Post views|Page views|Total views|Views|Hits)\s*:\s*\d[\d,]*(?![\w,])"
        ),
    ),
    (
        "counter",
        re.compile(
            r"\bthis (?:page|post|article) has been (?:viewed|visited|read)\s+\d[\d,]*\s+times\b",
            re.I,
        ),
    ),
)
_VALUE = r"(?:undefined|null|NaN)"
_VALUE_SLOT_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"^\W*({_VALUE})\W*$", re.I),  # the whole line, block or attribute
    re.compile(rf":\s*({_VALUE})\b(?=\s*(?:$|[,.;)|]))", re.I),  # after a label
    re.compile(rf"[£$€]\s?({_VALUE})\b", re.I),
    re.compile(
        rf"\b({_VALUE})\s?(?:%|p\b|miles?\b|minutes?\b|mins?\b|hours?\b|days?\b|weeks?\b)",
        re.I,
    ),
    re.compile(
        rf"\b(?:call|phone|ring|text|email|tel|contact)\s+(?:us\s+)?(?:on\s+|at\s+)?({_VALUE})\b",
        re.I,
    ),
    re.compile(rf"\b(?:at|on|from|until|by)\s+({_VALUE})(?=\s*(?:$|[,.;)]))", re.I),
    re.compile(rf"\b({_VALUE}\s+{_VALUE})\b", re.I),
)

WHERE = {
    "main": "in the page content",
    "boilerplate": "in the header, footer, menus or cookie banner",
    "attribute": "in hidden text that screen readers read out (alt, title or label)",
    "title": "in the page title",
    "description": "in the page description shown by search engines",
}


@dataclass(slots=True)
class Placeholder:
    start: int
    end: int
    token: str
    kind: str  # template, filler, value, shortcode, debug or counter


@dataclass(frozen=True, slots=True)
class _Need:
    """Text that every match of a pattern contains: one of `any_of`, case-insensitively
    (as the pattern's IGNORECASE reads it) when `regex` is given."""

    any_of: tuple[str, ...]
    regex: re.Pattern[str] | None = None


# What every match of each token pattern contains, in the order of _TOKEN_PATTERNS: a text
# without it is not searched with that pattern. Most text has none, and then no pattern runs.
_TOKEN_NEEDS: tuple[_Need, ...] = (
    _Need(("{{",)),
    _Need(("{%",)),
    _Need(("${",)),
    _Need(("{",)),
    _Need(("[[",)),
    _Need(("%(",)),
    _Need(("%",)),
    _Need(("[object Object]",)),
    _Need(("lorem", "dolor"), re.compile(r"lorem|dolor", re.I)),
    _Need(("TODO", "FIXME")),
    _Need(("XXX", "xxx")),
    _Need(("[",)),
    _Need(("NaN",)),
    _Need(("%%",)),
    _Need(("%",)),
    _Need(("=",)),
    _Need(("[/",)),
    _Need(("[/",)),
    _Need(("]",)),
    _Need(("*",)),
    _Need(("/*",)),
    _Need(_SERVER_EXTENSIONS, re.compile("|".join(map(re.escape, _SERVER_EXTENSIONS)), re.I)),
    _Need(("<!--", "<?php")),
    _Need((" on line ",)),
    _Need(("isited", "today", "iews", "Hits")),
    _Need(("has been",), re.compile("has been", re.I)),
)
# Every value-slot pattern has its value word after a non-word character or at a line start.
_VALUE_NEEDS = _Need(("undefined", "null", "nan"), re.compile(rf"(?<!\w){_VALUE}", re.I))
# The only characters that IGNORECASE matches with an ASCII letter without being one: İ ı ſ K.
# Without them, text.lower() contains a lower-case ASCII word exactly when IGNORECASE finds it.
_FOLD_RISK_RE = re.compile("[\u0130\u0131\u017f\u212a]")


def _has(text: str, lower: str | None, need: _Need) -> bool:
    if need.regex is None:
        return any(part in text for part in need.any_of)
    if lower is not None and not any(part in lower for part in need.any_of):
        return False
    return need.regex.search(text) is not None


def find_placeholders(text: str) -> list[Placeholder]:
    """Unfilled tokens and filler in one block of text (checked line by line)."""
    return [Placeholder(p.start, p.end, p.token, p.kind) for p in _find_placeholders(text)]


@functools.lru_cache(maxsize=1024)
def _find_placeholders(text: str) -> tuple[Placeholder, ...]:
    """find_placeholders, remembered: the header, footer and cookie banner (and their
    attribute text) are the same on page after page."""
    return tuple(_search_placeholders(text))


def _search_placeholders(text: str) -> list[Placeholder]:
    lower = text.lower() if _FOLD_RISK_RE.search(text) is None else None
    token_patterns = [
        (kind, pattern)
        for (kind, pattern), need in zip(_TOKEN_PATTERNS, _TOKEN_NEEDS, strict=True)
        if _has(text, lower, need)
    ]
    value_patterns = _VALUE_SLOT_PATTERNS if _has(text, lower, _VALUE_NEEDS) else ()
    if not token_patterns and not value_patterns:
        return []
    found: list[Placeholder] = []
    offset = 0
    for line in text.split("\n"):
        spans: list[tuple[int, int, str]] = []
        for kind, pattern in token_patterns:
            for m in pattern.finditer(line):
                spans.append((m.start(), m.end(), kind))
        for pattern in value_patterns:
            for m in pattern.finditer(line):
                spans.append((m.start(1), m.end(1), "value"))
        for start, end, kind in sorted(spans, key=lambda s: (s[0], -s[1])):
            if any(p.start < offset + end and offset + start < p.end for p in found):
                continue
            found.append(Placeholder(offset + start, offset + end, line[start:end], kind))
        offset += len(line) + 1
    return found


def page_placeholders(page: Page) -> Iterator[tuple[Placeholder, str, str]]:
    """(placeholder, where, context) for every token on the page, all regions."""
    sources: list[tuple[str, str]] = [
        ("main", page.main_text),
        ("boilerplate", page.boilerplate_text),
    ]
    sources += [("attribute", value) for value in page.attribute_text]
    sources += [("title", page.title), ("description", page.meta_description)]
    for where, text in sources:
        if not text or not text.strip():
            continue
        for hit in find_placeholders(text):
            line_start = text.rfind("\n", 0, hit.start) + 1
            line_end = text.find("\n", hit.end)
            line = text[line_start : line_end if line_end >= 0 else len(text)]
            context = sentence_at(line, hit.start - line_start, hit.end - line_start)
            yield hit, where, context[:300]


def _message(hit: Placeholder, where: str) -> str:
    what = {
        "template": "Unfilled template code",
        "filler": "Filler text",
        "value": "A missing value",
        "shortcode": "An unprocessed shortcode",
        "debug": "Website debug output",
        "counter": "A visit counter",
    }[hit.kind]
    return f"{what} {quote(hit.token)} shows {WHERE[where]}."


# What to do, for the kinds whose fix is not just "replace it with the real text".
SUGGESTIONS = {
    "shortcode": "The form, gallery or other item this code stands for is not showing. "
    "Ask your web team to fix the plugin, or remove the code.",
    "debug": "This is the website's own working, not content. Ask your web team to turn "
    "off debugging or fix the template.",
    "counter": "Visit counts mean nothing to patients. Ask your web team to remove the counter.",
}


@site_check
class PlaceholderCheck(SiteCheck):
    rules = (PLACEHOLDER,)

    reusable = True  # a page's note: whether it counts, and its tokens

    def __init__(self, ctx: CheckContext) -> None:
        super().__init__(ctx)
        self.collapser = RepeatCollapser(share=0.5, min_pages=3, keep=25)

    def note(self, page: Page) -> list[list[str]] | None:
        """[[token, where, kind, context]] once per token; None for a page that does not
        count (not HTML, or an error page with no content of its own)."""
        if not page.is_html or (page.status >= 400 and not page.main_text):
            return None
        tokens: dict[str, list[str]] = {}
        for hit, where, context in page_placeholders(page):
            tokens.setdefault(hit.token, [hit.token, where, hit.kind, context])
        return list(tokens.values())

    def take(self, url: str, note: list[list[str]] | None) -> None:
        if note is None:
            return
        self.collapser.page_seen()
        for token, where, kind, context in note:
            hit = Placeholder(0, len(token), token, kind)
            finding = PLACEHOLDER.finding(
                url,
                _message(hit, where),
                text=token,
                context=context,
                suggestion=SUGGESTIONS.get(kind),
                details={"where": where, "kind": kind},
            )
            self.collapser.add(token, finding)

    def finish(self) -> Iterator[Finding]:
        def site_message(first: Finding, pages: int, total: int) -> str:
            where = WHERE[first.details["where"]]
            return (
                f"{quote(first.text or '')} shows on {pages} of {total} pages ({where}); "
                "fix it once in the template."
            )

        yield from self.collapser.results(site_message)
