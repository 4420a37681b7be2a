"""Write every report format for one run into the output folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.config import Config
from core.model import Finding
from core.store import RunStore
from reports.html import write_index_html
from reports.json_report import page_summary, write_findings_json


def write_reports(
    out_dir: Path, run: dict[str, Any], store: RunStore, findings: list[Finding], config: Config
) -> dict[str, Path]:
    paths = {"json": out_dir / "findings.json", "html": out_dir / "index.html"}
    write_findings_json(paths["json"], run, store, findings)
    pages = [page_summary(page.to_dict()) for page in store.pages()]
    write_index_html(paths["html"], run, pages, findings)
    return paths
