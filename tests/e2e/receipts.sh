#!/bin/sh
# receipts.sh - receipts end to end, as the front desk uses them: print a
# household's registration receipt on every output, decode its QR code
# with a real decoder (zbarimg), check it offline, scan it into the search
# box, reprint it as a copy; grievance (also anonymous) and referral
# receipts; altered codes, codes of an office whose key is unknown, and
# printer streams.
. "$(dirname "$0")/lib.sh"

if ! command -v zbarimg >/dev/null 2>&1; then
  echo "not ok - zbarimg is missing: install zbar-tools (scripts/deps.sh)" >>"$E2E_RESULTS"
  exit 1
fi
# the QR code in image $1, as a scanner reads it
decode() { zbarimg --raw -q "$1" 2>/dev/null | tr -d '\n'; }

export SWS_NOW=2026-03-02T08:30:00Z
t_init_office KH12 "Angkor Chum One Stop Shop"
t_as admin
for u in desk:front-desk cm:case-manager sup:supervisor; do
  echo "a good long password" | "$SWS" user add "${u%%:*}" --role "${u#*:}" >/dev/null 2>&1 ||
    { echo "not ok - set up the ${u%%:*} account" >>"$E2E_RESULTS"; exit 1; }
done
CM=$(t_token cm "a good long password")
SUP=$(t_token sup "a good long password")
t_as desk "a good long password"
t_ok "register a family" "$SWS" household add --area 17010102 --head "ស៊ុន ចាន់ធី" --sex F --born 1986 \
  --member "ស៊ុន ដារ៉ា;M;2014;child"
R=$(tail -n 1 "$T_OUT")

# the first print issues the receipt
t_ok "print the registration receipt on the terminal" "$SWS" receipt print registration "$R"
t_grep "it names the kind" "^Household registration receipt" "$T_OUT"
t_grep "the number" "^Registration number: $R" "$T_OUT"
t_grep "the members" "Members: 2" "$T_OUT"
t_grep "the QR code in half blocks" "█▀" "$T_OUT"
t_no_grep "no names on it" "ស៊ុន" "$T_OUT"
t_no_grep "not a copy" "COPY" "$T_OUT"
t_grep "says it was issued" "issued receipt KH12/000001" "$T_ERR"

# every later print is a copy: same serial, same QR code
t_ok "a PNG of the same receipt, in Khmer" "$SWS" receipt print registration "$R" --format png --lang km --out "$T_DIR/r.png"
t_check "a receipt file is its owner's alone, whatever the umask" sh -c "umask 002 && '$SWS' receipt print registration '$R' --format png --out '$T_DIR/mode.png' && test \"\$(stat -c %a '$T_DIR/mode.png')\" = 600"
t_check "and so is the office database" test "$(stat -c %a "$SWS_DB")" = 600
t_grep "it is copy 2" "printed copy 2 of receipt KH12/000001" "$T_ERR"
P=$(decode "$T_DIR/r.png")
t_check "zbarimg reads the QR code of the PNG" sh -c "echo '$P' | grep -q '^SW1:'"
t_ok "an 80 mm PNG in Mongolian" "$SWS" receipt print registration "$R" --format png --width 80 --lang mn --out "$T_DIR/r80.png"
t_check "its QR code is the same (a copy carries the same code)" test "$(decode "$T_DIR/r80.png")" = "$P"
t_check "the PNG is 384 dots wide" sh -c "file '$T_DIR/r.png' | grep -q '384 x'"
t_check "the 80 mm one 576" sh -c "file '$T_DIR/r80.png' | grep -q '576 x'"
t_ok "a copy on the terminal" "$SWS" receipt print registration "$R"
t_grep "says COPY" "^\*\*\* COPY \*\*\*" "$T_OUT"
t_grep "keeps the number" "^Receipt no.: KH12/000001" "$T_OUT"
t_ok "the audit log" env -u SWS_TOKEN "$SWS" audit log --json
t_grep "has the issue" '"action": "receipt.issue"' "$T_OUT"
t_grep "and the reprints" '"action": "receipt.reprint"' "$T_OUT"

# checking it offline
t_ok "the scanned code is valid" "$SWS" receipt verify "$P"
t_grep "says so" "^valid: genuine registration receipt KH12/000001" "$T_OUT"
t_grep "and what it is about" "^registration $R" "$T_OUT"
t_ok "verify --json" "$SWS" receipt verify --json "$P"
t_grep "json status" '"status": "valid"' "$T_OUT"
t_grep "json subject" "\"subject\": \"$R\"" "$T_OUT"

# the scanner types the code into the search box
t_ok "searching the scanned code opens the household" "$SWS" search "$P"
t_grep "the household is shown" "^$R" "$T_OUT"
t_grep "with its members" "ស៊ុន ដារ៉ា" "$T_OUT"
t_grep "after the receipt was checked" "genuine registration receipt" "$T_ERR"
t_ok "search --json" "$SWS" search "$P" --json
t_grep "prints the household as JSON" "\"regno\": \"$R\"" "$T_OUT"

# altered and foreign codes
X=$(echo "$P" | awk '{ c = substr($0, 125, 1); r = (c == "0") ? "1" : "0";
  print substr($0, 1, 124) r substr($0, 126) }')
t_check "the altered code differs in one character" test "$X" != "$P"
t_status 5 "one changed character: invalid signature (exit 5)" "$SWS" receipt verify "$X"
t_grep "says not to trust it" "invalid signature: .*do not trust it" "$T_ERR"
t_status 5 "the search box says so too" "$SWS" search "$X"
t_grep "and does not search it as a name" "does not check out (invalid signature)" "$T_ERR"
t_no_grep "no name search" "no household matches" "$T_ERR"
t_status 4 "not a receipt code: malformed (exit 4)" "$SWS" receipt verify "SW1:HELLO"
t_status 4 "typed with Caps Lock on" "$SWS" search "$(echo "$P" | tr 'A-Z' 'a-z')"
t_grep "says what to check" "Caps Lock" "$T_ERR"
t_status 4 "a newer format" "$SWS" receipt verify "SW9:ABC"
t_grep "says to update" "newer format" "$T_ERR"

# another office, whose key this office does not have (no sync yet)
O2="$T_DIR/other.db"
echo "correct horse battery" | "$SWS" --db "$O2" init --office KH13 --name "Other Office" >/dev/null 2>&1
O2ADMIN=$(echo "correct horse battery" | "$SWS" --db "$O2" login admin --print 2>/dev/null)
echo "correct horse battery" | SWS_TOKEN="$O2ADMIN" "$SWS" --db "$O2" user add desk --role front-desk >/dev/null 2>&1
O2DESK=$(echo "correct horse battery" | "$SWS" --db "$O2" login desk --print 2>/dev/null)
t_ok "the other office registers a family" env SWS_TOKEN="$O2DESK" "$SWS" --db "$O2" household add --area 17010102 --head "Keo Samnang" --sex M --born 1990
R2=$(tail -n 1 "$T_OUT")
t_ok "and prints its receipt" env SWS_TOKEN="$O2DESK" "$SWS" --db "$O2" receipt print registration "$R2" --format png --out "$T_DIR/other.png"
P2=$(decode "$T_DIR/other.png")
t_ok "it is valid there" env -u SWS_TOKEN "$SWS" --db "$O2" receipt verify "$P2"
t_status 6 "here the key is unknown (exit 6)" "$SWS" receipt verify "$P2"
t_grep "says to sync" "unknown office key: .*office KH13.*sync" "$T_ERR"

# grievances, anonymous ones, referrals
t_ok "a grievance" "$SWS" grievance add --household "$R" --category payment --channel walk-in --text "the March payment did not arrive"
G=$(tail -n 1 "$T_OUT")
t_ok "its receipt as PDF for the office printer" "$SWS" receipt print grievance "$G" --format pdf --lang km --out "$T_DIR/g.pdf"
t_check "is a PDF" sh -c "head -c 5 '$T_DIR/g.pdf' | grep -q '%PDF-'"
if command -v pdftoppm >/dev/null 2>&1; then # poppler-utils, when present
  pdftoppm -r 300 -png "$T_DIR/g.pdf" "$T_DIR/gpdf" 2>/dev/null
  t_check "the QR code on the printed A4 page scans" sh -c "zbarimg --raw -q '$T_DIR/gpdf-1.png' 2>/dev/null | grep -q '^SW1:'"
fi
t_ok "and as SVG" "$SWS" receipt print grievance "$G" --format svg --out "$T_DIR/g.svg"
t_grep "is an SVG" "<svg" "$T_DIR/g.svg"
t_ok "the grievance receipt as text" "$SWS" receipt print grievance "$G"
t_grep "gives the answer date" "You will get an answer by 2026-03-[0-9][0-9]\.$" "$T_OUT"
t_ok "an anonymous grievance" "$SWS" grievance add --anonymous --category staff-conduct --channel walk-in --text "an officer asked for money"
CODE=$(sed -n 's/^follow-up code.*: //p' "$T_OUT")
ANON=$(tail -n 1 "$T_OUT")
t_ok "its receipt, by the follow-up code" "$SWS" receipt print grievance "$CODE" --format png --out "$T_DIR/anon.png"
PA=$(decode "$T_DIR/anon.png")
t_ok "its code is valid" "$SWS" receipt verify --json "$PA"
t_grep "but names nothing" '"subject": null' "$T_OUT"
t_ok "scanned here, it opens the grievance" "$SWS" search "$PA"
t_grep "by its ticket" "^$ANON " "$T_OUT"
t_ok "the text receipt" "$SWS" receipt print grievance "$ANON"
t_grep "points to the follow-up code" "use the follow-up code you were given" "$T_OUT"
t_no_grep "without printing it" "$CODE" "$T_OUT"
t_ok "a supervisor refers a member" env SWS_TOKEN="$SUP" "$SWS" referral add "$R" --member 2 --service health --to "Char Chhuk health centre" --reason "cough"
REF=$(tail -n 1 "$T_OUT")
t_ok "its slip for an 80 mm thermal printer" env SWS_TOKEN="$SUP" "$SWS" receipt print referral "$REF" --format escpos --width 80 --out "$T_DIR/ref.bin"
t_check "starts with ESC @ and a GS v 0 band 72 bytes wide" sh -c "od -An -tx1 -N10 '$T_DIR/ref.bin' | tr -d ' \n' | grep -q '^1b401d7630004800ff00'"
t_check "ends with feed and cut" sh -c "tail -c 6 '$T_DIR/ref.bin' | od -An -tx1 | tr -d ' \n' | grep -q '^1b64051d5601$'"
t_ok "a device is written directly" env SWS_TOKEN="$SUP" "$SWS" receipt print referral "$REF" --format escpos --out /dev/null
t_ok "the slip as PNG" env SWS_TOKEN="$SUP" "$SWS" receipt print referral "$REF" --format png --out "$T_DIR/ref.png"
t_ok "scanning the slip opens the referral" env SWS_TOKEN="$SUP" "$SWS" search "$(decode "$T_DIR/ref.png")"
t_grep "the referral is shown" "^$REF " "$T_OUT"
t_status 1 "not to the front desk (need-to-know)" "$SWS" search "$(decode "$T_DIR/ref.png")"
t_status 1 "nor its slip" "$SWS" receipt print referral "$REF"

# usage errors
t_status 2 "an unknown kind" "$SWS" receipt print payment "$R"
t_status 2 "an unknown width" "$SWS" receipt print registration "$R" --width 76
t_status 2 "an unknown language" "$SWS" receipt print registration "$R" --lang fr
t_status 1 "an unknown record" "$SWS" receipt print referral KH12-R-000099
t_ok "the audit log still verifies" env -u SWS_TOKEN "$SWS" audit verify
