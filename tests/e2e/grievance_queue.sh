#!/bin/sh
# grievance_queue.sh - the grievance queues of the layers above the office,
# as real processes over TLS: two offices of two districts escalate
# grievances to the district and sync; the registry lists each district's
# queue (and never another district's), due first, with overdue ones
# marked and sensitive text withheld; the daily escalate-due moves the
# overdue ones to the province once; the province answers; the office
# syncs and shows the answer with its layer.
# e2e-stores: sqlite pg (tests/run.sh runs it on each store of the registry)
. "$(dirname "$0")/lib.sh"

export SWS_NOW=2026-03-02T09:00:00Z
t_registry_setup
A="$T_DIR/a.db"
B="$T_DIR/b.db"
q() { "$SWS" central grievance "$@" $CDB "$C"; }

# the registry and two offices: KH12 serves Angkor Chum (1701), KH13 is
# given Srei Snam (1712) after it is enrolled
t_ok "central init" "$SWS" central init $CDB "$C" --name "Siem Reap registry"
for o in "$A:KH12" "$B:KH13"; do
  echo "correct horse battery" | "$SWS" --db "${o%%:*}" init --office "${o#*:}" --name "Office ${o#*:}" >/dev/null
  t_staff "${o%%:*}"
done
export SWS_USER=sup  # the offices' staff work is their supervisor's
t_status 1 "an office with an unknown area is refused" "$SWS" central office add KH12 --name "Char Chhuk" \
  --pubkey "$("$SWS" --db "$A" office key)" --area 9999 $CDB "$C"
t_grep "saying which codes it takes" "no area '9999' at the registry: give a district or commune code" "$T_ERR"
t_ok "and nothing was enrolled" sh -c "'$SWS' central stats $CDB '$C' --json | grep -q '\"offices\": 0'"
t_ok "enrol KH12 with its district" "$SWS" central office add KH12 --name "Char Chhuk" \
  --pubkey "$("$SWS" --db "$A" office key)" --area 1701 $CDB "$C"
t_ok "enrol KH13" "$SWS" central office add KH13 --name "Srei Snam" --pubkey "$("$SWS" --db "$B" office key)" $CDB "$C"
t_status 1 "a village is not an office's area" "$SWS" central office area KH13 17010101 $CDB "$C"
t_grep "it says what it is" "is a village: an office serves a district or a commune" "$T_ERR"
t_status 1 "an office not enrolled" "$SWS" central office area KH99 1712 $CDB "$C"
t_ok "KH13 serves Srei Snam" "$SWS" central office area KH13 1712 $CDB "$C"
start_server
for db in "$A" "$B"; do
  t_ok "sync settings" "$SWS" --db "$db" --as admin sync config --central "$URL" --ca-file "$T_DIR/ca/ca.pem"
done

# grievances escalated above the office (due at the district 10 business
# days later: 2026-03-16), one still at the commune, one sensitive
t_ok "A registers a family" "$SWS" --db "$A" household add --area 17010101 --head "Sok Dara" --sex F --born 1984
RA=$(tail -n 1 "$T_OUT")
t_ok "A takes a grievance" "$SWS" --db "$A" grievance add --household "$RA" --category payment --channel walk-in \
  --text "no payment since March"
GA=$(tail -n 1 "$T_OUT")
t_ok "A escalates it to the district" "$SWS" --db "$A" grievance escalate "$GA" --text "needs the district"
t_ok "A takes a sensitive one" "$SWS" --db "$A" grievance add --anonymous --category sensitive-abuse --channel hotline \
  --text "a neighbour's child is beaten"
GS=$(tail -n 1 "$T_OUT")
t_ok "A's supervisor escalates it too" "$SWS" --db "$A" grievance escalate "$GS" --text "for the district"
t_ok "A takes one it handles itself" "$SWS" --db "$A" grievance add --household "$RA" --category other --channel phone \
  --text "the office was closed on Tuesday"
GC=$(tail -n 1 "$T_OUT")
t_ok "B registers a family" "$SWS" --db "$B" household add --area 17010102 --head "Chan Thy" --sex M --born 1975
RB=$(tail -n 1 "$T_OUT")
t_ok "B takes a grievance" "$SWS" --db "$B" grievance add --household "$RB" --category exclusion-error \
  --channel walk-in --text "left out of the ID Poor list"
GB=$(tail -n 1 "$T_OUT")
t_ok "B escalates it" "$SWS" --db "$B" grievance escalate "$GB" --text "the district decides"
t_ok "A syncs" "$SWS" --db "$A" sync
t_ok "B syncs" "$SWS" --db "$B" sync

# the district queues
t_ok "the district layer's queue" q list --layer district
t_grep "has A's grievance" "^$GA  KH12 *អង្គរជុំ *payment *received 2026-03-02  due 2026-03-16  escalated" "$T_OUT"
t_grep "and B's, in its district" "^$GB  KH13 *ស្រីស្នំ" "$T_OUT"
t_grep "the sensitive one is listed" "^$GS " "$T_OUT"
t_grep "with its text withheld" "(sensitive: text withheld)" "$T_OUT"
t_no_grep "never its text" "neighbour" "$T_OUT"
t_no_grep "nor the one still at the commune" "$GC" "$T_OUT"
t_ok "Angkor Chum's queue" q list --layer district --area 1701
t_grep "has A's" "^$GA " "$T_OUT"
t_no_grep "never Srei Snam's" "$GB" "$T_OUT"
t_ok "Srei Snam's queue, as JSON" q list --layer district --area 1712 --json
t_grep "has B's" "\"ticket\": \"$GB\"" "$T_OUT"
t_no_grep "only B's" "\"ticket\": \"$GA\"" "$T_OUT"
t_status 1 "a province is not a district's queue" q list --layer district --area 17
t_grep "saying what to give" "'17' is a province: the district layer's queue is by district; give a district code" "$T_ERR"
t_status 2 "a layer must be given" q list
t_ok "the province waits for nothing yet" q list --layer province
t_grep "and says so" "nothing waits at the province layer" "$T_OUT"
t_status 1 "the province cannot answer what waits at the district" q answer "$GA" --layer province --text "no"
t_grep "saying where it waits" "escalated at the district layer, not waiting at the province layer" "$T_ERR"
t_ok "the district acknowledges A's" q acknowledge "$GA" --layer district
t_status 1 "not twice" q acknowledge "$GA" --layer district
t_ok "the district answers B's" q answer "$GB" --layer district --text "added to the list on 5 March"

# past the deadline: the daily timer moves what is overdue, once
export SWS_NOW=2026-03-20T09:00:00Z
t_staff "$A"; t_staff "$B"  # the logins of March 2 have expired
t_ok "the queue on 20 March" q list --layer district
t_grep "overdue ones marked" "^$GA .*acknowledged  OVERDUE by 4 days" "$T_OUT"
t_no_grep "the answered one left the queue" "$GB" "$T_OUT"
t_ok "escalate-due, dry" q escalate-due --dry-run
t_grep "says what would move" "2 grievances would be escalated" "$T_OUT"
t_grep "and where to" "$GA (KH12): would go from district to province, due 2026-03-16 (4 days ago)" "$T_OUT"
t_ok "nothing moved" q list --layer district
t_grep "A's still waits at the district" "^$GA " "$T_OUT"
# two timers at once (two servers of the registry, say): each grievance
# moves once
q escalate-due >"$T_DIR/due1.out" 2>&1 &
DUE1=$!
q escalate-due >"$T_DIR/due2.out" 2>&1 &
DUE2=$!
t_ok "escalate-due" wait "$DUE1"
t_ok "and another at the same time" wait "$DUE2"
t_check "between them they move both, each once" test "$(cat "$T_DIR/due1.out" "$T_DIR/due2.out" | grep -c 'escalated from district to province')" -eq 2
t_ok "escalate-due again the same day" q escalate-due
t_grep "moves nothing" "0 grievances escalated" "$T_OUT"
t_check "logged in the registry's log" test "$(t_cq "SELECT count(*) FROM central_log WHERE action = 'grievance' AND detail LIKE '%escalated from district to province'")" -eq 2
t_ok "the province's queue" q list --layer province --area 17
t_grep "has A's, due 15 business days later" "^$GA .*due 2026-04-10  escalated" "$T_OUT"
t_status 1 "the district can no longer answer it" q answer "$GA" --layer district --text "late"
t_ok "the province answers" q answer "$GA" --layer province --text "paid with March's arrears on 25 March"
t_status 1 "a second answer is refused" q answer "$GA" --layer province --text "again"
t_grep "already answered" "was already answered (at the province layer)" "$T_ERR"
t_status 1 "the national layer has no layer above it" q escalate "$GS" --layer national
t_status 1 "an unknown ticket" q acknowledge KH12-G-000099-X --layer province

# the offices learn it all
stop_server
start_server
t_ok "A syncs" "$SWS" --db "$A" sync
t_ok "A shows the province's answer" "$SWS" --db "$A" grievance status "$GA"
t_grep "answered, by the province" "answer:    (province layer) paid with March's arrears" "$T_OUT"
t_no_grep "no event out of place" "flagged" "$T_OUT"
t_ok "A's sensitive one climbed to the province" "$SWS" --db "$A" grievance status "$GS"
t_grep "at the province" "escalated at the province layer" "$T_OUT"
t_grep "escalated by the registry's timer" "escalated .*province .*deadline 2026-03-16 passed at the district layer" "$T_OUT"
t_ok "B syncs" "$SWS" --db "$B" sync
t_ok "B shows the district's answer" "$SWS" --db "$B" grievance status "$GB"
t_grep "answered, by the district" "answer:    (district layer) added to the list" "$T_OUT"
stop_server
