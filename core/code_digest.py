"""Which code made a stored result: a digest of a module and everything it imports.

A nightly re-run reuses last night's page records and check results only when the same code
made them. A hand-kept list of source files goes stale the day someone adds an import (it
once missed ``core/urls.py``, which extraction uses), so the digest follows the imports
instead: the named modules, every ``content_audit`` module they import, directly or not,
and the data files kept beside them (word lists, templates).
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

PACKAGE = "content_audit"
DATA_SUFFIXES = (".toml", ".txt", ".json", ".dic", ".aff")


def _source(module: str) -> Path | None:
    """The module's source file, without importing it (None when it has no source)."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    origin = spec.origin if spec else None
    return Path(origin) if origin and origin.endswith(".py") else None


# An import statement at the start of a line (indented too: imports inside functions count):
# ``import a.b, c as d``, ``from a import b`` or ``from a import (b,  # a comment (maybe)
# c)``. A scan, not a parse: parsing and walking every module took 0.19 s of each audit's
# start-up. It may find names in a docstring too; those only widen the digest, and a test
# holds the scan to find every import the parser finds in the package.
_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import[ \t]+(\((?:[^)#]|#[^\n]*+)*+\)|[^\n]*)"
    r"|import[ \t]+([^\n]*))",
    re.MULTILINE,
)
_NAME = re.compile(r"[A-Za-z_][\w.]*")


def _imports(path: Path, module: str) -> set[str]:
    """The content_audit modules a source file imports (``from a import b`` may name a
    module b or a name in a: both are tried)."""
    found: set[str] = set()
    for match in _IMPORT.finditer(path.read_text(encoding="utf-8", errors="replace")):
        source, names, plain = match.groups()
        if plain is not None:  # import a.b as c, d
            found.update(_first_names(plain))
        else:
            found.add(source)
            found.update(f"{source}.{name}" for name in _first_names(names.strip("()")))
    parents = {".".join(module.split(".")[:i]) for i in range(2, module.count(".") + 1)}
    return {name for name in found | parents if name.startswith(PACKAGE + ".")}


def _first_names(names: str) -> list[str]:
    """``a as b,  # note`` / ``c`` -> [a, c]: the imported name of each comma-separated part."""
    found = []
    for part in re.sub(r"#[^\n]*", "", names).split(","):
        name = _NAME.match(part.strip())
        if name:
            found.append(name.group())
    return found


def closure(modules: Iterable[str]) -> dict[str, Path]:
    """Every content_audit module the named ones import, directly or not, with its file."""
    seen: dict[str, Path] = {}
    todo = list(modules)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        path = _source(name)
        if path is None:
            continue
        seen[name] = path
        todo.extend(_imports(path, name) - seen.keys())
    return seen


@lru_cache(maxsize=32)
def code_digest(modules: tuple[str, ...], version: str) -> str:
    """A short digest of the named modules' code, what they import, and the data files in
    their folders' ``data/`` trees. Falls back to the version when no source is found."""
    digest = hashlib.sha256(f"{version}\n".encode())
    files = closure(modules)
    data: set[Path] = set()
    for name in modules:
        path = files.get(name)
        if path is not None and (path.parent / "data").is_dir():
            data.update(p for p in (path.parent / "data").rglob("*") if p.suffix in DATA_SUFFIXES)
    for name, path in sorted(files.items()):
        digest.update(name.encode() + b"\0" + path.read_bytes())
    for path in sorted(data):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]
