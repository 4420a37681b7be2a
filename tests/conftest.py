"""Shared fixtures: run the real CLI in a subprocess (a Twisted reactor runs once per process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class AuditRun:
    code: int
    stdout: str
    stderr: str
    out: Path

    @property
    def data(self) -> dict[str, Any]:
        return json.loads((self.out / "findings.json").read_text(encoding="utf-8"))

    def findings(self, rule: str | None = None) -> list[dict[str, Any]]:
        return [f for f in self.data["findings"] if rule is None or f["rule"] == rule]

    def pages(self) -> dict[str, dict[str, Any]]:
        return {p["url"]: p for p in self.data["pages"]}


def run_cli(
    args: list[str],
    out: Path,
    config: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> AuditRun:
    cmd = [sys.executable, str(ROOT / "run_audit.py"), *args, "--out", str(out)]
    if config is not None:
        path = out.parent / f"{out.name}.toml"
        path.write_text(config, encoding="utf-8")
        cmd += ["--config", str(path)]
    proc = subprocess.run(
        cmd,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    return AuditRun(proc.returncode, proc.stdout, proc.stderr, out)


@pytest.fixture
def audit(tmp_path):
    """Call ``audit([url, ...], config="toml text")`` to run the CLI into a fresh folder."""
    counter = iter(range(1000))

    def _run(args: list[str], config: str | None = None, **kw: Any) -> AuditRun:
        return run_cli(args, tmp_path / f"out{next(counter)}", config=config, **kw)

    return _run
