#!/bin/sh
# cli_auth.sh - who the command line is, tried as an attacker at the shell:
# --as and SWS_USER believed only with the account's password or a token
# from sws login; forged, expired, ended and disabled tokens refused; a
# token file nobody else may read; the role rules of the web UI on every
# command (the front desk does not decide enrolments); the system user
# cli:NAME runs jobs but takes no staff decision; wrong passwords at the
# shell slowed like those at the web login; audit rows name who acted.
. "$(dirname "$0")/lib.sh"

PW="an honest long password"
t_init_office KH12 "Angkor Chum One Stop Shop"
t_as admin
for u in "desk:front-desk" "dara:case-manager" "sup:supervisor"; do
  echo "$PW" | "$SWS" user add "${u%%:*}" --role "${u#*:}" >/dev/null 2>&1 ||
    t_fail_setup "set up account ${u%%:*}"
done
"$SWS" user area add dara 17 >/dev/null 2>&1 || t_fail_setup "dara covers the province"
t_as desk "$PW"
"$SWS" household add --area 17010101 --head "Sok Dara" --sex M --born 1980 >"$T_OUT" 2>"$T_ERR" ||
  t_fail_setup "register a family" "$T_ERR"
R=$(tail -n 1 "$T_OUT")
DARA=$(t_token dara "$PW")
SWS_TOKEN=$DARA "$SWS" enrol "$R" --programme hef >"$T_OUT" 2>"$T_ERR" || t_fail_setup "apply" "$T_ERR"
E=$(tail -n 1 "$T_OUT")
t_system
SUP=$(t_token sup "$PW")
# read as the supervisor: the system user sees no case (need-to-know)
pending() { SWS_TOKEN=$SUP "$SWS" enrolment list "$R" --json | grep -q '"status": "applied"'; }
t_check "the application waits for a decision" pending
ME=$(id -un)
audit_rows() { "$SWS" audit log --limit 1000 | wc -l; }

# --as and SWS_USER without the password
N0=$(audit_rows)
echo "not her password at all" >"$T_DIR/wrong.pw"
t_status 1 "--as sup with a wrong password is refused" "$SWS" --as sup enrolment decide "$E" --approve <"$T_DIR/wrong.pw"
t_grep "saying so, and nothing more" "cannot act as 'sup': wrong login or password" "$T_ERR"
t_status 1 "--as sup with no password is refused" "$SWS" --as sup enrolment decide "$E" --approve </dev/null
t_grep "saying a password is needed" "no password" "$T_ERR"
t_status 1 "SWS_USER alone impersonates nobody" env SWS_USER=sup "$SWS" enrolment decide "$E" --approve </dev/null
t_status 1 "nor does an account that does not exist" env SWS_USER=ghost "$SWS" household add --area 17010101 --head "Ghost" --sex M --born 1970 <"$T_DIR/wrong.pw"
t_check "the application is still undecided" pending
t_check "and the only rows written are the failed logins" test "$(audit_rows)" -eq $((N0 + 2))
"$SWS" audit log --limit 2 >"$T_OUT"
t_grep "recorded as the system user's attempt" "cli:$ME *cli.login-failed" "$T_OUT"

# forged, expired, ended and disabled tokens
t_status 1 "a forged token is refused" env SWS_TOKEN=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA "$SWS" household list
t_grep "saying to log in again" "not valid.*sws login" "$T_ERR"
t_status 1 "so is the hash the database keeps" env SWS_TOKEN="$(sqlite3 "$SWS_DB" "SELECT token_hash FROM cli_token LIMIT 1")" "$SWS" household list
SUP=$(t_token sup "$PW")
t_status 1 "another office's database does not know the token" sh -c "echo 'correct horse battery' | '$SWS' --db '$T_DIR/other.db' init --office KH13 --name Other >/dev/null 2>&1; SWS_TOKEN='$SUP' '$SWS' --db '$T_DIR/other.db' household list"
t_status 1 "a token expires after 8 hours" env SWS_TOKEN="$SUP" SWS_NOW="$(date -u -d '+8 hours 1 minute' +%Y-%m-%dT%H:%M:%SZ)" "$SWS" household list
t_ok "and works until then" env SWS_TOKEN="$SUP" SWS_NOW="$(date -u -d '+7 hours 59 minutes' +%Y-%m-%dT%H:%M:%SZ)" "$SWS" household list
t_status 2 "a login lasts a working day at most" sh -c "echo '$PW' | '$SWS' login sup --hours 25 --print"
OLD=$(t_token dara "$PW")
t_ok "sws logout ends a token" env SWS_TOKEN="$OLD" "$SWS" logout
t_status 1 "after which it is refused" env SWS_TOKEN="$OLD" "$SWS" enrolment list "$R"
ADMIN=$(t_token admin)
t_ok "the administrator deactivates dara" env SWS_TOKEN="$ADMIN" "$SWS" user deactivate dara
t_status 1 "a disabled account's token stops working" env SWS_TOKEN="$DARA" "$SWS" enrolment list "$R"
t_grep "saying why" "the account's deactivation" "$T_ERR"
t_ok "the account is let back in" env SWS_TOKEN="$ADMIN" "$SWS" user activate dara
t_status 1 "its old token stays ended" env SWS_TOKEN="$DARA" "$SWS" enrolment list "$R"
DARA=$(t_token dara "$PW")
t_ok "and dara logs in again" env SWS_TOKEN="$DARA" "$SWS" enrolment list "$R"
t_status 1 "a token of one account does not act for another" env SWS_TOKEN="$DARA" SWS_USER=sup "$SWS" enrolment decide "$E" --approve </dev/null

# the token file of sws login: this system user's alone
t_ok "sws login keeps the token in a file" sh -c "echo '$PW' | '$SWS' login sup"
TF=$(ls "$XDG_RUNTIME_DIR"/sws/sup-*.token 2>/dev/null | head -n 1)
t_check "readable by its owner only (0600)" test -n "$TF" -a "$(stat -c %a "$TF" 2>/dev/null)" = 600
t_check "in a folder only its owner opens (0700)" test "$(stat -c %a "$XDG_RUNTIME_DIR/sws")" = 700
t_ok "--as sup then needs no password" "$SWS" --as sup grievance list </dev/null
if [ "$(id -u)" -eq 0 ]; then # another system user: nobody
  chmod 755 "$T_DIR"
  t_status 1 "another system user cannot read it" runuser -u nobody -- cat "$TF"
  t_status 1 "nor use it through sws" runuser -u nobody -- env XDG_RUNTIME_DIR="$XDG_RUNTIME_DIR" "$SWS" --as sup grievance list </dev/null
fi
chmod 644 "$TF"
t_status 1 "a token file others could read is not used" "$SWS" --as sup grievance list </dev/null
t_grep "saying so" "could be read by others" "$T_ERR"
chmod 600 "$TF"
t_ok "sws logout sup ends it and removes the file" "$SWS" logout sup
t_check "the file is gone" test ! -e "$TF"
t_status 1 "and the password is asked for again" "$SWS" --as sup grievance list </dev/null

# the role rules of the web UI, on every command
t_status 1 "the front desk cannot decide an enrolment" env SWS_TOKEN="$(t_token desk "$PW")" "$SWS" enrolment decide "$E" --approve
t_grep "the message names the role needed" "needs the role supervisor; 'desk' is front-desk" "$T_ERR"
t_status 1 "nor can it with its password" "$SWS" --as desk enrolment decide "$E" --approve <"$T_DIR/wrong.pw"
echo "$PW" >"$T_DIR/right.pw"
t_status 1 "even the right one" "$SWS" --as desk enrolment decide "$E" --approve <"$T_DIR/right.pw"
t_grep "for the same reason" "needs the role supervisor" "$T_ERR"
t_status 1 "the administrator registers no household" env SWS_TOKEN="$ADMIN" "$SWS" household add --area 17010101 --head "Admin Family" --sex F --born 1990
t_check "the application is still undecided" pending

# the system user: jobs, not staff decisions
for cmd in "enrolment decide $E --approve" "household add --area 17010101 --head Nobody --sex M --born 1970" "case open $R" "user add eve --role supervisor" "sync resolve 1 --keep central"; do
  t_status 1 "cli:$ME cannot: $cmd" sh -c "echo '$PW' | '$SWS' $cmd"
  t_grep "saying it is staff work" "is staff work" "$T_ERR"
done
t_check "the application is still undecided" pending
t_ok "cli:$ME runs the daily escalation" "$SWS" grievance escalate-due
t_ok "and checks the audit chain" "$SWS" audit verify
t_ok "\$USER does not make anyone admin" env USER=admin LOGNAME=admin SWS_TOKEN="$(t_token desk "$PW")" "$SWS" logout
"$SWS" audit log --limit 1 >"$T_OUT"
t_grep "the audit row names the system login" "cli:$ME *cli.logout" "$T_OUT"

# the supervisor, authenticated, decides; the audit row names her
t_ok "a supervisor with her password decides" "$SWS" --as sup enrolment decide "$E" --approve <"$T_DIR/right.pw"
"$SWS" audit log --limit 3 >"$T_OUT"
t_grep "the audit row names the supervisor" "sup *enrolment.decide" "$T_OUT"

# guessing at the shell is slowed as at the web login form
i=0
while [ $i -lt 5 ]; do
  "$SWS" --as sup household list <"$T_DIR/wrong.pw" >/dev/null 2>&1
  i=$((i + 1))
done
t_status 1 "after five wrong passwords even the right one waits" "$SWS" --as sup household list <"$T_DIR/right.pw"
t_grep "saying how long" "wait [0-9]* minute" "$T_ERR"
t_status 1 "and sws login waits too" sh -c "'$SWS' login sup --print <'$T_DIR/right.pw'"
t_ok "the audit chain is intact" "$SWS" audit verify
