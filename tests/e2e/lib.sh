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
# the repository, and where the test tools were built (make check builds
# them elsewhere and says so in SWS_TOOLS)
T_TOP=$(cd "$(dirname "$0")/../.." && pwd)
T_TOOLS=${SWS_TOOLS:-$T_TOP/build}
T_DIR=$(mktemp -d /tmp/sws-e2e-XXXXXX)
T_OUT=$T_DIR/stdout
T_ERR=$T_DIR/stderr
export SWS_DB="$T_DIR/office.db"
export SWS_PW_FAST=1
# login tokens (sws login) go to this script's own folder, and nobody's
# account carries over from the caller
export XDG_RUNTIME_DIR="$T_DIR/run"
mkdir -m 700 "$XDG_RUNTIME_DIR"
unset SWS_USER SWS_TOKEN
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

# Staff accounts on the command line log in for real: the password on
# standard input of sws login, which prints a token.
#   t_token LOGIN [PASSWORD]  prints LOGIN's token (default password: the
#                             one t_init_office gives admin)
#   t_as LOGIN [PASSWORD]     act as LOGIN from now on (exports SWS_TOKEN;
#                             log in again after SWS_NOW moves past 8 hours)
#   t_system                  act as the system user cli:NAME again
t_token() {
  printf '%s\n' "${2:-correct horse battery}" |
    "$SWS" login "$1" --print 2>"$T_DIR/login.err" ||
    t_fail_setup "log in as $1" "$T_DIR/login.err"
}
t_as() {
  SWS_TOKEN=$(t_token "$@") || exit 1
  export SWS_TOKEN
}
t_system() {
  unset SWS_TOKEN
}
# t_staff DB: on the office DB (made by sws init with admin's password
# 'correct horse battery'), a supervisor 'sup' with the same password, and
# admin and sup logged in there (sws login: token files under
# $XDG_RUNTIME_DIR), so that "$SWS" --db DB --as sup ... acts as the
# supervisor. Run it again to log in again after SWS_NOW jumped ahead.
t_staff() {
  env -u SWS_USER -u SWS_TOKEN "$SWS" --db "$1" user list 2>/dev/null | grep -q '^sup ' ||
    echo "correct horse battery" | env -u SWS_USER SWS_TOKEN=$(echo "correct horse battery" |
      env -u SWS_USER -u SWS_TOKEN "$SWS" --db "$1" login admin --print 2>/dev/null) \
      "$SWS" --db "$1" user add sup --role supervisor >/dev/null 2>"$T_DIR/login.err" ||
    t_fail_setup "add a supervisor to $1" "$T_DIR/login.err"
  for t_l in admin sup; do
    echo "correct horse battery" | env -u SWS_USER -u SWS_TOKEN "$SWS" --db "$1" login $t_l >/dev/null 2>"$T_DIR/login.err" ||
      t_fail_setup "log in as $t_l at $1" "$T_DIR/login.err"
  done
}

# t_fail_setup "what" [LOG]: a step the rest depends on failed; record it,
# show LOG, stop the script.
t_fail_setup() {
  echo "not ok - $1" >>"$E2E_RESULTS"
  echo "not ok - $1" >&2
  [ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/    /' "$2" | tail -n 20 >&2
  exit 1
}

# t_stop PID [SIGNAL]: stop a process this script started, by its PID
# (never by name), and reap it. An empty PID does nothing.
t_stop() {
  [ -n "$1" ] || return 0
  kill "-${2:-TERM}" "$1" 2>/dev/null
  wait "$1" 2>/dev/null
  return 0
}

# t_make_ca: a test CA and a server certificate for 127.0.0.1 in
# $T_DIR/ca (tests/make-test-ca.sh); sets CA to the CA's PEM file.
t_make_ca() {
  sh "$T_TOP/tests/make-test-ca.sh" "$T_DIR/ca" >"$T_DIR/ca.log" 2>&1 ||
    t_fail_setup "make the test CA (openssl)" "$T_DIR/ca.log"
  CA=$T_DIR/ca/ca.pem
}

# t_wait_line FILE SED_EXPR PID: up to 10 s for a line of FILE that the
# sed expression prints, while PID lives; prints what it printed.
t_wait_line() {
  t_i=0
  while [ $t_i -lt 100 ]; do
    t_line=$(sed -n "$2" "$1" 2>/dev/null)
    [ -n "$t_line" ] && { echo "$t_line"; return 0; }
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.1
    t_i=$((t_i + 1))
  done
  return 1
}

# t_central_db: where this script's central registry lives, in C, and the
# option that names it, in CDB: an SQLite file in $T_DIR (--db), or, when
# tests/run.sh runs the script against PostgreSQL (SWS_TEST_PG: the URL of
# its throwaway cluster, tests/pg-cluster.sh), a new database of its own
# there (--pg). Every 'sws central' command of a script takes $CDB "$C".
t_central_db() {
  if [ -n "${SWS_TEST_PG:-}" ]; then
    t_pgdb=sws_e2e_$$_$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
    psql "$SWS_TEST_PG" -qAt -c "CREATE DATABASE $t_pgdb" >/dev/null 2>"$T_DIR/pg.err" ||
      t_fail_setup "create a PostgreSQL database for the registry" "$T_DIR/pg.err"
    C=$(echo "$SWS_TEST_PG" | sed "s|/[A-Za-z0-9_]*?|/$t_pgdb?|")
    CDB=--pg
  else
    C=$T_DIR/central.db
    CDB=--db
  fi
}

# t_cq SQL: run SQL on the central registry's database ($C) and print the
# rows as sqlite3 and psql -At both do (columns between '|'). The
# registry's tables are the same on both stores.
t_cq() {
  if [ "${CDB:-}" = --pg ]; then psql "$C" -qAt -c "$1"; else sqlite3 "$C" "$1"; fi
}

# t_central_start LOG [CRASH_POINT [PORT]]: `sws central serve` on the
# registry $C over TLS (t_make_ca first) in the background; sets
# SERVER_PID, URL and PORT.
t_central_start() {
  SWS_CRASH_AT=${2:-} "$SWS" central serve $CDB "$C" --listen "127.0.0.1:${3:-0}" \
    --tls-cert "$T_DIR/ca/server.pem" --tls-key "$T_DIR/ca/server.key" \
    >"$1" 2>&1 &
  SERVER_PID=$!
  URL=$(t_wait_line "$1" 's/^central registry listening on //p' "$SERVER_PID") ||
    t_fail_setup "the central server started" "$1"
  PORT=${URL##*:}
}

# t_registry_setup: a test CA and this script's registry (t_make_ca,
# t_central_db), with start_server (t_central_start into
# $T_DIR/serve.log, on the port it had before once it has one: offices
# keep its address), stop_server, and a t_cleanup that stops it.
t_registry_setup() {
  t_make_ca
  t_central_db
  SERVER_PID=
  stop_server() { t_stop "$SERVER_PID"; SERVER_PID=; }
  start_server() { t_central_start "$T_DIR/serve.log" "" "${PORT:-0}"; }
  t_cleanup() { stop_server; rm -rf "$T_DIR"; }
}

# t_proxy_start LOG ARGS...: $T_TOOLS/faultproxy (tests/tools/faultproxy.c)
# with ARGS in the background; sets PROXY_PID and PURL, the URL through it.
t_proxy_start() {
  t_log=$1; shift
  "$T_TOOLS/faultproxy" "$@" >"$t_log" 2>&1 &
  PROXY_PID=$!
  t_pp=$(t_wait_line "$t_log" 's/^faultproxy listening on 127.0.0.1://p' "$PROXY_PID") ||
    t_fail_setup "the fault proxy started" "$t_log"
  PURL=https://127.0.0.1:$t_pp
}

# t_central_ui_registry: for the registry's web UI (t_make_ca and
# t_central_db first): the registry $C of two provinces (17, built in, and
# 18, loaded), served over TLS ($SERVER_PID), and four offices synced to
# it that registered one family twice each: KH12 (village 17010101) and
# KH13 (17120101) in province 17 (households RA, RB), KH14 and KH15
# (18010101) in province 18 (RC, RD); the duplicate job run; a grievance of
# each province escalated to its province layer (TA of RA, TC of RC); the
# registry UI's accounts nat (national), p17, p18 (province) and d1701
# (district), each with password "$CUI_PW".
CUI_PW="registry ui password"
t_central_ui_registry() {
  printf 'code,level,name,name_latin,parent_code\n18,province,Province 18,Province 18,\n1801,district,District 1801,District 1801,18\n180101,commune,Commune 180101,Commune 180101,1801\n18010101,village,Village 18010101,Village 18010101,180101\n' >"$T_DIR/areas18.csv"
  "$SWS" central init $CDB "$C" --name "Test registry" >"$T_DIR/cui.log" 2>&1 &&
    "$SWS" central area load $CDB "$C" "$T_DIR/areas18.csv" >>"$T_DIR/cui.log" 2>&1 ||
    t_fail_setup "the registry of two provinces" "$T_DIR/cui.log"
  t_central_start "$T_DIR/serve.log"
  for t_o in KH12:17010101:"Sok Dara" KH13:17120101:"Sok Dara" \
    KH14:18010101:"Chan Thida" KH15:18010101:"Chan Thida"; do
    t_code=${t_o%%:*}; t_rest=${t_o#*:}; t_vil=${t_rest%%:*}; t_head=${t_rest#*:}
    t_db=$T_DIR/$t_code.db
    { echo "correct horse battery" | "$SWS" --db "$t_db" init --office "$t_code" --name "Office $t_code" &&
      t_staff "$t_db" &&
      "$SWS" --db "$t_db" --as admin area load "$T_DIR/areas18.csv" &&
      "$SWS" central office add "$t_code" --name "Office $t_code" $CDB "$C" \
        --pubkey "$("$SWS" --db "$t_db" office key)" &&
      "$SWS" --db "$t_db" --as admin sync config --central "$URL" --ca-file "$T_DIR/ca/ca.pem" &&
      "$SWS" --db "$t_db" --as sup household add --area "$t_vil" --head "$t_head" --sex F \
        --born 1984 --member "$t_head Kon;M;2010;child" >"$T_DIR/$t_code.reg"; } \
      >>"$T_DIR/cui.log" 2>&1 || t_fail_setup "office $t_code registers a family" "$T_DIR/cui.log"
  done
  RA=$(tail -n 1 "$T_DIR/KH12.reg"); RB=$(tail -n 1 "$T_DIR/KH13.reg")
  RC=$(tail -n 1 "$T_DIR/KH14.reg"); RD=$(tail -n 1 "$T_DIR/KH15.reg")
  for t_g in KH12:"$RA" KH14:"$RC"; do
    t_db=$T_DIR/${t_g%%:*}.db
    "$SWS" --db "$t_db" --as sup grievance add --household "${t_g#*:}" --category payment \
      --channel walk-in --text "the payment of March never came" >"$T_DIR/g.out" 2>>"$T_DIR/cui.log" &&
      "$SWS" --db "$t_db" --as sup grievance escalate "$(tail -n 1 "$T_DIR/g.out")" \
        --text "beyond the commune" >>"$T_DIR/cui.log" 2>&1 ||
      t_fail_setup "a grievance escalated at ${t_g%%:*}" "$T_DIR/cui.log"
    tail -n 1 "$T_DIR/g.out" >"$T_DIR/${t_g%%:*}.ticket"
  done
  TA=$(cat "$T_DIR/KH12.ticket"); TC=$(cat "$T_DIR/KH14.ticket")
  for t_code in KH12 KH13 KH14 KH15; do
    "$SWS" --db "$T_DIR/$t_code.db" sync >>"$T_DIR/cui.log" 2>&1 ||
      t_fail_setup "office $t_code syncs" "$T_DIR/cui.log"
  done
  { "$SWS" central dedup $CDB "$C" &&
    "$SWS" central grievance escalate "$TA" --layer district $CDB "$C" &&
    "$SWS" central grievance escalate "$TC" --layer district $CDB "$C"; } \
    >>"$T_DIR/cui.log" 2>&1 || t_fail_setup "pairs found, grievances at the provinces" "$T_DIR/cui.log"
  for t_u in nat:national: p17:province:17 p18:province:18 d1701:district:1701; do
    t_login=${t_u%%:*}; t_rest=${t_u#*:}; t_role=${t_rest%%:*}; t_area=${t_rest#*:}
    echo "$CUI_PW" | "$SWS" central user add "$t_login" --role "$t_role" \
      ${t_area:+--area "$t_area"} $CDB "$C" >>"$T_DIR/cui.log" 2>&1 ||
      t_fail_setup "registry account $t_login" "$T_DIR/cui.log"
  done
}

# t_central_ui_start LOG [ARGS...]: `sws central ui` on the registry $C,
# on 127.0.0.1 (any free port), in the background; sets UI_PID and UI_URL.
t_central_ui_start() {
  t_log=$1; shift
  "$SWS" central ui $CDB "$C" --listen 127.0.0.1:0 "$@" >"$t_log" 2>&1 &
  UI_PID=$!
  UI_URL=$(t_wait_line "$t_log" 's|^sws central ui: serving on \(http://[^ ]*\)/ .*|\1|p' "$UI_PID") ||
    t_fail_setup "sws central ui started" "$t_log"
}
