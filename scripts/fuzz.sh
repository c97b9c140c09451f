#!/bin/sh
# fuzz.sh SECONDS - build every fuzz/fuzz_*.c as a libFuzzer target (clang,
# AddressSanitizer + UndefinedBehaviorSanitizer) and run each for SECONDS.
# Corpora persist in build/fuzz/corpus/NAME (seeded from fuzz/corpus/NAME);
# crashes are written to build/fuzz/crash-NAME-*. Exits 1 if any target
# found a crash.
set -u
secs=${1:-30}
cd "$(dirname "$0")/.." || exit 1
FLAGS="-g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all"
make --no-print-directory CC=clang BUILD=build/fuzz OPT="$FLAGS" build/fuzz/libsws.a >/dev/null || exit 1
libs=$(pkg-config --libs sqlite3 libsodium jansson libutf8proc libqrencode cairo pangocairo \
  libmicrohttpd libcurl zlib)
status=0
for src in fuzz/fuzz_*.c; do
  name=$(basename "$src" .c)
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
