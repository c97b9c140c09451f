#!/bin/sh
# deps.sh - make sure the Debian packages sws needs are installed.
# As root: installs what is missing. Otherwise: prints the exact apt-get
# line and stops. Called by `make test`, `make run`, `make check`, ...
set -eu

# build and run
PKGS="gcc make pkg-config libsqlite3-dev sqlite3 libsodium-dev libjansson-dev
libutf8proc-dev libcunit1-dev libqrencode-dev libcairo2-dev libpango1.0-dev
fonts-khmeros fonts-noto-core libmicrohttpd-dev libcurl4-openssl-dev zlib1g-dev
gettext libpq-dev tzdata"
# the national registry's store, and the throwaway clusters of its tests
# (tests/pg-cluster.sh)
PKGS="$PKGS postgresql"
# tools the tests and checks use
PKGS="$PKGS valgrind clang libclang-rt-14-dev zbar-tools openssl jq"
# the 2G link of tests/e2e/sync_2g.sh: ip and tc (netem), unshare
PKGS="$PKGS iproute2 util-linux"
# the browser tests (tests/browser/): Debian's Chromium, and node with npm
# (a node that brings its own npm, as some installs do, is kept)
PKGS="$PKGS chromium curl"
command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs"
command -v npm >/dev/null 2>&1 || PKGS="$PKGS npm"

missing=""
for p in $PKGS; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "sws: installing missing Debian packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || { echo "sws: apt-get update failed; check the network or the apt sources" >&2; exit 1; }
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
    { echo "sws: could not install:$missing" >&2; exit 1; }
else
  echo "sws: these Debian packages are missing:$missing" >&2
  echo "sws: install them, then run make again:" >&2
  echo "    sudo apt-get install -y$missing" >&2
  exit 1
fi
