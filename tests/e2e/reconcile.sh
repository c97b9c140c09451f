#!/bin/sh
# reconcile.sh - drift found and repaired, as real processes over TLS on
# 127.0.0.1: an office with records of every kind and the registry agree
# in one request; the registry is restored from an older copy (sqlite3
# file copy, or pg_dump and psql), rows are deleted and altered behind
# each side's back (sqlite3 and psql, triggers dropped as someone editing
# by hand would), then 'sws sync --reconcile': both sides hold the same
# records again, every repair is listed, and the value that differed is
# a conflict for review, decided at the registry. The nightly 'sws
# central reconcile' asks, and the office's next plain sync compares.
# e2e-stores: sqlite pg (tests/run.sh runs it on each store of the registry)
. "$(dirname "$0")/lib.sh"

t_make_ca
t_central_db
A="$T_DIR/a.db"
B="$T_DIR/b.db"
SERVER_PID=
stop_server() { t_stop "$SERVER_PID"; SERVER_PID=; }
t_cleanup() { stop_server; rm -rf "$T_DIR"; }
# restarted on the same port: the offices keep its address
NSTART=0
start_server() {
  NSTART=$((NSTART + 1))
  t_central_start "$T_DIR/serve.$NSTART.log" "" "${PORT:-0}"
}
command -v sqlite3 >/dev/null || t_fail_setup "sqlite3 is needed to edit rows behind sws's back"

# SQL on an office database behind sws's back: its guard and outbox
# triggers dropped first, as someone editing the file by hand would
office_sql() { # DB SQL
  sqlite3 "$1" "DROP TRIGGER IF EXISTS household_guard_u; DROP TRIGGER IF EXISTS household_outbox_u;
    DROP TRIGGER IF EXISTS moved_household_u; DROP TRIGGER IF EXISTS member_no_delete; $2"
}
# what a side holds for KH12: member ids, sorted
office_members() { sqlite3 "$A" "SELECT id FROM member ORDER BY id"; }
central_members() { t_cq "SELECT id FROM member WHERE r_owner = 'KH12' ORDER BY id"; }

t_ok "central init" "$SWS" central init $CDB "$C" --name "Siem Reap registry"
for o in "$A:KH12:Char Chhuk" "$B:KH13:Srei Snam"; do
  db=${o%%:*}; rest=${o#*:}; code=${rest%%:*}; name=${rest#*:}
  echo "correct horse battery" | "$SWS" --db "$db" init --office "$code" --name "$name" >/dev/null
  t_staff "$db"
  t_ok "enrol $code" "$SWS" central office add "$code" --name "$name" --pubkey "$("$SWS" --db "$db" office key)" $CDB "$C"
done
start_server
t_ok "A stores the settings" "$SWS" --db "$A" --as admin sync config --central "$URL" --ca-file "$CA"
t_ok "B stores the settings" "$SWS" --db "$B" --as admin sync config --central "$URL" --ca-file "$CA"

# records of every kind at A, one household at B
t_ok "A registers a family" "$SWS" --db "$A" --as sup household add --area 17010101 --head "ហួត សុភាព" --sex F --born 1984-06-12 \
  --member "ហួត ស្រីនិច;F;2012;child" --member "Huot Dara;M;1950;parent"
H1=$(tail -n 1 "$T_OUT")
t_ok "A registers another" "$SWS" --db "$A" --as sup household add --area 17010101 --head "Keo Samnang" --sex M --born 1970 --member "Keo Srey;F;2001;child"
H2=$(tail -n 1 "$T_OUT")
t_ok "and a third" "$SWS" --db "$A" --as sup household add --area 17010102 --head "Chan Sophea" --sex F --born 1990 --member "Chan Rith;M;2015;child"
H3=$(tail -n 1 "$T_OUT")
t_ok "a case" "$SWS" --db "$A" --as sup case open "$H1"
t_ok "a note" "$SWS" --db "$A" --as sup case note "$H1" --text "no income since January"
t_ok "an assessment" "$SWS" --db "$A" --as sup assessment add "$H1" --answer income_monthly=0 --answer income_sources=none \
  --answer idpoor=level1 --answer food_days_short=12 --answer meals_per_day=1 --answer health_cost_barrier=yes \
  --answer health_cover=none --answer housing_roof=thatch
t_ok "a referral" "$SWS" --db "$A" --as sup referral add "$H1" --member 3 --service health --to "Char Chhuk health centre" --reason "cough"
t_ok "a grievance" "$SWS" --db "$A" --as sup grievance add --household "$H1" --category payment --channel walk-in --text "no payment since March"
G=$(tail -n 1 "$T_OUT")
t_ok "escalated" "$SWS" --db "$A" --as sup grievance escalate "$G" --text "needs the district"
t_ok "B registers a family" "$SWS" --db "$B" --as sup household add --area 17010102 --head "Sok Dara" --sex M --born 1975
t_ok "A syncs" "$SWS" --db "$A" sync
t_ok "B syncs" "$SWS" --db "$B" sync
t_ok "the district answers centrally" "$SWS" central grievance answer "$G" --layer district --text "paid on Friday" $CDB "$C"
t_ok "A syncs the answer" "$SWS" --db "$A" sync

# nothing differs: said in one line
t_ok "A compares with the registry" "$SWS" --db "$A" sync --reconcile
t_grep "nothing differs, records of every kind" "0 of 256 buckets differed; both hold the same records" "$T_OUT"
t_check "the same members on both sides" test "$(office_members)" = "$(central_members)"

# the registry is copied (its backup) ...
stop_server
if [ "$CDB" = --pg ]; then
  pg_dump --no-owner "$C" >"$T_DIR/backup.sql" 2>"$T_DIR/pg.err" || t_fail_setup "pg_dump the registry" "$T_DIR/pg.err"
else
  cp "$C" "$T_DIR/backup.db"
fi
start_server
# ... the office goes on ...
t_ok "A registers a family after the backup" "$SWS" --db "$A" --as sup household add --area 17010101 --head "Ly Bopha" --sex F --born 1988
H4=$(tail -n 1 "$T_OUT")
t_ok "A changes a phone after the backup" "$SWS" --db "$A" --as sup household edit "$H2" --phone 012777666
t_ok "A syncs them" "$SWS" --db "$A" sync
t_grep "sent" "sent 3 changes" "$T_OUT"
# ... and the registry is restored from the older copy
stop_server
if [ "$CDB" = --pg ]; then
  psql "$SWS_TEST_PG" -qAt -c "DROP DATABASE $t_pgdb" -c "CREATE DATABASE $t_pgdb" >/dev/null 2>"$T_DIR/pg.err" &&
    psql "$C" -qAt -v ON_ERROR_STOP=1 -f "$T_DIR/backup.sql" >/dev/null 2>"$T_DIR/pg.err" || t_fail_setup "restore the registry with psql" "$T_DIR/pg.err"
else
  rm -f "$C-wal" "$C-shm"
  cp "$T_DIR/backup.db" "$C"
fi
start_server
t_ok "the restored registry lacks the new family" sh -c "'$SWS' central stats $CDB '$C' --json | grep -q '\"households\": 4'"

# rows deleted and altered behind each side's back
M2=$(sqlite3 "$A" "SELECT id FROM member WHERE name = 'Chan Rith'")
t_ok "the registry loses a member (psql/sqlite3)" t_cq "DELETE FROM member WHERE id = '$M2'"
t_ok "the registry's copy of a name is changed by hand" t_cq "UPDATE member SET name = 'Keo Sreyy' WHERE name = 'Keo Srey'"
M3=$(sqlite3 "$A" "SELECT id FROM member WHERE name = 'Huot Dara'")
t_ok "A loses a member (sqlite3)" office_sql "$A" "DELETE FROM member WHERE id = '$M3'"
t_ok "A's address of a family is changed by hand" office_sql "$A" "UPDATE household SET address = 'Street 7' WHERE regno = '$H3'"

# the comparison repairs all of it and says so
t_ok "A syncs and compares" "$SWS" --db "$A" sync --reconcile
cp "$T_OUT" "$T_DIR/repairs"
t_grep "the changes the restored registry forgot are sent again" "sent again: the registry had forgotten changes" "$T_DIR/repairs"
t_grep "the member the registry lost is sent again" "sent again: member 2 of $H3 (Chan Rith)" "$T_DIR/repairs"
t_grep "the member A lost is received again" "received again: member 3 of $H1 (Huot Dara)" "$T_DIR/repairs"
t_grep "the name that differs is a conflict" "conflict: member 2 of $H2 .*field name" "$T_DIR/repairs"
t_grep "the address that differs is a conflict" "conflict: household $H3: field address" "$T_DIR/repairs"
t_grep "four repairs and a resend, counted" "1 record sent again, 1 received again, 2 conflicts to review; 3 changes the registry had forgotten sent again" "$T_DIR/repairs"
t_check "the same members on both sides again" test "$(office_members)" = "$(central_members)"
t_check "the family registered after the backup is back" test "$(t_cq "SELECT count(*) FROM household WHERE regno = '$H4'")" = 1
t_check "with the phone changed after the backup" test "$(t_cq "SELECT phone FROM household WHERE regno = '$H2'")" = 012777666
t_check "the registry's value stands at A until decided" test "$(sqlite3 "$A" "SELECT count(*) FROM member WHERE name = 'Keo Sreyy'")" = 1
t_ok "A's sync status" "$SWS" --db "$A" sync status
t_grep "lists both conflicts for review" "conflicts:  2" "$T_OUT"
t_ok "the registry lists them" "$SWS" central conflicts $CDB "$C" --json
t_check "two open at the registry" test "$(grep -c '"status": "open"' "$T_OUT")" = 2
t_check "audited at the office" test "$(sqlite3 "$A" "SELECT count(*) FROM audit_log WHERE action = 'sync.reconcile'")" = 2
t_check "audited at the registry" test "$(t_cq "SELECT count(*) FROM central_log WHERE action = 'reconcile.records'")" -ge 1
t_check "each conflict in the registry's log" test "$(t_cq "SELECT count(*) FROM central_log WHERE action = 'reconcile.conflict'")" = 2
t_ok "A compares again" "$SWS" --db "$A" sync --reconcile
t_grep "nothing differs any more" "0 of 256 buckets differed; both hold the same records" "$T_OUT"

# the address is decided for A's value at the registry, and goes back
ID=$("$SWS" central conflicts $CDB "$C" | sed -n 's/^#\([0-9]*\) .* address .*/\1/p')
t_ok "the registry decides the address for the office" "$SWS" central conflict resolve "$ID" --use-office --note "the family moved to street 7" $CDB "$C"
t_ok "A syncs the decision" "$SWS" --db "$A" sync
t_check "A holds its address again" test "$(sqlite3 "$A" "SELECT address FROM household WHERE regno = '$H3'")" = "Street 7"

# the nightly check asks; A's next plain sync compares
t_cq "DELETE FROM member WHERE id = '$M3'" >/dev/null
t_ok "the nightly check" "$SWS" central reconcile $CDB "$C"
t_grep "says what it holds for KH12" "^KH12: 19 records held here, 1 naming a record this registry does not have.*last compared 20.*1 device asked" "$T_OUT"
t_grep "and for KH13" "^KH13: .* never; 1 device asked" "$T_OUT"
t_ok "the nightly check for one office" "$SWS" central reconcile --office KH13 $CDB "$C"
t_no_grep "only that one" "^KH12" "$T_OUT"
t_status 1 "an office not enrolled is refused" "$SWS" central reconcile --office KH99 $CDB "$C"
t_ok "A's next plain sync compares" "$SWS" --db "$A" sync
t_grep "and sends the member again" "sent again: member 3 of $H1" "$T_OUT"
t_ok "and the one after does not" "$SWS" --db "$A" sync
t_no_grep "compare only when asked" "compared" "$T_OUT"
t_check "the same members on both sides" test "$(office_members)" = "$(central_members)"
# nothing was lost from A's feed by the restore: its cursor never passed
# the end of it
t_cq "SELECT detail FROM central_log WHERE action = 'feed.rewound'" >"$T_DIR/rewound"
[ -s "$T_DIR/rewound" ] && sed 's/^/  feed.rewound: /' "$T_DIR/rewound" >&2
t_check "no feed cursor was taken for one past the end" test ! -s "$T_DIR/rewound"

# requests the registry refuses
t_status 0 "an unsigned comparison is refused" sh -c "curl -s --cacert '$CA' -o '$T_DIR/c.out' -w '%{http_code}' -X POST -d '{}' '$URL/v1/reconcile' | grep -q 401"
t_status 0 "a comparison read with GET is refused" sh -c "curl -s --cacert '$CA' -o /dev/null -w '%{http_code}' '$URL/v1/reconcile' | grep -q 405"
t_ok "B compares: its own records only" "$SWS" --db "$B" sync --reconcile
t_grep "B holds its two records, as the registry does for it" "compared 2 records with the registry's 2" "$T_OUT"
stop_server
t_grep "the server logged the comparisons" "reconcile: " "$T_DIR/serve.$NSTART.log"
