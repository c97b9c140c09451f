#!/bin/sh
# fuzz.sh SECONDS [NAME...] - build every fuzz/fuzz_*.c (or the targets
# named, e.g. fuzz_proto) as a libFuzzer target (clang, AddressSanitizer +
# UndefinedBehaviorSanitizer) and run each for SECONDS.
# Corpora persist in build/fuzz/corpus/NAME (seeded from fuzz/corpus/NAME);
# crashes are written to build/fuzz/crash-NAME-*. Exits 1 if any target
# found a crash.
set -u
secs=${1:-30}
[ $# -gt 0 ] && shift
cd "$(dirname "$0")/.." || exit 1
FLAGS="-g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all"
make --no-print-directory CC=clang BUILD=build/fuzz OPT="$FLAGS" build/fuzz/libsws.a >/dev/null || exit 1
libs=$(pkg-config --libs sqlite3 libsodium jansson libutf8proc libqrencode cairo pangocairo \
  libmicrohttpd libcurl zlib libpq)
status=0
targets=fuzz/fuzz_*.c
if [ $# -gt 0 ]; then
  targets=
  for n in "$@"; do targets="$targets fuzz/${n%.c}.c"; done
fi
for src in $targets; do
  name=$(basename "$src" .c)
  [ -f "$src" ] || { echo "fuzz.sh: no target $src"; status=1; continue; }
  bin=build/fuzz/$name
  clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -std=c11 -D_GNU_SOURCE -I. -Ibuild/fuzz/gen "$src" build/fuzz/libsws.a \
    $libs -lm -o "$bin" || { status=1; continue; }
  corpus=build/fuzz/corpus/$name
  mkdir -p "$corpus"
  [ -d "fuzz/corpus/$name" ] && cp -n fuzz/corpus/"$name"/* "$corpus"/ 2>/dev/null
  echo "== $name: ${secs}s"
  if ! "$bin" -max_total_time="$secs" -max_len=8192 -timeout=10 \
      -artifact_prefix="build/fuzz/crash-$name-" "$corpus" >"build/fuzz/$name.log" 2>&1; then
    echo "$name: FOUND A PROBLEM (see build/fuzz/$name.log)"
    tail -n 30 "build/fuzz/$name.log"
    status=1
  else
    grep -E '^#[0-9]+.*DONE' "build/fuzz/$name.log" | tail -n 1
  fi
done
exit $status
