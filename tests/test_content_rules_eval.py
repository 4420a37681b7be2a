"""Precision and recall of the placeholder, content-outdated and review-date readers on
labelled snippets the project wrote (tests/corpus/content_rules/). ``dev.tsv`` is what the
rules were tuned on; ``frozen.tsv`` was written after the rules were frozen and is reported
on its own: tuned figures are not evidence. Run this file to print the figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from content_audit.checks.outdated import check_dated_notices, check_retired_names
from content_audit.checks.placeholders import find_placeholders
from content_audit.core.dates import find_review_dates
from tests.test_check_helpers import make_ctx, make_page

CORPUS = Path(__file__).parent / "corpus" / "content_rules"


def rows(name: str) -> list[tuple[str, str, str]]:
    out = []
    for line in (CORPUS / name).read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rule, expected, text = line.split("\t")
            out.append((rule, expected, text))
    return out


def flagged(rule: str, text: str) -> bool:
    if rule == "placeholder":
        return bool(find_placeholders(text))
    page, ctx = make_page([text]), make_ctx()
    return bool(list(check_retired_names(page, ctx)) + list(check_dated_notices(page, ctx)))


def scores(name: str) -> dict[str, tuple[float, float, int, int]]:
    """rule -> (precision, recall, flagged cases, cases); review-date counts a date read
    right as a true positive and a date read where none should be as a false one."""
    counts: dict[str, list[int]] = {}
    for rule, expected, text in rows(name):
        tp_fp_fn_n = counts.setdefault(rule, [0, 0, 0, 0])
        tp_fp_fn_n[3] += 1
        if rule == "review-date":
            got = find_review_dates(text)[0] or "-"
            want = expected
            positive, hit = want != "-", got != "-"
            right = got == want
        else:
            positive, hit = expected == "1", flagged(rule, text)
            right = positive == hit
        if hit and positive and right:
            tp_fp_fn_n[0] += 1
        elif hit:
            tp_fp_fn_n[1] += 1
        if positive and not (hit and right):
            tp_fp_fn_n[2] += 1
    result = {}
    for rule, (tp, fp, fn, n) in counts.items():
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        result[rule] = (precision, recall, tp + fp, n)
    return result


@pytest.mark.parametrize("name", ["dev.tsv", "frozen.tsv"])
def test_precision_and_recall(name):
    if not (CORPUS / name).exists():
        pytest.skip(f"{name} not written yet")
    for rule, (precision, recall, _flagged, _n) in scores(name).items():
        assert precision >= 0.95, (name, rule, precision)
        assert recall >= 0.8, (name, rule, recall)


def test_every_row_is_well_formed():
    for name in ("dev.tsv", "frozen.tsv"):
        if (CORPUS / name).exists():
            for rule, expected, _text in rows(name):
                assert rule in {"placeholder", "content-outdated", "review-date"}
                assert expected in {"0", "1", "-"} or expected[:2] in {"19", "20"}


if __name__ == "__main__":
    for name in ("dev.tsv", "frozen.tsv"):
        if (CORPUS / name).exists():
            for rule, (p, r, _f, n) in sorted(scores(name).items()):
                print(f"{name:11} {rule:17} precision {p:.2f} recall {r:.2f} ({n} snippets)")


def clean_pages() -> list[list[str]]:
    pages: list[list[str]] = []
    for line in (CORPUS / "clean_pages.txt").read_text("utf-8").splitlines():
        if line.startswith("== "):
            pages.append([])
        elif line.strip() and not line.startswith("#"):
            pages[-1].append(line)
    return pages


def test_well_edited_pages_are_quiet():
    from content_audit.checks.outdated import OutdatedCheck
    from content_audit.checks.repeats import check_repeated_paragraphs
    from content_audit.core.dates import us_order_dates

    ctx = make_ctx()
    pages = clean_pages()
    assert len(pages) >= 6 and sum(len(" ".join(p).split()) for p in pages) >= 900
    site = OutdatedCheck(ctx)
    for n, paragraphs in enumerate(pages):
        page = make_page(paragraphs, url=f"https://www.example-trust.nhs.uk/p{n}")
        page.boilerplate_text = "Home\nServices\nContact us\n" + paragraphs[-1]
        site.observe(page)
        found = list(check_retired_names(page, ctx)) + list(check_repeated_paragraphs(page, ctx))
        found += [f for p in paragraphs for f in find_placeholders(p)]
        found += [d for p in paragraphs for d in us_order_dates(p)]
        assert found == [], found
        assert find_review_dates("\n".join(paragraphs))[0] is not None
    assert list(site.finish()) == []
