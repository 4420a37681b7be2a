#!/usr/bin/env bash
# Type-check the bottom layer (core) with mypy, under its installed name content_audit.core.
# The stage folders are mapped into the package by setuptools package-dir, which mypy cannot
# follow, so a throwaway folder lays the package out as it is installed (symlinks, no copies).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/content_audit"
cp "$root/content_audit/__init__.py" "$tmp/content_audit/__init__.py"
ln -s "$root/core" "$tmp/content_audit/core"
cd "$tmp"
MYPYPATH="$tmp" "$root/.venv/bin/mypy" -p content_audit.core \
  --ignore-missing-imports --check-untyped-defs --warn-unused-ignores \
  --cache-dir "$tmp/.mypy_cache"
