"""The report in a real browser (headless Chromium): filtering, search, paging, owner
links, tables, no JavaScript, and hostile page content that must never run."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

import pytest

from content_audit.checks.engine.registry import RULES
from content_audit.reports.writer import write_reports
from tests.test_history import run_stage
from tests.test_report import big_report
from tests.test_report_fixtures import RUN, FakeStore, config, findings, pages

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip(
        "Chromium is not installed (/usr/bin/chromium and /usr/bin/chromedriver): "
        "apt-get install chromium chromium-driver, or run scripts/setup.sh",
        allow_module_level=True,
    )

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

pytestmark = pytest.mark.e2e  # a real crawl, server or browser: not in the fast tier


def make_driver(javascript: bool = True):
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                 "--window-size=1280,1000"):  # fmt: skip
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    service = webdriver.ChromeService(executable_path=str(CHROMEDRIVER))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    return driver, profile


@contextlib.contextmanager
def scriptless(url: str):
    """A browser with scripts blocked (many NHS desktops, mail previews), on ``url``."""
    driver, profile = make_driver(javascript=False)
    try:
        driver.get(url)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    driver, profile = make_driver()
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("browser-report")
    cfg = config(tmp / "out")
    run_stage(cfg, "2026-11-23", findings("a"))
    found = findings("b")
    review = run_stage(cfg, "2026-11-24", found)
    write_reports(
        cfg.out_dir, dict(RUN), FakeStore(pages()), found, cfg, review=review, rules=RULES
    )
    return cfg.out_dir


def cards(driver):
    return driver.find_elements(By.CSS_SELECTOR, "#findings-list article.finding")


def count_text(driver) -> str:
    return driver.find_element(By.ID, "count").text


def headings(driver) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#findings-list h3'), h => h.textContent)"
    )


def click(driver, element) -> None:
    """Scroll to the middle first, clear of the sticky contents bar, then click."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def wait_cards(driver, n: int):
    WebDriverWait(driver, 5).until(lambda d: len(cards(d)) == n)
    return cards(driver)


def test_injected_script_never_runs(browser, report):
    browser.get((report / "index.html").as_uri())
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert "PWNED" not in browser.title
    assert browser.title.startswith("Content audit of www.example-trust.nhs.uk")
    hostile = next(c for c in cards(browser) if "visiting guidance" in c.text)
    # the payload is shown as text, inside the highlighted sentence
    assert '<img src=x onerror="window.__pwned=1' in hostile.text
    assert hostile.find_element(By.TAG_NAME, "mark").text.startswith("<img src=x")
    assert hostile.find_elements(By.TAG_NAME, "img") == []
    # the javascript: link target is text, never a link
    assert hostile.find_element(By.CSS_SELECTOR, ".target .url").tag_name == "span"
    assert "<script>" in hostile.find_element(By.CSS_SELECTOR, ".where a").text
    # nothing else got in either: the owner report of that page is just as inert
    browser.get((report / "owners" / "patient-experience.html").as_uri())
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert "PWNED" not in browser.title


def test_filters_and_search(browser, report):
    browser.get((report / "index.html").as_uri())
    assert len(wait_cards(browser, 5)) == 5
    assert count_text(browser) == "5 findings."
    form = browser.find_element(By.ID, "controls")
    assert form.is_displayed()
    # severity: errors only
    for value in ("warning", "notice"):
        form.find_element(By.CSS_SELECTOR, f"input[name=sev][value={value}]").click()
    shown = wait_cards(browser, 2)
    assert all("Error" in c.find_element(By.CSS_SELECTOR, ".badge").text for c in shown)
    assert count_text(browser) == "Showing 1–2 of 2 matching findings (5 in all)."
    for value in ("warning", "notice"):
        form.find_element(By.CSS_SELECTOR, f"input[name=sev][value={value}]").click()
    wait_cards(browser, 5)
    # rule
    Select(browser.find_element(By.ID, "f-rule")).select_by_value("image-alt-missing")
    assert "scan.png" in wait_cards(browser, 1)[0].text
    Select(browser.find_element(By.ID, "f-rule")).select_by_value("")
    # owner, grouped by owner
    Select(browser.find_element(By.ID, "group")).select_by_value("owner")
    Select(browser.find_element(By.ID, "f-owner")).select_by_value("Clinical services")
    shown = wait_cards(browser, 2)
    assert all("Physiotherapy" in c.text for c in shown)
    assert browser.find_element(By.CSS_SELECTOR, "#findings-list h3").text == (
        "Clinical services (2 findings)"
    )
    Select(browser.find_element(By.ID, "f-owner")).select_by_value("")
    # new only
    browser.find_element(By.ID, "f-new").click()
    assert "back pain advice" in wait_cards(browser, 1)[0].text
    browser.find_element(By.ID, "f-new").click()
    wait_cards(browser, 5)
    # text search, several words, any case
    search = browser.find_element(By.ID, "q")
    search.send_keys("EXERCISE leaflet")
    shown = wait_cards(browser, 1)
    assert shown[0].find_element(By.TAG_NAME, "mark").text == "exercise leaflet"
    search.clear()
    search.send_keys("no such words anywhere")
    wait_cards(browser, 0)
    assert "No findings match these filters." in browser.find_element(By.ID, "findings-list").text
    search.clear()
    search.send_keys(" ")
    wait_cards(browser, 5)
    # group by rule
    Select(browser.find_element(By.ID, "group")).select_by_value("rule")
    WebDriverWait(browser, 5).until(lambda d: "Broken link (2 findings)" in headings(d))
    assert headings(browser) == [
        "Broken link (2 findings)",
        "Image without alt text (1 finding)",
        "Redirected link (1 finding)",
        "Title or main heading missing (1 finding)",
    ]


def test_rule_link_and_owner_links(browser, report):
    browser.get((report / "index.html").as_uri())
    wait_cards(browser, 5)
    cards(browser)[0].find_element(By.CSS_SELECTOR, "a.rule").click()
    assert browser.current_url.endswith("#rule-link-broken")
    assert browser.find_element(By.ID, "rule-link-broken").is_displayed()
    click(browser, browser.find_element(By.LINK_TEXT, "Report for Maternity services"))
    WebDriverWait(browser, 5).until(lambda d: "maternity-services.html" in d.current_url)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Content audit for Maternity services"
    shown = wait_cards(browser, 1)
    assert "Antenatal care" in shown[0].text
    assert browser.find_elements(By.ID, "f-owner") == []  # one owner: no owner filter
    click(browser, browser.find_element(By.LINK_TEXT, "The whole-site report"))
    WebDriverWait(browser, 5).until(lambda d: d.current_url.endswith("/index.html"))


def test_tables_sort_on_click(browser, report):
    browser.get((report / "index.html").as_uri())
    table = browser.find_element(By.CSS_SELECTOR, "#readability table")
    first = lambda: table.find_element(By.CSS_SELECTOR, "tbody tr td").text  # noqa: E731
    assert first().startswith("Antenatal care")  # worst first
    header = table.find_elements(By.CSS_SELECTOR, "thead th button")[2]  # reading age
    click(browser, header)
    assert first().startswith("Visiting")  # lowest first
    click(browser, header)
    assert first().startswith("Antenatal care")


def test_without_javascript_everything_is_readable(report):
    with scriptless((report / "index.html").as_uri()) as driver:
        assert len(cards(driver)) == 5
        assert not driver.find_element(By.ID, "controls").is_displayed()
        assert "Antenatal care" in driver.find_element(By.ID, "readability").text
        assert driver.find_element(By.LINK_TEXT, "Report for Maternity services")


def test_without_javascript_the_report_opens_on_what_to_fix_first(browser, report):
    """With scripts blocked (many NHS desktops, Teams and mail previews) the report opens
    on the same "fix these first" list the script draws: the same headings, the same cards
    in the same order, and each card's page title apart from its address."""
    index = (report / "index.html").as_uri()
    with scriptless(index) as driver:
        static = (headings(driver), [c.text for c in cards(driver)])
        first = cards(driver)[0]
        assert "sev-error" in first.get_attribute("class")
        where = first.find_element(By.CSS_SELECTOR, ".where")
        title = where.find_element(By.TAG_NAME, "a").text
        url = where.find_element(By.CSS_SELECTOR, ".url").text
        assert f"{title} {url}" in where.text  # not "...Physiotherapyhttps://..."
    assert static[0][0] == "Errors: fix these first (2 findings)"
    browser.get(index)
    wait_cards(browser, 5)
    assert (headings(browser), [c.text for c in cards(browser)]) == static


def test_20000_findings_open_quickly_and_page_by_100(browser):
    out, _ = big_report()
    started = time.perf_counter()
    browser.get((out / "index.html").as_uri())
    WebDriverWait(browser, 20).until(lambda d: count_text(d).startswith("Showing 1–100 of 20,000"))
    elapsed = time.perf_counter() - started
    print(f"\n20,000 findings: index.html loaded and first 100 drawn in {elapsed:.2f} s")
    assert elapsed < 10
    assert len(cards(browser)) == 100
    click(browser, browser.find_element(By.ID, "next"))
    assert count_text(browser).startswith("Showing 101–200 of 20,000")
    started = time.perf_counter()
    browser.find_element(By.ID, "q").send_keys("leaflet 19999")
    WebDriverWait(browser, 10).until(lambda d: len(cards(d)) == 1)
    print(f"search over 20,000 findings: {time.perf_counter() - started:.2f} s")
    assert "leaflet 19999" in cards(browser)[0].text


def test_rules_and_owners_tables_show_their_findings(browser, report):
    browser.get((report / "index.html").as_uri())
    wait_cards(browser, 5)
    click(browser, browser.find_element(By.CSS_SELECTOR, '#rules a[data-rule="link-broken"]'))
    shown = wait_cards(browser, 2)
    assert all("Broken link" in c.text for c in shown)
    assert Select(browser.find_element(By.ID, "f-rule")).first_selected_option.text.startswith(
        "Broken link"
    )
    click(browser, browser.find_element(By.CSS_SELECTOR, '#owners a[data-owner="Unassigned"]'))
    assert "News" in wait_cards(browser, 1)[0].text


def test_template_wide_finding_lists_its_pages_with_and_without_script(browser, tmp_path):
    """A broken footer link is one card; it opens on the list of the pages it is on, the
    same whether the script built the card or the page was read without it."""
    from content_audit.checks.engine.template_wide import group_template_findings
    from content_audit.checks.links import LINK_BROKEN
    from content_audit.core.model import assign_fingerprints

    cfg = config(tmp_path / "out")
    urls = [p.url for p in pages()]
    found = group_template_findings(
        [LINK_BROKEN.finding(u, "Broken link: the page no longer exists (404).",
                             target="https://www.example-trust.nhs.uk/old-statement",
                             text="Accessibility statement", details={"region": "footer"})
         for u in urls],
        site_pages=len(urls),
    )  # fmt: skip
    assign_fingerprints(found)
    review = run_stage(cfg, "2026-11-24", found)
    write_reports(
        cfg.out_dir, dict(RUN), FakeStore(pages()), found, cfg, review=review, rules=RULES
    )
    index = (cfg.out_dir / "index.html").as_uri()

    def page_list(driver) -> tuple[str, list[str]]:
        (card,) = cards(driver)
        box = card.find_element(By.CSS_SELECTOR, "details.pages")
        click(driver, box.find_element(By.TAG_NAME, "summary"))
        links = [a.get_attribute("href") for a in box.find_elements(By.CSS_SELECTOR, "li a")]
        return box.find_element(By.TAG_NAME, "summary").text, links

    browser.get(index)
    notices = browser.find_element(By.CSS_SELECTOR, "input[name=sev][value=notice]")
    notices.click()  # filter and unfilter: the script builds the card again
    notices.click()
    wait_cards(browser, 1)
    scripted = page_list(browser)
    assert scripted == (
        f"Show the {len(urls)} pages it is on",
        sorted(urls, key=lambda u: (len(u), u)),
    )
    with scriptless(index) as driver:
        assert page_list(driver) == scripted


def test_the_report_opens_on_what_to_fix_first(browser, report):
    """The first card a service manager sees is an error, under "Errors: fix these
    first" (issue 22: the owner grouping put four notices first); every card says what
    to do."""
    browser.get((report / "index.html").as_uri())
    assert Select(browser.find_element(By.ID, "group")).first_selected_option.text == (
        "Fix these first"
    )
    heads = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "#findings-list .ghead")]
    assert heads[0].startswith("Errors: fix these first")
    first = cards(browser)[0]
    assert "sev-error" in first.get_attribute("class")
    for card in cards(browser):
        assert "Suggested fix:" in card.text or "What to do:" in card.text, card.text


def test_an_owner_can_accept_a_finding_from_the_report(browser, report, tmp_path):
    """The loop with no developer: "Not a problem here?" gives the owner a line for the
    web team; pasted into the baseline with a reason, it accepts that finding; left with
    the blank reason, the baseline is refused with a message that says so."""
    import json

    from content_audit.baseline import BaselineError, load_baseline
    from content_audit.core.model import Finding

    browser.get((report / "index.html").as_uri())
    first = cards(browser)[0]
    first.find_element(By.CSS_SELECTOR, "details.dismiss summary").click()
    line = first.find_element(By.CSS_SELECTOR, "details.dismiss pre code").text
    entry = json.loads(line)
    data = json.loads((report / "findings.json").read_text(encoding="utf-8"))
    found = next(f for f in data["findings"] if f["fingerprint"] == entry["fingerprint"])
    assert entry["rule"] == found["rule"] and entry["expires"] == "2027-02-22"
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"schema_version": 1, "accepted": [entry]}), encoding="utf-8")
    with pytest.raises(BaselineError, match="WHY IT IS RIGHT"):
        load_baseline(path)
    entry["reason"] = "The leaflet moves next month; the link is fixed then"
    path.write_text(json.dumps({"schema_version": 1, "accepted": [entry]}), encoding="utf-8")
    finding = Finding.from_dict({k: v for k, v in found.items() if k in Finding.__slots__})
    accepted = load_baseline(path).accepted([finding], date(2026, 11, 25))
    assert accepted == {found["fingerprint"]: {"reason": entry["reason"], "expires": "2027-02-22"}}


def test_an_address_in_a_message_is_the_pages_title_with_and_without_script(browser, tmp_path):
    """ "...2 other pages give 0113 843 7700, for example Physiotherapy": the page's title,
    linked, where the message had its address; the script draws the same as the HTML."""
    from tests.test_report_wording import PHYSIO, wording_report

    index = (wording_report(tmp_path) / "index.html").as_uri()

    def message(driver) -> tuple[str, list[tuple[str, str]]]:
        card = next(c for c in cards(driver) if "0113 843 7701" in c.text)
        msg = card.find_element(By.CSS_SELECTOR, ".msg")
        links = [(a.text, a.get_attribute("href")) for a in msg.find_elements(By.TAG_NAME, "a")]
        return msg.text, links

    browser.get(index)
    wait_cards(browser, 6)
    scripted = message(browser)
    assert scripted[0].endswith("for example Physiotherapy.")
    assert scripted[1] == [("Physiotherapy", PHYSIO)]
    with scriptless(index) as driver:
        assert message(driver) == scripted


def test_a_placeholder_on_every_page_lists_some_of_them_with_and_without_script(browser, tmp_path):
    """ "‘{vendor_count}’ shows on 61 of 61 pages" names some of them: the card offers
    them, drawn the same by the script as in the HTML."""
    from tests.test_report_layout import placeholder_report

    index = (placeholder_report(tmp_path) / "index.html").as_uri()

    def first_card(driver) -> str:
        card = cards(driver)[0]
        box = card.find_element(By.CSS_SELECTOR, "details.pages")
        click(driver, box.find_element(By.TAG_NAME, "summary"))
        return card.text

    browser.get(index)
    wait_cards(browser, 6)
    scripted = first_card(browser)
    assert "Show some of the 61 pages it is on" in scripted and "and 59 more" in scripted
    with scriptless(index) as driver:
        assert first_card(driver) == scripted
