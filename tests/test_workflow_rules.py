"""Properties of the action, the workflows and the recipes that GitHub would only show by
failing in someone else's repository, checked by reading the YAML (fast: no runner, no
linters; the schemas and zizmor are in tests/test_gate_workflows.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

# ruamel.yaml comes with check-jsonschema (the dev extra); it reads YAML 1.2, where `on:`
# stays a string
yaml = pytest.importorskip("ruamel.yaml").YAML(typ="safe", pure=True)

ROOT = Path(__file__).resolve().parent.parent
RECIPES = sorted((ROOT / "docs" / "recipes").glob("*.yml"))


def load(name: str | Path) -> dict[str, Any]:
    return yaml.load((ROOT / name).read_text(encoding="utf-8"))


def steps_of(document: dict[str, Any]) -> list[dict[str, Any]]:
    if "runs" in document:
        return document["runs"]["steps"]
    return [step for job in document["jobs"].values() for step in job.get("steps", [])]


# -- action.yml ---------------------------------------------------------------------------


def test_the_action_never_hashes_a_file_outside_the_callers_workspace():
    """hashFiles() and setup-python's cache-dependency-path see only GITHUB_WORKSPACE; the
    action's own files are elsewhere (/home/runner/work/_actions/...), so setup-python fails
    the step with "No file matched" in every repository that uses the action."""
    action = load("action.yml")
    for step in steps_of(action):
        uses = step.get("uses", "")
        with_ = step.get("with", {}) or {}
        if uses.startswith("actions/setup-python@"):
            assert "cache" not in with_, "setup-python's cache hashes the caller's files"
            assert "cache-dependency-path" not in with_
        for value in [*with_.values(), step.get("if", "")]:
            for argument in re.findall(r"hashFiles\(([^)]*)\)", str(value)):
                assert "action_path" not in argument and "ACTION_PATH" not in argument, value


def test_the_action_caches_pip_downloads_under_a_key_from_its_own_pins():
    steps = {step.get("name", step.get("id", "")): step for step in steps_of(load("action.yml"))}
    key = steps["Key the pip cache"]
    assert '"$GITHUB_ACTION_PATH/constraints.txt"' in key["run"]
    assert "sha256sum" in key["run"]
    restore, save = steps["Restore pip's downloads"], steps["Save pip's downloads"]
    assert restore["uses"].startswith("actions/cache/restore@")
    assert save["uses"].startswith("actions/cache/save@")
    for step in (restore, save):
        assert step["with"]["key"] == "${{ steps.pip-cache.outputs.key }}"
        assert step["with"]["path"] == "${{ steps.pip-cache.outputs.dir }}"
    assert "steps.pip-restore.outputs.cache-hit != 'true'" in save["if"]


def test_a_restore_only_history_is_never_saved():
    """history-cache: restore (pull requests) reads the nightly's history and must never
    write an entry the next nightly would restore."""
    steps = {step.get("name", ""): step for step in steps_of(load("action.yml"))}
    restore = steps["Restore the audit history"]
    assert "'restore'" in restore["if"] and "'true'" in restore["if"]
    save = steps["Save the audit history"]
    assert "inputs.history-cache == 'true'" in save["if"] and "restore" not in save["if"]
    # one key prefix for both, so that a chosen history-key is the one read and written
    prefix = "${{ steps.history-key.outputs.prefix }}-"
    assert restore["with"]["restore-keys"] == prefix
    assert restore["with"]["key"].startswith(prefix) and save["with"]["key"].startswith(prefix)
    assert restore["with"]["path"] == save["with"]["path"] == ".content-audit-history"


def test_the_history_key_has_no_comma_whatever_the_workflow_is_called(tmp_path):
    """actions/cache fails the step on a key with a comma ("Key Validation Error"), and the
    default key holds the workflow's name: "Nightly audit, with an issue" broke it."""
    import subprocess

    step = next(s for s in steps_of(load("action.yml")) if s.get("id") == "history-key")
    outputs = tmp_path / "out"
    for workflow, key, expected in (
        ("Nightly audit, with an issue", "", "content-audit-history-Nightly audit- with an issue"),
        ("Nightly", "content-audit-nightly", "content-audit-nightly"),
    ):
        outputs.write_text("")
        env = {"PATH": "/usr/bin:/bin", "GITHUB_OUTPUT": str(outputs),
               "GITHUB_WORKFLOW": workflow, "INPUT_HISTORY_KEY": key}  # fmt: skip
        subprocess.run(["bash", "-e", "-c", step["run"]], env=env, check=True, timeout=10)
        assert outputs.read_text() == f"prefix={expected}\n"


def test_the_action_keeps_the_link_cache_and_run_store_with_the_history():
    audit = next(s for s in steps_of(load("action.yml")) if s.get("id") == "audit")
    script = audit["run"]
    assert "kept=(link-cache.sqlite)" in script and "kept+=(run.sqlite)" in script
    assert '"$INPUT_CACHE_RUN_STORE" = "false"' in script


# -- recipes ------------------------------------------------------------------------------


def evaluate(condition: str, result: str, exit_code: str, cancelled: bool = False) -> bool:
    """A job-level ``if:`` as GitHub evaluates it, for the values this test needs: with no
    status function GitHub adds ``success()``, true only when every needed job succeeded."""
    expression = condition.strip()
    if expression.startswith("${{"):
        expression = expression[3:-2].strip()
    if not re.search(r"\b(always|success|failure|cancelled)\(\)", expression):
        expression = f"success() && ({expression})"
    values = {
        "always()": "True",
        "cancelled()": repr(cancelled),
        "success()": repr(result == "success" and not cancelled),
        "failure()": repr(result == "failure"),
        "needs.audit.result": repr(result),
        "needs.audit.outputs.exit-code": repr(exit_code),
    }
    python = expression
    for name, value in values.items():
        python = python.replace(name, value)
    python = python.replace("&&", " and ").replace("||", " or ")
    python = re.sub(r"!(?!=)", " not ", python)
    assert re.fullmatch(r"[\sA-Za-z0-9'()=!._-]*", python), python
    return bool(eval(python))


def alert_jobs() -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for recipe in RECIPES:
        jobs = load(recipe)["jobs"]
        for name, job in jobs.items():
            needs = job.get("needs", [])
            needs = [needs] if isinstance(needs, str) else needs
            if "audit" in needs:
                found.append((recipe.name, name, job))
    return found


def test_the_issue_recipe_has_an_alert_job():
    assert any(recipe == "issue-on-failure.yml" for recipe, _, _ in alert_jobs())


@pytest.mark.parametrize(("recipe", "name", "job"), alert_jobs())
def test_every_alert_job_runs_when_the_audit_job_itself_fails(recipe, name, job):
    """The failure that most needs an alert (the audit job broke, timed out, or could not
    install) must not skip the job that raises it."""
    condition = job.get("if", "")
    assert evaluate(condition, "failure", ""), f"{recipe}: {name} is skipped on failure"
    assert evaluate(condition, "success", "1"), f"{recipe}: {name}: findings"
    assert evaluate(condition, "success", "2"), f"{recipe}: {name}: not audited"
    assert not evaluate(condition, "success", "0"), f"{recipe}: {name} runs on a pass"
    assert not evaluate(condition, "failure", "", cancelled=True), "a cancelled run is quiet"


def test_the_issue_body_carries_the_fix_these_first_list():
    recipe = load("docs/recipes/issue-on-failure.yml")
    report = recipe["jobs"]["report"]
    text = json.dumps(report)
    assert "actions/download-artifact@" in text
    assert "Fix these first" in text and "summary.md" in text
    assert "--body-file" in text


def test_recipes_upload_the_report_without_the_cache_databases():
    """The run store can be hundreds of MB; the cache keeps it, the artifact need not."""
    for recipe in RECIPES:
        for step in steps_of(load(recipe)):
            if step.get("uses", "").startswith("actions/upload-artifact@"):
                path = str(step["with"]["path"])
                if "report-dir" in path:
                    assert "*.sqlite" in path, recipe.name


def test_the_pull_request_recipe_compares_with_the_nightly_history_read_only():
    """--fail-on-new against the PR's own earlier run lets the PR's problems through on the
    second push, and fails the first push on everything: read the nightly's history."""
    pr = load("docs/recipes/pull-request-annotations.yml")
    nightly = load("docs/recipes/issue-on-failure.yml")

    def audit_step(document):
        return next(s for s in steps_of(document) if s.get("id") == "audit")

    pr_with, nightly_with = audit_step(pr)["with"], audit_step(nightly)["with"]
    assert pr_with.get("fail-on-new") == "true"
    assert pr_with.get("history-cache") == "restore"
    assert pr_with.get("history-key") and pr_with["history-key"] == nightly_with.get("history-key")
    assert nightly_with.get("history-cache", "true") == "true"
    text = (ROOT / "docs" / "recipes" / "pull-request-annotations.yml").read_text("utf-8")
    assert "Security tab" in text and "not" in text


def test_no_recipe_or_workflow_uses_the_deprecated_codeql_action_v3():
    """GitHub deprecates CodeQL Action v3 in December 2026 (changelog 2025-10-28)."""
    for path in [*RECIPES, *sorted((ROOT / ".github" / "workflows").glob("*.yml"))]:
        assert "codeql-action/upload-sarif@v3" not in path.read_text(encoding="utf-8"), path


def test_the_documented_baseline_lands_in_the_uploaded_report_folder():
    """A baseline written in the runner's workspace is lost when the job ends."""
    page = (ROOT / "docs" / "github-actions.md").read_text(encoding="utf-8")
    written = re.findall(r"--write-baseline (\S+)", page)
    assert written, "docs/github-actions.md no longer says how to write a baseline"
    default_out = load("action.yml")["inputs"]["out"]["default"]
    assert all(path.startswith(f"{default_out}/") for path in written), written


def test_the_issue_step_builds_its_body_from_summary_md(tmp_path):
    """Run the recipe's issue step with a stand-in for gh: the body has the verdict and the
    "Fix these first" list, not the sections after it; with no report it still files."""
    import subprocess

    report = load("docs/recipes/issue-on-failure.yml")["jobs"]["report"]
    script = next(s for s in report["steps"] if s.get("name") == "Open or update the audit issue")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text(
        "#!/bin/sh\n"
        'echo "$@" >> "$CALLS"\n'
        'while [ $# -gt 0 ]; do [ "$1" = --body-file ] && cp "$2" "$BODY"; shift; done\n'
    )
    gh.chmod(0o755)

    def run(exit_code: str, summary: str | None) -> str:
        work = tmp_path / f"run-{exit_code or 'none'}"
        (work / "report").mkdir(parents=True)
        if summary is not None:
            (work / "report" / "summary.md").write_text(summary, encoding="utf-8")
        env = {
            "PATH": f"{bin_dir}:/usr/bin:/bin",
            "CALLS": str(work / "calls"),
            "BODY": str(work / "body.md"),
            "EXIT_CODE": exit_code,
            "AUDIT_RESULT": "success" if exit_code else "failure",
            "RUN_URL": "https://github.com/o/r/actions/runs/1",
        }
        done = subprocess.run(["bash", "-e", "-c", script["run"]], cwd=work, env=env,
                              capture_output=True, text=True, timeout=30)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "issue create --title Nightly content audit failed" in (work / "calls").read_text()
        return (work / "body.md").read_text(encoding="utf-8")

    summary = (
        "## Content audit: Failed: 2 errors\n\n| | Count |\n|---|---:|\n| Errors | 2 |\n\n"
        "### New since the last audit (1)\n\n- **Error** Broken link on [Home](/)\n\n"
        "### Fix these first: errors (2)\n\n- Broken link on [Home](/)\n- TODO on [A](/a)\n\n"
        "### By section\n\n| Owner | Errors |\n"
    )
    body = run("1", summary)
    assert "exit 1" in body and "https://github.com/o/r/actions/runs/1" in body
    assert "Failed: 2 errors" in body and "### Fix these first: errors (2)" in body
    assert "TODO on [A](/a)" in body and "### New since the last audit (1)" in body
    assert "By section" not in body
    body = run("", None)  # the audit job failed before it uploaded a report
    assert "did not finish (failure)" in body
