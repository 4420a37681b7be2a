"""Compare an audit of the sample site with its answer key, sample/truth.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

TRUTH = json.loads(
    (Path(__file__).resolve().parent.parent / "sample" / "truth.json").read_text("utf-8")
)


def page_path(url: str) -> str:
    """'/services/msk/' and '/services/msk/index.html' name the same page."""
    path = urlsplit(url).path or "/"
    return path[: -len("index.html")] if path.endswith("/index.html") else path


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).strip().rstrip("…").rstrip(".").strip().lower()


class Key:
    """The truth file with marker hosts rewritten to the running servers."""

    def __init__(self, rewrite: Any, site_url: str) -> None:
        self.rewrite = rewrite
        self.site_url = site_url

    def target(self, target: str | None) -> str | None:
        if target is None:
            return None
        target = self.rewrite(target)
        return urljoin(self.site_url + "/", target).split("#")[0]

    def matches(self, finding: dict[str, Any], defect: dict[str, Any]) -> bool:
        if finding["rule"] != defect["rule"]:
            return False
        pages = {page_path(p) for p in defect.get("pair", [])} or {page_path(defect["page"])}
        if defect.get("other_page"):  # either side of an inconsistency may carry it
            pages.add(page_path(defect["other_page"]))
        if not defect.get("site_wide") and page_path(finding["url"]) not in pages:
            return False
        if defect.get("text") is not None and not self._text_matches(finding, defect):
            return False
        if defect.get("target") and not defect.get("pair"):
            want = self.target(defect["target"])
            got = (finding.get("target") or "").split("#")[0]
            if got != want:
                return False
        return True

    def _text_matches(self, finding: dict[str, Any], defect: dict[str, Any]) -> bool:
        want = _norm(self.rewrite(defect["text"]))
        text, context = _norm(finding.get("text")), _norm(finding.get("context"))
        if defect.get("other_text") and _norm(defect["other_text"]) == text:
            return True
        if want in (text, context):
            return True
        # a longer token shown ("Lorem ipsum dolor") or a sentence cut short ("Osteoporotic...")
        return (len(want) >= 5 and text.startswith(want)) or (
            len(text) >= 15 and want.startswith(text)
        )


def defects() -> list[dict[str, Any]]:
    return TRUTH["defects"]
