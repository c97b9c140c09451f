#!/bin/sh
# sync.sh - two offices and a central registry, as real processes over TLS
# on 127.0.0.1 with a test CA made here: the same family registered at both
# offices is found centrally, merged, and both offices converge; a name
# both correct differently becomes a conflict, listed and decided
# centrally, and closed at the office that raised it; the next one is
# decided at the office and sent again; a grievance
# escalated to the district is answered centrally and reaches its
# office; enrolment, revocation, pinning and clock skew.
# e2e-stores: sqlite pg (tests/run.sh runs it on each store of the registry)
. "$(dirname "$0")/lib.sh"

t_make_ca
t_central_db
A="$T_DIR/a.db"
B="$T_DIR/b.db"
SERVER_PID=
stop_server() { t_stop "$SERVER_PID"; SERVER_PID=; }
t_cleanup() { stop_server; rm -rf "$T_DIR"; }
start_server() { t_central_start "$T_DIR/serve.log"; }

count_households() { "$SWS" --db "$1" household list | wc -l; }
central_json() { "$SWS" central stats $CDB "$C" --json; }

# the registry and two offices
t_ok "central init" "$SWS" central init $CDB "$C" --name "Siem Reap registry"
for o in "$A:KH12:Char Chhuk" "$B:KH13:Srei Snam"; do
  db=${o%%:*}; rest=${o#*:}; code=${rest%%:*}; name=${rest#*:}
  echo "correct horse battery" | "$SWS" --db "$db" init --office "$code" --name "$name" >/dev/null
  t_staff "$db"
  t_ok "enrol $code" "$SWS" central office add "$code" --name "$name" --pubkey "$("$SWS" --db "$db" office key)" $CDB "$C"
done
t_status 1 "a second enrolment of the same code is refused" "$SWS" central office add KH12 --name X --pubkey "$("$SWS" --db "$A" office key)" $CDB "$C"
t_status 1 "a bad public key is refused" "$SWS" central office add KH19 --name X --pubkey nonsense $CDB "$C"
# case work is done by an account that may see it (docs/case-management.md)
echo "a good long password" | "$SWS" --db "$A" user add sup --role supervisor >/dev/null
start_server
t_ok "office A stores the settings" "$SWS" --db "$A" --as admin sync config --central "$URL" --ca-file "$T_DIR/ca/ca.pem" --pin "$(cat "$T_DIR/ca/server.pin")"
t_ok "office B stores the settings" "$SWS" --db "$B" --as admin sync config --central "$URL" --ca-file "$T_DIR/ca/ca.pem"

# the same family at both offices
t_ok "A registers the family" "$SWS" --db "$A" --as sup household add --area 17010101 --head "ហួត សុភាព" --sex F --born 1984-06-12 \
  --national-id N555 --member "ហួត ស្រីនិច;F;2012;child"
RA=$(tail -n 1 "$T_OUT")
t_ok "A registers another" "$SWS" --db "$A" --as sup household add --area 17010101 --head "Keo Samnang" --sex M --born 1970
t_ok "B registers the same family, typed differently" "$SWS" --db "$B" --as sup household add --area 17010102 --head "ហួតសុភាព" --sex F --born 1984 \
  --member "ហួត ស្រីនិច;F;2012;child"
RB=$(tail -n 1 "$T_OUT")
t_ok "A syncs" "$SWS" --db "$A" sync
t_grep "A sent its changes" "sent 5 changes" "$T_OUT"
t_ok "B syncs" "$SWS" --db "$B" sync
t_ok "the registry lists the possible duplicate" "$SWS" central duplicates $CDB "$C"
t_grep "between the two offices" "$RA (KH12.*$RB (KH13" "$T_OUT"
t_ok "central stats" "$SWS" central stats $CDB "$C" --json
t_grep "three households" '"households": 3' "$T_OUT"
t_grep "five members" '"members": 5' "$T_OUT"
t_ok "A syncs and learns of it" "$SWS" --db "$A" sync
t_ok "A's sync status" "$SWS" --db "$A" sync status
t_grep "lists the possible duplicate at B" "elsewhere:  1 possible duplicate" "$T_OUT"
t_grep "with both numbers and B's code" "$RA ~ $RB (KH13)" "$T_OUT"
# decided different families, then undone
t_ok "the pair side by side" "$SWS" central duplicates show "$RA" "$RB" $CDB "$C"
t_grep "both households" "^household  *$RA  |  $RB" "$T_OUT"
t_grep "both offices" "^office  *KH12  |  KH13" "$T_OUT"
t_grep "a national ID by its end only" "ID \.\.\.555" "$T_OUT"
t_no_grep "never whole" "N555" "$T_OUT"
t_status 2 "different families needs a reason" "$SWS" central duplicates dismiss "$RA" "$RB" $CDB "$C"
t_ok "decided different families" "$SWS" central duplicates dismiss "$RA" "$RB" $CDB "$C" --reason "two mothers of the same name, seen at the commune"
t_ok "A syncs after the decision" "$SWS" --db "$A" sync
t_ok "A's status" "$SWS" --db "$A" sync status
t_grep "the pair left A's review" "elsewhere:  0 possible duplicates" "$T_OUT"
t_ok "the decision is on the pair" "$SWS" central duplicates show "$RA" "$RB" $CDB "$C" --json
t_grep "with its reason" '"note": "two mothers of the same name, seen at the commune"' "$T_OUT"
t_ok "undone" "$SWS" central duplicates reopen "$RA" "$RB" $CDB "$C"
t_ok "A syncs after the undo" "$SWS" --db "$A" sync
t_ok "A's status again" "$SWS" --db "$A" sync status
t_grep "the pair is back in A's review" "elsewhere:  1 possible duplicate" "$T_OUT"
t_ok "merge B's into A's" "$SWS" central merge "$RA" "$RB" $CDB "$C"
t_ok "A syncs after the merge" "$SWS" --db "$A" sync
t_ok "B syncs after the merge" "$SWS" --db "$B" sync
t_ok "central stats after the merge" "$SWS" central stats $CDB "$C" --json
t_grep "two households" '"households": 2' "$T_OUT"
t_grep "the merged family's members once: three people" '"members": 3' "$T_OUT"
t_ok "A's sync status after the merge" "$SWS" --db "$A" sync status
t_grep "has no duplicate left to review" "elsewhere:  0 possible duplicates" "$T_OUT"
t_ok "at B, B's number leads to the survivor" "$SWS" --db "$B" search "$RB"
t_grep "the survivor's number" "^$RA " "$T_OUT"
t_grep "and says why" "merged into $RA" "$T_ERR"
t_ok "at B, the survivor's household is there" "$SWS" --db "$B" household show "$RA"
t_grep "with its members" "ហួត ស្រីនិច" "$T_OUT"
t_ok "at A, the alias is known" "$SWS" --db "$A" search "$RB"
t_grep "at A too" "^$RA " "$T_OUT"
# a later change at B to its old household goes to the survivor
t_ok "B changes the survivor's phone" "$SWS" --db "$B" --as sup household edit "$RA" --phone 012777666
t_ok "B syncs the change" "$SWS" --db "$B" sync
t_ok "A syncs and gets it" "$SWS" --db "$A" sync
t_ok "A shows the phone B set" "$SWS" --db "$A" household show "$RA"
t_grep "the phone converged" "phone:      012777666" "$T_OUT"
# a conflict: both offices correct the child's name differently; the
# registry keeps A's (first), lists B's for review and decides for B's
t_ok "A corrects the child's name" "$SWS" --db "$A" --as sup member edit "$RA" 2 --name "Huot Sreynich"
t_ok "B corrects it differently" "$SWS" --db "$B" --as sup member edit "$RA" 2 --name "Huot Sreynith"
t_ok "A syncs its correction" "$SWS" --db "$A" sync
t_ok "B syncs its correction" "$SWS" --db "$B" sync
t_grep "B is told of the conflict" "1 conflicts" "$T_OUT"
t_ok "B's status shows it" "$SWS" --db "$B" sync status
t_grep "with both values" 'name: here "Huot Sreynith", central "Huot Sreynich"' "$T_OUT"
t_grep "one conflict, counted once" "^conflicts:  1 " "$T_OUT"
t_grep "the member as people name it" "member 2 of $RA (.*), name: here" "$T_OUT"
t_no_grep "never by its id" "[0-9a-f]\{8\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-" "$T_OUT"
t_ok "the registry lists the conflict" "$SWS" central conflicts $CDB "$C"
t_grep "B's value and the registry's, with the household" "office \"Huot Sreynith\", registry \"Huot Sreynich\"" "$T_OUT"
t_grep "the office and the member as people name it" "^#[0-9]* KH13 member [0-9]* of $RA (.*), name" "$T_OUT"
t_no_grep "never its id" "[0-9a-f]\{8\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-" "$T_OUT"
CID=$(sed -n 's/^#\([0-9]*\) .*/\1/p' "$T_OUT" | head -n 1)
t_status 2 "a decision needs a choice" "$SWS" central conflict resolve "$CID" $CDB "$C" --note "checked"
t_status 2 "one choice only" "$SWS" central conflict resolve "$CID" $CDB "$C" --keep-registry --use-office --note "checked"
t_status 2 "and a note" "$SWS" central conflict resolve "$CID" $CDB "$C" --use-office
t_status 1 "an unknown conflict is refused" "$SWS" central conflict resolve 999 $CDB "$C" --use-office --note "checked"
t_grep "saying so" "no conflict #999" "$T_ERR"
t_ok "the registry takes B's value" "$SWS" central conflict resolve "$CID" $CDB "$C" --use-office --note "the birth certificate says Sreynith"
t_status 1 "a second decision is refused" "$SWS" central conflict resolve "$CID" $CDB "$C" --keep-registry --note "again"
t_grep "as already resolved" "already resolved" "$T_ERR"
t_ok "nothing left to review centrally" "$SWS" central conflicts $CDB "$C"
t_grep "says the registry" "no conflicts to review" "$T_OUT"
t_ok "the decision is listed with --all" "$SWS" central conflicts $CDB "$C" --all --json
t_grep "with its note" '"note": "the birth certificate says Sreynith"' "$T_OUT"
t_ok "B syncs after the decision" "$SWS" --db "$B" sync
t_ok "B's status after the decision" "$SWS" --db "$B" sync status
t_grep "B's review item is closed" "conflicts:  0" "$T_OUT"
t_ok "B shows the decided name" "$SWS" --db "$B" household show "$RA"
t_grep "B's value at B" "Huot Sreynith" "$T_OUT"
t_ok "A syncs after the decision" "$SWS" --db "$A" sync
t_ok "A shows the decided name" "$SWS" --db "$A" household show "$RA"
t_grep "B's value at A too" "Huot Sreynith" "$T_OUT"
# the next conflict is decided at the office: B's value is sent again
t_ok "A corrects the name again" "$SWS" --db "$A" --as sup member edit "$RA" 2 --name "Huot Nich"
t_ok "B corrects it differently again" "$SWS" --db "$B" --as sup member edit "$RA" 2 --name "Huot Nith"
t_ok "A syncs" "$SWS" --db "$A" sync
t_ok "B syncs and gets a conflict" "$SWS" --db "$B" sync
t_ok "B's status names it" "$SWS" --db "$B" sync status
OID=$(sed -n 's/^  \[\([0-9]*\)\] member .* name: .*/\1/p' "$T_OUT" | head -n 1)
t_status 2 "an office decision needs one choice" "$SWS" --db "$B" --as sup sync resolve "$OID"
t_status 1 "an unknown office conflict is refused" "$SWS" --db "$B" --as sup sync resolve 999 --use-office
t_ok "B's supervisor keeps B's value" "$SWS" --db "$B" --as sup sync resolve "$OID" --use-office --note "seen the family book"
t_status 1 "twice is refused" "$SWS" --db "$B" --as sup sync resolve "$OID" --keep-registry
t_ok "B's status after its decision" "$SWS" --db "$B" sync status
t_grep "no open conflict at B" "conflicts:  0" "$T_OUT"
t_grep "and B's value waits to be sent" "to send:    1 change" "$T_OUT"
t_ok "B sends its value again" "$SWS" --db "$B" sync
t_grep "without a new conflict" "sent 1 change in 1 batch;" "$T_OUT"
t_ok "A syncs after B's decision" "$SWS" --db "$A" sync
t_ok "A shows B's value" "$SWS" --db "$A" household show "$RA"
t_grep "Huot Nith at A" "Huot Nith" "$T_OUT"
t_ok "the registry still lists its item" "$SWS" central conflicts $CDB "$C"
CID=$(sed -n 's/^#\([0-9]*\) .*/\1/p' "$T_OUT" | head -n 1)
t_ok "the registry closes it as it stands" "$SWS" central conflict resolve "$CID" $CDB "$C" --keep-registry --note "settled at KH13"
t_ok "B syncs after that" "$SWS" --db "$B" sync
t_no_grep "and has nothing kept back" "kept for later" "$T_OUT"
t_ok "central stats after the merge" "$SWS" central stats $CDB "$C" --json
t_grep "two households remain" '"households": 2' "$T_OUT"
t_grep "no open duplicates" '"duplicates_open": 0' "$T_OUT"

# a grievance escalated to the district, answered centrally
t_ok "A takes a grievance" "$SWS" --db "$A" --as sup grievance add --household "$RA" --category payment --channel walk-in --text "no payment since March"
G=$(tail -n 1 "$T_OUT")
t_ok "A escalates it to the district" "$SWS" --db "$A" --as sup grievance escalate "$G" --text "needs the district"
t_ok "A syncs the grievance" "$SWS" --db "$A" sync
t_ok "the district answers centrally" "$SWS" central grievance answer "$G" --layer district --text "paid on Friday 12 December" $CDB "$C"
t_ok "A syncs" "$SWS" --db "$A" sync
t_ok "A shows the district's answer" "$SWS" --db "$A" --as sup grievance status "$G"
t_grep "answered, by the district" "answer:    (district layer) paid on Friday" "$T_OUT"
t_ok "sync status at A" "$SWS" --db "$A" sync status
t_grep "nothing left to send" "to send:    0 changes" "$T_OUT"

# trust and identity
t_status 1 "a wrong pin is refused" "$SWS" --db "$A" sync --pin "$(cat "$T_DIR/ca/other.pin")"
t_grep "naming the pin" "pin" "$T_ERR"
t_status 1 "an untrusted CA is refused" "$SWS" --db "$A" sync --ca-file "$T_DIR/ca/other-ca.pem"
t_grep "saying the certificate is not trusted" "not trusted" "$T_ERR"
echo "correct horse battery" | "$SWS" --db "$T_DIR/x.db" init --office KH19 --name X >/dev/null
t_status 1 "an office that is not enrolled is refused" "$SWS" --db "$T_DIR/x.db" sync --central "$URL" --ca-file "$T_DIR/ca/ca.pem"
t_grep "with a clear message" "not enrolled" "$T_ERR"
# an office whose clock is a year off still syncs, and is told
t_ok "B registers with its clock a year behind" env SWS_NOW=2025-11-01T10:00:00Z "$SWS" --db "$B" --as sup household add --area 17010102 --head "Ly Chanthy" --sex F --born 1990
t_ok "and syncs" env SWS_NOW=2025-11-01T10:00:00Z "$SWS" --db "$B" sync
t_grep "warned about the clock" "clock is" "$T_ERR"
# two months on, A's closed months' signed summaries go with its sync,
# over HTTPS, and the registry checks them against what it holds
LATER=$(date -u -d '+62 days' +%Y-%m-%dT10:00:00Z)
t_ok "A syncs two months on" env SWS_NOW="$LATER" "$SWS" --db "$A" sync
t_grep "its monthly summaries sent" "monthly indicator summar" "$T_OUT"
"$SWS" central report $CDB "$C" --check >"$T_OUT" 2>"$T_ERR"
t_grep "the registry kept and checked them" "^[1-9][0-9]* summar[a-z]* checked" "$T_OUT"
t_ok "the next sync sends none again" env SWS_NOW="$LATER" "$SWS" --db "$A" sync
t_no_grep "each month once" "monthly indicator summar" "$T_OUT"
# a family moves from A's area to B's: B asks the registry for it
t_ok "A registers a family that will move" "$SWS" --db "$A" --as sup household add --area 17010101 --head "Meas Sophal" --sex M --born 1979 \
  --national-id N8008 --member "Meas Dalin;F;2015;child"
RM=$(tail -n 1 "$T_OUT")
t_ok "A opens a case for it" "$SWS" --db "$A" --as sup case open "$RM"
t_ok "A prints its receipt" "$SWS" --db "$A" --as sup receipt print registration "$RM" --format png --out "$T_DIR/move.png"
t_ok "A syncs" env SWS_NOW="$LATER" "$SWS" --db "$A" sync
t_status 1 "B cannot move in a family nobody has" env SWS_NOW="$LATER" "$SWS" --db "$B" sync --move-here-id N0000
t_grep "saying so" "no household at the central registry has a member with national ID N0000" "$T_ERR"
t_status 2 "one way of naming the family" "$SWS" --db "$B" sync --move-here "$RM" --move-here-id N8008
t_ok "B asks for the family by its number" env SWS_NOW="$LATER" "$SWS" --db "$B" sync --move-here "$RM"
t_grep "it moved, with its records" "^$RM moved here from office KH12 with [0-9]* records" "$T_OUT"
t_ok "B has the household" "$SWS" --db "$B" household show "$RM"
t_grep "with its members" "Meas Dalin" "$T_OUT"
t_ok "B changes it: it is B's now" "$SWS" --db "$B" --as sup household edit "$RM" --phone 012345678
t_ok "B syncs the change" env SWS_NOW="$LATER" "$SWS" --db "$B" sync
t_no_grep "accepted" "rejected" "$T_OUT"
t_ok "A syncs and learns it moved" env SWS_NOW="$LATER" "$SWS" --db "$A" sync
t_ok "A still finds it" "$SWS" --db "$A" household show "$RM"
t_grep "and says where it went" "moved to office KH13 on" "$T_ERR"
t_status 1 "A's copy is read only" "$SWS" --db "$A" --as sup household edit "$RM" --phone 012999888
t_grep "saying where changes are made" "moved to office KH13" "$T_ERR"
t_status 1 "A cannot note on its case any more" "$SWS" --db "$A" --as sup case note "$RM" --text "after the move"
P=$(zbarimg --raw -q "$T_DIR/move.png" 2>/dev/null | tr -d '\n')
if [ -n "$P" ]; then
  t_ok "A's receipt still verifies at B" "$SWS" --db "$B" receipt verify "$P"
  t_grep "as genuine" "^valid: genuine registration receipt" "$T_OUT"
fi
t_ok "revoke B" "$SWS" central office revoke KH13 $CDB "$C"
t_status 1 "a revoked office is refused" "$SWS" --db "$B" sync
t_grep "saying revoked" "revoked" "$T_ERR"
t_ok "A learns B's key is revoked" "$SWS" --db "$A" sync
if command -v sqlite3 >/dev/null; then
  t_check "A holds both keys, B's revoked" test "$(sqlite3 "$A" "SELECT count(*) FROM office_key WHERE code = 'KH13' AND status = 'revoked'")" = 1
fi

stop_server
t_ok "the server stopped cleanly on SIGTERM" grep -q "central registry stopped" "$T_DIR/serve.log"
