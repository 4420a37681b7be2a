"""The house rules, enforced: data flows one way through the layers, and no module reaches
into another module's private (underscored) names.

    content_audit (pipeline, history, baseline, gate, cli)   the application layer
        crawler   checks   reports                            each knows core only
        core                                                  knows nothing above it
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {"core": set(), "crawler": {"core"}, "checks": {"core"}, "reports": {"core"}}
FOLDERS = {"core": "core", "crawler": "crawler", "checks": "checks", "reports": "reports",
           "app": "content_audit"}  # fmt: skip


def modules() -> list[tuple[str, Path]]:
    found = []
    for stage, folder in FOLDERS.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "data" not in path.relative_to(ROOT / folder).parts:
                found.append((stage, path))
    return found


def imported(path: Path) -> list[tuple[str, list[str], int]]:
    """(module, names, line) for every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}:{node.lineno}: use absolute imports"
            out.append((node.module or "", [a.name for a in node.names], node.lineno))
    return out


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "content_audit":
        return None  # the standard library or a third-party package
    if len(parts) > 1 and parts[1] in LAYERS:
        return parts[1]
    return "app"


@pytest.mark.parametrize(("stage", "path"), modules(), ids=lambda v: str(v).split("/work/")[-1])
def test_imports_follow_the_layers(stage, path):
    if stage == "app":
        return  # the application layer may use everything below it
    allowed = LAYERS[stage] | {stage}
    for module, names, line in imported(path):
        target = stage_of(module)
        if target is None:
            continue
        if module == "content_audit" and names == ["__version__"]:
            target = "core"
        for name in names:  # "from content_audit import checks" names a stage too
            if module == "content_audit" and name in LAYERS:
                target = name
        assert target in allowed, f"{path.relative_to(ROOT)}:{line} ({stage}) imports {module}"


@pytest.mark.parametrize(("stage", "path"), modules(), ids=lambda v: str(v).split("/work/")[-1])
def test_no_module_imports_another_modules_private_names(stage, path):
    for module, names, line in imported(path):
        if stage_of(module) is None:
            continue
        private = [n for n in names if n.startswith("_") and not n.startswith("__")]
        assert not private, f"{path.relative_to(ROOT)}:{line} imports {private} from {module}"
        last = module.rsplit(".", 1)[-1]
        assert not last.startswith("_") or last.startswith("__"), (
            f"{path.relative_to(ROOT)}:{line} imports the private module {module}"
        )


def test_the_layer_map_covers_every_stage_folder():
    """A new stage folder must be placed in the layers before it is used."""
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")}
    assert set(FOLDERS.values()) <= packages


def test_nothing_imports_a_stage_by_its_folder_name():
    """``import core`` only works from inside a checkout (and there it is another module
    than the installed one): every import, in code or in code strings, uses content_audit."""
    import re

    bare = re.compile(r"^\s*[\"']?(?:from|import) (?:core|crawler|checks|reports|sample)\b", re.M)
    for folder in ("tests", "bench", *FOLDERS.values()):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if ".work" in path.relative_to(ROOT).parts:  # the bench's peers' venvs (ignored)
                continue
            hits = bare.findall(path.read_text(encoding="utf-8"))
            assert not hits, f"{path.relative_to(ROOT)}: {hits}"
