"""findings.json: the output contract other tools and our CI read.

Additive only: fields are never renamed or removed. Since the history stage each finding
also has ``status`` (new / persisting) and ``first_seen``, and ``accepted`` when the
baseline accepts it; the document has a top-level ``summary``, ``verdict`` and ``fixed``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from content_audit.core import __version__
from content_audit.core.model import Finding

SCHEMA_VERSION = 1
_encode = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(x, ensure_ascii=False)
PAGE_FIELDS = (
    "url", "final_url", "status", "content_type", "size", "elapsed_ms", "depth", "is_html",
    "title", "lang", "meta_description", "word_count", "contacts", "last_reviewed",
    "next_review_due", "review_text", "figures", "encoding_problem", "error",
)  # fmt: skip


def page_summary(page_dict: dict[str, Any]) -> dict[str, Any]:
    out = {key: page_dict.get(key) for key in PAGE_FIELDS}
    out["headings"] = page_dict.get("headings", [])
    out["links"] = len(page_dict.get("links", []))
    out["images"] = len(page_dict.get("images", []))
    return out


def write_findings_json(
    path: Path,
    run: dict[str, Any],
    store: Any,
    findings: list[Finding],
    *,
    summary: dict[str, Any] | None = None,
    fixed: list[dict[str, Any]] | None = None,
    verdict: dict[str, Any] | None = None,
    accepted: dict[str, dict[str, Any]] | None = None,
    owners: dict[str, str] | None = None,
    page_summaries: Iterable[dict[str, Any]] | None = None,
) -> None:
    """Stream pages into the file; never build the whole document in memory.

    ``store`` is anything with ``pages()`` yielding Page objects (core.store.RunStore), or
    an iterable of page dicts. ``page_summaries``, when given, are the pages already cut
    down by ``page_summary`` (in store order), so the store is not read again.
    """
    accepted = accepted or {}
    pages: Iterable[Any]
    if page_summaries is not None:
        pages = page_summaries
    else:
        pages = store.pages() if hasattr(store, "pages") else store
    tmp = path.with_suffix(".json.tmp")
    with tmp.open("w", encoding="utf-8") as out:
        head = {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "content-audit", "version": __version__},
            "run": run,
        }
        if summary is not None:
            head["summary"] = summary
        if verdict is not None:
            head["verdict"] = verdict
        out.write(json.dumps(head, ensure_ascii=False, indent=1)[:-2])
        out.write(',\n "pages": [')
        for i, page in enumerate(pages):
            out.write(",\n  " if i else "\n  ")
            if page_summaries is not None:
                record = dict(page)  # not changed in place: the caller still uses it
            else:
                record = page_summary(page if isinstance(page, dict) else page.to_dict())
            if owners is not None:
                record["owner"] = owners.get(record["url"], "")
            out.write(_encode(record))
        out.write('\n ],\n "findings": [')
        for i, finding in enumerate(findings):
            out.write(",\n  " if i else "\n  ")
            record = finding.to_dict()
            if finding.fingerprint in accepted:
                record["accepted"] = accepted[finding.fingerprint]
            out.write(_encode(record))
        out.write("\n ]")
        if fixed is not None:
            out.write(',\n "fixed": [')
            for i, item in enumerate(fixed):
                out.write(",\n  " if i else "\n  ")
                out.write(_encode(item))
            out.write("\n ]")
        out.write("\n}\n")
    tmp.replace(path)
