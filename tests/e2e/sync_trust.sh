#!/bin/sh
# sync_trust.sh - the central registry as an attacker meets it, with real
# processes over TLS on 127.0.0.1: an enrolled office (M, KH66) signs
# crafted pushes with its own key (build/sendreq) and tries to change other
# offices' records, read their values back through conflicts, take their
# numbers and store values the office itself would refuse; an office whose
# database is restored from a backup syncs again; a key is enrolled twice;
# 200 idle connections are held while a real office syncs.
# (docs/sync-protocol.md, "Ownership", "Validation", "A device that went
# back in time"; docs/operations.md.)
# e2e-stores: sqlite pg (tests/run.sh runs it on each store of the registry)
. "$(dirname "$0")/lib.sh"

SENDREQ=$T_TOOLS/sendreq
HOLD=$T_TOOLS/holdconns
[ -x "$SENDREQ" ] && [ -x "$HOLD" ] || t_fail_setup "the test tools are built (make tools)"
command -v sqlite3 >/dev/null || t_fail_setup "sqlite3 is installed (scripts/deps.sh)"
command -v jq >/dev/null || t_fail_setup "jq is installed (scripts/deps.sh)"
t_make_ca
t_central_db
A=$T_DIR/a.db
B=$T_DIR/b.db
M=$T_DIR/m.db
SERVER_PID=
HOLD_PID=
t_cleanup() { t_stop "$HOLD_PID"; t_stop "$SERVER_PID"; rm -rf "$T_DIR"; }

t_ok "central init" "$SWS" central init $CDB "$C" --name "Trust registry"
for o in "$A:KH12:Char Chhuk" "$B:KH13:Srei Snam" "$M:KH66:Mallory"; do
  db=${o%%:*}; rest=${o#*:}; code=${rest%%:*}; name=${rest#*:}
  echo "correct horse battery" | "$SWS" --db "$db" init --office "$code" --name "$name" >/dev/null
  t_staff "$db"
  t_ok "enrol $code" "$SWS" central office add "$code" --name "$name" --pubkey "$("$SWS" --db "$db" office key)" $CDB "$C"
done
t_central_start "$T_DIR/serve.log"
SERVER_PID=$SERVER_PID
for db in "$A" "$B" "$M"; do
  "$SWS" --db "$db" --as admin sync config --central "$URL" --ca-file "$CA" >/dev/null
done

# A's family, with a national ID and a grievance; M's own family
t_ok "A registers a family" "$SWS" --db "$A" --as sup household add --area 17010101 --head "Chan Dara" --sex M --born 1975 \
  --national-id N777 --member "Chan Srey;F;2010;child"
RA=$(tail -n 1 "$T_OUT")
t_ok "A takes a grievance" "$SWS" --db "$A" --as sup grievance add --household "$RA" --category payment --channel walk-in --text "no payment since March"
GA=$(tail -n 1 "$T_OUT")
t_ok "A syncs" "$SWS" --db "$A" sync
t_ok "M registers a family of its own" "$SWS" --db "$M" --as sup household add --area 17010102 --head "Mal Lory" --sex F --born 1980
RM=$(tail -n 1 "$T_OUT")
t_ok "M syncs" "$SWS" --db "$M" sync
HA=$(sqlite3 "$A" "SELECT id FROM household WHERE regno = '$RA'")
HEAD=$(sqlite3 "$A" "SELECT id FROM member WHERE household_id = '$HA' AND line_no = 1")
GRV=$(sqlite3 "$A" "SELECT id FROM grievance WHERE ticket = '$GA'")
HM=$(sqlite3 "$M" "SELECT id FROM household WHERE regno = '$RM'")
MSEQ=$(($(sqlite3 "$M" "SELECT max(seq) FROM outbox") + 1))
NOW=2026-03-02T09:00:00Z

# mpush WHAT MUTATION...: one batch of these mutations (JSON objects
# without "s"), numbered on from M's last one and signed with M's key; the
# answer's status and body in $T_OUT
mpush() {
  what=$1; shift
  printf '%s\n' "$@" | jq -s --argjson f "$MSEQ" \
    '{proto: 1, device: "KH66", batch: ("attack-" + ($f | tostring)), first: $f,
      last: ($f + length - 1), m: [to_entries[] | .value + {s: ($f + .key)}]}' >"$T_DIR/body.json"
  t_ok "$what: the registry answers" "$SENDREQ" --db "$M" --central "$URL" --ca-file "$CA" \
    --body "$T_DIR/body.json" POST /v1/push
  MSEQ=$((MSEQ + $#))
}
# verdict N: the verdict and its detail of the Nth mutation of the last push
verdict() { sed -n 2p "$T_OUT" | jq -r ".v[$1 - 1] | .v + \": \" + (.d // \"\")"; }
expect_rejected() { # what N PATTERN
  v=$(verdict "$2")
  case "$v" in
    rejected:*) echo "$v" | grep -q -e "$3"; t_result $? "$1 (got: $v)" ;;
    *) t_result 1 "$1 (got: $v)" ;;
  esac
}
upd() { # ENTITY ID FIELDS PREV
  echo "{\"e\":\"$1\",\"i\":\"$2\",\"o\":\"update\",\"f\":$3,\"p\":$4,\"b\":\"mallory\",\"t\":\"$NOW\"}"
}
ins() { # ENTITY ID FIELDS
  echo "{\"e\":\"$1\",\"i\":\"$2\",\"o\":\"insert\",\"f\":$3,\"p\":null,\"b\":\"mallory\",\"t\":\"$NOW\"}"
}
uuid() { printf '01900000-0000-7000-8000-%012d' "$1"; }
member() { # HOUSEHOLD NAME_JSON LINE
  echo "{\"household_id\":\"$1\",\"line_no\":$3,\"name\":$2,\"sex\":\"F\",\"born\":\"1990\",\"relationship\":\"spouse\",\"national_id\":null,\"phone\":\"\",\"disability\":0,\"status\":\"active\",\"created_at\":\"$NOW\"}"
}
central_field() { # ENTITY ID FIELD: the registry's stored value
  t_cq "SELECT $3 FROM $1 WHERE id = '$2'"
}

# 1. ownership: another office's member, household and grievance
mpush "M renames A's head and changes his national ID" \
  "$(upd member "$HEAD" '{"name":"Mallory Owns","national_id":"X999"}' '{"name":"Chan Dara","national_id":"N777"}')"
expect_rejected "another office's member is rejected" 1 "held by another office"
mpush "M closes A's household" "$(upd household "$HA" '{"status":"inactive","status_reason":"gone"}' '{"status":"active","status_reason":""}')"
expect_rejected "another office's household is rejected" 1 "held by another office"
mpush "M closes A's grievance and rewrites it" "$(upd grievance "$GRV" '{"status":"closed","text":"all fine"}' '{"status":"received","text":"no payment since March"}')"
expect_rejected "another office's grievance is rejected" 1 "held by another office"
t_check "the registry kept A's name" test "$(central_field member "$HEAD" name)" = "Chan Dara"
t_check "and A's national ID" test "$(central_field member "$HEAD" national_id)" = "N777"
t_check "and the household's status" test "$(central_field household "$HA" status)" = "active"
t_check "and the grievance's text" test "$(central_field grievance "$GRV" text)" = "no payment since March"

# 2. no values of another office through a conflict: made-up previous values
mpush "M changes A's head with made-up previous values" \
  "$(upd member "$HEAD" '{"name":"Guess","born":"1999"}' '{"name":"made up","born":"2001"}')"
expect_rejected "is rejected, not a conflict" 1 "held by another office"
t_ok "M reads its feed" "$SENDREQ" --db "$M" --central "$URL" --ca-file "$CA" GET "/v1/feed?max=1048576&cursor="
t_no_grep "M's feed has no conflict item" '"k":"conflict"' "$T_OUT"
t_no_grep "nor A's head's name" 'Chan Dara' "$T_OUT"
t_no_grep "nor A's national ID" 'N777' "$T_OUT"
t_no_grep "nor A's birth date" '"1975"' "$T_OUT"

# 3. no additions to another office's records, no taking of its numbers
mpush "M adds a member to A's household" "$(ins member "$(uuid 1)" "$(member "$HA" '"Intruder"' 3)")"
expect_rejected "a member in another office's household is rejected" 1 "household_id.*held by another office"
mpush "M inserts a record under the id of A's household" \
  "$(ins household "$HA" "{\"regno\":\"$RM\",\"area_code\":\"17010102\",\"address\":\"\",\"phone\":\"\",\"status\":\"active\",\"status_reason\":\"\",\"import_key\":null,\"created_at\":\"$NOW\",\"created_by\":\"mallory\"}")"
expect_rejected "an insert under another office's id is rejected" 1 "held by another office"
mpush "M registers a household under A's number" \
  "$(ins household "$(uuid 2)" "{\"regno\":\"$RA\",\"area_code\":\"17010102\",\"address\":\"\",\"phone\":\"\",\"status\":\"active\",\"status_reason\":\"\",\"import_key\":null,\"created_at\":\"$NOW\",\"created_by\":\"mallory\"}")"
expect_rejected "another office's number is rejected" 1 "regno.*not a number issued by office KH66"

# 4. validation: what the office itself would refuse
BIG=$(head -c 1000000 /dev/zero | tr '\0' a)
printf '"%s"' "$BIG" >"$T_DIR/big.json"
mpush "M pushes bad values into its own household" \
  "$(ins member "$(uuid 3)" "$(member "$HM" null 2)")" \
  "$(ins member "$(uuid 4)" "$(member "$HM" '{"first":"Mal"}' 3)")" \
  "$(ins member "$(uuid 5)" "$(member "$HM" "$(cat "$T_DIR/big.json")" 4)")" \
  "$(ins member "$(uuid 6)" "$(member "$HM" '"Mal Lory"' 5 | sed 's/"sex":"F"/"sex":"X"/')")" \
  "$(ins member "$(uuid 7)" "$(member "$HM" '"Mal Lory"' 6 | sed 's/"born":"1990"/"born":"1990-02-30"/')")" \
  "$(ins member "$(uuid 8)" "$(member "$HM" '"Mal Lory"' 7 | sed 's/"status":"active"/"status":"active","evil":1/')")"
expect_rejected "a null name is rejected, the field named" 1 "name"
expect_rejected "an object where text belongs" 2 "name"
expect_rejected "a name of a million characters" 3 "name"
expect_rejected "an unknown sex" 4 "sex"
expect_rejected "a date that does not exist" 5 "born"
expect_rejected "a field the office does not have" 6 "evil"
t_check "none of them was stored" test "$(t_cq "SELECT count(*) FROM member WHERE CAST(id AS TEXT) LIKE '01900000-%'")" = 0
mpush "M adds a valid member to its own household" "$(ins member "$(uuid 9)" "$(member "$HM" '"Mal Friend"' 2)")"
t_check "is applied" test "$(verdict 1)" = "applied: "

t_ok "A syncs after the attacks" "$SWS" --db "$A" sync
t_ok "A shows its family" "$SWS" --db "$A" household show "$RA"
t_grep "as A registered it" "Chan Dara" "$T_OUT"
t_no_grep "nothing of M's reached A" "Mallory\|Guess\|Intruder" "$T_OUT"
t_ok "A shows its grievance" "$SWS" --db "$A" grievance status "$GA"
t_no_grep "not closed by M" "^status: *closed" "$T_OUT"

# 5. one key, one office
t_status 1 "A's key under a second code is refused" "$SWS" central office add KH77 --name "Copy" --pubkey "$("$SWS" --db "$A" office key)" $CDB "$C"
t_grep "saying it is enrolled as KH12" "already enrolled as KH12" "$T_ERR"

# 6. a database that went back in time
t_ok "A prints the family's receipt" "$SWS" --db "$A" --as sup receipt print registration "$RA" --format png --out "$T_DIR/ra.png"
PAY=$(zbarimg --raw -q "$T_DIR/ra.png" 2>/dev/null | head -n 1)
sqlite3 "$A" ".backup '$T_DIR/a-backup.db'"
t_ok "A registers a family after the backup" "$SWS" --db "$A" --as sup household add --area 17010101 --head "Lost Timeline" --sex F --born 1991
R1=$(tail -n 1 "$T_OUT")
t_ok "and syncs it" "$SWS" --db "$A" sync
rm -f "$A" "$A-wal" "$A-shm"
cp "$T_DIR/a-backup.db" "$A"
t_ok "after the restore, A registers a new family" "$SWS" --db "$A" --as sup household add --area 17010101 --head "Restored Keo" --sex M --born 1988
R2=$(tail -n 1 "$T_OUT")
t_status 1 "A's sync fails" "$SWS" --db "$A" sync
t_grep "saying the database went back in time" "went back in time" "$T_ERR"
t_grep "and what to do" "sws office new-device" "$T_ERR"
t_status 1 "and fails again until it is a new device" "$SWS" --db "$A" sync
t_ok "the registry lists it" "$SWS" central stats $CDB "$C"
t_grep "as gone back in time" "went back in time at seq" "$T_OUT"
t_ok "sync status at A still counts the new family" "$SWS" --db "$A" sync status
t_no_grep "nothing reported as sent" "to send:    0 changes" "$T_OUT"
t_status 2 "new-device needs a code" "$SWS" --db "$A" --as admin office new-device
t_ok "A becomes a new device" "$SWS" --db "$A" --as admin office new-device KH12-2
t_grep "printing the registry's command" "sws central office add KH12-2 --device-of KH12" "$T_OUT"
ENROL=$(sed -n 's/^  sws central office add /central office add /p' "$T_OUT" | sed 's/ --db REGISTRY$//')
# shellcheck disable=SC2086
t_ok "the administrator enrols it" "$SWS" $ENROL $CDB "$C"
t_ok "A syncs as the new device" "$SWS" --db "$A" sync
t_ok "the restored family reached the registry" test "$(t_cq "SELECT count(*) FROM household WHERE regno = '$R2'")" -ge 1
t_check "with its head" test "$(t_cq "SELECT count(*) FROM member WHERE name = 'Restored Keo'")" = 1
t_ok "the family registered before the restore is still there" test "$(t_cq "SELECT count(*) FROM member WHERE name = 'Lost Timeline'")" = 1
if [ "$R1" = "$R2" ]; then
  t_ok "the number issued twice is listed for review" "$SWS" central duplicates $CDB "$C"
  t_grep "with the number" "$R2.*$R2" "$T_OUT"
fi
t_ok "A, as the new device, edits a family it registered before" "$SWS" --db "$A" --as sup member edit "$RA" 1 --phone 012345999
t_ok "and syncs the change" "$SWS" --db "$A" sync
t_check "which the registry applied" test "$(central_field member "$HEAD" phone)" = "012345999"
t_ok "new registrations carry the new device's code" "$SWS" --db "$A" --as sup household add --area 17010101 --head "New Device" --sex F --born 1993
t_check "KH12-2-..." sh -c "tail -n 1 '$T_OUT' | grep -q '^KH12-2-'"
t_ok "and sync" "$SWS" --db "$A" sync
t_ok "a receipt of the old device still verifies at A" "$SWS" --db "$A" receipt verify "$PAY"
t_grep "as genuine" "$RA" "$T_OUT"
t_ok "and at B, which learnt the old key from its feed" "$SWS" --db "$B" sync
t_ok "B verifies it" "$SWS" --db "$B" receipt verify "$PAY"

# 7. no starvation: 200 idle connections while a real office syncs
"$HOLD" --port "$PORT" --count 200 --seconds 60 >"$T_DIR/hold.log" 2>&1 &
HOLD_PID=$!
i=0
while [ $i -lt 100 ] && ! grep -q '^holding 200' "$T_DIR/hold.log"; do sleep 0.1; i=$((i + 1)); done
t_grep "200 idle connections are held" "^holding 200" "$T_DIR/hold.log"
t_ok "B registers a family" "$SWS" --db "$B" --as sup household add --area 17010102 --head "Busy Day" --sex F --born 1970
T0=$(date +%s)
t_ok "B syncs while they are held" timeout 60 "$SWS" --db "$B" sync
T1=$(date +%s)
t_check "in seconds ($((T1 - T0)) s)" test $((T1 - T0)) -le 10
t_stop "$HOLD_PID"
HOLD_PID=

t_stop "$SERVER_PID"
SERVER_PID=
