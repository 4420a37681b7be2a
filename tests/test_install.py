"""The install: one import name in site-packages, and no clash with another project's
``core`` (a Django "core" app, or any distribution that ships a top-level ``core``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.webserver import Reply, WebServer, html

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel ``pip install .`` would install, built from this checkout."""
    import shutil

    out = tmp_path_factory.mktemp("wheel")
    source = tmp_path_factory.mktemp("source") / "content-audit"  # the build writes build/
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", "audit-output", "__pycache__", ".work"))  # fmt: skip
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "-w", str(out), str(source)],
        check=True, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    # a new team reads setuptools' deprecation warnings as a broken install
    assert "BuildBackendWarning" not in built.stdout + built.stderr, built.stderr
    (found,) = out.glob("content_audit-*.whl")
    return found


def test_the_wheel_installs_one_top_level_name(wheel):
    with zipfile.ZipFile(wheel) as whl:
        names = whl.namelist()
    top = {n.split("/", 1)[0] for n in names if not n.split("/", 1)[0].endswith(".dist-info")}
    assert top == {"content_audit"}, top
    # the data the audit reads at run time travels with the code
    for needed in (
        "content_audit/reports/templates/index.html.j2",
        "content_audit/reports/assets/report.js",
        "content_audit/checks/data/plain_english.toml",
        "content_audit/sample/demo.toml",
        "content_audit/sample/truth.json",
    ):
        assert needed in names, needed


def test_an_audit_runs_beside_another_projects_core_package(wheel, tmp_path):
    """Installed from the wheel, run from a folder that holds its own ``core`` package (and
    with a foreign ``core`` ahead on the path): our modules are found under our name."""
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as whl:
        whl.extractall(site)
    project = tmp_path / "django-project"
    for foreign in (project / "core", tmp_path / "foreign" / "core"):
        foreign.mkdir(parents=True)
        (foreign / "__init__.py").write_text("raise ImportError('the wrong core')\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "foreign"), str(site)])}
    where = subprocess.run(
        [sys.executable, "-c", "import content_audit.cli as c; print(c.__file__)"],
        cwd=project, env=env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert where.stdout.strip().startswith(str(site)), where.stdout
    page = html("Home", "<p>Welcome to the clinic.</p>")
    with WebServer({"/": Reply(body=page)}) as server:
        run = subprocess.run(
            [sys.executable, "-m", "content_audit", server.url + "/", "--out", "out",
             "--today", "2026-12-05"],
            cwd=project, env=env, capture_output=True, text=True, timeout=180,
        )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    data = json.loads((project / "out" / "findings.json").read_text(encoding="utf-8"))
    assert [p["url"] for p in data["pages"]] == [server.url + "/"]


def test_a_second_checkout_runs_its_own_code(tmp_path):
    """A worktree (or an A/B bench side) shares the editable install of the main checkout:
    ``python <tree>/run_audit.py`` must still import the tree's own stages."""
    import shutil

    tree = tmp_path / "tree"
    for name in ("content_audit", "core", "crawler", "checks", "reports", "sample"):
        shutil.copytree(ROOT / name, tree / name, ignore=shutil.ignore_patterns("site"))
    for name in ("pyproject.toml", "run_audit.py"):
        shutil.copy(ROOT / name, tree / name)
    code = "import content_audit.checks.engine.registry as r, content_audit.core.model as m; print(r.__file__, m.__file__)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tree, capture_output=True, text=True, timeout=60,
        check=True,
    )  # fmt: skip
    assert all(path.startswith(str(tree)) for path in out.stdout.split()), out.stdout
    version = subprocess.run(
        [sys.executable, str(tree / "run_audit.py"), "--version"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert version.returncode == 0 and "0.1.0" in version.stdout + version.stderr


def test_the_actions_constraints_satisfy_the_declared_dependencies():
    """constraints.txt (what the GitHub Action installs) names every runtime dependency at
    a version pyproject.toml accepts: a changed requirement without regenerating fails."""
    import tomllib

    from packaging.requirements import Requirement

    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[name.lower().replace("_", "-")] = version
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for spec in project["dependencies"]:
        req = Requirement(spec)
        name = req.name.lower().replace("_", "-")
        assert name in pins, f"constraints.txt has no pin for {req.name}: regenerate it"
        assert req.specifier.contains(pins[name]), f"{req.name}=={pins[name]} is not {spec}"


def test_run_audit_py_works_with_a_python_outside_the_venv(tmp_path):
    """``python run_audit.py`` as the README once showed it, with the machine's own Python:
    it hands over to the checkout's .venv; with no .venv it says how to make one (exit 2)."""
    import shutil

    base = Path(sys.base_prefix) / "bin" / "python3"
    probe = subprocess.run([str(base), "-c", "import scrapy"], capture_output=True)
    if not base.is_file() or probe.returncode == 0:
        pytest.skip("no Python without the project's dependencies on this machine")
    version = subprocess.run(
        [str(base), str(ROOT / "run_audit.py"), "--version"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert version.returncode == 0 and "content-audit" in version.stdout, version.stderr
    alone = tmp_path / "no-venv"
    alone.mkdir()
    shutil.copy(ROOT / "run_audit.py", alone / "run_audit.py")
    done = subprocess.run(
        [str(base), str(alone / "run_audit.py"), "--version"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().startswith("content-audit:") and "scripts/setup.sh" in done.stderr
    assert "Traceback" not in done.stderr
