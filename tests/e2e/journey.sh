#!/bin/sh
# journey.sh - a family's whole journey through the one-stop shop, as the
# staff would run it: register, open a case, assign it automatically,
# assess, plan, screen, enrol, refer and get feedback, and a grievance that
# climbs two layers, is answered and appealed. SWS_NOW moves the clock.
. "$(dirname "$0")/lib.sh"

export SWS_NOW=2026-03-02T08:30:00Z   # a Monday
t_init_office KH12 "Angkor Chum One Stop Shop"
PW="a good long password"
t_as admin  # accounts and areas are the administrator's
tok() { t_token "$1" "${2:-$PW}"; }  # a fresh login, for one command
for u in "desk:front-desk" "dara:case-manager" "sophea:case-manager" "bopha:supervisor"; do
  echo "$PW" | "$SWS" user add "${u%%:*}" --role "${u#*:}" >/dev/null 2>&1 ||
    { echo "not ok - set up account ${u%%:*}" >>"$E2E_RESULTS"; exit 1; }
done
t_ok "dara covers Char Chhuk commune" "$SWS" user area add dara 170101
t_ok "sophea covers the whole district" "$SWS" user area add sophea 1701
t_status 1 "a front-desk officer cannot cover an area" "$SWS" user area add desk 1701

# the front desk registers the family
t_as desk "$PW"
t_ok "register the family" "$SWS" household add --area 17010102 --head "ស៊ុន ចាន់ធី" --sex F --born ១៩៨៦ \
  --phone "០៩៧ ៧៧៧ ៨៨៨៨" --member "ស៊ុន វិចិត្រ;M;1950;parent" --member "ស៊ុន ដារ៉ា;M;2014;child" --member "ស៊ុន ស្រីពៅ;F;2025-01;child"
R=$(tail -n 1 "$T_OUT")
t_ok "Khmer digits are saved as digits" "$SWS" search 0977778888
t_grep "the phone finds the family" "$R" "$T_OUT"
t_ok "and found typed in Khmer digits too" "$SWS" search "០៩៧៧៧៧៨៨៨៨"
t_grep "the same family" "$R" "$T_OUT"

# need-to-know: the desk works no case
t_status 1 "the front desk opens no case" "$SWS" case open "$R"
# a case, assigned automatically to the lightest caseload in the area
t_as bopha "$PW"  # the supervisor opens the case (need-to-know: the desk works none)
t_ok "open a case" "$SWS" case open "$R"
t_status 1 "a second open case is refused" "$SWS" case open "$R"
t_grep "saying one is open" "already has an open case" "$T_ERR"
t_as desk "$PW"
t_status 1 "the front desk does not assign cases" "$SWS" case assign "$R" --auto
t_grep "saying which role may" "needs the role case-manager or supervisor" "$T_ERR"
t_as dara "$PW"
t_ok "auto-assign" "$SWS" case assign "$R" --auto
t_grep "to dara (first of two with no cases)" "assigned to dara" "$T_OUT"
t_as dara "$PW"  # case work is the case manager's
t_status 1 "only case managers take cases" "$SWS" case assign "$R" --to desk
t_ok "a note" "$SWS" case note "$R" --text "mother alone with two children and her father; no income since January"
# sophea covers the district: reads the case, but taking dara's is a supervisor's decision
t_ok "sophea reads the case of her district" env SWS_TOKEN="$(tok sophea)" "$SWS" case show "$R"
t_status 1 "sophea cannot take dara's case" env SWS_TOKEN="$(tok sophea)" "$SWS" case assign "$R" --to sophea
t_grep "saying who decides" "only a supervisor can reassign" "$T_ERR"
t_ok "sophea leaves the district" env SWS_TOKEN="$(tok admin "correct horse battery")" "$SWS" user area remove sophea 1701
t_status 1 "and no longer sees the case" env SWS_TOKEN="$(tok sophea)" "$SWS" case show "$R"
t_grep "as if there were none" "among the cases you may see" "$T_ERR"
t_ok "she covers it again" env SWS_TOKEN="$(tok admin "correct horse battery")" "$SWS" user area add sophea 1701

# the needs assessment: the questionnaire sws init installed, scored with
# reasons item by item
t_ok "the default questionnaire is there from the start" "$SWS" assessment questions
t_grep "with the IDPoor question" "idpoor" "$T_OUT"
t_status 1 "a wrong answer is named and nothing saved" "$SWS" assessment add "$R" --answer income_monthly=lots --answer idpoor=level1
t_grep "naming the question" "income_monthly" "$T_ERR"
t_ok "assess the household" "$SWS" assessment add "$R" --answer income_monthly=0 --answer income_sources=none \
  --answer idpoor=level1 --answer food_days_short=12 --answer meals_per_day=1 --answer health_cost_barrier=yes \
  --answer health_cover=none --answer housing_roof=thatch
A=$(tail -n 1 "$T_OUT")
t_ok "the assessment with its score explained" "$SWS" assessment show "$A"
t_ok "the explanation as JSON" "$SWS" assessment show "$A" --json
t_check "every point has a rule and a reason" sh -c "grep -q '\"explanation\"' '$T_OUT' && grep -q '\"because\"' '$T_OUT'"
t_check "a high band for no income, hunger and no health cover" sh -c "grep -q '\"band\": \"high\"' '$T_OUT'"
t_check "a household's assessments are listed" sh -c "'$SWS' assessment list '$R' | grep -q '$A'"
t_status 1 "the front desk does not see the assessment" env SWS_TOKEN="$(tok desk)" "$SWS" assessment show "$A" --json
t_grep "a role that reads no cases" "needs the role case-manager or supervisor" "$T_ERR"
t_status 1 "nor screen the family" env SWS_TOKEN="$(tok desk)" "$SWS" screen "$R" --json

# screening for programmes, offline, and an application
t_ok "screen the household" "$SWS" screen "$R" --json
t_check "the health equity fund: eligible" sh -c "jq -e '.programmes[] | select(.code == \"hef\") | .results[0].outcome == \"eligible\"' '$T_OUT' >/dev/null"
t_check "the baby (member 4) may get the cash transfer for under-2s" sh -c "jq -e '.programmes[] | select(.code == \"cash-pregnant-child\") | .results[] | select(.member == 4) | .outcome == \"eligible\"' '$T_OUT' >/dev/null"
t_check "the grandfather (76) does not, and the reason says why" sh -c "jq -e '.programmes[] | select(.code == \"cash-pregnant-child\") | .results[] | select(.member == 2) | .outcome == \"not-eligible\"' '$T_OUT' >/dev/null"
t_ok "apply for the health equity fund" "$SWS" enrol "$R" --programme hef
E1=$(tail -n 1 "$T_OUT")
t_grep "with the documents to bring" "IDPoor" "$T_OUT"
t_status 1 "a second live application is refused" "$SWS" enrol "$R" --programme hef
t_status 1 "a member programme needs the member" "$SWS" enrol "$R" --programme cash-pregnant-child
t_ok "apply for the baby" "$SWS" enrol "$R" --programme cash-pregnant-child --member 4
E2=$(tail -n 1 "$T_OUT")
t_status 1 "a case manager does not decide applications" "$SWS" enrolment decide "$E1" --approve
t_grep "saying a supervisor does" "needs the role supervisor" "$T_ERR"
BOPHA=$(t_token bopha "$PW")
t_ok "the supervisor approves the first" env SWS_TOKEN="$BOPHA" "$SWS" enrolment decide "$E1" --approve
t_status 2 "a rejection needs a reason" env SWS_TOKEN="$BOPHA" "$SWS" enrolment decide "$E2" --reject
t_ok "and rejects the second, with a reason" env SWS_TOKEN="$BOPHA" "$SWS" enrolment decide "$E2" --reject --reason "antenatal card missing; apply again with it"
t_status 1 "a decided application cannot be decided again" env SWS_TOKEN="$BOPHA" "$SWS" enrolment decide "$E1" --reject --reason x
t_ok "the applications" "$SWS" enrolment list "$R" --json
t_check "one approved, one rejected with its reason" sh -c "jq -e '[.[] | .status] | sort == [\"approved\", \"rejected\"]' '$T_OUT' >/dev/null && grep -q 'antenatal card missing' '$T_OUT'"

# the plan
t_ok "a goal" "$SWS" plan goal "$R" --text "a regular income for the household"
t_ok "an action with a due date" "$SWS" plan action "$R" --goal 1 --kind skills --text "tailoring course at the provincial training centre" --owner dara --due 2026-03-20
t_ok "another, due sooner" "$SWS" plan action "$R" --kind psychosocial --text "counselling sessions" --owner "commune focal point" --due 2026-03-06
t_status 1 "a bad kind is refused" "$SWS" plan action "$R" --kind magic --text x --owner dara --due 2026-03-20
t_ok "the caseload" "$SWS" caseload --user dara
t_grep "shows the case with its next action" "^$R .*next: counselling sessions by 2026-03-06" "$T_OUT"

# a referral, and feedback from the health centre
t_ok "refer the grandfather to the health centre" "$SWS" referral add "$R" --member 2 --service health --to "Char Chhuk health centre" --reason "cough for three weeks" --urgent
REF=$(tail -n 1 "$T_OUT")
t_check "the referral number has the R prefix" sh -c "echo '$REF' | grep -Eq '^KH12-R-000001-[0-9A-Z]$'"
t_status 1 "it cannot be accepted before it is sent" "$SWS" referral accept "$REF"
t_grep "and says what is possible" "possible: send, cancel" "$T_ERR"
t_ok "send it" "$SWS" referral send "$REF"
t_ok "the centre accepts it" "$SWS" referral accept "$REF" --feedback "seen on 3 March; X-ray booked"
t_ok "and completes it" "$SWS" referral complete "$REF" --feedback "treated for TB; follow-up monthly"
t_status 1 "a completed referral cannot be cancelled" "$SWS" referral cancel "$REF"
t_ok "the feedback shows on the case" "$SWS" case show "$R"
t_grep "feedback on the case" "feedback: treated for TB" "$T_OUT"
t_ok "referral show --json" "$SWS" referral show "$REF" --json
t_grep "json history" '"event": "completed"' "$T_OUT"

# time passes: the counselling is overdue
export SWS_NOW=2026-03-09T08:30:00Z
t_as dara "$PW"  # yesterday's login has expired
t_ok "caseload a week later" "$SWS" caseload --user dara
t_grep "the overdue action shows" "^$R .*1 OVERDUE" "$T_OUT"
t_ok "done" "$SWS" plan set "$R" --action 2 --status done
t_status 1 "done cannot be undone" "$SWS" plan set "$R" --action 2 --status in-progress

# a grievance, escalated over two layers, answered, appealed
export SWS_NOW=2026-03-09T09:00:00Z
t_as desk "$PW"
t_ok "the mother complains her cash transfer stopped" "$SWS" grievance add --household "$R" --category payment --channel walk-in --text "the cash transfer stopped in February"
G=$(tail -n 1 "$T_OUT")
t_ok "grievance status" "$SWS" grievance status "$G"
t_grep "at the commune, due in 5 business days" "received at the commune layer, due 2026-03-16" "$T_OUT"
t_status 1 "the front desk does not handle it" "$SWS" grievance acknowledge "$G"
t_ok "the front desk sees where it stands in JSON, not what it says" "$SWS" grievance status "$G" --json
t_no_grep "no text in the JSON" "cash transfer" "$T_OUT"
t_no_grep "no category in the JSON" "payment" "$T_OUT"
# dara covers the family's commune: she handles it
DARA=$(t_token dara "$PW")
t_ok "acknowledged" env SWS_TOKEN="$DARA" "$SWS" grievance acknowledge "$G"
t_status 1 "it cannot be closed before it is answered" env SWS_TOKEN="$DARA" "$SWS" grievance close "$G"
t_grep "said as a sentence" "so it cannot be closed now; what can be done: " "$T_ERR"
export SWS_NOW=2026-03-17T07:00:00Z
t_system  # the daily timer runs without a staff account
t_ok "the daily timer escalates what is due" "$SWS" grievance escalate-due
t_grep "one escalated" "1 grievance escalated" "$T_OUT"
t_ok "running it again the same day" "$SWS" grievance escalate-due
t_grep "changes nothing" "0 grievances escalated" "$T_OUT"
t_ok "status after the first escalation" "$SWS" grievance status "$G"
t_grep "at the district, 10 business days" "escalated at the district layer, due 2026-03-31" "$T_OUT"
export SWS_NOW=2026-04-01T07:00:00Z
t_ok "the district misses its deadline too" "$SWS" grievance escalate-due
t_ok "status after the second escalation" "$SWS" grievance status "$G"
t_grep "at the province, across Khmer New Year" "escalated at the province layer, due 2026-04-27" "$T_OUT"
t_as dara "$PW"
t_ok "the province answers" "$SWS" grievance answer "$G" --text "payments resume in April with arrears"
t_ok "status shows the answer and its layer" "$SWS" grievance status "$G"
t_grep "answer from the province" "answer:    (province layer) payments resume" "$T_OUT"
t_status 1 "the desk records no step of it (need-to-know)" env SWS_TOKEN="$(tok desk)" "$SWS" grievance appeal "$G" --text "the arrears were not paid"
t_ok "the family appeals, with its case manager" "$SWS" grievance appeal "$G" --text "the arrears were not paid"
t_ok "status after the appeal" "$SWS" grievance status "$G"
t_grep "reopened one layer up" "escalated at the national layer" "$T_OUT"
t_status 1 "nothing above national" "$SWS" grievance escalate "$G"
t_grep "says so" "no layer above" "$T_ERR"

# anonymous and sensitive grievances
t_as desk "$PW"
t_ok "an anonymous, sensitive complaint" "$SWS" grievance add --anonymous --category sensitive-abuse --channel hotline --text "a neighbour's child is beaten"
CODE=$(sed -n 's/^follow-up code.*: //p' "$T_OUT")
ANON=$(tail -n 1 "$T_OUT")
t_check "a follow-up code is given" test -n "$CODE"
t_ok "status by follow-up code" "$SWS" grievance status "$CODE"
t_grep "shows the desk only where it stands" "only where it stands is shown" "$T_OUT"
t_no_grep "nor its category" "sensitive" "$T_OUT"
t_no_grep "the text is not shown" "beaten" "$T_OUT"
t_status 1 "the front desk cannot handle it" "$SWS" grievance acknowledge "$ANON"
echo "$PW" >"$T_DIR/bopha.pw"
t_ok "a supervisor sees it, giving her password" "$SWS" --as bopha grievance status "$ANON" <"$T_DIR/bopha.pw"
t_grep "with the text" "beaten" "$T_OUT"
t_ok "the desk officer who took it lists only where it stands" "$SWS" grievance list --json
t_no_grep "without its category" "sensitive" "$T_OUT"
t_ok "a case manager's list leaves it out" env SWS_TOKEN="$(tok dara)" "$SWS" grievance list
t_no_grep "not listed" "$ANON" "$T_OUT"
t_status 1 "nor can she open it" env SWS_TOKEN="$(tok dara)" "$SWS" grievance status "$ANON" --json
t_no_grep "not in her JSON" "beaten" "$T_OUT"
t_ok "the supervisor's list has it" env -u SWS_TOKEN SWS_USER=bopha "$SWS" grievance list <"$T_DIR/bopha.pw"
t_grep "listed" "$ANON" "$T_OUT"

# closing the case; everything audited and the chain intact
t_as dara "$PW"
t_ok "close the case" "$SWS" case close "$R" --outcome "income restored; grandfather in TB treatment"
t_ok "audit log of the household" env -u SWS_TOKEN "$SWS" audit log --entity "$R"
t_grep "names the account that registered the family" "desk *household.register" "$T_OUT"
t_ok "the whole audit log" env -u SWS_TOKEN "$SWS" audit log --limit 1000
t_grep "names the supervisor who decided" "bopha *enrolment.decide" "$T_OUT"
t_grep "and the system user for the timer" "cli:[a-z_][a-z0-9_-]* *grievance.escalat" "$T_OUT"
t_ok "the audit chain is intact" env -u SWS_TOKEN "$SWS" audit verify

# the state tables in the docs are generated from the code
top=$(cd "$(dirname "$0")/../.." && pwd)
"$SWS" help --states >"$T_DIR/states.md"
t_ok "docs/state-machines.md is up to date (run make docs)" diff -u "$top/docs/state-machines.md" "$T_DIR/states.md"

# a copy on a read-only medium: it can be read (with a note), not changed;
# an empty file given as the database is refused and left empty
mkdir -p "$T_DIR/ro"
DESK=$(t_token desk "$PW")
cp "$SWS_DB" "$T_DIR/ro/office.db"
[ -s "$SWS_DB-wal" ] && cp "$SWS_DB-wal" "$T_DIR/ro/office.db-wal"
"$SWS" --db "$T_DIR/ro/office.db" household list >/dev/null 2>&1 # checkpoint the copy
chmod 444 "$T_DIR/ro/office.db"
chmod 555 "$T_DIR/ro"
as_reader() { "$@"; }
if [ "$(id -u)" -eq 0 ]; then # root writes anywhere: read as nobody
  chmod 755 "$T_DIR"
  as_reader() { runuser -u nobody -- "$@"; }
fi
t_ok "a database in a read-only folder can be read" as_reader env -u SWS_TOKEN "$SWS" --db "$T_DIR/ro/office.db" household list
t_grep "the household is listed" "$R" "$T_OUT"
t_grep "with a note that it is read-only" "opened read-only" "$T_ERR"
t_status 1 "and not changed" as_reader env SWS_TOKEN="$DESK" "$SWS" --db "$T_DIR/ro/office.db" household add --area 17010101 --head "Read Only" --sex F --born 1990
t_grep "saying why" "read-only here" "$T_ERR"
chmod 755 "$T_DIR/ro"
: >"$T_DIR/empty.db"
t_status 1 "an empty file is not a database" "$SWS" --db "$T_DIR/empty.db" household list
t_grep "saying so" "is empty, not an sws database" "$T_ERR"
t_check "and it is left empty" test ! -s "$T_DIR/empty.db"
