"""The GitHub Actions files that run and gate the audit: validated against GitHub's schemas,
linted for security with zizmor, and checked for what they must do."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e  # a real crawl, server or browser: not in the fast tier

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def tool(name: str) -> str:
    """A linter installed beside this Python (the dev extra), or on PATH."""
    beside_python = Path(sys.executable).parent / name
    found = str(beside_python) if beside_python.exists() else shutil.which(name)
    assert found, f"{name} is not installed: bash scripts/setup.sh installs the dev extra"
    return found


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_workflows_and_action_match_the_github_schemas():
    """check-jsonschema with the GitHub workflow and action schemas it ships (offline)."""
    assert [p.name for p in WORKFLOWS] == [
        "ci.yml", "nightly-audit.yml", "release.yml", "sharded-audit.yml"]  # fmt: skip
    binary = tool("check-jsonschema")
    recipes = sorted((ROOT / "docs" / "recipes").glob("*.yml"))
    assert len(recipes) >= 2
    result = run_tool(
        binary, "--builtin-schema", "vendor.github-workflows", *map(str, [*WORKFLOWS, *recipes])
    )
    assert result.returncode == 0, result.stdout + result.stderr
    result = run_tool(binary, "--builtin-schema", "vendor.github-actions", str(ROOT / "action.yml"))
    assert result.returncode == 0, result.stdout + result.stderr
    dependabot = str(ROOT / ".github" / "dependabot.yml")
    result = run_tool(binary, "--builtin-schema", "vendor.dependabot", dependabot)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_and_action_pass_the_security_linter():
    """zizmor: injection through expressions, credentials left in artifacts, unpinned actions."""
    result = run_tool(
        tool("zizmor"),
        "--offline",
        "--config",
        str(ROOT / ".github" / "zizmor.yml"),
        str(ROOT / ".github" / "workflows"),
        *map(str, sorted((ROOT / "docs" / "recipes").glob("*.yml"))),
        str(ROOT / "action.yml"),
        str(ROOT / ".github" / "dependabot.yml"),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def text(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def test_ci_runs_the_tests_lint_and_types_on_push_and_pull_request():
    """CI runs .ci/run, which the README calls exactly what CI runs."""
    ci = text(".github/workflows/ci.yml")
    assert re.search(r"^on:\n  push:\n  pull_request:\n", ci, re.M)
    assert "run: bash .ci/run" in ci
    run = text(".ci/run")
    assert "bash scripts/setup.sh --dev && .venv/bin/python -m pytest" in run
    assert ".venv/bin/ruff check ." in run and ".venv/bin/ruff format --check ." in run
    assert "bash scripts/typecheck.sh" in run


def test_ci_sets_up_and_audits_as_a_non_root_user():
    """The nightly and the action run as the runner user with sudo, not as root: CI must
    take that path too, with the README's commands, outside any container."""
    ci = text(".github/workflows/ci.yml")
    job = ci[ci.index("\n  setup-as-a-user:\n") :]
    job = job[: job.index("\n\n  action:\n")]
    assert "runs-on: ubuntu-latest" in job and "container:" not in job
    assert 'test "$(id -u)" != 0' in job
    assert "bash scripts/setup.sh" in job and ".venv/bin/content-audit" in job
    assert 'test "$code" = 1' in job  # audited, with the sample's planted errors
    action = ci[ci.index("\n  action:\n") :]
    assert "path: action-under-test" in action and "uses: ./action-under-test" in action
    assert "container:" not in action


def test_the_nightly_caches_pips_downloads_from_the_workspace():
    nightly = text(".github/workflows/nightly-audit.yml")
    setup = nightly[nightly.index("actions/setup-python@") :]
    setup = setup[: setup.index("- name:")]
    assert "cache: pip" in setup
    assert "constraints.txt" in setup and "pyproject.toml" in setup


def test_nightly_audit_schedules_caches_uploads_and_gates():
    nightly = text(".github/workflows/nightly-audit.yml")
    assert re.search(r"schedule:\n\s+- cron: ", nightly)
    assert re.search(r"workflow_dispatch:\n\s+inputs:\n\s+url:", nightly)
    assert "links.block_private=true" in nightly
    # history: restored from the latest entry, saved under a unique key even on failure
    assert "actions/cache/restore@v4" in nightly and "actions/cache/save@v4" in nightly
    assert "key: content-audit-history-${{ github.run_id }}-${{ github.run_attempt }}" in nightly
    assert "restore-keys: content-audit-history-" in nightly
    save = nightly[nightly.index("Save the audit history") :]
    assert save.split("\n")[1].strip().startswith("if: always()")
    upload = nightly[nightly.index("Upload the report") :]
    assert "if: always()" in upload.split("uses:")[0]
    assert "actions/upload-artifact@v4" in upload
    gate = nightly[nightly.index("- name: Gate") :]
    assert "if: always()" in gate and 'exit "$code"' in gate
    assert 'code="${EXIT_CODE:-2}"' in gate  # no exit code recorded: not audited, never 0
    # inputs reach the shell through env, never pasted into the script
    run_blocks = re.findall(r"run: \|\n((?:\s{10,}.*\n)+)", nightly)
    assert run_blocks and not any("${{" in block for block in run_blocks)


def test_composite_action_inputs_outputs_and_steps():
    action = text("action.yml")
    assert re.search(r"^runs:\n  using: composite$", action, re.M)
    inputs = action[action.index("\ninputs:") : action.index("\noutputs:")]
    for name in ("url", "config", "fail-on", "fail-on-new", "baseline"):
        assert re.search(rf"^  {name}:$", inputs, re.M), name
    outputs = action[action.index("\noutputs:") : action.index("\nruns:")]
    for name in ("report-path", "errors", "warnings", "notices", "exit-code"):
        assert re.search(rf"^  {name}:\n    description: .+\n    value: \$\{{\{{ steps\.audit\.outputs\.{name} \}}\}}$", outputs, re.M), name  # fmt: skip
    steps = action[action.index("  steps:") :].split("\n    - ")[1:]
    for step in steps:
        if "\n      run: " in step:
            assert "\n      shell: bash" in step, step.splitlines()[0]
    run_blocks = re.findall(r"run: \|\n((?:\s{8,}.*\n)+)", action)
    assert run_blocks and not any("${{" in block for block in run_blocks)


def test_the_linters_are_dev_dependencies():
    pyproject = text("pyproject.toml")
    extras = pyproject[pyproject.index("[project.optional-dependencies]") :]
    extras = extras[: extras.index("\n\n")]
    assert '"check-jsonschema' in extras and '"zizmor' in extras


def run_block(source: str, step_name: str) -> str:
    """The shell script of one step, as GitHub Actions would hand it to bash."""
    start = source.index(f"- name: {step_name}\n")
    match = re.search(r"\n(\s+)run: \|\n((?:\1  .*\n|\s*\n)+)", source[start:])
    assert match, step_name
    indent = len(match.group(1)) + 2
    return "".join(line[indent:] + "\n" for line in match.group(2).splitlines())


def test_composite_action_audit_step_sets_outputs(tmp_path):
    """Run the action's Audit step script with a stand-in for the installed package."""
    from tests.test_gate_cli import serve, write_site

    venv = tmp_path / "runner-temp" / "content-audit-venv" / "bin"
    venv.mkdir(parents=True)
    (venv / "python").symlink_to(sys.executable)
    wrapper = venv / "content-audit"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{ROOT / "run_audit.py"}" "$@"\n')
    wrapper.chmod(0o755)
    script = run_block(text("action.yml"), "Audit")
    write_site(tmp_path / "www" / "s", broken=["missing.html"])
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    outputs = tmp_path / "github-output"
    with serve(tmp_path / "www") as base:
        env = {
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT),
            "RUNNER_TEMP": str(tmp_path / "runner-temp"),
            "GITHUB_OUTPUT": str(outputs),
            "INPUT_URL": f"{base}/s/",
            "INPUT_CONFIG": "",
            "INPUT_FAIL_ON": "error",
            "INPUT_FAIL_ON_NEW": "false",
            "INPUT_BASELINE": "",
            "INPUT_OUT": "report",
            "INPUT_BLOCK_PRIVATE": "false",  # the test site is on loopback
            "INPUT_CACHE_RUN_STORE": "true",
            "GITHUB_STEP_SUMMARY": str(tmp_path / "step-summary.md"),
        }
        result = subprocess.run(["bash", "-e", "-c", script], cwd=workspace, env=env,
                                capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr  # the Gate step fails, not this
    values = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    assert values == {
        "exit-code": "1",
        "report-dir": "report",
        "report-path": "report/index.html",
        "errors": "1",
        "warnings": "1",
        "notices": "0",
    }
    assert (workspace / "report" / "index.html").is_file()
    # the cached folder holds the history, the link cache and the run store
    kept = sorted(p.name for p in (workspace / ".content-audit-history").glob("*.sqlite"))
    assert kept == ["history.sqlite", "link-cache.sqlite", "run.sqlite"], kept
    # the job summary (what a pull request's checks link to) lists what to fix
    assert "Fix these first" in (tmp_path / "step-summary.md").read_text(encoding="utf-8")


def test_nightly_gate_step_never_passes_without_an_exit_code(tmp_path):
    script = run_block(text(".github/workflows/nightly-audit.yml"), "Gate")
    for recorded, expected in (("0", 0), ("1", 1), ("2", 2), ("", 2)):
        result = subprocess.run(["bash", "-e", "-c", script], env={"EXIT_CODE": recorded},
                                capture_output=True, text=True, timeout=10)  # fmt: skip
        assert result.returncode == expected, (recorded, result.stdout)


def test_the_sharded_merge_saves_only_a_complete_history_entry(tmp_path):
    """The next nightly restores the newest entry: the merge must save history, run store
    and link cache together, or nothing."""
    sharded = text(".github/workflows/sharded-audit.yml")
    save = sharded[sharded.index("- name: Save the audit history") :]
    assert save.split("\n")[1].strip() == "if: always() && steps.merge.outputs.complete == 'true'"
    script = run_block(sharded, "Merge")

    def merge(code: int, restored: bool) -> dict[str, str]:
        work = tmp_path / f"merge-{code}-{restored}"
        (work / ".venv" / "bin").mkdir(parents=True)
        (work / "shards" / "shard-a").mkdir(parents=True)
        (work / "shards" / "shard-a" / "link-cache.sqlite").write_text("shard")
        (work / ".audit-history").mkdir()
        if restored:
            (work / ".audit-history" / "link-cache.sqlite").write_text("nightly")
        fake = work / ".venv" / "bin" / "python"  # stands in for run_audit.py --merge
        fake.write_text(
            "#!/bin/sh\nmkdir -p audit-output\n"
            f"[ {code} = 2 ] || echo merged > audit-output/run.sqlite\n"
            "echo h > .audit-history/history.sqlite\n"
            f"exit {code}\n"
        )
        fake.chmod(0o755)
        outputs = work / "github-output"
        done = subprocess.run(["bash", "-e", "-c", script], cwd=work,
                              env={"PATH": "/usr/bin:/bin", "GITHUB_OUTPUT": str(outputs)},
                              capture_output=True, text=True, timeout=30)  # fmt: skip
        assert done.returncode == 0, done.stderr
        values = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
        history = work / ".audit-history"
        values["files"] = " ".join(
            f"{p.name}:{p.read_text().strip()}" for p in sorted(history.iterdir())
        )
        return values

    assert merge(1, restored=True) == {
        "exit-code": "1",
        "complete": "true",
        "files": "history.sqlite:h link-cache.sqlite:nightly run.sqlite:merged",
    }
    assert merge(0, restored=False)["files"] == (
        "history.sqlite:h link-cache.sqlite:shard run.sqlite:merged"
    )
    assert "complete" not in merge(2, restored=True)  # not audited: keep the nightly's entry


def test_sharded_audit_runs_shards_in_a_matrix_and_merges_them():
    sharded = text(".github/workflows/sharded-audit.yml")
    assert "matrix:" in sharded and "site.include=" in sharded and "site.exclude=" in sharded
    assert "run_audit.py --merge shards/*" in sharded
    assert "actions/download-artifact@v4" in sharded and "pattern: shard-*" in sharded
