#!/bin/sh
# run.sh - run every test: the CUnit suites, then each end-to-end script in
# tests/e2e/ (and tests/browser/ when present). Ends with one line
# "N passed, N failed" and exits non-zero if anything failed.
#   SWS       the sws binary to test (absolute path)
#   TEST_BIN  the CUnit runner
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
: "${SWS:=$top/sws}" "${TEST_BIN:=$top/build/test_sws}"
export SWS SWS_PW_FAST=1
passed=0
failed=0

out=$(mktemp)
"$TEST_BIN" >"$out" 2>&1
status=$?
line=$(grep '^cunit: ' "$out" | tail -n 1)
if [ -n "$line" ]; then
  p=$(echo "$line" | sed 's/cunit: \([0-9]*\) passed, \([0-9]*\) failed/\1/')
  f=$(echo "$line" | sed 's/cunit: \([0-9]*\) passed, \([0-9]*\) failed/\2/')
  passed=$((passed + p))
  failed=$((failed + f))
fi
if [ "$status" -ne 0 ] || [ -z "$line" ]; then
  grep -E 'FAILED|^ +[0-9]+\. |ERROR|Sanitizer|runtime error' "$out" | head -n 60
  [ -z "$line" ] && { echo "the CUnit runner crashed:"; tail -n 30 "$out"; failed=$((failed + 1)); }
fi
echo "CUnit: $(echo "$line" | sed 's/cunit: //')"
rm -f "$out"

for t in tests/e2e/*.sh tests/browser/*.sh; do
  case "$t" in */lib.sh) continue ;; esac
  [ -f "$t" ] || continue
  res=$(mktemp)
  E2E_RESULTS="$res" sh "$t" >"$res.log" 2>&1
  status=$?
  p=$(grep -c '^ok ' "$res" 2>/dev/null || true)
  f=$(grep -c '^not ok ' "$res" 2>/dev/null || true)
  if [ "$status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
    echo "not ok - $t exited with status $status" >>"$res"
    f=$((f + 1))
  fi
  passed=$((passed + p))
  failed=$((failed + f))
  if [ "$f" -gt 0 ]; then
    echo "$t: $p passed, $f failed"
    grep '^not ok ' "$res" | head -n 20
    echo "--- output of $t (last 40 lines) ---"
    tail -n 40 "$res.log"
  else
    echo "$t: $p passed"
  fi
  rm -f "$res" "$res.log"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
