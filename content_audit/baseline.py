"""The baseline: findings the team has accepted for now, each with a reason and an expiry.

A baseline lets a site adopt the gate without fixing years of old problems first:

    python run_audit.py https://www.example-trust.nhs.uk/ --write-baseline baseline.json

writes every current finding as accepted ("accepted at adoption", expiring in 90 days).
With ``--baseline baseline.json`` (or ``report.baseline``) accepted findings stay in the
report, marked accepted, but do not fail the gate until their expiry date passes.

The file is plain JSON so a reviewer can read, edit and approve it in a pull request::

    {"schema_version": 1, "created": "2026-11-24",
     "accepted": [{"fingerprint": "...", "rule": "link-broken", "url": "...",
                   "text": "...", "target": "...", "reason": "...", "expires": "2027-02-22"}]}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from content_audit.core.model import Finding

SCHEMA_VERSION = 1
DEFAULT_REASON = "accepted at adoption"
DEFAULT_DAYS = 90


class BaselineError(ValueError):
    """The baseline file cannot be read."""


@dataclass(slots=True)
class Baseline:
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)  # fingerprint -> entry
    path: str = ""

    def entry(self, finding: Finding, today: date) -> dict[str, Any] | None:
        """The acceptance that covers this finding today, or None (absent or expired)."""
        entry = self.entries.get(finding.fingerprint)
        if entry is None or entry.get("rule", finding.rule) != finding.rule:
            return None
        expires = entry.get("expires")
        if expires and date.fromisoformat(expires) < today:
            return None
        return entry

    def accepted(self, findings: list[Finding], today: date) -> dict[str, dict[str, Any]]:
        """fingerprint -> {reason, expires} for every finding accepted and unexpired today."""
        out: dict[str, dict[str, Any]] = {}
        for finding in findings:
            entry = self.entry(finding, today)
            if entry is not None:
                out[finding.fingerprint] = {
                    "reason": entry.get("reason", ""),
                    "expires": entry.get("expires", ""),
                }
        return out

    def expired(self, today: date) -> list[dict[str, Any]]:
        return [
            e
            for e in self.entries.values()
            if e.get("expires") and date.fromisoformat(e["expires"]) < today
        ]


def load_baseline(path: str | Path) -> Baseline:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BaselineError(f"baseline file not found: {path}") from exc
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("accepted"), list):
        raise BaselineError(f"{path} is not a baseline file (no 'accepted' list)")
    entries: dict[str, dict[str, Any]] = {}
    for i, entry in enumerate(data["accepted"]):
        if not isinstance(entry, dict) or not entry.get("fingerprint"):
            raise BaselineError(f"{path}: accepted[{i}] has no fingerprint")
        if str(entry.get("reason", "")).strip() == "WHY IT IS RIGHT":  # the report's blank
            raise BaselineError(
                f"{path}: accepted[{i}] still says WHY IT IS RIGHT: write the reason it is accepted"
            )
        expires = entry.get("expires")
        if expires:
            try:
                date.fromisoformat(expires)
            except (TypeError, ValueError) as exc:
                raise BaselineError(
                    f"{path}: accepted[{i}].expires must be a date as YYYY-MM-DD, not {expires!r}"
                ) from exc
        entries[str(entry["fingerprint"])] = entry
    return Baseline(entries, str(path))


def write_baseline(
    path: str | Path,
    findings: list[Finding],
    today: date,
    days: int = DEFAULT_DAYS,
    reason: str = DEFAULT_REASON,
) -> int:
    """Write every finding as accepted until ``today + days``. Returns how many."""
    expires = (today + timedelta(days=days)).isoformat()
    accepted = [
        {
            "fingerprint": f.fingerprint,
            "rule": f.rule,
            "url": f.url,
            "text": f.text,
            "target": f.target,
            "reason": reason,
            "expires": expires,
        }
        for f in findings
    ]
    data = {"schema_version": SCHEMA_VERSION, "created": today.isoformat(), "accepted": accepted}
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)
    return len(accepted)


@dataclass(frozen=True, slots=True)
class BaselineRequest:
    """--write-baseline: where to write the baseline, and for how long and why its
    findings are accepted."""

    path: Path
    days: int = DEFAULT_DAYS
    reason: str = DEFAULT_REASON


class BaselineWriteError(Exception):
    """The baseline file could not be written (a read-only folder, a file in the way)."""
