#!/usr/bin/env bash
# Installs the system packages a make target needs, when they are missing.
#   scripts/sysdeps.sh demo   graphviz (dot) and a font for the service map
#   scripts/sysdeps.sh test   the above, plus PostgreSQL (schema tests), Chromium and libatomic (browser test)
# Without root or apt-get it installs nothing and names the command to run instead.
set -euo pipefail
have_pg() { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }
missing=()
command -v dot >/dev/null || missing+=(graphviz)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ "${1:-demo}" = test ]; then
  have_pg || missing+=(postgresql)
  command -v chromium >/dev/null || missing+=(chromium)
  # Playwright's bundled Node.js driver links against libatomic.
  /sbin/ldconfig -p 2>/dev/null | grep -q libatomic.so.1 || missing+=(libatomic1)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "dwarf_nb needs these system packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
