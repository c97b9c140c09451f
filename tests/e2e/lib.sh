# lib.sh - helpers for the end-to-end scripts (sourced).
#
#   t_ok "what" cmd args...        passes if the command exits 0
#   t_status N "what" cmd args...  passes if it exits with status N
#   t_grep "what" PATTERN FILE     passes if FILE has a line matching PATTERN
#   t_no_grep "what" PATTERN FILE  passes if it has none
#
# Each result goes to $E2E_RESULTS as "ok - what" or "not ok - what"; the
# command's output is kept in $T_OUT (stdout) and $T_ERR (stderr).
set -u
: "${SWS:?SWS must name the sws binary}"
: "${E2E_RESULTS:=/dev/stdout}"
T_DIR=$(mktemp -d /tmp/sws-e2e-XXXXXX)
T_OUT=$T_DIR/stdout
T_ERR=$T_DIR/stderr
export SWS_DB="$T_DIR/office.db"
export SWS_PW_FAST=1
trap 't_cleanup' EXIT
t_cleanup() {
  rm -rf "$T_DIR"
}

t_result() { # status what
  if [ "$1" -eq 0 ]; then
    echo "ok - $2" >>"$E2E_RESULTS"
  else
    echo "not ok - $2" >>"$E2E_RESULTS"
    echo "not ok - $2" >&2
    echo "  stdout:" >&2; sed 's/^/    /' "$T_OUT" | head -n 20 >&2
    echo "  stderr:" >&2; sed 's/^/    /' "$T_ERR" | head -n 20 >&2
  fi
}

t_ok() {
  what=$1; shift
  "$@" >"$T_OUT" 2>"$T_ERR"
  t_result $? "$what"
}

t_status() {
  want=$1; what=$2; shift 2
  "$@" >"$T_OUT" 2>"$T_ERR"
  got=$?
  if [ "$got" -eq "$want" ]; then t_result 0 "$what"; else
    echo "  (exit status $got, wanted $want)" >>"$T_ERR"; t_result 1 "$what"; fi
}

t_grep() {
  what=$1; pat=$2; file=$3
  grep -q -e "$pat" "$file"
  t_result $? "$what"
}

t_no_grep() {
  what=$1; pat=$2; file=$3
  if grep -q -e "$pat" "$file"; then t_result 1 "$what"; else t_result 0 "$what"; fi
}

# t_check "what" condition...: passes if the shell test/command succeeds
t_check() {
  what=$1; shift
  if "$@"; then t_result 0 "$what"; else t_result 1 "$what"; fi
}

# A new office in $SWS_DB with the admin password set.
t_init_office() {
  echo "correct horse battery" | "$SWS" init --office "${1:-KH12}" --name "${2:-Test Office}" >/dev/null 2>"$T_ERR" ||
    { echo "not ok - set up the office" >>"$E2E_RESULTS"; cat "$T_ERR" >&2; exit 1; }
}
