#!/usr/bin/env bash
# Install everything Content Audit needs on a fresh machine, into .venv beside this repo.
# Safe to run again: it only installs what is missing. System packages (Chromium for the
# browser test of the report) are installed with apt-get when we are root and they are absent.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  need=()
  [ -x /usr/bin/chromium ] || need+=(chromium)
  [ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
  # British, American and medical hunspell dictionaries for the spelling checks
  [ -f /usr/share/hunspell/en_GB.dic ] || need+=(hunspell-en-gb)
  [ -f /usr/share/hunspell/en_US.dic ] || need+=(hunspell-en-us)
  ls /usr/share/hunspell/en_med* >/dev/null 2>&1 || need+=(hunspell-en-med)
  if [ ${#need[@]} -gt 0 ]; then
    echo "setup: installing ${need[*]} with apt-get" >&2
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e '.[dev]'
  rm -f .venv/.installed-* && touch "$stamp"
fi
