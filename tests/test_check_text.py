"""The text helpers the content checks share (checks/engine/text.py)."""

from __future__ import annotations

import re
import sys

import pytest

from content_audit.checks.engine.text import _clean, page_blocks
from tests.test_check_helpers import make_page

# every character Python counts as white space, and some that look like it but are not
SPACES = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
NOT_SPACES = ["\u200b", "\ufeff", "\u2060", "_", "-"]


@pytest.mark.parametrize("space", SPACES + NOT_SPACES, ids=lambda c: f"U+{ord(c):04X}")
def test_clean_treats_white_space_as_the_regex_did(space: str) -> None:
    """_clean splits on white space instead of re.sub(r"\\s+", " ", ...).strip(): the
    blocks (and so every content check's text) are the same for any character."""
    for text in (f"a{space}b", f"{space}a {space}{space} b{space}", space, f"x{space}\ny"):
        assert _clean(text) == re.sub(r"\s+", " ", text).strip()


def test_page_blocks_are_clean_paragraphs_and_list_items() -> None:
    page = make_page(["  Eat\u00a0well,\n\tsleep   well. "], list_items=["\u2003Walk daily\u3000"])
    assert [(b.text, b.kind) for b in page_blocks(page)] == [
        ("Eat well, sleep well.", "paragraph"),
        ("Walk daily", "list_item"),
    ]
