"""Pages with no main-content element: drop the blocks that repeat on most pages.

Runs after the crawl, when block counts over the whole site are known. A block (paragraph,
list item or heading) whose text appears on half the pages or more is navigation, footer
or banner text, not advice.
"""

from __future__ import annotations

from collections import Counter

from content_audit.core.store import RunStore
from content_audit.crawler.extract import HEADINGS, build_sections, count_words, flat


def remove_boilerplate(store: RunStore, min_pages: int = 3, share: float = 0.5) -> int:
    """Rewrite the main text of pages without a main element; returns how many changed."""
    if not store.has_page_without_main():
        return 0  # every page has its main element: nothing to rewrite, nothing to count
    counts: Counter[str] = Counter()
    html_pages = 0
    needing: list[str] = []
    # the stored dicts: building every Page (links and all) only to count blocks is slow;
    # the defaults are Page's own
    for data in store.page_dicts():
        if not data.get("is_html", True):
            continue
        html_pages += 1
        counts.update({block[0] for block in data.get("blocks", [])})
        if not data.get("main_found", True):
            needing.append(data["url"])
    if html_pages < min_pages or not needing:
        return 0
    threshold = max(2, share * html_pages)
    for url in needing:
        page = store.page(url)
        if page is None:
            continue
        kept = [(kind, text) for digest, kind, text in page.blocks if counts[digest] < threshold]
        dropped = [flat(t) for digest, _kind, t in page.blocks if counts[digest] >= threshold]
        page.sections = build_sections(kept)
        page.main_text = "\n".join(flat(text) for _, text in kept)
        page.boilerplate_text = "\n".join(filter(None, [page.boilerplate_text, *dropped]))
        page.word_count = count_words(page.main_text)
        page.headings = [(HEADINGS[k], t) for k, t in kept if k in HEADINGS] or page.headings
        store.update_page(page)
    store.commit()
    return len(needing)
