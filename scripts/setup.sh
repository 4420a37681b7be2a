#!/usr/bin/env bash
# Install Content Audit on a fresh machine, into .venv beside this repository.
#
#   bash scripts/setup.sh          # what an audit needs: the project and its dictionaries
#   bash scripts/setup.sh --dev    # and the test tools, linters and the browser for the tests
#
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[ "${1:-}" = "--dev" ] && dev=1

if [ "$dev" = 1 ]; then
  bash scripts/system-packages.sh --dev
else
  bash scripts/system-packages.sh
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
extra=""
[ "$dev" = 1 ] && extra="[dev]"
base=.venv/.installed-$(cat pyproject.toml constraints.txt | sha1sum | cut -c1-12)
stamp=$base${extra:+-dev}
# the dev install holds everything the runtime one does
if [ ! -f "$stamp" ] && [ ! -f "$base-dev" ]; then
  # the dependency versions this release was tested with (constraints.txt, as the GitHub
  # Action installs them). pip and the build print pages of notes that are not errors, so
  # they go to a log, shown only when the install fails.
  log=.venv/install.log
  echo "setup: installing Content Audit${extra:+ and the dev tools} into .venv" >&2
  if ! { .venv/bin/python -m pip install -q --upgrade pip &&
         .venv/bin/python -m pip install -q -c constraints.txt -e ".$extra"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "setup: the install failed (the log above is also in $log)" >&2
    exit 1
  fi
  rm -f .venv/.installed-* && touch "$stamp"
fi

# axe-core, for the accessibility test of the report (tests/test_accessibility.py): the
# JavaScript file only, from the npm registry, kept inside .venv
if [ "$dev" = 1 ] && [ ! -f .venv/node/node_modules/axe-core/axe.min.js ]; then
  if command -v npm >/dev/null 2>&1; then
    mkdir -p .venv/node
    npm install --silent --no-audit --no-fund --prefix .venv/node axe-core@4.14.1 >/dev/null
  else
    echo "setup: npm is missing, so axe-core (the report's accessibility test) is not installed" >&2
  fi
fi
