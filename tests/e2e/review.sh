#!/bin/sh
# review.sh - the office's duplicate review queue with a real registry
# over TLS on 127.0.0.1: pairs raised at the counter are listed (filters,
# JSON, people named by their household), decided different families
# (a reason required, never raised again) or the same family (the request
# waits offline, goes with the next sync, the registry merges it and the
# merge comes back: the later household steps aside); a front-desk
# officer, a bad number, an already decided pair and both or neither
# decision are refused with a clear message. An office holding its own key
# (build/sendreq) asks to merge another office's household: refused and
# logged; it sends its own request again: answered as before, merged once.
# e2e-stores: sqlite pg (tests/run.sh runs it on each store of the registry)
. "$(dirname "$0")/lib.sh"

[ -x "$T_TOOLS/sendreq" ] || t_fail_setup "build/sendreq (make tools)"
t_make_ca
t_central_db
SERVER_PID=
t_cleanup() { t_stop "$SERVER_PID"; rm -rf "$T_DIR"; }

t_ok "central init" "$SWS" central init $CDB "$C" --name "Siem Reap registry"
t_init_office KH12 "Char Chhuk One Stop Shop"
t_ok "enrol the office" "$SWS" central office add KH12 --name "Char Chhuk" --pubkey "$("$SWS" office key)" $CDB "$C"
t_as admin  # accounts are the administrator's
for u in "desk:front-desk" "sup:supervisor"; do
  t_ok "user ${u%%:*}" sh -c "echo 'a long password 123' | '$SWS' user add ${u%%:*} --role ${u#*:}"
done
t_system
# each logs in once (sws login: a token file for this office database)
for l in desk sup; do
  echo 'a long password 123' | "$SWS" login $l >/dev/null 2>&1 || t_fail_setup "log in as $l"
done
echo "correct horse battery" | "$SWS" login admin >/dev/null 2>&1 || t_fail_setup "log in as admin"
export SWS_USER=desk

# three households of one name (registered anyway), one in another village
t_ok "register Sok Dara" "$SWS" household add --area 17010101 --head "Sok Dara" --sex M --born 1979
R1=$(tail -n 1 "$T_OUT")
t_ok "and again, anyway" "$SWS" household add --area 17010101 --head "Sok Dara" --sex M --born 1979 \
  --force-new "says he never came before"
R2=$(tail -n 1 "$T_OUT")
t_ok "a namesake in the next village" "$SWS" household add --area 17010102 --head "Keo Vanna" --sex F --born 1990
R3=$(tail -n 1 "$T_OUT")
t_ok "and hers, anyway" "$SWS" household add --area 17010102 --head "Keo Vanna" --sex F --born 1990 \
  --force-new "another mother"
R4=$(tail -n 1 "$T_OUT")

# the queue
t_ok "duplicate list" "$SWS" duplicate list
t_grep "names people by their household" "member 1 of $R2 (Sok Dara)" "$T_OUT"
t_grep "with the officer's reason" "officer's reason: says he never came before" "$T_OUT"
t_no_grep "never a UUID" "[0-9a-f]\{8\}-[0-9a-f]\{4\}-" "$T_OUT"
t_ok "duplicate list --json" "$SWS" duplicate list --json
t_grep "two open pairs" '"status": "open"' "$T_OUT"
t_check "exactly two" test "$(grep -c '"status": "open"' "$T_OUT")" -eq 2
t_ok "by village" "$SWS" duplicate list --village 17010102 --json
t_check "one pair there" test "$(grep -c '"id":' "$T_OUT")" -eq 1
ID2=$(sed -n 's/^ *"id": \([0-9]*\),*$/\1/p' "$T_OUT")
t_ok "the other pair" "$SWS" duplicate list --village 17010101 --json
ID1=$(sed -n 's/^ *"id": \([0-9]*\),*$/\1/p' "$T_OUT")
t_ok "by source" "$SWS" duplicate list --source import
t_grep "none from an import" "No possible duplicates to decide" "$T_OUT"
t_status 2 "an unknown source" "$SWS" duplicate list --source phone
t_status 1 "an unknown village" "$SWS" duplicate list --village NOWHERE
t_grep "says which" "no area 'NOWHERE'" "$T_ERR"

# refusals
t_status 1 "the front desk does not decide" "$SWS" duplicate decide "$ID1" --same
t_grep "says who does" "needs the role supervisor or admin" "$T_ERR"
export SWS_USER=sup
t_status 2 "neither --same nor --different" "$SWS" duplicate decide "$ID1"
t_status 2 "both" "$SWS" duplicate decide "$ID1" --same --different --reason x
t_grep "one of them" "one of them" "$T_ERR"
t_status 2 "different without a reason" "$SWS" duplicate decide "$ID1" --different
t_grep "asks for the reason" "needs --reason" "$T_ERR"
t_status 1 "no such pair" "$SWS" duplicate decide 9999 --different --reason x
t_grep "says so" "no possible duplicate 9999" "$T_ERR"
t_status 1 "not a number" "$SWS" duplicate decide abc --same

# different families: closed, never raised again
t_ok "decide different families" "$SWS" duplicate decide "$ID2" --different --reason "two mothers, seen at the commune"
t_status 1 "decided already" "$SWS" duplicate decide "$ID2" --same
t_grep "says so" "already decided" "$T_ERR"
export SWS_USER=desk
t_ok "a member resembling the other added to $R4" "$SWS" member add "$R4" --name "Keo Vanna" --sex F --born 1990 \
  --relationship sister --force-new "her sister of the same name"
t_ok "the list" "$SWS" duplicate list --all --json
t_check "the pair was not raised again" test "$(grep -c '"id":' "$T_OUT")" -eq 2
t_ok "the decision is in the audit log" "$SWS" --as sup audit log --entity "$R4"
t_grep "with its reason" "two mothers, seen at the commune" "$T_OUT"

# same family: offline first, then the registry merges
export SWS_USER=sup
t_ok "decide the same family" "$SWS" duplicate decide "$ID1" --same --reason "same ID card"
t_grep "the later into the earlier" "$R2 proposed for merging into $R1" "$T_OUT"
t_ok "the household shows it" "$SWS" household show "$R2"
t_grep "waiting for the registry" "proposed for merging into $R1, waiting for the registry" "$T_OUT"
t_ok "listed as waiting" "$SWS" duplicate list --all
t_grep "waits for the sync" "merge waiting for the next sync" "$T_OUT"
t_central_start "$T_DIR/serve.log"
t_ok "sync settings" "$SWS" --as admin sync config --central "$URL" --ca-file "$T_DIR/ca/ca.pem"
t_ok "sync" "$SWS" sync
t_grep "the request was answered" "1 merge decided here answered by the registry, 0 refused" "$T_OUT"
t_check "the registry merged" test "$(t_cq "SELECT count(*) FROM central_log WHERE action = 'merge.office' AND actor LIKE 'sup (KH12%'")" -eq 1
t_check "and kept the request" test "$(t_cq "SELECT count(*) FROM merge_request WHERE status = 200")" -eq 1
t_ok "the later household stepped aside" "$SWS" household show "$R2"
t_grep "its number leads to the earlier" "$R2 was merged into $R1" "$T_ERR"
t_no_grep "no banner any more" "waiting for the registry" "$T_OUT"
t_ok "the pair is closed" "$SWS" duplicate list --all
t_grep "merged" "  merged (into $R1)" "$T_OUT"
t_ok "nothing left to decide" "$SWS" duplicate list
t_grep "empty" "No possible duplicates to decide" "$T_OUT"
t_ok "sync again sends nothing more" "$SWS" sync
t_no_grep "no second request" "merge decided here" "$T_OUT"
t_check "merged once" test "$(t_cq "SELECT count(*) FROM central_log WHERE action = 'merge.office'")" -eq 1
# attacks with KH12's own key: another office's household, its own request
# signed again
B="$T_DIR/b.db"
bsws() { env SWS_USER=sup "$SWS" --db "$B" "$@"; } # KH13's supervisor
echo "correct horse battery" | env -u SWS_USER "$SWS" --db "$B" init --office KH13 --name "Srei Snam" >/dev/null
t_staff "$B"
t_ok "enrol KH13" "$SWS" central office add KH13 --name "Srei Snam" --pubkey "$(bsws office key)" $CDB "$C"
t_ok "KH13 registers a family" bsws household add --area 17010101 --head "Lim Bora" --sex M --born 1975
RB=$(tail -n 1 "$T_OUT")
t_ok "KH13's settings" env SWS_USER=admin "$SWS" --db "$B" sync config --central "$URL" --ca-file "$T_DIR/ca/ca.pem"
t_ok "KH13 syncs" bsws sync
hid() { env -u SWS_USER "$SWS" --db "$1" household show "$2" --json 2>/dev/null | sed -n 's/^  "id": "\([^"]*\)",*$/\1/p'; }
ID_R1=$(hid "$SWS_DB" "$R1"); ID_R3=$(hid "$SWS_DB" "$R3"); ID_RB=$(hid "$B" "$RB")
t_check "the ids are known" test -n "$ID_R1" -a -n "$ID_R3" -a -n "$ID_RB"
printf '{"request":"%s","survivor":"%s","merged":"%s","by":"sup"}' \
  "0190a5b0-0000-7000-8000-000000000001" "$ID_R1" "$ID_RB" >"$T_DIR/steal.json"
t_ok "KH12 asks to merge KH13's household into its own" "$T_TOOLS/sendreq" --db "$SWS_DB" --central "$URL" --ca-file "$T_DIR/ca/ca.pem" \
  --body "$T_DIR/steal.json" POST /v1/merge
t_grep "refused (403)" "^status 403" "$T_OUT"
t_grep "saying whose it is" "not a household of office KH12" "$T_OUT"
t_check "nothing merged" test "$(t_cq "SELECT count(*) FROM central_log WHERE action = 'merge.office'")" -eq 1
t_check "the refusal is logged" test "$(t_cq "SELECT count(*) FROM central_log WHERE action = 'merge.refused'")" -eq 1
REQ=$(t_cq "SELECT request_id FROM merge_request WHERE status = 200")
printf '{"request":"%s","survivor":"%s","merged":"%s"}' "$REQ" "$(t_cq "SELECT survivor FROM merge_request WHERE status = 200")" \
  "$(t_cq "SELECT merged FROM merge_request WHERE status = 200")" >"$T_DIR/again.json"
t_ok "KH12's request signed again" "$T_TOOLS/sendreq" --db "$SWS_DB" --central "$URL" --ca-file "$T_DIR/ca/ca.pem" \
  --body "$T_DIR/again.json" POST /v1/merge
t_grep "answered as before" '^status 200' "$T_OUT"
t_check "and merged once" test "$(t_cq "SELECT count(*) FROM central_log WHERE action = 'merge.office'")" -eq 1
printf '{"request":"%s","survivor":"%s","merged":"%s"}' "$REQ" "$ID_R1" "$ID_R3" >"$T_DIR/reuse.json"
t_ok "the same request for another pair" "$T_TOOLS/sendreq" --db "$SWS_DB" --central "$URL" --ca-file "$T_DIR/ca/ca.pem" \
  --body "$T_DIR/reuse.json" POST /v1/merge
t_grep "is refused" '^status 400' "$T_OUT"
t_stop "$SERVER_PID"; SERVER_PID=
