"""Outdated content: names of things that no longer exist, and notices whose dates passed.

Two checks report the one rule, content-outdated:

* **Retired names** (``check_retired_names``): services, organisations and schemes that
  were closed or renamed, from ``checks/data/outdated.toml`` plus the site's own
  ``[checks] outdated_terms``. A sentence that also names what replaced it ("NHS Direct
  was replaced by NHS 111 in 2014") or says it is history ("formerly IAPT", "until CCGs
  were abolished") is telling the story, not giving stale advice, and is not reported.
  One finding per retired name per page, on its first use.
* **Dated notices** (``OutdatedCheck``, a site check): a temporary notice ("closed from 1 to
  28 February 2022", "will reopen on 3 May 2021") whose last date has passed, and COVID-19
  arrangements of 2020 to 2022 (self-isolation periods, shielding, visiting rules) that
  have ended. Its note leaves the date out, so a page that has not changed is not read
  again: its kept note is compared with each night's date. It also reads the header,
  footer and banners, for retired names as well, and reports text found on most pages
  once for the site.

In the main content (paragraphs, list items and headings) both leave out news, blog and
events pages, which are dated by publication and rightly speak of their time.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from content_audit.checks.engine.registry import (
    CheckContext,
    SiteCheck,
    define,
    page_check,
    site_check,
)
from content_audit.checks.engine.text import (
    RepeatCollapser,
    page_blocks,
    quote,
    sentence_start,
    split_sentences,
)
from content_audit.core.dates import find_dates, uk_date
from content_audit.core.model import Finding, Page

CONTENT_OUTDATED = define(
    "content-outdated",
    "warning",
    "The page names a service or organisation that no longer exists, or gives a notice "
    "whose date has passed, so people may try to use something that is gone.",
    "Replace the old name with what replaced it, and remove or update notices whose dates "
    "have passed.",
    "outdated",
    name="Out-of-date content",
)

DATA_FILE = Path(__file__).resolve().parent / "data" / "outdated.toml"
# news and similar sections speak of their own time (as in checks.freshness)
_DATED_SECTIONS = ("/news/", "/blog/", "/events/", "/press-releases/", "/media-releases/")
# The only characters IGNORECASE matches with an ASCII letter without being one: with none
# of them, str.lower() holds a lower-case hint exactly when a case-blind pattern can match.
_FOLD_RISK_RE = re.compile("[\u0130\u0131\u017f\u212a]")
# a sentence that says the name is history
_HISTORY_RE = re.compile(
    r"\b(?:formerly|previously|former|used to be|was replaced|were replaced|replaced by|"
    r"was renamed|were renamed|renamed|was abolished|were abolished|was closed|closed in|"
    r"no longer|now called|now known as|was known as|were known as|took over|"
    r"predecessors?|merged)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Retired:
    """One retired name: how to find it, what replaced it and what to say."""

    name: str
    hint: tuple[str, ...]  # lower-case text every match contains
    match: tuple[re.Pattern[str], ...]
    current: tuple[re.Pattern[str], ...]
    message: str
    suggestion: str
    replaced_by: str = ""
    since: str = ""


@functools.lru_cache(maxsize=1)
def project_terms() -> tuple[Retired, ...]:
    """The project's list, read once per process."""
    with DATA_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    return tuple(
        Retired(
            name=entry["name"],
            hint=tuple(entry["hint"]),
            match=tuple(re.compile(p) for p in entry["match"]),
            current=tuple(re.compile(p) for p in entry.get("current", [])),
            message=entry["message"],
            suggestion=entry["suggestion"],
            replaced_by=entry.get("replaced_by", ""),
            since=entry.get("since", ""),
        )
        for entry in data["retired"]
    )


def _site_term(name: str, replaced_by: str) -> Retired:
    """An entry from ``[checks] outdated_terms``: the name as a whole phrase, any case."""
    new = re.sub(r"^the\s+", "", replaced_by.strip(), flags=re.I)
    return Retired(
        name=name,
        hint=(name.lower(),),
        match=(re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.I),),
        current=(re.compile(rf"(?<!\w){re.escape(new)}(?!\w)", re.I),) if new else (),
        message=f"it has been replaced by {replaced_by}.",
        suggestion=f"Use {quote(replaced_by)} instead, and check the advice around it.",
        replaced_by=replaced_by,
    )


@functools.lru_cache(maxsize=8)
def retired_terms(site_terms: tuple[tuple[str, str], ...] = ()) -> tuple[Retired, ...]:
    """The project's list with the site's additions; an empty replacement removes an
    entry (named as in the list, or as one of its spellings: "CCG")."""
    terms = list(project_terms())
    for name, replaced_by in site_terms:
        terms = [
            t
            for t in terms
            if t.name.casefold() != name.casefold() and not any(p.fullmatch(name) for p in t.match)
        ]
        if replaced_by.strip():
            terms.append(_site_term(name, replaced_by))
    return tuple(terms)


def _in_dated_section(page: Page) -> bool:
    path = urlsplit(page.final_url or page.url).path.lower() + "/"
    return any(part in path for part in _DATED_SECTIONS)


def _sentences(page: Page) -> Iterator[str]:
    """The main content's sentences and headings, each on its own."""
    for _level, heading in page.headings:
        if heading.strip():
            yield heading.strip()
    for block in page_blocks(page):
        yield from split_sentences(block.text)


def _counts(page: Page) -> bool:
    return page.is_html and 0 < page.status < 400 and not _in_dated_section(page)


@page_check(rules=[CONTENT_OUTDATED], reusable=True)
def check_retired_names(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """content-outdated for names of closed or renamed services and organisations."""
    if not _counts(page):
        return
    terms = _terms(ctx)
    text = "\n".join([page.main_text, *(h for _level, h in page.headings)])
    for term, shown, sentence, count in _retired_in(text, lambda: _sentences(page), terms):
        yield _retired_finding(page.url, term, shown, sentence, count)


def _terms(ctx: CheckContext) -> tuple[Retired, ...]:
    return retired_terms(tuple(sorted(ctx.config.outdated_terms.items())))


def _retired_in(
    text: str, sentences: Callable[[], Iterable[str]], terms: tuple[Retired, ...]
) -> list[tuple[Retired, str, str, int]]:
    """(term, the name as shown, its first sentence, how many times) for each retired
    name used in `text` other than as history. The sentences are only asked for when a
    hint and a pattern are in the text (most pages have none)."""
    lower = text.lower() if _FOLD_RISK_RE.search(text) is None else None
    present = [
        t
        for t in terms
        if (lower is None or any(h in lower for h in t.hint))
        and any(p.search(text) for p in t.match)
    ]
    if not present:
        return []
    found: dict[str, tuple[Retired, str, str, int]] = {}
    for sentence in sentences():
        for term in present:
            hits = [m for p in term.match for m in p.finditer(sentence)]
            if not hits or _is_history(term, sentence):
                continue
            first = min(hits, key=lambda m: m.start())
            seen = found.get(term.name)
            if seen is None:
                found[term.name] = (term, first.group(), sentence, len(hits))
            else:
                found[term.name] = (*seen[:3], seen[3] + len(hits))
    return list(found.values())


def _retired_finding(url: str, term: Retired, shown: str, sentence: str, count: int) -> Finding:
    return CONTENT_OUTDATED.finding(
        url,
        f"{quote(shown)} is out of date: {term.message}",
        text=shown,
        context=sentence[:300],
        suggestion=term.suggestion,
        details={
            "kind": "retired-name",
            "term": term.name,
            "replaced_by": term.replaced_by,
            "since": term.since,
            "count": count,
        },
    )


def _is_history(term: Retired, sentence: str) -> bool:
    """The sentence names what replaced it, says it is in the past, or is dated from when
    the name was current: a timeline ("2004: NHS Direct opened a call centre here") or a
    reference ("Public Health England (2018). Delivering better oral health")."""
    if any(p.search(sentence) for p in term.current) or _HISTORY_RE.search(sentence):
        return True
    retired = _year(term.since)
    return retired is not None and any(
        int(year) <= retired for year in _SENTENCE_YEAR_RE.findall(sentence)
    )


_SENTENCE_YEAR_RE = re.compile(r"(?<![\d/.\-])((?:19|20)\d\d)(?![\d/\-])")


def _year(since: str) -> int | None:
    found = re.search(r"(?:19|20)\d\d", since)
    return int(found.group()) if found else None


# -- notices whose dates have passed ---------------------------------------------------------
_NOTICE_RE = re.compile(
    r"\b(?:temporarily|until further notice|temporary (?:closure|changes?|arrangements?|"
    r"location|move|suspension|clinic|site|address|measures|venue|relocation|service)|"
    r"will (?:be )?(?:closed?|shut|reopen|re-open|open again|move|relocate|resume|restart|"
    r"be suspended|be cancelled|be postponed|be paused|be unavailable|not be available|"
    r"not be running|run from|take place)|"
    r"(?:is|are) (?:currently |now )?(?:closed|shut|suspended|paused|cancelled|postponed|"
    r"unavailable|not available|not running)|"
    r"closed (?:from|between|on|until|for)|closing (?:on|from)|(?:re-?opens?|re-?opening) on|"
    r"(?:suspended|paused|postponed|cancelled|unavailable|not available|not running) "
    r"(?:from|until|between|on)|(?:open|available|running) again (?:from|on))\b",
    re.I,
)
_COVID_RE = re.compile(
    r"\b(?:covid(?:-19)?|coronavirus|sars-cov-2|pandemic|lockdown|self[- ]?isolat\w*|"
    r"shielding|social distancing)\b",
    re.I,
)
_COVID_HINTS = ("covid", "coronavirus", "sars-cov", "pandemic", "lockdown", "isolat", "shielding",
                "distancing")  # fmt: skip
# a notice's dates are recent when it is put up; older dates in a sentence with notice
# words are criteria ("referrals are closed for people born before 1 January 1950")
_OLDEST_NOTICE = 2005
_YEAR_RE = re.compile(r"(?:19|20)\d\d")


def _may_have_year(text: str) -> bool:
    """Whether `text` may hold a date with a 4-digit year (a notice's date needs one:
    "24/12/25" is not read), tested with substring searches first, which are quick."""
    return ("20" in text or "19" in text) and _YEAR_RE.search(text) is not None


# what makes a COVID-19 sentence an arrangement (a rule or a change), not a passing mention
_ARRANGEMENT_RE = re.compile(
    r"\b(?:rules?|guidance|restrictions?|measures|arrangements?|must|should|need to|have to|"
    r"visiting|visitors|self[- ]?isolat\w*|shield\w*|closed|suspended|cancelled|postponed|"
    r"paused|face (?:coverings?|masks?)|distancing|only (?:by|via|on) (?:phone|telephone|video)|"
    r"(?:by|on|via) (?:phone|telephone|video)(?: call)? only)\b",
    re.I,
)
# rules that ended whatever date the page gives them
_COVID_RULE_RE = re.compile(
    r"\bself[- ]?isolate for (?:7|10|14|seven|ten|fourteen) days\b|"
    r"\b(?:if you are|people who are|patients who are|you are|you're) shielding\b|"
    r"\bshielding (?:letter|list|programme|patients|guidance|advice)\b|"
    r"\bsocial distancing (?:rules|measures|guidance|guidelines)\b|"
    r"\bstay (?:at )?home,? protect the NHS\b|"
    r"(?<!long )\b(?:coronavirus|covid(?:-19)?) (?:helpline|hotline|advice line|test site)\b|"
    r"\b111 online coronavirus service\b",
    re.I,
)
_PAST_RE = re.compile(r"\b(?:had|was|were|did|during)\b", re.I)
# what makes notice words history rather than a notice: a past tense just before them
# ("the clinic was temporarily closed in March 2024"; "has been closed since" is still
# closed, so not this), or an event that closed on a day ("applications closed on
# 5 January 2026"), which stays true however long the page stays up
_PAST_BEFORE_RE = re.compile(r"\b(?:was|were|had been)\s+(?:\w+ly\s+)?$", re.I)
_EVENT_BEFORE_RE = re.compile(
    r"\b(?:applications?|registrations?|nominations?|entries|bookings?|voting|ballot|"
    r"consultation|survey|tender|recruitment|trial|study|competition|submissions?|appeal|"
    r"enrolment|sign-?ups?|vote|poll)\b"
    r"(?:\s+(?:on|for|to|into|about|of|in)\s+[^,.;:]*?)?\s+$",
    re.I,
)


def _live_notice(sentence: str) -> bool:
    """Whether the sentence's notice words announce something (a closure, a move) rather
    than tell of one that happened."""
    for match in _NOTICE_RE.finditer(sentence):
        before = sentence[: match.start()]
        if _PAST_BEFORE_RE.search(before):
            continue
        if match.group().lower().startswith(("closed ", "closing ")) and _EVENT_BEFORE_RE.search(
            before
        ):
            continue
        return True
    return False


def check_dated_notices(page: Page, ctx: CheckContext) -> Iterator[Finding]:
    """content-outdated for the temporary notices and COVID-19 arrangements in a page's
    main content that have passed by ``ctx.today``: what OutdatedCheck reports for it."""
    yield from _judge_main(page.url, _main_notices(page), ctx.today)


def _main_notices(page: Page) -> list[list]:
    """[sentence, notice_in(sentence)] for the main content's notices, without the date."""
    if not _counts(page):
        return []
    blocks = [h for _level, h in page.headings] + [b.text for b in page_blocks(page)]
    return [[sentence, notice] for sentence, notice in _notices(blocks)]


def _judge_main(url: str, notices: list[list], today: date) -> Iterator[Finding]:
    seen: set[str] = set()
    for sentence, notice in notices:
        finding = _judge(url, sentence, notice, today)
        if finding is not None and finding.text not in seen:
            seen.add(finding.text or "")
            yield finding


def _notices(blocks: list[str]) -> Iterator[tuple[str, list]]:
    """(sentence, what notice_in says) for the sentences of these blocks that may be
    notices. Quick substring tests come first and only blocks that pass are split into
    sentences: most text has neither COVID-19 words nor a year."""
    text = "\n".join(blocks)
    covid = _FOLD_RISK_RE.search(text) is not None or any(
        word in text.lower() for word in _COVID_HINTS
    )
    if not covid and not _may_have_year(text):
        return
    for block in blocks:
        if not covid and not _may_have_year(block):
            continue
        for sentence in split_sentences(block):
            if (covid and _COVID_RE.search(sentence)) or _may_have_year(sentence):
                notice = notice_in(sentence)
                if notice is not None:
                    yield sentence, notice


def notice_in(sentence: str) -> list | None:
    """What makes a sentence a notice that can go out of date, as JSON data, worked out
    without the date: [kind, the COVID-19 rule it gives or None, first date, last date]
    (ISO), where kind is "covid-rule", "covid" (an arrangement dated 2020 to 2022, that
    may also be a notice) or "notice"; None for an ordinary sentence."""
    covid = _COVID_RE.search(sentence) is not None
    rule = _COVID_RULE_RE.search(sentence) if covid else None
    if rule is not None:
        return ["covid-rule", rule.group(), None, None]
    notice = _live_notice(sentence)
    if not notice and not covid:
        return None
    dates = [value for value, _s, _e in find_dates(sentence, month_end=True)]
    if not dates:
        return None
    first, last = min(dates), max(dates)
    if covid and 2020 <= first.year <= 2022 and _covid_arrangement(sentence):
        return ["covid", None, first.isoformat(), last.isoformat()]
    if notice and last.year >= _OLDEST_NOTICE:
        return ["notice", None, first.isoformat(), last.isoformat()]
    return None


def _judge(url: str, sentence: str, notice: list, today: date) -> Finding | None:
    """The finding for a notice (see notice_in) on `today`, if it has passed."""
    kind, rule, first, last = notice
    if kind == "covid-rule":
        return _covid_finding(url, sentence, rule, None)
    if date.fromisoformat(last) >= today:
        return None
    if kind == "covid":
        return _covid_finding(url, sentence, None, date.fromisoformat(first))
    when = date.fromisoformat(last)
    return CONTENT_OUTDATED.finding(
        url,
        f"This notice gives a date that has passed ({uk_date(when)}), so it is probably "
        "no longer true.",
        text=sentence_start(sentence, 12),
        context=sentence[:300],
        suggestion="Remove the notice, or update it if it still applies.",
        details={"kind": "dated-notice", "date": last},
    )


def _covid_arrangement(sentence: str) -> bool:
    """A rule or change of service in the present or future, not a story of the past."""
    return bool(_ARRANGEMENT_RE.search(sentence)) and not _PAST_RE.search(sentence)


def _covid_finding(url: str, sentence: str, rule: str | None, when: date | None) -> Finding:
    what = f"a COVID-19 arrangement ({quote(rule)})" if rule else "COVID-19 arrangements"
    dated = f" dated {when:%B} {when.year}" if when else ""
    return CONTENT_OUTDATED.finding(
        url,
        f"This gives {what}{dated}. The COVID-19 arrangements of 2020 to 2022, such as "
        "self-isolation periods, shielding and coronavirus helplines, have ended.",
        text=sentence_start(sentence, 12),
        context=sentence[:300],
        suggestion="Check it against current guidance, then update it or remove it.",
        details={"kind": "covid", "date": when.isoformat() if when else None},
    )


# -- the header, footer and banners ----------------------------------------------------------
_WHERE = " It is in the header, footer, menus or a banner."


@functools.lru_cache(maxsize=256)
def _boilerplate_note(text: str, terms: tuple[Retired, ...]) -> tuple[tuple, ...]:
    """What content-outdated may say about a page's header, footer and banners, worked out
    once for each distinct text (it is the same on page after page) and without the date:
    ("name", term name, shown, sentence, count) and ("notice", sentence, notice_in)."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    note: list[tuple] = [
        ("name", term.name, shown, sentence, count)
        for term, shown, sentence, count in _retired_in(
            text, lambda: (s for line in lines for s in split_sentences(line)), terms
        )
    ]
    note += [("notice", sentence, notice) for sentence, notice in _notices(lines)]
    return tuple(note)


@site_check
class OutdatedCheck(SiteCheck):
    """content-outdated for what depends on the date, and for the header, footer, menus and
    banners: notices in the main content whose dates have passed, and in the text outside
    it both those and retired names (a stale "closed until" banner, a "Funded by NHS
    Northtown CCG" footer). Text on most pages comes from the template and is reported once
    for the site (see checks.text.RepeatCollapser).

    A site check so that its note, which leaves out the date, is kept for a page that has
    not changed and compared with each night's date by take(), as review-overdue does."""

    rules = (CONTENT_OUTDATED,)
    reusable = True

    def __init__(self, ctx: CheckContext) -> None:
        super().__init__(ctx)
        self.collapser = RepeatCollapser(share=0.5, min_pages=3, keep=25)
        self.terms = {t.name: t for t in _terms(ctx)}
        self.found: list[Finding] = []

    def note(self, page: Page) -> dict | None:
        """{"main": [[sentence, notice]], "boilerplate": [[...]]} (see _boilerplate_note);
        None for a page that does not count."""
        if not page.is_html or page.status >= 400:
            return None
        outside = page.boilerplate_text
        return {
            "main": _main_notices(page),
            "boilerplate": [list(item) for item in _boilerplate_note(outside, _terms(self.ctx))]
            if outside.strip()
            else [],
        }

    def take(self, url: str, note: dict | None) -> None:
        if note is None:
            return
        self.found.extend(_judge_main(url, note["main"], self.ctx.today))
        self.collapser.page_seen()
        keys: set[str] = set()
        for item in note["boilerplate"]:
            if item[0] == "name":
                _kind, name, shown, sentence, count = item
                term = self.terms.get(name)
                if term is None:
                    continue
                finding = _retired_finding(url, term, shown, sentence, count)
                key = f"name\x1f{name}\x1f{sentence}"
            else:
                _kind, sentence, notice = item
                finding = _judge(url, sentence, notice, self.ctx.today)
                if finding is None:
                    continue
                key = f"notice\x1f{sentence}"
            if key in keys:
                continue  # the same banner twice on one page counts once
            keys.add(key)
            finding.message += _WHERE
            finding.details["where"] = "boilerplate"
            self.collapser.add(key, finding)

    def finish(self) -> Iterator[Finding]:
        def site_message(first: Finding, pages: int, total: int) -> str:
            return (
                f"{first.message.removesuffix(_WHERE)} It shows on {pages} of {total} pages "
                "(in the header, footer, menus or a banner): fix it once in the template."
            )

        yield from self.found
        yield from self.collapser.results(site_message)
