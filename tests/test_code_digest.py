"""Reuse keys follow the imports: a change in any module extraction or a check imports, or
in their word lists, makes last night's records and results count no more."""

from __future__ import annotations

import shutil

from content_audit.core import code_digest as cd


def test_extraction_covers_every_module_it_imports():
    modules = cd.closure(["content_audit.crawler.extract", "content_audit.core.store"])
    # core.urls was missing from the hand-kept list this replaced
    for needed in ("core.urls", "core.contacts", "core.dates", "core.model", "core.store"):
        assert f"content_audit.{needed}" in modules


def test_a_change_in_an_imported_module_changes_the_digest(tmp_path, monkeypatch):
    real = cd._source("content_audit.core.urls")
    copy = tmp_path / "urls.py"
    shutil.copy(real, copy)
    source = cd._source

    def patched(module: str):
        return copy if module == "content_audit.core.urls" else source(module)

    monkeypatch.setattr(cd, "_source", patched)
    before = cd.code_digest.__wrapped__(("content_audit.crawler.extract",), "1")
    copy.write_text(copy.read_text() + "\n# a change\n")
    after = cd.code_digest.__wrapped__(("content_audit.crawler.extract",), "1")
    assert before != after


def test_a_change_in_a_word_list_changes_the_results_key(tmp_path, monkeypatch):
    from content_audit.checks.engine import runner
    from tests.test_check_helpers import make_ctx

    key = runner.results_key(make_ctx())
    assert key == runner.results_key(make_ctx())  # stable
    data = cd._source("content_audit.checks.plain_english").parent / "data" / "plain_english.toml"
    original = data.read_bytes()
    try:
        data.write_bytes(original + b"\n# a change\n")
        cd.code_digest.cache_clear()
        assert runner.results_key(make_ctx()) != key
    finally:
        data.write_bytes(original)
        cd.code_digest.cache_clear()


def test_a_word_added_to_the_site_dictionary_changes_the_results_key(tmp_path):
    """An owner's word, added to the site dictionary tonight, must count on pages that have
    not changed: their kept spelling results are not reused under the old key."""
    from content_audit.checks.engine import runner
    from tests.test_check_helpers import make_ctx

    words = tmp_path / "site-words.txt"
    words.write_text("Northdale\n", encoding="utf-8")
    before = runner.results_key(make_ctx(site_dictionary=str(words)))
    assert before == runner.results_key(make_ctx(site_dictionary=str(words)))
    words.write_text("Northdale\nMindMate\n", encoding="utf-8")
    assert runner.results_key(make_ctx(site_dictionary=str(words))) != before
