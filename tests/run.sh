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

# A throwaway PostgreSQL cluster (tests/pg-cluster.sh) for the registry on
# PostgreSQL: the CUnit suites and every end-to-end script marked
# "# e2e-stores: sqlite pg" use it (the scripts run once on each store).
# Stopped by its PID when the run ends.
PGDIR=$(mktemp -u /tmp/sws-pg-XXXXXX)
trap 'sh "$top/tests/pg-cluster.sh" stop "$PGDIR"' EXIT
if SWS_TEST_PG=$(sh tests/pg-cluster.sh start "$PGDIR" 2>"$PGDIR.err"); then
  export SWS_TEST_PG
else
  echo "not ok - start a PostgreSQL cluster for the tests:"
  sed 's/^/    /' "$PGDIR.err"
  failed=$((failed + 1))
  SWS_TEST_PG=
fi
rm -f "$PGDIR.err"

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

# run_script SCRIPT LABEL STORE: one end-to-end script, its results
# counted; STORE pg points it at the cluster, sqlite keeps it off it.
run_script() {
  t=$1; label=$2
  res=$(mktemp)
  if [ "$3" = pg ]; then
    E2E_RESULTS="$res" SWS_TEST_PG="$SWS_TEST_PG" sh "$t" >"$res.log" 2>&1
  else
    E2E_RESULTS="$res" SWS_TEST_PG= sh "$t" >"$res.log" 2>&1
  fi
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
    echo "$label: $p passed, $f failed"
    grep '^not ok ' "$res" | head -n 20
    echo "--- output of $label (last 40 lines) ---"
    tail -n 40 "$res.log"
  else
    echo "$label: $p passed"
  fi
  rm -f "$res" "$res.log"
}

for t in tests/e2e/*.sh tests/browser/*.sh; do
  case "$t" in */lib.sh) continue ;; esac
  [ -f "$t" ] || continue
  # no marker: the script does not depend on the registry's store
  stores=$(sed -n 's/^# e2e-stores: *\([a-z ]*\).*/\1/p' "$t" | head -n 1)
  [ -n "$stores" ] || stores=sqlite
  case " $stores " in *" sqlite "*) run_script "$t" "$t" sqlite ;; esac
  if echo " $stores " | grep -q ' pg '; then
    if [ -n "$SWS_TEST_PG" ]; then
      run_script "$t" "$t [PostgreSQL]" pg
    else
      echo "not ok - $t [PostgreSQL]: no cluster to run it on"
      failed=$((failed + 1))
    fi
  fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
