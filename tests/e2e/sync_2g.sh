#!/bin/sh
# sync_2g.sh - an office pushes a couple of thousand households over a 2G
# link (128 kbit/s, 400 ms each way so a round trip of about 800 ms, 2 %
# loss) and is killed a few times on the way: the acknowledged sequence
# only ever moves forward, on both sides, and the last run completes with
# every record at the registry exactly once.
#
# The link: tc netem on the loopback of a network namespace of our own
# (unshare -rn), when the kernel has netem. Otherwise build/faultproxy
# relays the connection at 128 kbit/s with 400 ms each way (no loss: TCP
# would hide it anyway, as a longer wait). Without either, the test is
# skipped with the reason.
#   SWS_2G_HOUSEHOLDS  households to push (default 2000)
# e2e-stores: sqlite pg (tests/run.sh runs it on each store of the registry)
. "$(dirname "$0")/lib.sh"

PROXY=$T_TOOLS/faultproxy
N=${SWS_2G_HOUSEHOLDS:-2000}
WHAT="sync of $N households over a 2G link, interrupted"

netem_ok() {
  command -v unshare >/dev/null && command -v tc >/dev/null && command -v ip >/dev/null &&
    unshare -rn sh -c 'ip link set lo up && tc qdisc add dev lo root netem delay 1ms' >/dev/null 2>&1
}

if [ "${1:-}" != inside ]; then
  if netem_ok; then
    # the same script again, in a network namespace of its own
    unshare -rn sh "$0" inside netem
    exit $?
  elif [ -x "$PROXY" ]; then
    set -- inside proxy
  else
    echo "ok - $WHAT # skip: network namespaces or tc netem not permitted here, and no build/faultproxy" >>"$E2E_RESULTS"
    exit 0
  fi
fi
MODE=$2

SERVER_PID=
PROXY_PID=
CPID=
t_cleanup() { t_stop "$CPID" KILL; t_stop "$PROXY_PID"; t_stop "$SERVER_PID"; rm -rf "$T_DIR"; }

if [ "$MODE" = netem ]; then
  ip link set lo up && ip link set lo mtu 1500 &&
    tc qdisc add dev lo root netem rate 128kbit delay 400ms loss 2% ||
    { echo "not ok - $WHAT: set up netem in the namespace" >>"$E2E_RESULTS"; exit 1; }
  LINK="tc netem 128 kbit/s, 400 ms each way, 2 % loss"
else
  LINK="build/faultproxy 128 kbit/s, 400 ms each way (tc netem not available here)"
fi

t_make_ca
t_central_db
A=$T_DIR/a.db
t_ok "central init" "$SWS" central init $CDB "$C" --name "2G registry"
echo "correct horse battery" | "$SWS" --db "$A" init --office KH12 --name "Far office" >/dev/null
t_ok "enrol the office" "$SWS" central office add KH12 --name "Far office" --pubkey "$("$SWS" --db "$A" office key)" $CDB "$C"
t_ok "seed $N households" "$SWS" --db "$A" demo seed --households "$N"
t_central_start "$T_DIR/serve.log"
if [ "$MODE" = proxy ]; then
  t_proxy_start "$T_DIR/proxy.log" --target "$PORT" --delay 400 --rate 16000 --lifetime 600
  URL=$PURL
fi
TOTAL=$(sqlite3 "$A" "SELECT max(seq) FROM outbox")

acked() { sqlite3 "$A" "SELECT coalesce((SELECT value FROM sync_state WHERE name = 'acked'), 0)"; }
cacked() { t_cq "SELECT ack_seq FROM office WHERE code = 'KH12'"; }

# Runs of sws sync, the first ones killed after a while; the watermarks of
# both sides are read every half second and must never go back.
: >"$T_DIR/samples"
monotone=0
last=0
clast=0
kills=0
run=0
started=$(date +%s)
for limit in 12 12 12 240; do
  run=$((run + 1))
  "$SWS" --db "$A" sync --central "$URL" --ca-file "$CA" >"$T_DIR/run$run.out" 2>"$T_DIR/run$run.err" &
  CPID=$!
  t=0
  while kill -0 "$CPID" 2>/dev/null && [ $t -lt $((limit * 2)) ]; do
    sleep 0.5
    t=$((t + 1))
    a=$(acked); ca=$(cacked)
    echo "run $run: office $a registry $ca" >>"$T_DIR/samples"
    if [ "$a" -lt "$last" ] || [ "$ca" -lt "$clast" ] || [ "$a" -gt "$ca" ]; then
      monotone=1
    fi
    last=$a; clast=$ca
  done
  if kill -0 "$CPID" 2>/dev/null; then
    kill -KILL "$CPID"
    wait "$CPID" 2>/dev/null
    kills=$((kills + 1))
    echo "run $run: killed at office $(acked) of $TOTAL" >>"$T_DIR/samples"
  else
    wait "$CPID"
    st=$?
    CPID=
    [ $st -eq 0 ] && break
  fi
  CPID=
done
secs=$(($(date +%s) - started))
progress=$(sed -n 's/^run [0-9]*: killed at office \([0-9]*\).*/\1/p' "$T_DIR/samples" | tr '\n' ' ')
cp "$T_DIR/samples" "$T_OUT"
: >"$T_ERR"
t_check "$WHAT ($LINK): killed $kills times at acknowledged $progress of $TOTAL" test "$kills" -ge 2
t_check "the acknowledged sequence never went back, and the office never ran ahead of the registry" test $monotone -eq 0
t_check "it moved forward between the kills" test "$(echo "$progress" | awk '{ for (i = 2; i <= NF; i++) if ($i <= $(i - 1)) bad = 1; print bad + 0 }')" -eq 0
cp "$T_DIR/run$run.out" "$T_OUT"; cp "$T_DIR/run$run.err" "$T_ERR"
t_grep "the last run completed in ${secs}s in all" "0 changes still to send" "$T_OUT"
t_check "both sides agree on the watermark" test "$(acked) $(cacked)" = "$TOTAL $TOTAL"
t_ok "central stats" "$SWS" central stats $CDB "$C" --json
t_grep "every household once at the registry" "\"households\": $N," "$T_OUT"
t_grep "every member once" "\"members\": $(sqlite3 "$A" "SELECT count(*) FROM member")," "$T_OUT"
t_check "every mutation recorded once" test "$(t_cq "SELECT count(*), min(seq), max(seq) FROM mutation")" = "$TOTAL|1|$TOTAL"
