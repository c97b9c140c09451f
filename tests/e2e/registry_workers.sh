#!/bin/sh
# registry_workers.sh - the registry on PostgreSQL served by two workers
# ('sws central serve' processes on one database, one port each), with
# real processes over TLS on 127.0.0.1:
#   a. the same frozen batch sent to both workers at the same moment is
#      applied once (the device's row is locked; the second answers from
#      the stored verdicts);
#   b. the same family registered at two offices and pushed at the same
#      moment through the two workers is found as a duplicate (the person
#      index is locked per blocking key);
#   c. 20 offices register and sync at once for about ten seconds, each
#      through either worker; afterwards the registry holds exactly what
#      every office sent: nothing lost, nothing doubled.
# The short version of the load benchmark (docs/benchmarks.md).
# e2e-stores: pg
. "$(dirname "$0")/lib.sh"

SENDREQ=$T_TOOLS/sendreq
[ -x "$SENDREQ" ] || t_fail_setup "the test tools are built (make tools)"
command -v sqlite3 >/dev/null || t_fail_setup "sqlite3 is installed (scripts/deps.sh)"
[ -n "${SWS_TEST_PG:-}" ] || t_fail_setup "a PostgreSQL cluster (tests/run.sh starts one)"
t_make_ca
t_central_db
W1= W2= PIDS=
t_cleanup() {
  for p in $PIDS; do kill "$p" 2>/dev/null; done
  t_stop "$W1"; t_stop "$W2"; rm -rf "$T_DIR"
}

t_ok "central init on PostgreSQL" "$SWS" central init $CDB "$C" --name "Two workers"
NOFF=20
i=1
while [ $i -le $NOFF ]; do
  code=$(printf 'KH%02d' $((i + 20)))
  echo "correct horse battery" | "$SWS" --db "$T_DIR/o$i.db" init --office "$code" --name "Office $i" >/dev/null ||
    t_fail_setup "init office $code"
  t_staff "$T_DIR/o$i.db"
  "$SWS" central office add "$code" --name "Office $i" --pubkey "$("$SWS" --db "$T_DIR/o$i.db" office key)" $CDB "$C" >/dev/null ||
    t_fail_setup "enrol office $code"
  i=$((i + 1))
done
t_central_start "$T_DIR/w1.log"
W1=$SERVER_PID URL1=$URL
t_central_start "$T_DIR/w2.log"
W2=$SERVER_PID URL2=$URL
t_check "two workers serve one registry" test "$URL1" != "$URL2"

# a. one batch, both workers, the same moment
O=$T_DIR/o1.db
t_ok "office 1 registers a family" "$SWS" --db "$O" --as sup household add --area 17010101 --head "Sok Both" --sex F --born 1980 \
  --member "Sok Kon;M;2010;child"
SWS_CRASH_AT=push.frozen "$SWS" --db "$O" sync --central "$URL1" --ca-file "$CA" >/dev/null 2>&1
sqlite3 "$O" "SELECT writefile('$T_DIR/batch.json', body) FROM sync_batch" >/dev/null
N=$(sqlite3 "$O" "SELECT last_seq - first_seq + 1 FROM sync_batch")
t_check "a batch is frozen" test -s "$T_DIR/batch.json"
"$SENDREQ" --db "$O" --central "$URL1" --ca-file "$CA" --body "$T_DIR/batch.json" POST /v1/push >"$T_DIR/r1" 2>&1 &
P1=$!
"$SENDREQ" --db "$O" --central "$URL2" --ca-file "$CA" --body "$T_DIR/batch.json" POST /v1/push >"$T_DIR/r2" 2>&1 &
P2=$!
wait $P1
wait $P2
t_check "both workers answered 200" sh -c "grep -q '^status 200' '$T_DIR/r1' && grep -q '^status 200' '$T_DIR/r2'"
t_check "every mutation recorded once" test "$(t_cq "SELECT count(*) FROM mutation WHERE office = 'KH21'")" = "$N"
t_check "the family is there once" test "$(t_cq "SELECT count(*) FROM member WHERE name = 'Sok Both'")" = 1
t_ok "office 1 syncs after that" "$SWS" --db "$O" sync --central "$URL2" --ca-file "$CA"
t_grep "and has nothing left to send" "0 changes still to send\|nothing to send\|sent 0 changes" "$T_OUT"

# b. the same family at two offices, pushed at the same moment
t_ok "office 2 registers a family" "$SWS" --db "$T_DIR/o2.db" --as sup household add --area 17010101 --head "Chea Samphors" --sex F --born 1979 --national-id N9001
t_ok "office 3 registers the same family" "$SWS" --db "$T_DIR/o3.db" --as sup household add --area 17010102 --head "Chea Samphors" --sex F --born 1979 --national-id N9001
"$SWS" --db "$T_DIR/o2.db" sync --central "$URL1" --ca-file "$CA" >"$T_DIR/s2" 2>&1 &
P1=$!
"$SWS" --db "$T_DIR/o3.db" sync --central "$URL2" --ca-file "$CA" >"$T_DIR/s3" 2>&1 &
P2=$!
wait $P1; S1=$?
wait $P2; S2=$?
t_check "both offices synced" test "$S1$S2" = 00
t_ok "the registry lists the pair" "$SWS" central duplicates $CDB "$C" --json
t_grep "as a possible duplicate" "same national ID" "$T_OUT"

# c. 20 offices at once for about ten seconds
END=$(($(date +%s) + 10))
i=1
while [ $i -le $NOFF ]; do
  (
    n=0
    url=$URL1
    [ $((i % 2)) -eq 0 ] && url=$URL2
    while [ "$(date +%s)" -lt "$END" ]; do
      n=$((n + 1))
      "$SWS" --db "$T_DIR/o$i.db" --as sup household add --area 17010101 --head "Load $i Head $n" --sex M --born 1970 \
        --member "Load $i Wife $n;F;1972;spouse" --force-new "load test" >/dev/null 2>&1 || echo "register failed" >>"$T_DIR/load.err"
      [ $((n % 2)) -eq 0 ] && { "$SWS" --db "$T_DIR/o$i.db" sync --central "$url" --ca-file "$CA" >>"$T_DIR/load$i.log" 2>&1 || echo "office $i sync failed: $(tail -n 1 "$T_DIR/load$i.log")" >>"$T_DIR/load.err"; }
    done
    # the last changes, through the other worker
    url=$URL2
    [ $((i % 2)) -eq 0 ] && url=$URL1
    "$SWS" --db "$T_DIR/o$i.db" sync --central "$url" --ca-file "$CA" >>"$T_DIR/load$i.log" 2>&1 || echo "office $i final sync failed" >>"$T_DIR/load.err"
  ) &
  PIDS="$PIDS $!"
  i=$((i + 1))
done
for p in $PIDS; do wait "$p"; done
PIDS=
t_check "no office saw an error" test ! -s "$T_DIR/load.err"
[ -s "$T_DIR/load.err" ] && head -n 5 "$T_DIR/load.err" >&2
lost=0 doubled=0 total=0
i=1
while [ $i -le $NOFF ]; do
  code=$(printf 'KH%02d' $((i + 20)))
  db=$T_DIR/o$i.db
  for e in household member; do
    mine=$(sqlite3 "$db" "SELECT count(DISTINCT entity_id) FROM outbox WHERE entity = '$e' AND op = 'insert'")
    there=$(t_cq "SELECT count(*) FROM $e WHERE r_owner = '$code'")
    total=$((total + mine))
    [ "$there" -lt "$mine" ] && lost=$((lost + mine - there))
    [ "$there" -gt "$mine" ] && doubled=$((doubled + there - mine))
  done
  acked=$(sqlite3 "$db" "SELECT value FROM sync_state WHERE name = 'acked'")
  last=$(sqlite3 "$db" "SELECT max(seq) FROM outbox")
  row=$(t_cq "SELECT ack_seq, count(m.seq), min(m.seq), max(m.seq) FROM office o LEFT JOIN mutation m ON m.office = o.code WHERE o.code = '$code' GROUP BY o.ack_seq")
  [ "$acked" = "$last" ] && [ "$row" = "$last|$last|1|$last" ] || { echo "$code: office acked $acked of $last, registry $row" >>"$T_DIR/acct.err"; }
  i=$((i + 1))
done
t_check "the offices registered families while syncing ($total records)" test "$total" -gt 100
t_check "nothing lost at the registry ($lost)" test "$lost" = 0
t_check "nothing doubled ($doubled)" test "$doubled" = 0
t_check "every office's mutations recorded once, watermarks equal" test ! -s "$T_DIR/acct.err"
[ -s "$T_DIR/acct.err" ] && head -n 5 "$T_DIR/acct.err" >&2

t_stop "$W1"; W1=
t_stop "$W2"; W2=
t_ok "both workers stopped cleanly" sh -c "grep -q 'central registry stopped' '$T_DIR/w1.log' && grep -q 'central registry stopped' '$T_DIR/w2.log'"
