#!/bin/sh
# sync_faults.sh - sync under faults, with real processes on 127.0.0.1: the
# central registry over TLS (test CA), two offices running the real
# 'sws sync', and after every fault an exact account of what each side
# holds (households and members at the registry and at the offices, every
# mutation recorded once, watermarks equal on both sides, no batch left
# frozen) and a clean sync that has nothing left to do.
#
#   a. the office killed (SIGKILL, SWS_CRASH_AT) at every crash point of
#      push and pull, then synced again;
#   b. connections cut at seeded byte offsets, both ways, by
#      build/faultproxy (tests/tools/faultproxy.c): sessions that fail
#      are run again until one completes, and a session that meets one
#      cut recovers by itself;
#   c. the registry killed mid-batch, and after committing but before
#      answering, then restarted;
#   d. the same batch delivered twice (the office killed after the answer
#      came, then a captured body replayed by build/sendreq);
#   e. office clocks a year ahead and a year behind.
# e2e-stores: sqlite pg (tests/run.sh runs it on each store of the registry)
. "$(dirname "$0")/lib.sh"

PROXY=$T_TOOLS/faultproxy
SENDREQ=$T_TOOLS/sendreq
if [ ! -x "$PROXY" ] || [ ! -x "$SENDREQ" ]; then
  t_fail_setup "the test tools are built (make tools: $PROXY, $SENDREQ)"
fi
command -v sqlite3 >/dev/null || t_fail_setup "sqlite3 is installed (scripts/deps.sh)"
t_make_ca
t_central_db
A=$T_DIR/a.db
B=$T_DIR/b.db
# many small batches and feed pages, so that faults land in the middle
export SWS_SYNC_TEST_BATCH_BYTES=8192 SWS_SYNC_TEST_PAGE_BYTES=1024

SERVER_PID=
PROXY_PID=
stop_server() { t_stop "$SERVER_PID"; SERVER_PID=; }
stop_proxy() { t_stop "$PROXY_PID"; PROXY_PID=; }
t_cleanup() { stop_proxy; stop_server; rm -rf "$T_DIR"; }

# start_server [CRASH_POINT [PORT]]: the registry in the background, its
# log in $SLOG; sets SERVER_PID, URL and PORT.
NSTART=0
start_server() {
  NSTART=$((NSTART + 1))
  SLOG=$T_DIR/serve$NSTART.log
  t_central_start "$SLOG" "${1:-}" "${2:-0}"
}
server_log() { cat "$T_DIR"/serve*.log; }

# start_proxy ARGS...: the fault proxy in front of the registry, its log
# in $PLOG; sets PROXY_PID and PURL (the URL through it: same host, so
# TLS verifies).
NPROXY=0
start_proxy() {
  NPROXY=$((NPROXY + 1))
  PLOG=$T_DIR/proxy$NPROXY.log
  t_proxy_start "$PLOG" --target "$PORT" --lifetime 120 --max-conns 200 "$@"
}

sync_office() { # DB [args...]: one sync session against the current server
  db=$1; shift
  "$SWS" --db "$db" sync --central "$URL" --ca-file "$CA" "$@"
}

# add_households DB TAG N: N households of three members, imported
add_households() {
  awk -v tag="$2" -v n="$3" 'BEGIN {
    print "household_key,name,sex,born,relationship,area,national_id,phone"
    for (i = 1; i <= n; i++) {
      k = tag "-" i
      printf "%s,Test %s %d Head,M,1980,head,17010101,,\n", k, tag, i
      printf "%s,Test %s %d Wife,F,1983,spouse,17010101,,\n", k, tag, i
      printf "%s,Test %s %d Child,F,2012,child,17010101,,\n", k, tag, i
    }
  }' >"$T_DIR/$2.csv"
  "$SWS" --db "$1" --as sup import "$T_DIR/$2.csv" >/dev/null 2>"$T_ERR" ||
    { echo "not ok - import $2 into $1" >>"$E2E_RESULTS"; cat "$T_ERR" >&2; exit 1; }
}

# enrol_fakes N: N more offices enrolled (keys of nobody), so that every
# office's feed gets N more items to pull
NFAKE=0
enrol_fakes() {
  k=0
  while [ $k -lt "$1" ]; do
    NFAKE=$((NFAKE + 1)); k=$((k + 1))
    key=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    "$SWS" central office add "ZZ$NFAKE" --name "Far office $NFAKE" --pubkey "$key" $CDB "$C" >/dev/null ||
      { echo "not ok - enrol ZZ$NFAKE" >>"$E2E_RESULTS"; exit 1; }
  done
}

q() { sqlite3 "$1" "$2"; }
own_count() { # DB ENTITY: records this office created
  q "$1" "SELECT count(DISTINCT entity_id) FROM outbox WHERE entity = '$2' AND op = 'insert'"
}
cstat() { "$SWS" central stats $CDB "$C" --json | sed -n "s/^  \"$1\": \([0-9]*\),*\$/\1/p"; }

expect_eq() { # what got wanted
  if [ "$2" = "$3" ]; then
    t_result 0 "$1"
  else
    : >"$T_OUT"
    echo "got '$2', wanted '$3'" >"$T_ERR"
    t_result 1 "$1"
  fi
}

# What the offices received from other offices (merged households).
PULLED_HH_B=0
PULLED_MEM_B=0
NMERGED=0
NMERGED_MEM=0 # people of the households merged away: counted once

# check_exact LABEL: sync both offices until nothing moves, then account
# for every record and every mutation on both sides.
check_exact() {
  sync_office "$A" >/dev/null 2>&1
  sync_office "$B" >/dev/null 2>&1
  # the registry's duplicate job (run by the server every second) feeds
  # the pairs it finds; run it to the end, then one more sync takes them
  "$SWS" central dedup $CDB "$C" >/dev/null 2>&1
  sync_office "$A" >/dev/null 2>&1
  sync_office "$B" >/dev/null 2>&1
  t_ok "$1: A's clean sync" sync_office "$A"
  t_grep "$1: A has nothing left to send or receive" \
    "^sent 0 changes in 0 batches; received 0 items; 0 changes still to send" "$T_OUT"
  t_ok "$1: B's clean sync" sync_office "$B"
  t_grep "$1: B has nothing left to send or receive" \
    "^sent 0 changes in 0 batches; received 0 items; 0 changes still to send" "$T_OUT"
  hA=$(own_count "$A" household); mA=$(own_count "$A" member)
  hB=$(own_count "$B" household); mB=$(own_count "$B" member)
  expect_eq "$1: the registry holds every household once" \
    "$(cstat households) $(t_cq "SELECT count(*) FROM household")" \
    "$((hA + hB - NMERGED)) $((hA + hB))"
  expect_eq "$1: the registry holds every member once" \
    "$(cstat members) $(t_cq "SELECT count(*) FROM member")" \
    "$((mA + mB - NMERGED_MEM)) $((mA + mB))"
  expect_eq "$1: no registration number twice at the registry" \
    "$(t_cq "SELECT count(*) - count(DISTINCT regno) FROM household")" 0
  for x in "$A:KH12:0:0" "$B:KH13:$PULLED_HH_B:$PULLED_MEM_B"; do
    db=${x%%:*}; rest=${x#*:}; code=${rest%%:*}; rest=${rest#*:}
    ph=${rest%%:*}; pm=${rest#*:}
    last=$(q "$db" "SELECT coalesce(max(seq), 0) FROM outbox")
    expect_eq "$1: $code's watermark is the registry's, every mutation recorded once" \
      "$(q "$db" "SELECT value FROM sync_state WHERE name = 'acked'") $(t_cq "SELECT ack_seq FROM office WHERE code = '$code'") $(t_cq "SELECT count(*), min(seq), max(seq) FROM mutation WHERE office = '$code'")" \
      "$last $last $last|1|$last"
    expect_eq "$1: $code has no batch waiting" "$(q "$db" "SELECT count(*) FROM sync_batch")" 0
    expect_eq "$1: $code holds its households and members, and what it received, once" \
      "$(q "$db" "SELECT count(*) FROM household") $(q "$db" "SELECT count(*) FROM member")" \
      "$(($(own_count "$db" household) + ph)) $(($(own_count "$db" member) + pm))"
    expect_eq "$1: $code knows every office's key" \
      "$(q "$db" "SELECT count(*) FROM office_key")" "$(cstat offices)"
  done
}

# ---- the registry and two offices ----
t_ok "central init" "$SWS" central init $CDB "$C" --name "Fault registry"
for o in "$A:KH12:Char Chhuk" "$B:KH13:Srei Snam"; do
  db=${o%%:*}; rest=${o#*:}; code=${rest%%:*}; name=${rest#*:}
  echo "correct horse battery" | "$SWS" --db "$db" init --office "$code" --name "$name" >/dev/null
  t_staff "$db"
  t_ok "enrol $code" "$SWS" central office add "$code" --name "$name" --pubkey "$("$SWS" --db "$db" office key)" $CDB "$C"
done
add_households "$A" a0 40
add_households "$B" b0 30
start_server
t_ok "A's first sync" sync_office "$A"
t_ok "B's first sync" sync_office "$B"
# three of B's households merged into A's: B receives A's three and their
# members through its feed
for n in 1 2 3; do
  ra=$(q "$A" "SELECT regno FROM household ORDER BY rowid LIMIT 1 OFFSET $((n - 1))")
  rb=$(q "$B" "SELECT regno FROM household ORDER BY rowid LIMIT 1 OFFSET $((n - 1))")
  t_ok "merge $rb into $ra" "$SWS" central merge "$ra" "$rb" $CDB "$C"
  ida=$(q "$A" "SELECT id FROM household WHERE regno = '$ra'")
  PULLED_MEM_B=$((PULLED_MEM_B + $(q "$A" "SELECT count(*) FROM member WHERE household_id = '$ida'")))
  NMERGED_MEM=$((NMERGED_MEM + $(q "$B" "SELECT count(*) FROM member WHERE household_id = (SELECT id FROM household WHERE regno = '$rb')")))
done
PULLED_HH_B=3
NMERGED=3
check_exact "start"

# ---- a. the office killed at each crash point ----
n=0
for point in push.frozen push.answered push.recording push.recorded; do
  n=$((n + 1))
  add_households "$A" "kill$n" 12
  t_status 137 "A killed at $point (second batch)" env SWS_CRASH_AT="$point:2" \
    "$SWS" --db "$A" sync --central "$URL" --ca-file "$CA"
  frozen=$(q "$A" "SELECT count(*) FROM sync_batch")
  acked=$(q "$A" "SELECT value FROM sync_state WHERE name = 'acked'")
  cack=$(t_cq "SELECT ack_seq FROM office WHERE code = 'KH12'")
  # frozen batches the registry has applied, and those frozen ahead while
  # the one before was in flight (never sent: at most one)
  sent=$(q "$A" "SELECT count(*) FROM sync_batch WHERE first_seq <= $cack")
  t_check "killed at $point: at most one batch frozen ahead" test $((frozen - sent)) -le 1
  case $point in
    push.frozen) expect_eq "killed at $point: a batch is frozen, the registry has not seen it" \
      "$frozen $sent $([ "$cack" = "$acked" ] && echo same)" "1 0 same" ;;
    push.answered | push.recording) expect_eq "killed at $point: the batch is still frozen, the registry is ahead" \
      "$sent $([ "$cack" -gt "$acked" ] && echo ahead)" "1 ahead" ;;
    push.recorded) expect_eq "killed at $point: the batch is recorded, both sides agree" \
      "$sent $([ "$cack" = "$acked" ] && echo same)" "0 same" ;;
  esac
  if [ "$point" = push.answered ]; then
    # d. kept for the replay below: the applied batch's body and id
    W="WHERE first_seq <= $cack"
    BID=$(q "$A" "SELECT batch_id FROM sync_batch $W")
    BN=$(q "$A" "SELECT last_seq - first_seq + 1 FROM sync_batch $W")
    q "$A" "SELECT writefile('$T_DIR/batch.json', body) FROM sync_batch $W" >/dev/null
  fi
  t_ok "A syncs again after the kill at $point" sync_office "$A"
  check_exact "after $point"
done

# d. the same batch delivered twice: the office resent it byte for byte
# after its kill, and it is replayed once more by hand
t_check "the frozen batch was captured" test -s "$T_DIR/batch.json"
t_ok "the captured batch sent again" "$SENDREQ" --db "$A" --central "$URL" --ca-file "$CA" \
  --body "$T_DIR/batch.json" POST /v1/push
t_grep "is answered" "^status 200" "$T_OUT"
expect_eq "with the verdicts it had: all $BN applied" \
  "$(grep -o '"v":"[a-z]*"' "$T_OUT" | sort | uniq -c | tr -s ' ')" " $BN \"v\":\"applied\""
server_log | grep " push batch $BID " >"$T_DIR/bid.log"
expect_eq "the batch reached the registry three times, twice as a replay" \
  "$(wc -l <"$T_DIR/bid.log" | tr -d ' ') $(grep -c 'a replay, answered from the stored verdicts' "$T_DIR/bid.log")" "3 2"
expect_eq "each time with the same verdicts" \
  "$(sed 's/.*: \([0-9]* applied, [0-9]* duplicate, [0-9]* merged, [0-9]* conflict, [0-9]* rejected\).*/\1/' "$T_DIR/bid.log" | sort -u | wc -l | tr -d ' ')" 1
check_exact "after the replays"

# pull: the office killed while reading its feed (new offices enrolled
# give every feed items to read, over several pages)
for point in pull.received pull.applying pull.applied; do
  enrol_fakes 20
  t_status 137 "A killed at $point (second page)" env SWS_CRASH_AT="$point:2" \
    "$SWS" --db "$A" sync --central "$URL" --ca-file "$CA"
  t_check "killed at $point: A has not read its whole feed" \
    test "$(q "$A" "SELECT count(*) FROM office_key")" -lt "$(cstat offices)"
  t_ok "A syncs again after the kill at $point" sync_office "$A"
  check_exact "after $point"
done

# ---- b. connections cut at seeded offsets ----
# one try per request: each cut ends the session; the next goes on
add_households "$A" cut 100
add_households "$B" cutb 20
enrol_fakes 10
ncut=0
nfail=0
done_a=
seed=1
while [ $seed -le 40 ]; do
  start_proxy --seed "$seed" --cut-max 8000 --cut-max-down 3000
  if SWS_SYNC_TEST_ATTEMPTS=1 "$SWS" --db "$A" sync --central "$PURL" --ca-file "$CA" >"$T_OUT" 2>"$T_ERR"; then
    done_a=$seed
  else
    nfail=$((nfail + 1))
    cp "$T_ERR" "$T_DIR/cut-error.txt"
  fi
  stop_proxy
  ncut=$((ncut + $(grep -c ': cut (' "$PLOG")))
  [ -n "$done_a" ] && break
  seed=$((seed + 1))
done
t_check "a session completed through the cutting proxy (after $nfail cut sessions)" test -n "$done_a"
t_check "connections were cut ($ncut) and sessions failed ($nfail) on the way" test "$ncut" -ge 2 -a "$nfail" -ge 2
t_grep "a cut session says nothing is lost" "nothing is lost" "$T_DIR/cut-error.txt"
# with the usual retries a session meets a cut and carries on by itself
for seed in 101 102 103 104 105 106; do
  add_households "$B" "cutb$seed" 4
  start_proxy --seed "$seed" --cut-max 2500 --cut-conns 1
  t_ok "B's session recovers from a cut by itself (seed $seed)" \
    "$SWS" --db "$B" sync --central "$PURL" --ca-file "$CA"
  stop_proxy
  t_grep "the proxy cut it (seed $seed)" ": cut (" "$PLOG"
done
check_exact "after the cuts"

# ---- c. the registry killed mid-batch, and between commit and answer ----
add_households "$A" mid 30
stop_server
start_server central.push.mid:2
SWS_SYNC_TEST_ATTEMPTS=1 "$SWS" --db "$A" sync --central "$URL" --ca-file "$CA" >"$T_OUT" 2>"$T_ERR"
t_check "the office's session fails when the registry dies mid-batch" test $? -eq 1
wait "$SERVER_PID"
t_check "the registry was killed mid-batch" test $? -eq 137
SERVER_PID=
expect_eq "the half-applied batch left nothing at the registry" \
  "$(t_cq "SELECT count(*) FROM mutation WHERE office = 'KH12'")" \
  "$(t_cq "SELECT ack_seq FROM office WHERE code = 'KH12'")"
start_server
t_ok "A syncs with the restarted registry" sync_office "$A"
check_exact "after the registry died mid-batch"

add_households "$A" commit 30
stop_server
start_server central.push.committed:2
SWS_SYNC_TEST_ATTEMPTS=1 "$SWS" --db "$A" sync --central "$URL" --ca-file "$CA" >"$T_OUT" 2>"$T_ERR"
t_check "the office's session fails when the registry dies before answering" test $? -eq 1
wait "$SERVER_PID"
t_check "the registry was killed after committing" test $? -eq 137
SERVER_PID=
t_check "the registry is ahead of the office" \
  test "$(t_cq "SELECT ack_seq FROM office WHERE code = 'KH12'")" -gt "$(q "$A" "SELECT value FROM sync_state WHERE name = 'acked'")"
start_server
t_ok "A syncs with the restarted registry" sync_office "$A"
t_check "the unanswered batch came back as a replay" sh -c "cat '$SLOG' | grep -q 'KH12 push batch .*a replay'"
check_exact "after the registry died before answering"

# in one session: the registry dies mid-batch and comes back on the same
# port while the office waits to retry
add_households "$A" back 30
stop_server
start_server central.push.mid:3
"$SWS" --db "$A" sync --central "$URL" --ca-file "$CA" >"$T_DIR/one.out" 2>"$T_DIR/one.err" &
CPID=$!
restarted=0
i=0
while kill -0 "$CPID" 2>/dev/null && [ $i -lt 600 ]; do
  if [ $restarted -eq 0 ] && ! kill -0 "$SERVER_PID" 2>/dev/null; then
    wait "$SERVER_PID"
    start_server "" "$PORT"
    restarted=1
  fi
  sleep 0.05
  i=$((i + 1))
done
wait "$CPID"
st=$?
cp "$T_DIR/one.out" "$T_OUT"; cp "$T_DIR/one.err" "$T_ERR"
t_result "$st" "A's session outlives the registry's crash and restart"
t_check "the registry was restarted on the same port" test $restarted -eq 1
check_exact "after the restart within a session"

# ---- e. office clocks a year off ----
AHEAD=$(date -u -d '+1 year' +%Y-%m-%dT%H:%M:%SZ)
BEHIND=$(date -u -d '-1 year' +%Y-%m-%dT%H:%M:%SZ)
export SWS_NOW="$AHEAD"
t_staff "$A"  # a year on, the logins of today have expired
add_households "$A" ahead 5
export SWS_NOW="$BEHIND"
add_households "$B" behind 5
unset SWS_NOW
t_ok "A syncs with its clock a year ahead" env SWS_NOW="$AHEAD" "$SWS" --db "$A" sync --central "$URL" --ca-file "$CA"
t_grep "and is told its clock is a year ahead" "clock is 36[0-9] days ahead" "$T_ERR"
t_ok "B syncs with its clock a year behind" env SWS_NOW="$BEHIND" "$SWS" --db "$B" sync --central "$URL" --ca-file "$CA"
t_grep "and is told its clock is a year behind" "clock is 36[0-9] days behind" "$T_ERR"
t_ok "sync status at B" "$SWS" --db "$B" sync status
t_grep "shows the skew" "^clock: .*36[0-9] days behind" "$T_OUT"
# a request signed with the office's clock as it is (not corrected by the
# greeting) falls outside the registry's window and is refused, saying why
t_ok "a request signed a year ahead gets an answer" env SWS_NOW="$AHEAD" "$SENDREQ" --db "$A" \
  --central "$URL" --ca-file "$CA" GET "/v1/feed?max=1024&cursor="
t_grep "a refusal" "^status 401" "$T_OUT"
t_grep "naming the clock skew and what to do" \
  "office clock is 36[0-9] days ahead of the registry's.*set the office computer's date and time" "$T_OUT"
t_ok "a request signed a year behind gets an answer" env SWS_NOW="$BEHIND" "$SENDREQ" --db "$B" \
  --central "$URL" --ca-file "$CA" GET "/v1/feed?max=1024&cursor="
t_grep "a refusal" "^status 401" "$T_OUT"
t_grep "naming the clock skew" "office clock is 36[0-9] days behind the registry's" "$T_OUT"
t_check "the registry's log names the refusals" sh -c "cat '$SLOG' | grep -c 'refused GET /v1/feed (401 clock)' | grep -q '^2\$'"
# the clocks fixed
t_ok "A syncs with its clock fixed" sync_office "$A"
t_no_grep "without a clock warning" "clock" "$T_ERR"
t_ok "B syncs with its clock fixed" sync_office "$B"
t_ok "sync status at B" "$SWS" --db "$B" sync status
t_no_grep "no skew shown" "^clock:" "$T_OUT"
check_exact "after the clocks were fixed"

stop_server
t_check "the server stopped cleanly on SIGTERM" grep -q "central registry stopped" "$SLOG"
