#!/bin/sh
# audit_tamper.sh - the office's database tampered with through the sqlite3
# shell, against a real registry over TLS (docs/operations.md, "What the
# audit log detects"): a household edited with its triggers dropped and
# made again is named by 'sws audit verify --records'; the last rows of the
# audit log deleted after a sync are found offline, and, with the office's
# copy of the acknowledgement deleted too, by the registry at the next sync
# (the device flagged "audit chain diverged"); rows rewritten with every
# later hash recomputed with plain SHA-256 are found for the rows the
# registry acknowledged.
# e2e-stores: sqlite pg (tests/run.sh runs it on each store of the registry)
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || { echo "ok - # SKIP no sqlite3 shell" >>"$E2E_RESULTS"; exit 0; }
t_make_ca
t_central_db
A="$T_DIR/a.db"
B="$T_DIR/b.db"
SERVER_PID=
t_cleanup() { t_stop "$SERVER_PID"; rm -rf "$T_DIR"; }

# tamper DB TABLE SQL: SQL run with TABLE's triggers dropped, then made
# again from the SQL sqlite_master kept of them (in one transaction)
tamper() {
  t_saved=$(sqlite3 "$1" "SELECT sql || ';' FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '$2'")
  t_drops=$(sqlite3 "$1" "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '$2'")
  sqlite3 "$1" "BEGIN; $t_drops $3; $t_saved COMMIT;"
}

# field F: F length-prefixed as cases/audit.c hashes it ("len:value,")
field() { printf '%s:%s,' "$(printf '%s' "$1" | wc -c | tr -d ' ')" "$1"; }

# recompute DB FROM: every hash from row FROM on made again with plain
# SHA-256, as someone who read cases/audit.c would
recompute() {
  prev=$(sqlite3 "$1" "SELECT hash FROM audit_log WHERE id = $2 - 1")
  sql=
  for id in $(sqlite3 "$1" "SELECT id FROM audit_log WHERE id >= $2 ORDER BY id"); do
    h=$( {
      field "$prev"; field "$id"
      for col in at actor action entity entity_id detail op_id changes; do
        field "$(sqlite3 "$1" "SELECT $col FROM audit_log WHERE id = $id")"
      done
    } | sha256sum | cut -c1-64)
    sql="$sql UPDATE audit_log SET prev_hash = '$prev', hash = '$h' WHERE id = $id;"
    prev=$h
  done
  tamper "$1" audit_log "$sql"
}

t_ok "central init" "$SWS" central init $CDB "$C" --name "Audit registry"
for o in "$A:KH12" "$B:KH13"; do
  db=${o%%:*}; code=${o#*:}
  echo "correct horse battery" | "$SWS" --db "$db" init --office "$code" --name "Office $code" >/dev/null
  t_staff "$db"
  t_ok "enrol $code" "$SWS" central office add "$code" --name "Office $code" --pubkey "$("$SWS" --db "$db" office key)" $CDB "$C"
done
t_central_start "$T_DIR/serve.log"
for db in "$A" "$B"; do
  "$SWS" --db "$db" --as admin sync config --central "$URL" --ca-file "$T_DIR/ca/ca.pem" >/dev/null
  n=0
  for head in "Sok Dara:F:1980" "Keo Samnang:M:1962" "Chan Thy:F:1995"; do
    n=$((n + 1))
    "$SWS" --db "$db" --as sup household add --area 17010101 --head "${head%%:*}" --sex "$(echo "$head" | cut -d: -f2)" \
      --born "${head##*:}" --phone 01200000$n >/dev/null
  done
done
RA=$("$SWS" --db "$A" household list | sed -n '1s/^\([^ ]*\) .*/\1/p')

t_ok "before any sync, verify says what it cannot check" "$SWS" --db "$A" audit verify
t_grep "no acknowledged head yet" "no head acknowledged" "$T_OUT"
t_ok "A syncs" "$SWS" --db "$A" sync
t_ok "B syncs" "$SWS" --db "$B" sync
t_ok "A's log verifies against the acknowledged head" "$SWS" --db "$A" audit verify --records
t_grep "acknowledged rows named" "^rows 1 to [0-9]* match the head the central registry acknowledged" "$T_OUT"
t_grep "the rows after it counted" "^rows after the last sync (1) cannot be checked" "$T_OUT"
t_grep "every record checked" "^records: all [0-9]* hold" "$T_OUT"
t_ok "the registry shows A's head" "$SWS" central office audit-head KH12 $CDB "$C" --json
t_grep "with its hash" '"hash": "[0-9a-f]\{64\}"' "$T_OUT"
t_no_grep "not diverged" '"diverged_at": "' "$T_OUT"
t_check "the registry keeps one head per device" test "$(t_cq "SELECT count(*) FROM audit_head")" = 2

# 1. a household edited with its triggers dropped and made again
cp "$A" "$T_DIR/a1.db"
tamper "$T_DIR/a1.db" household "UPDATE household SET phone = '012999999' WHERE regno = '$RA'"
t_ok "the chain alone does not see the edit" "$SWS" --db "$T_DIR/a1.db" audit verify
t_status 1 "the records check does" "$SWS" --db "$T_DIR/a1.db" audit verify --records
t_grep "naming the household, the field and both values" "household $RA: phone is '012999999' but the last recorded change set '012000001'" "$T_ERR"

# 2. the last row deleted after a sync
cp "$A" "$T_DIR/a2.db"
tamper "$T_DIR/a2.db" audit_log "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)"
t_status 1 "the last row deleted is found offline" "$SWS" --db "$T_DIR/a2.db" audit verify
t_grep "as rows deleted from the end" "rows were deleted from the end" "$T_ERR"

# 3. the last rows and the office's acknowledgement deleted: the registry
# finds it at the next sync and flags the device
tamper "$A" audit_log "DELETE FROM audit_log WHERE id > (SELECT max(id) - 5 FROM audit_log)"
tamper "$A" sync_state "DELETE FROM sync_state WHERE name = 'audit_acked'"
t_ok "offline, nothing is left to compare with" "$SWS" --db "$A" audit verify
t_ok "A syncs again" "$SWS" --db "$A" sync
t_grep "the registry refused A's log" "central registry refused this office's audit log: KH12: audit chain diverged" "$T_ERR"
t_status 1 "A's verify now reports it" "$SWS" --db "$A" audit verify
t_grep "in the registry's words" "refused this audit log" "$T_ERR"
t_status 1 "the registry's head of A says diverged" "$SWS" central office audit-head KH12 $CDB "$C"
t_grep "and why" "audit chain diverged (.*): .*rows" "$T_OUT"
t_ok "central stats" "$SWS" central stats $CDB "$C"
t_grep "flags A" "audit chain diverged" "$T_OUT"
t_check "in the registry's log" test "$(t_cq "SELECT count(*) FROM central_log WHERE action = 'audit.diverged' AND actor = 'KH12'")" = 1

# 4. a row of B rewritten and every later hash recomputed
tamper "$B" audit_log "UPDATE audit_log SET actor = 'someone' WHERE id = 3"
t_status 1 "an edit alone breaks the chain" "$SWS" --db "$B" audit verify
t_grep "at that row" "broken at row 3" "$T_ERR"
recompute "$B" 3
t_status 1 "recomputed, it is found against the acknowledged head" "$SWS" --db "$B" audit verify
t_no_grep "the chain itself looks whole" "broken at row" "$T_ERR"
t_grep "as rows rewritten" "rows up to it were rewritten" "$T_ERR"
tamper "$B" sync_state "DELETE FROM sync_state WHERE name = 'audit_acked'"
t_ok "B syncs" "$SWS" --db "$B" sync
t_grep "the registry finds it too" "KH13: audit chain diverged: row [0-9]* of its audit log hashes" "$T_ERR"
t_status 1 "the registry's head of B says diverged" "$SWS" central office audit-head KH13 $CDB "$C"

t_stop "$SERVER_PID"; SERVER_PID=
