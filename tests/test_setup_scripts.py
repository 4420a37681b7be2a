"""What scripts/setup.sh and pyproject.toml promise a new team, checked without installing:
pinned versions, the packages setuptools must be told about, the licence as SPDX."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_setup_installs_the_pinned_versions_the_action_installs():
    """The README, the nightly, the sharded workflow and CI all install through setup.sh:
    it must use constraints.txt as the Action does, or they test other versions."""
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    installs = [line for line in setup.splitlines() if re.search(r"pip install .*-e ", line)]
    assert installs, "setup.sh no longer installs the project"
    assert all("-c constraints.txt" in line for line in installs), installs
    # a change to the pins must reinstall, so the stamp covers the constraints file too
    assert re.search(r"cat pyproject\.toml constraints\.txt \| sha1sum", setup)
    action = (ROOT / "action.yml").read_text(encoding="utf-8")
    assert '-c "$GITHUB_ACTION_PATH/constraints.txt"' in action


def test_dev_setup_installs_npm_for_the_accessibility_test():
    """tests/test_accessibility.py needs axe-core, which setup.sh fetches with npm."""
    packages = (ROOT / "scripts" / "system-packages.sh").read_text(encoding="utf-8")
    dev = packages[packages.index('if [ "$dev" = 1 ]; then') :]
    dev = dev[: dev.index("\nfi\n")]
    assert "need+=(nodejs npm)" in dev


def test_the_licence_is_an_spdx_expression():
    """A TOML table is deprecated by setuptools (builds stop working after 2027-02-18)."""
    assert PYPROJECT["project"]["license"] == "MIT"
    requires = PYPROJECT["build-system"]["requires"]
    assert any(re.fullmatch(r"setuptools>=(\d+)", r) and int(r[12:]) >= 77 for r in requires)


def test_every_data_folder_with_an_importable_name_is_a_listed_package():
    """setuptools warns (and will one day stop shipping the files) when a folder of package
    data has a name Python could import but is missing from ``packages``."""
    setuptools = PYPROJECT["tool"]["setuptools"]
    packages = set(setuptools["packages"])
    folders = {name: Path(ROOT / path) for name, path in setuptools["package-dir"].items()}
    missing = []
    for package, folder in folders.items():
        for sub in sorted(p for p in folder.rglob("*") if p.is_dir()):
            parts = sub.relative_to(folder).parts
            if "__pycache__" in parts:
                continue
            if not all(part.isidentifier() for part in parts):
                continue  # not importable: its files ship through the package-data globs
            name = ".".join((package, *parts))
            if name not in packages:
                missing.append(name)
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {missing}"
