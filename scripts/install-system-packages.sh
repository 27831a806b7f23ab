#!/usr/bin/env bash
# Installs the Debian packages RK-PK needs. `make run` calls it with "run" (PDF rendering),
# `make test` with "test" (also Chromium for the browser tests, gettext, poppler, and
# LibreOffice Writer and Calc without a GUI, which open every generated document in a test),
# `make bench-load` with "bench" (the run packages and wrk, the load generator of bench/load.py).
# As root it installs what is missing; otherwise it names what to install and stops.
# "test" also installs axe-core from npm into var/npm (the accessibility checks of the
# browser tests inject it into each page; never loaded from a CDN).
set -euo pipefail
AXE_VERSION=4.10.3
run_packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation)
test_packages=(chromium gettext poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui)
bench_packages=(wrk)
packages=("${run_packages[@]}")
[ "${1:-test}" = "test" ] && packages+=("${test_packages[@]}")
[ "${1:-test}" = "bench" ] && packages+=("${bench_packages[@]}")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  :
elif [ "$(id -u)" -eq 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "RK-PK needs these Debian packages; install them as root:" >&2
  echo "  sudo apt-get install ${missing[*]}" >&2
  exit 1
fi

if [ "${1:-test}" = "test" ]; then
  # Idempotent and offline when the pinned version is already there.
  npm_dir="$(cd "$(dirname "$0")/.." && pwd)/var/npm"
  axe_package="$npm_dir/node_modules/axe-core/package.json"
  if ! grep -q "\"version\": \"$AXE_VERSION\"" "$axe_package" 2>/dev/null; then
    command -v npm >/dev/null || { echo "RK-PK's tests need npm (apt-get install npm)" >&2; exit 1; }
    echo "Installing axe-core $AXE_VERSION into $npm_dir"
    mkdir -p "$npm_dir"
    npm install --prefix "$npm_dir" --no-save --no-audit --no-fund --silent "axe-core@$AXE_VERSION"
  fi
fi
