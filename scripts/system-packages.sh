#!/usr/bin/env bash
# Debian packages Content Audit needs outside Python, installed with apt-get when missing:
#   the British, American and medical hunspell dictionaries (the spelling checks), always;
#   with --dev, Chromium and ChromeDriver for the browser test of the report, npm (with
#   Node.js) to fetch axe-core for its accessibility test, and the Python documentation
#   (python3.11-doc: a real site of ~530 pages that the offline test audits; where that
#   version is not packaged, the distribution's python3-doc).
# As root apt-get runs directly; otherwise through passwordless sudo (GitHub's hosted
# runners have it). Without either it says what is missing and exits 0: the audit then
# reports that the spelling checks could not run, rather than looking clean.
set -euo pipefail

dev=0
[ "${1:-}" = "--dev" ] && dev=1

command -v apt-get >/dev/null 2>&1 || exit 0

need=()
[ -f /usr/share/hunspell/en_GB.dic ] || need+=(hunspell-en-gb)
[ -f /usr/share/hunspell/en_US.dic ] || need+=(hunspell-en-us)
ls /usr/share/hunspell/en_med* >/dev/null 2>&1 || need+=(hunspell-en-med)
docs=()
if [ "$dev" = 1 ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  [ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
  command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
  ls /usr/share/doc/python3.*/html/index.html >/dev/null 2>&1 || docs=(python3.11-doc)
fi
[ ${#need[@]} -eq 0 ] && [ ${#docs[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "setup: cannot install ${need[*]} ${docs[*]} (not root, no passwordless sudo):" \
       "install them with apt-get, or the checks that need them cannot run" >&2
  exit 0
fi
install() {
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
echo "setup: installing ${need[*]} ${docs[*]} with apt-get" >&2
if ! "${as_root[@]}" apt-get update -qq >/dev/null; then
  echo "setup: apt-get could not install ${need[*]} ${docs[*]}: the checks that need" \
       "them cannot run (the audit will say so)" >&2
  exit 0
fi
if [ ${#need[@]} -gt 0 ] && ! install "${need[@]}"; then
  echo "setup: apt-get could not install ${need[*]}: the checks that need them cannot" \
       "run (the audit will say so)" >&2
fi
# on its own: a documentation package missing must not stop the dictionaries or browser
if [ ${#docs[@]} -gt 0 ] && ! install "${docs[@]}" 2>/dev/null && ! install python3-doc; then
  echo "setup: apt-get could not install the Python documentation: the test that audits" \
       "it offline will be skipped" >&2
fi
