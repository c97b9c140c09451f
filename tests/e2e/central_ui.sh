#!/bin/sh
# central_ui.sh - the registry's web UI as a real process: `sws central
# ui` over HTTP on 127.0.0.1 and curl, on a registry that four offices
# synced to over TLS (two provinces, one family registered twice in
# each). Accounts from the command line; the listening rules; security
# headers and the Host check; login, CSRF; a province officer sees and
# decides their province's pair and grievance only, and another
# province's by its address gets 404; the decision is the command line's
# (the registry lists the pair merged, the log names the officer); the
# server is stopped by its PID.
# e2e-stores: sqlite pg (tests/run.sh runs it on each store of the registry)
. "$(dirname "$0")/lib.sh"

t_make_ca
t_central_db
SERVER_PID=
UI_PID=
t_cleanup() { t_stop "$UI_PID"; t_stop "$SERVER_PID"; rm -rf "$T_DIR"; }
t_central_ui_registry
JAR=$T_DIR/cookies
H=$T_DIR/headers
B=$T_DIR/body

# accounts
t_ok "the accounts are listed" "$SWS" central user list $CDB "$C"
t_grep "a province officer with the province's name" "^p18 *province *18 *Province 18" "$T_OUT"
t_status 2 "a province account needs --area" sh -c "echo '$CUI_PW' | '$SWS' central user add px --role province $CDB '$C'"
t_grep "saying what to give" "give its code with --area CODE" "$T_ERR"
t_status 1 "an area of another level is refused" sh -c "echo '$CUI_PW' | '$SWS' central user add px --role province --area 1801 $CDB '$C'"
t_grep "saying which level it is" "'1801' is a district, not a province" "$T_ERR"
t_status 2 "a national account takes no area" sh -c "echo '$CUI_PW' | '$SWS' central user add px --role national --area 17 $CDB '$C'"
t_status 1 "a short password is refused" sh -c "echo short | '$SWS' central user add px --role national $CDB '$C'"
t_check "no account was made of them" [ "$(t_cq "SELECT count(*) FROM ui_account WHERE login = 'px'")" = 0 ]
t_ok "an account is disabled" "$SWS" central user disable d1701 $CDB "$C"
t_status 1 "not twice" "$SWS" central user disable d1701 $CDB "$C"
t_check "the password is an argon2id hash" [ "$(t_cq "SELECT count(*) FROM ui_account WHERE password_hash LIKE '\$argon2id\$%'")" = 4 ]

# the listening rules of sws ui
t_status 2 "an address other computers reach needs HTTPS" "$SWS" central ui $CDB "$C" --listen 0.0.0.0:0
t_grep "saying why and what to do" "serve HTTPS with --cert and --key" "$T_ERR"

t_central_ui_start "$T_DIR/ui.log"
t_check "sws central ui prints its URL" [ -n "$UI_URL" ]
req() { # curl args...: status into $CODE, headers into $H, body into $B
  CODE=$(curl -s -o "$B" -D "$H" -w '%{http_code}' -b "$JAR" -c "$JAR" "$@")
}
field() { sed -n "s/.*name=\"$1\" value=\"\([^\"]*\)\".*/\1/p" "$B" | head -n 1; }
login() { # LOGIN
  rm -f "$JAR"
  req "$UI_URL/login"
  req -d "token=$(field token)" --data-urlencode "login=$1" \
    --data-urlencode "password=$CUI_PW" -d "next=/duplicates" "$UI_URL/login"
}

req "$UI_URL/login"
t_check "the login page answers 200" [ "$CODE" = 200 ]
t_grep "Content-Security-Policy" "^Content-Security-Policy: default-src 'self'" "$H"
t_grep "X-Frame-Options" "^X-Frame-Options: DENY" "$H"
t_grep "the office UI's style sheet" 'href="/static/sws.css"' "$B"
req -H "Host: evil.example" "$UI_URL/login"
t_check "another Host is refused (421)" [ "$CODE" = 421 ]
login p17
t_check "a province officer logs in (303)" [ "$CODE" = 303 ]
req "$UI_URL/duplicates"
t_check "the duplicates page answers" [ "$CODE" = 200 ]
t_grep "the province's pair is listed" "$RA" "$B"
t_no_grep "never another province's" "$RC" "$B"
req "$UI_URL/duplicates/$RC/$RD"
t_check "another province's pair by its address: 404" [ "$CODE" = 404 ]
t_no_grep "and nothing of it shown" "Chan Thida" "$B"
req "$UI_URL/offices/KH14"
t_check "another province's office by its address: 404" [ "$CODE" = 404 ]
req "$UI_URL/grievances"
t_grep "the province's grievance is in its queue" "$TA" "$B"
t_no_grep "never another province's" "$TC" "$B"
req "$UI_URL/duplicates/$RA/$RB"
t_check "the province's pair side by side" [ "$CODE" = 200 ]
t_grep "both households" "$RB" "$B"
CSRF=$(field csrf)
req -d "csrf=$CSRF" "$UI_URL/duplicates/$RC/$RD/merge"
t_check "a decision on another province's pair, with a good token: 404" [ "$CODE" = 404 ]
req -d "csrf=$CSRF" -d "step=acknowledged" "$UI_URL/grievances/$TC"
t_check "a step on another province's grievance: 404" [ "$CODE" = 404 ]
req -d "x=1" "$UI_URL/duplicates/$RA/$RB/merge"
t_check "a decision without the CSRF token: 403" [ "$CODE" = 403 ]
req -d "csrf=$CSRF" "$UI_URL/duplicates/$RA/$RB/merge"
t_check "the province officer merges their pair (303)" [ "$CODE" = 303 ]
t_ok "the registry lists every pair" "$SWS" central duplicates --all $CDB "$C"
t_grep "the pair merged" "$RA .*$RB .*\[merged\]" "$T_OUT"
t_grep "another province's pair still open" "$RC .*$RD .*\[open\]\|$RD .*$RC .*\[open\]" "$T_OUT"
t_check "the registry's log names the officer" [ "$(t_cq "SELECT count(*) FROM central_log WHERE actor = 'p17' AND action = 'merge'")" = 1 ]
t_check "and their login" [ "$(t_cq "SELECT count(*) FROM central_log WHERE actor = 'p17' AND action = 'ui.login'")" = 1 ]
t_ok "office KH13 syncs" "$SWS" --db "$T_DIR/KH13.db" sync
t_ok "at KH13, its number leads to the survivor" "$SWS" --db "$T_DIR/KH13.db" search "$RB"
t_grep "merged into the province's other household" "merged into $RA" "$T_ERR"
req "$UI_URL/grievances"
req -d "csrf=$(field csrf)" -d "step=acknowledged" "$UI_URL/grievances/$TA"
t_check "the province officer acknowledges their grievance" [ "$CODE" = 303 ]
req "$UI_URL/conflicts"
req -d "csrf=$(field csrf)" -d "keep=registry" -d "note=x" "$UI_URL/conflicts/1"
t_check "a province officer decides no conflict (403)" [ "$CODE" = 403 ]
req "$UI_URL/duplicates"
req -d "csrf=$(field csrf)" "$UI_URL/logout"
t_check "logout" [ "$CODE" = 303 ]
t_check "logged with the officer's login" [ "$(t_cq "SELECT count(*) FROM central_log WHERE actor = 'p17' AND action = 'ui.logout'")" = 1 ]
login d1701
t_check "a disabled account cannot log in" [ "$CODE" = 401 ]
login nat
req "$UI_URL/duplicates"
t_grep "a national officer sees every pair" "$RC" "$B"
t_stop "$UI_PID"
t_check "sws central ui stopped by its PID" sh -c "! kill -0 $UI_PID 2>/dev/null"
t_grep "and says so" "sws central ui: stopped" "$T_DIR/ui.log"
UI_PID=
