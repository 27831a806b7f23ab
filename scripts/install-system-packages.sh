#!/usr/bin/env bash
# Installs the Debian packages RK-PK needs. `make run` calls it with "run" (PDF rendering),
# `make test` with "test" (also Chromium for the browser tests, gettext, poppler, and
# LibreOffice Writer and Calc without a GUI, which open every generated document in a test).
# As root it installs what is missing; otherwise it names what to install and stops.
set -euo pipefail
run_packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation)
test_packages=(chromium gettext poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui)
packages=("${run_packages[@]}")
[ "${1:-test}" = "test" ] && packages+=("${test_packages[@]}")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "RK-PK needs these Debian packages; install them as root:" >&2
  echo "  sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
