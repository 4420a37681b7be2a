"""Link verdicts (checks/links.py) from Fetch objects: no server, no crawl."""

from __future__ import annotations

from datetime import date

import pytest

from content_audit.checks.engine.link_verdicts import judge
from content_audit.checks.engine.registry import CheckContext
from content_audit.checks.links import (
    LinkSiteCheck,
    check_duplicates,
    check_fragments,
    check_insecure,
    check_link_text,
    check_links,
    check_page_error,
    ignorable_fragment,
    unhelpful_reason,
)
from content_audit.core.config import ChecksConfig, Config, HostRule
from content_audit.core.model import Fetch, FetchFacts, Link, LinkProblem, Page

SITE = "https://www.trust.nhs.uk"
EXT = "https://partner.example"


def fetch(url: str = f"{EXT}/x", status: int = 200, **kw) -> Fetch:
    return Fetch(url=url, final_url=kw.pop("final_url", url), status=status, **kw)


def link(url: str, text: str = "Partner guide", tag: str = "a", region: str = "main",
         position: int = 0, fragment: str = "") -> Link:  # fmt: skip
    return Link(url=url, href=url, text=text, tag=tag, region=region, position=position,
                fragment=fragment)  # fmt: skip


def ctx(results: dict[str, Fetch] | None = None, hosts: list[HostRule] | None = None):
    config = Config()
    config.site.start_urls = [SITE + "/"]
    config.links.hosts = hosts or []
    return CheckContext(
        config=ChecksConfig(), today=date(2026, 11, 24), site_origin=SITE,
        full_config=config, link_results=results or {},
    )  # fmt: skip


def page(*links: Link, url: str = f"{SITE}/page", status: int = 200) -> Page:
    return Page(url=url, final_url=url, status=status, links=list(links))


# -- judge -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "kind", "reason"),
    [
        (200, "ok", ""),
        (404, "broken", "gone"),
        (410, "broken", "gone"),
        (400, "broken", "client-error"),
        (418, "broken", "client-error"),
        (500, "broken", "server-error"),
        (503, "broken", "server-error"),
        (401, "unverifiable", "blocked"),
        (403, "unverifiable", "blocked"),
        (999, "unverifiable", "blocked"),
        (429, "unverifiable", "rate-limited"),
    ],
)
def test_judge_status(status, kind, reason):
    verdict = judge(fetch(status=status))
    assert (verdict.kind, verdict.reason) == (kind, reason)


@pytest.mark.parametrize(
    ("error", "kind", "reason"),
    [
        ("dns", "broken", "gone"),
        ("refused", "broken", "connection"),
        ("reset", "broken", "connection"),
        ("timeout", "broken", "timeout"),
        ("tls", "broken", "tls"),
        ("redirect-loop", "broken", "redirect-loop"),
        ("robots", "unverifiable", "robots"),
        ("blocked-address", "unverifiable", "private-address"),
        ("youtube-unknown", "unverifiable", "unknown"),
        ("too-large", "unverifiable", "too-large"),
        ("ignored", "ok", ""),
    ],
)
def test_judge_failures(error, kind, reason):
    verdict = judge(fetch(status=0, error=error, error_detail="detail"))
    assert (verdict.kind, verdict.reason) == (kind, reason)


def test_internal_failures_are_broken_links_and_robots_is_fine():
    assert judge(fetch(status=500), internal=True).kind == "broken"
    assert judge(fetch(status=0, error="tls"), internal=True).kind == "broken"
    assert judge(fetch(status=404), internal=True).kind == "broken"
    assert judge(fetch(status=0, error="robots"), internal=True).kind == "ok"


def test_failing_site_pages_report_page_error_on_themselves():
    (f,) = check_page_error(
        Page(url=f"{SITE}/booking", final_url=f"{SITE}/booking", status=500), ctx()
    )
    assert (f.rule, f.url, f.details["reason"]) == ("page-error", f"{SITE}/booking", "server-error")
    failed = fetch(f"{SITE}/slow", 0, error="timeout", error_detail="took more than 20 s",
                   facts=FetchFacts(is_page=True))  # fmt: skip
    asset = fetch(f"{SITE}/logo.png", 0, error="timeout", error_detail="took more than 20 s")
    (f,) = _site_check({failed.url: failed, asset.url: asset})
    assert (f.rule, f.url, f.details["reason"]) == ("page-error", f"{SITE}/slow", "timeout")


def test_bot_protection_is_named():
    verdict = judge(fetch(status=403, headers={"cf-mitigated": "challenge"}))
    assert verdict.kind == "unverifiable" and "bot protection" in verdict.why


def test_accepted_status_is_ok():
    assert judge(fetch(status=404), accept=(404,)).kind == "ok"


def test_soft_404_and_videos():
    assert judge(fetch(facts=FetchFacts(problem=LinkProblem.SOFT_404))).kind == "soft-404"
    removed = judge(fetch(facts=FetchFacts(problem=LinkProblem.YOUTUBE_REMOVED)))
    assert (removed.kind, removed.reason) == ("soft-404", "video-removed")
    private = judge(fetch(facts=FetchFacts(problem=LinkProblem.YOUTUBE_PRIVATE)))
    assert private.reason == "video-private"


def test_retries_are_mentioned():
    assert "after 2 more tries" in judge(fetch(status=503, facts=FetchFacts(retries=2))).why


# -- check_links: one finding per target per page -------------------------------------------
def test_one_finding_per_target_per_page_with_the_texts():
    target = f"{EXT}/gone"
    results = {target: fetch(target, 404)}
    findings = list(check_links(page(link(target, "First"), link(target, "Second")), ctx(results)))
    assert [f.rule for f in findings] == ["link-broken"]
    f = findings[0]
    assert (f.url, f.target, f.text) == (f"{SITE}/page", target, "First")
    assert f.details["occurrences"] == 2 and f.details["texts"] == ["First", "Second"]
    assert f.message == "Broken link: the page no longer exists (404)."


def test_error_pages_and_self_links_are_not_judged():
    target = f"{EXT}/gone"
    results = {target: fetch(target, 404)}
    assert list(check_links(page(link(target), status=404), ctx(results))) == []
    me = f"{SITE}/page"
    assert list(check_links(page(link(me)), ctx({me: fetch(me, 404)}))) == []


def test_host_rule_accepts_status():
    target = f"{EXT}/members"
    results = {target: fetch(target, 401)}
    rules = [HostRule(host="partner.example", accept_status=[401])]
    assert list(check_links(page(link(target)), ctx(results, rules))) == []


def _redirect(url, hops, final):
    return fetch(url, 200, final_url=final, redirects=hops)


def test_permanent_chain_is_one_warning_with_the_final_url():
    url = f"{EXT}/chain"
    results = {url: _redirect(url, [(url, 301), (f"{EXT}/step", 308)], f"{EXT}/end")}
    (f,) = check_links(page(link(url)), ctx(results))
    assert (f.rule, f.severity, f.suggestion) == ("link-redirect", "warning", f"{EXT}/end")
    assert f.details["hops"] == 2


def test_temporary_redirect_is_a_notice():
    url = f"{EXT}/temp"
    results = {url: _redirect(url, [(url, 302)], f"{EXT}/elsewhere")}
    (f,) = check_links(page(link(url)), ctx(results))
    assert (f.severity, f.suggestion) == ("notice", f"{EXT}/elsewhere")


def test_permanent_then_temporary_suggests_the_permanent_address():
    url = f"{EXT}/a"
    results = {url: _redirect(url, [(url, 301), (f"{EXT}/b", 302)], f"{EXT}/login")}
    (f,) = check_links(page(link(url)), ctx(results))
    assert (f.severity, f.suggestion) == ("warning", f"{EXT}/b")


def test_trailing_slash_redirect_is_a_tidy_up_notice():
    url = f"{EXT}/section"
    results = {url: _redirect(url, [(url, 301)], f"{EXT}/section/")}
    (f,) = check_links(page(link(url)), ctx(results))
    assert (f.severity, f.details["kind"]) == ("notice", "tidy-up")


def test_http_to_https_redirect_is_left_to_link_insecure():
    url = "http://partner.example/page"
    results = {url: _redirect(url, [(url, 301)], "https://partner.example/page")}
    results[url].facts.https = "https://partner.example/page"
    c = ctx(results)
    assert list(check_links(page(link(url)), c)) == []
    (f,) = check_insecure(page(link(url)), c)
    assert (f.rule, f.suggestion) == ("link-insecure", "https://partner.example/page")


def test_redirect_to_a_missing_page_is_broken():
    url = f"{EXT}/old"
    results = {url: fetch(url, 404, final_url=f"{EXT}/new", redirects=[(url, 301)])}
    (f,) = check_links(page(link(url)), ctx(results))
    assert f.rule == "link-broken" and f"{EXT}/new" in f.message


def test_site_404_template_is_a_soft_404():
    probe = fetch(f"{SITE}/content-audit-check-x", 200, facts=FetchFacts(
        probe=SITE, title="Sorry", h1="Oops", content_hash="h"))  # fmt: skip
    target = f"{SITE}/old-page"
    same = fetch(target, 200, facts=FetchFacts(title="Sorry", h1="Oops", content_hash="h"))
    results = {probe.url: probe, target: same}
    (f,) = check_links(page(link(target)), ctx(results))
    assert f.rule == "link-soft-404"
    other = fetch(target, 200, facts=FetchFacts(title="Sorry", h1="Real", content_hash="h2"))
    assert list(check_links(page(link(target)), ctx({probe.url: probe, target: other}))) == []


# -- link-insecure -----------------------------------------------------------------------------
def test_insecure_links():
    c = ctx({"http://other.example/x": fetch("http://other.example/x")})
    found = list(check_insecure(page(link("http://other.example/x")), c))
    assert [(f.rule, f.suggestion) for f in found] == [("link-insecure", None)]
    own = list(check_insecure(page(link("http://www.trust.nhs.uk/about")), ctx()))
    assert own[0].suggestion == "https://www.trust.nhs.uk/about"
    for url in ("http://127.0.0.1:8000/x", "http://localhost/x", "http://app.localhost/"):
        assert list(check_insecure(page(link(url)), ctx())) == []
    assert list(check_insecure(page(link("https://other.example/")), ctx())) == []


# -- link-text-unhelpful ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("click here", "generic"), ("Click here to download the form", "generic"),
        ("Read more", "generic"), ("read more »", "generic"), ("here", "generic"),
        ("Here.", "generic"), ("link", "generic"), ("more", "generic"), ("", "empty"),
        ("https://partner.example/guide", "bare-url"), ("www.nhs.uk", "bare-url"),
        ("Read more about physiotherapy", None), ("Where to get help", None),
        ("Moreton clinic", None),
    ],
)  # fmt: skip
def test_unhelpful_text(text, reason):
    assert unhelpful_reason(text) == reason


def test_link_text_only_for_a_links():
    findings = list(check_link_text(page(
        link(f"{EXT}/a", "click here"), link(f"{EXT}/i.png", "", tag="img"),
        link(f"{EXT}/s.js", "", tag="script"), link(f"{EXT}/n", "here", region="navigation"),
    ), ctx()))  # fmt: skip
    assert [(f.target, f.text) for f in findings] == [
        (f"{EXT}/a", "click here"),
        (f"{EXT}/n", "here"),
    ]


# -- link-duplicate ----------------------------------------------------------------------------
def test_repeated_target_in_main_is_reported_on_the_repeat():
    links = [link(f"{EXT}/guide", "Staying steady guide A", position=0),
             link(f"{EXT}/other", "Other", position=1),
             link(f"{EXT}/guide", "Staying steady guide", position=2),
             link(f"{EXT}/guide", "Nav copy", region="navigation", position=3)]  # fmt: skip
    (f,) = check_duplicates(page(*links), ctx())
    assert (f.target, f.text, f.details["reason"]) == (
        f"{EXT}/guide",
        "Staying steady guide",
        "same-target",
    )


def test_image_and_caption_to_the_same_place_are_one_card():
    links = [link(f"{EXT}/card", "Physio", position=0), link(f"{EXT}/card.png", "", tag="img",
             position=1), link(f"{EXT}/card", "Physiotherapy", position=2)]  # fmt: skip
    assert list(check_duplicates(page(*links), ctx())) == []


def test_two_addresses_of_one_page_are_one_target():
    results = {f"{EXT}/contact": fetch(f"{EXT}/contact", final_url=f"{EXT}/contact/",
                                       redirects=[(f"{EXT}/contact", 301)]),
               f"{EXT}/contact/": fetch(f"{EXT}/contact/")}  # fmt: skip
    links = [link(f"{EXT}/contact", "Contact us", position=0),
             link(f"{EXT}/other", "Other", position=1),
             link(f"{EXT}/contact/", "Contact us", position=2)]  # fmt: skip
    found = list(check_duplicates(page(*links), ctx(results)))
    assert [f.details["reason"] for f in found] == ["same-target"]


def test_same_text_different_targets():
    links = [link(f"{EXT}/referral", "Find out more", position=0),
             link(f"{EXT}/safety", "Find out more", position=1)]  # fmt: skip
    (f,) = check_duplicates(page(*links), ctx())
    assert (f.target, f.details["other_target"]) == (f"{EXT}/referral", f"{EXT}/safety")
    # generic texts are link-text-unhelpful's business, not reported twice
    generic = [link(f"{EXT}/a", "Read more", position=0), link(f"{EXT}/b", "Read more", position=1)]
    assert list(check_duplicates(page(*generic), ctx())) == []


# -- fragments -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fragment", "ignored"),
    [("section-2", False), ("top", True), ("TOP", True), ("", True), (":~:text=hello", True),
     ("!/app/route", True), ("page=3", True), ("/route", True)],
)  # fmt: skip
def test_ignorable_fragments(fragment, ignored):
    assert ignorable_fragment(fragment) is ignored


def _site_check(results, *pages):
    """The fragment findings on ``pages``, each other's targets, as a run finds them."""
    context = ctx(results)
    context.page_anchors = {p.url: frozenset(p.anchors) for p in pages if p.status < 400}
    found = [f for p in pages for f in check_fragments(p, context)]
    return found + list(LinkSiteCheck(context).finish())


def test_internal_fragments_use_the_crawled_page():
    target = Page(url=f"{SITE}/target", final_url=f"{SITE}/target", status=200,
                  anchors=["exercises", "contact"])  # fmt: skip
    source = page(link(f"{SITE}/target", "Exercises", fragment="exercises"),
                  link(f"{SITE}/target", "Avoid", fragment="exercises-to-avoid"))  # fmt: skip
    results = {f"{SITE}/target": fetch(f"{SITE}/target")}
    (f,) = _site_check(results, source, target)
    assert (f.rule, f.target, f.text) == (
        "link-fragment-missing", f"{SITE}/target#exercises-to-avoid", "Avoid")  # fmt: skip
    assert f.suggestion == f"{SITE}/target#exercises"


def test_internal_fragment_after_a_redirect_uses_the_final_page():
    target = Page(url=f"{SITE}/new", final_url=f"{SITE}/new", status=200, anchors=["a"])
    results = {f"{SITE}/old": fetch(f"{SITE}/old", final_url=f"{SITE}/new",
                                    redirects=[(f"{SITE}/old", 301)])}  # fmt: skip
    source = page(link(f"{SITE}/old", "A", fragment="a"))
    assert _site_check(results, source, target) == []


def test_external_page_without_any_ids_is_not_judged():
    url = f"{EXT}/app"
    results = {url: fetch(url, facts=FetchFacts(anchors=""))}
    assert _site_check(results, page(link(url, "Section", fragment="section"))) == []


def test_external_fragments_use_the_fetched_ids():
    url = f"{EXT}/guide"
    results = {url: fetch(url, facts=FetchFacts(anchors="part-1 part-2"))}
    source = page(link(url, "Part 1", fragment="part-1"), link(url, "Gone", fragment="gone"))
    assert [f.text for f in _site_check(results, source)] == ["Gone"]
    results[url].facts.anchors_truncated = True  # partial body: cannot be sure
    assert _site_check(results, source) == []


def test_redirect_to_the_home_page_says_the_page_was_probably_removed():
    url = f"{EXT}/services/old-leaflet"
    results = {url: _redirect(url, [(url, 301)], f"{EXT}/")}
    (f,) = check_links(page(link(url)), ctx(results))
    assert "probably been removed" in f.message and f.details["probably_removed"]


def test_long_retry_after_is_not_seen_to_persist():
    busy = judge(fetch(status=503, facts=FetchFacts(retry_after_too_long="3600")))
    assert (busy.kind, busy.reason) == ("unverifiable", "temporarily-unavailable")
    assert "3600 s" in busy.why
    limited = judge(fetch(status=429, facts=FetchFacts(retry_after_too_long="600")))
    assert (limited.kind, limited.reason) == ("unverifiable", "rate-limited")


def test_links_within_the_page_are_not_duplicates():
    me = f"{SITE}/page"
    links = [link(me, "Back to top", position=0, fragment="top"),
             link(f"{EXT}/x", "Partner", position=1),
             link(me, "Back to top", position=2, fragment="top")]  # fmt: skip
    assert list(check_duplicates(page(*links), ctx())) == []


def test_link_keys_are_worked_out_afresh_for_another_page_or_changed_links():
    """The after-crawl checks share each page's normalised link keys (the last page's are
    remembered): another page, or the same page with other links, is never answered from
    the memo, so a broken link is found wherever it is."""
    gone, fine = f"{EXT}/gone", f"{EXT}/fine"
    results = {gone: fetch(gone, 404), fine: fetch(fine)}
    first = page(link(fine))
    assert list(check_links(first, ctx(results))) == []
    second = page(link(gone))  # the same URL, another page object
    assert [f.target for f in check_links(second, ctx(results))] == [gone]
    first.links = [link(gone), link(fine)]  # the same page object, new links
    assert [f.target for f in check_links(first, ctx(results))] == [gone]
    first.links.append(link(f"{EXT}/also-gone"))  # the same list, grown
    results[f"{EXT}/also-gone"] = fetch(f"{EXT}/also-gone", 404)
    assert [f.target for f in check_links(first, ctx(results))] == [gone, f"{EXT}/also-gone"]


def test_side_by_side_links_whose_texts_differ_only_in_spacing_are_a_duplicate():
    links = [link(f"{EXT}/video", "Watch the video , part 1", position=0),
             link(f"{EXT}/video", "Watch the video, part 1", position=1)]  # fmt: skip
    (f,) = check_duplicates(page(*links), ctx())
    assert (f.rule, f.text, f.details["reason"]) == (
        "link-duplicate",
        "Watch the video, part 1",
        "same-target",
    )
    assert f.message == (
        'The page has the same link twice: "Watch the video, part 1". Screen readers read '
        "both out; keep one of them."
    )
    # case and punctuation too
    shouty = [link(f"{EXT}/video", "WATCH THE VIDEO - PART 1", position=0),
              link(f"{EXT}/video", "Watch the video: part 1.", position=1)]  # fmt: skip
    assert len(list(check_duplicates(page(*shouty), ctx()))) == 1


def test_image_whose_alt_repeats_its_caption_is_still_one_card():
    links = [link(f"{EXT}/card", "Physiotherapy", position=0),
             link(f"{EXT}/card.png", "Physiotherapy", tag="img", position=1),
             link(f"{EXT}/card", "Physiotherapy", position=2)]  # fmt: skip
    assert list(check_duplicates(page(*links), ctx())) == []


def test_side_by_side_links_with_different_words_stay_one_card():
    links = [link(f"{EXT}/physio", "Physiotherapy", position=0),
             link(f"{EXT}/physio", "Read about physiotherapy", position=1)]  # fmt: skip
    assert list(check_duplicates(page(*links), ctx())) == []


def test_same_text_differing_only_in_punctuation_to_two_places():
    links = [link(f"{EXT}/part1", "Watch the video , part 1", position=0),
             link(f"{EXT}/part2", "Watch the video, part 1", position=1)]  # fmt: skip
    (f,) = check_duplicates(page(*links), ctx())
    assert f.details["reason"] == "same-text"
    assert f.details["other_target"] == f"{EXT}/part2"


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://www.youtube.com/watch?v=abcDEF12345", "youtube:abcDEF12345"),
        ("https://youtu.be/abcDEF12345", "youtube:abcDEF12345"),
        ("https://www.youtube.com/watch?v=abcDEF12345&feature=youtu.be", "youtube:abcDEF12345"),
        ("https://www.youtube-nocookie.com/embed/abcDEF12345", "youtube:abcDEF12345"),
        ("https://m.youtube.com/watch?v=abcDEF12345&t=330", "youtube:abcDEF12345@330"),
        ("https://youtu.be/abcDEF12345?t=5m30s", "youtube:abcDEF12345@5m30s"),
        ("https://www.youtube.com/channel/UC123456789", None),
        ("https://www.youtube.com/watch", None),
        ("https://partner.example/watch?v=abcDEF12345", None),
    ],
)
def test_youtube_video_key(url, key):
    from content_audit.checks.links import youtube_video

    assert youtube_video(url) == key


def test_one_video_at_two_addresses_is_linked_twice():
    links = [link("https://www.youtube.com/watch?v=abcDEF12345", "Watch the video , part 1",
                  position=0),
             link(f"{EXT}/other", "Other", position=1),
             link("https://youtu.be/abcDEF12345", "Watch the video, part 1", position=2)]  # fmt: skip
    (f,) = check_duplicates(page(*links), ctx())
    assert f.details["reason"] == "same-target"
    # two start times in one video are two places
    parts = [link("https://youtu.be/abcDEF12345", "Part 1", position=0),
             link(f"{EXT}/other", "Other", position=1),
             link("https://youtu.be/abcDEF12345?t=330", "Part 2", position=2)]  # fmt: skip
    assert list(check_duplicates(page(*parts), ctx())) == []


def test_an_a_to_z_may_list_a_service_under_two_names():
    from content_audit.core.model import Section

    links = [link(f"{EXT}/wound-care", "Leg ulcer and wound care", position=0),
             link(f"{EXT}/physio", "Physiotherapy", position=1),
             link(f"{EXT}/wound-care", "Wound care (see leg ulcer and wound care)",
                  position=2)]  # fmt: skip
    a_to_z = page(*links)
    letters = ["L", "P", "S", "W"]
    a_to_z.headings = [(2, letter) for letter in letters]
    a_to_z.sections = [
        Section(heading="L", level=2, list_items=["Leg ulcer and wound care"]),
        Section(heading="P", level=2, list_items=["Physiotherapy"]),
        Section(heading="S", level=2, list_items=["Speech and language therapy"]),
        Section(heading="W", level=2, list_items=["Wound care (see leg ulcer and wound care)"]),
    ]
    assert list(check_duplicates(a_to_z, ctx())) == []
    # the same page as advice repeats the link
    advice = page(*links)
    assert [f.details["reason"] for f in check_duplicates(advice, ctx())] == ["same-target"]


def test_a_broken_links_advice_fits_why_it_failed():
    """'Update the link to the new address' is wrong for a server error on the trust's
    own booking page: the advice follows the cause and whose page it is."""
    from content_audit.checks.links import broken_link_action

    assert broken_link_action("gone", False, "the page no longer exists (404)").startswith(
        "Find the page's new address on that site"
    )
    assert broken_link_action("server-error", True, "the server had an error (500)").startswith(
        "Tell the web team: the site's own page has an error"
    )
    elsewhere = broken_link_action("timeout", False, "the server took more than 5 s to answer")
    assert elsewhere.startswith("The other site did not answer in time. Open the link later")
    typed = broken_link_action(
        "connection", False, "the link is not a valid web address: the port '99999' is not a number"
    )
    assert typed.startswith("Correct the address in the link")
