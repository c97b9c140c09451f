#!/bin/sh
# bench.sh [NAME...] - run the benchmarks of build/bench_sws, every one
# it lists unless names are given (make bench). Each prints its figures
# and its ratios to baselines measured in the same run; a figure never
# fails the run, only a benchmark that cannot run does.
set -u
cd "$(dirname "$0")/.." || exit 1
bin=${BENCH_BIN:-build/bench_sws}
[ -x "$bin" ] || { echo "bench.sh: $bin is not built (make bench)"; exit 1; }
if [ $# -gt 0 ]; then
  names=$*
else
  names=$("$bin" 2>&1 | awk '/^  [a-z]/ { print $1 }')
fi
status=0
for n in $names; do
  echo "== $n"
  "$bin" "$n" || status=1
done
exit $status
