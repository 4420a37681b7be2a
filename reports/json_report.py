"""findings.json: the output contract other tools and our CI read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from core import __version__
from core.model import Finding
from core.store import RunStore

SCHEMA_VERSION = 1
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
    path: Path, run: dict[str, Any], store: RunStore, findings: list[Finding]
) -> None:
    """Stream pages from the store into the file; never build the whole document in memory."""
    tmp = path.with_suffix(".json.tmp")
    with tmp.open("w", encoding="utf-8") as out:
        head = {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "content-audit", "version": __version__},
            "run": run,
        }
        out.write(json.dumps(head, ensure_ascii=False, indent=1)[:-2])
        out.write(',\n "pages": [')
        for i, page in enumerate(store.pages()):
            out.write(",\n  " if i else "\n  ")
            out.write(json.dumps(page_summary(page.to_dict()), ensure_ascii=False))
        out.write('\n ],\n "findings": [')
        for i, finding in enumerate(findings):
            out.write(",\n  " if i else "\n  ")
            out.write(json.dumps(finding.to_dict(), ensure_ascii=False))
        out.write("\n ]\n}\n")
    tmp.replace(path)
