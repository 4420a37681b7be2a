"""The report's tables with a row per page are written in Python (reports.html.page_rows,
readability_rows), not by the template, for speed. They must write exactly what the
template wrote: the markup below is the template's, kept here to hold the two equal."""

from __future__ import annotations

import pytest
from jinja2 import Environment

from content_audit.reports.data import reading_age_text
from content_audit.reports.html import page_rows, readability_rows, safe_href

PAGES_TEMPLATE = """{% for p in listed %}
<tr><td>{% if p.url|safe_href %}<a href="{{ p.url|safe_href }}">{{ p.title or p.url }}</a>{% else %}{{ p.title or p.url }}{% endif %}<br><span class="url">{{ p.url }}</span></td>{% if show_owner %}<td data-label="Owner">{{ p.owner }}</td>{% endif %}
<td class="n" data-label="Errors">{{ p.error }}</td><td class="n" data-label="Warnings">{{ p.warning }}</td><td class="n" data-label="Notices">{{ p.notice }}</td><td class="n" data-label="New">{{ p.new }}</td><td class="n" data-label="Reading age" data-sort="{{ p.reading_age if p.reading_age is not none else -1 }}">{{ p.reading_age|age }}</td></tr>
{% endfor %}
"""

READABILITY_TEMPLATE = """{% for r in listed_r %}
{% set second = (r.smog_index + 5)|round|int if r.smog_index is number else none %}
<tr class="{{ 'hard' if r.reading_age is number and r.reading_age > 11 else '' }}"><td>{% if r.url|safe_href %}<a href="{{ r.url|safe_href }}">{{ r.title or r.url }}</a>{% else %}{{ r.title or r.url }}{% endif %}</td>{% if show_owner %}<td data-label="Owner">{{ r.owner }}</td>{% endif %}
<td class="n" data-label="Reading age" data-sort="{{ r.reading_age if r.reading_age is number else -1 }}">{{ r.reading_age|age }}</td>
<td class="n" data-label="Second estimate" data-sort="{{ second if second is number else -1 }}">{{ second|age }}{% if second is not none and not r.smog_reliable %}*{% endif %}</td>
<td class="n" data-label="Words">{{ r.words if r.words is not none else "–" }}</td></tr>
{% endfor %}
"""

_env = Environment(
    autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True
)
_env.filters["safe_href"] = safe_href
_env.filters["age"] = reading_age_text

PAGES = [
    {"url": "https://trust.example/a", "title": "Back pain & <sciatica>", "owner": "MSK",
     "error": 2, "warning": 0, "notice": 5, "new": 1, "reading_age": 13},
    {"url": "https://trust.example/b?x=1&y=\"2\"", "title": "", "owner": "Ward's team",
     "error": 0, "warning": 1, "notice": 0, "new": 0, "reading_age": None},
    {"url": "javascript:alert(1)", "title": None, "owner": "Unassigned",
     "error": 0, "warning": 0, "notice": 0, "new": 0, "reading_age": 9.5},
    {"url": " https://trust.example/space", "title": "Spaced", "owner": "",
     "error": 1, "warning": 1, "notice": 1, "new": 3, "reading_age": 0},
]  # fmt: skip

READABILITY = [
    {"url": "https://trust.example/a", "title": "Hard <b>page</b>", "owner": "MSK",
     "reading_age": 14, "flesch_kincaid_grade": 9.2, "smog_index": 11.1,
     "smog_reliable": False, "flesch_reading_ease": 41.3, "words": 812},
    {"url": "https://trust.example/b", "title": "Easy", "owner": "A & E",
     "reading_age": 31, "flesch_kincaid_grade": 26, "smog_index": None,
     "smog_reliable": True, "flesch_reading_ease": 98.0, "words": 120},
    {"url": "data:text/html,x", "title": None, "owner": "Unassigned",
     "reading_age": None, "flesch_kincaid_grade": None, "smog_index": 8.0,
     "smog_reliable": True, "flesch_reading_ease": None, "words": None},
    {"url": "https://trust.example/c", "title": "Float age", "owner": "MSK",
     "reading_age": 11.5, "flesch_kincaid_grade": 6.5, "smog_index": 0,
     "smog_reliable": False, "flesch_reading_ease": 0, "words": 0},
]  # fmt: skip


@pytest.mark.parametrize("show_owner", [True, False])
def test_page_rows_are_the_templates(show_owner):
    expected = _env.from_string(PAGES_TEMPLATE).render(listed=PAGES, show_owner=show_owner)
    got = _env.from_string("{{ rows }}\n").render(rows=page_rows(PAGES, show_owner))
    assert got == expected
    assert "&lt;sciatica&gt;" in got and '<a href="javascript' not in got


@pytest.mark.parametrize("show_owner", [True, False])
def test_readability_rows_are_the_templates(show_owner):
    expected = _env.from_string(READABILITY_TEMPLATE).render(
        listed_r=READABILITY, show_owner=show_owner
    )
    got = _env.from_string("{{ rows }}\n").render(rows=readability_rows(READABILITY, show_owner))
    assert got == expected
    assert '<tr class="hard">' in got and ">16*<" in got and "&lt;b&gt;" in got
    assert "very hard (above 18)" in got and ">31<" not in got


def test_no_rows_write_nothing():
    assert page_rows([], True) == "" and readability_rows([], False) == ""
