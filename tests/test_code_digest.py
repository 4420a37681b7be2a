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


def _parsed_imports(path, module: str) -> set[str]:
    """What the parser says a module imports (the way ``_imports`` worked before its scan)."""
    import ast

    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.startswith(cd.PACKAGE + ".")}


def test_the_import_scan_finds_every_import_the_parser_finds():
    """The scan reads text, not syntax: across the whole package it must miss no import
    (extra names, from a docstring, only widen the digest)."""
    from tests.test_layers import FOLDERS, ROOT

    modules = []
    for folder in FOLDERS.values():
        for path in (ROOT / folder).rglob("*.py"):
            dotted = path.relative_to(ROOT).with_suffix("").parts
            prefix = () if folder == cd.PACKAGE else (cd.PACKAGE,)
            modules.append(".".join((*prefix, *dotted)).removesuffix(".__init__"))
    assert len(modules) > 60
    for module in modules:
        path = cd._source(module)
        assert _parsed_imports(path, module) <= cd._imports(path, module), module


def test_the_import_scan_reads_every_form(tmp_path):
    source = tmp_path / "m.py"
    source.write_text(
        "import content_audit.core.urls as urls, content_audit.core.dates\n"
        "from content_audit.core import (\n"
        "    model,  # the data model (see Page.to_dict())\n"
        "    store as run_store,\n"
        ")\n"
        "def later():\n"
        "    from content_audit.checks.links import check_links  # lazily\n"
        "x = 'import nothing'\n",
        encoding="utf-8",
    )
    found = cd._imports(source, "content_audit.x")
    assert {
        "content_audit.core.urls",
        "content_audit.core.dates",
        "content_audit.core",
        "content_audit.core.model",
        "content_audit.core.store",
        "content_audit.checks.links",
        "content_audit.checks.links.check_links",
    } <= found
