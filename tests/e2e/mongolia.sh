#!/bin/sh
# mongolia.sh - a Mongolian One Stop Shop from its first day: sws init
# --country mn loads aimag, soum and bag, Mongolia's holidays, the
# questionnaire in tugrik and the One Stop Shop's programmes; a family is
# registered with Cyrillic register numbers (checked against the birth
# dates), found by register number, Cyrillic name and phone with or without
# +976, assessed in MNT and screened; a grievance's deadline skips
# Independence Day; the receipt prints in Mongolian and its QR code scans;
# the family reaches a central registry with its register numbers.
# e2e-stores: sqlite pg (tests/run.sh runs it on each store of the registry)
. "$(dirname "$0")/lib.sh"
SERVER_PID=
t_cleanup() { t_stop "$SERVER_PID"; rm -rf "$T_DIR"; }

export SWS_NOW=2026-12-23T08:30:00Z # a Wednesday
t_status 2 "an unknown country is refused" sh -c "echo 'correct horse battery' | '$SWS' init --office MN01 --name X --country xx"
t_grep "naming the countries there are" "give one of kh (Cambodia), mn (Mongolia)" "$T_ERR"
t_check "and no database is left" test ! -e "$SWS_DB"
t_ok "init a Mongolian office" sh -c "echo 'correct horse battery' | '$SWS' init --office MN01 --name 'Зуунмод сумын нэг цэгийн үйлчилгээ' --country mn"
t_grep "says where" "(Mongolia) created" "$T_OUT"
t_staff "$SWS_DB"   # a supervisor 'sup'; admin and sup logged in
export SWS_USER=sup
t_ok "office show" "$SWS" office show
t_grep "names the country" "^country: *mn  Mongolia (+976, MNT)" "$T_OUT"
t_ok "office show --json" "$SWS" office show --json
t_grep "country in JSON" '"country": "mn"' "$T_OUT"
t_ok "the areas are aimag, soum and bag" "$SWS" area list
t_grep "Töv aimag" "Төв аймаг" "$T_OUT"
t_grep "Zuunmod soum" "Зуунмод сум" "$T_OUT"
t_no_grep "no Cambodian village" "Char Chhuk" "$T_OUT"

# register: the register numbers' dates must agree with the birth dates
t_status 1 "a register number that disagrees with the birth date" "$SWS" household add --area MN-TO-ZM-1-A \
  --head "Болд Батбаяр" --sex M --born 1980-04-02 --national-id "УБ79040212"
t_grep "is refused, saying both dates" "the register number УБ79040212 says born 1979-04-02; the birth date given is 1980-04-02" "$T_ERR"
t_status 1 "a register number with no date in it" "$SWS" household add --area MN-TO-ZM-1-A \
  --head "Болд Батбаяр" --sex M --born 1979 --national-id "УБ79130212"
t_grep "is refused" "has no birth date in it" "$T_ERR"
t_ok "nothing was saved" "$SWS" office show --json
t_grep "no household" '"households": 0' "$T_OUT"
t_ok "register the family" "$SWS" household add --area MN-TO-ZM-1-A --head "Болд Батбаяр" --sex M \
  --born 1979-04-02 --national-id "уб 79040212" --phone "9911 2233" \
  --member "Сараа Дорж;F;1982-06;spouse;УБ82061528" --member "Болд Тэмүүлэн;M;2012-03-05;child;УБ12230515"
R=$(tail -n 1 "$T_OUT")
t_ok "search by the register number" "$SWS" search "УБ79040212"
t_grep "finds the family" "^$R" "$T_OUT"
t_ok "typed in lower case" "$SWS" search "уб79040212"
t_grep "finds it too" "^$R" "$T_OUT"
t_ok "search by the Cyrillic name" "$SWS" search "Батбаяр"
t_grep "finds the family" "$R" "$T_OUT"
t_ok "search by the phone with +976" "$SWS" search "+976 9911 2233"
t_grep "finds the family" "$R" "$T_OUT"
t_ok "search by a Cambodian number with the same digits" "$SWS" search "+855 9911 2233"
t_no_grep "finds nothing" "$R" "$T_OUT"

# assess in tugrik and screen for the One Stop Shop's programmes
echo "a good long password" | "$SWS" --as admin user add tuya --role case-manager >/dev/null 2>&1 ||
  t_fail_setup "set up the case manager"
echo "a good long password" | "$SWS" login tuya >/dev/null 2>&1 || t_fail_setup "tuya logs in"
t_ok "the case manager covers Zuunmod soum" "$SWS" --as admin user area add tuya MN-TO-ZM
t_ok "open a case" "$SWS" case open "$R"
t_ok "assigned to her" "$SWS" case assign "$R" --to tuya
export SWS_USER=tuya
t_ok "the questionnaire" "$SWS" assessment questions
t_grep "counts in tugrik" "Amounts are in MNT" "$T_OUT"
t_grep "asks in Mongolian" "Өрхийн өнгөрсөн сарын нийт мөнгөн орлого" "$T_OUT"
t_no_grep "not about IDPoor" "idpoor" "$T_OUT"
t_ok "assess the household" "$SWS" assessment add "$R" --answer income_monthly=600000 \
  --answer income_sources=herding --answer livestock_heads=40 --answer food_days_short=12 \
  --answer winter_fuel=no --answer health_insurance=yes --answer work_status@1=herder \
  --answer social_insurance@1=none
A=$(tail -n 1 "$T_OUT")
t_ok "its score" "$SWS" assessment show "$A"
t_grep "explained in tugrik" "income below 300,000 tugrik a month per person" "$T_OUT"
t_ok "its score in Mongolian" "$SWS" assessment show "$A" --lang mn
t_grep "explained in Mongolian" "нэг хүнд ногдох сарын орлого 300,000 төгрөгөөс бага" "$T_OUT"
t_grep "its band in Mongolian (13: moderate)" "(band дунд)" "$T_OUT"
t_no_grep "no English explanation left" "tugrik a month" "$T_OUT"
t_ok "in JSON too" "$SWS" assessment show "$A" --lang mn --json
t_check "the band's code stays, its label is Mongolian" sh -c "jq -e '.band == \"moderate\" and .band_label == \"дунд\"' '$T_OUT' >/dev/null"
t_status 2 "a language there is none of" "$SWS" assessment show "$A" --lang fr
t_grep "is refused" "--lang is en, km or mn, not 'fr'" "$T_ERR"
echo "a good long password" | "$SWS" --as admin user add bat --role case-manager >/dev/null 2>&1 &&
  "$SWS" --as admin user area add bat MN-TO-BT >/dev/null 2>&1 &&
  echo "a good long password" | "$SWS" login bat >/dev/null 2>&1 || t_fail_setup "a case manager of Batsümber soum"
t_status 1 "another soum's case manager asks for it in Mongolian" "$SWS" --as bat assessment show "$A" --lang mn
t_grep "and is told there is none" "no assessment $A in this office" "$T_ERR"
t_no_grep "nothing of it shown" "төгрөгөөс бага" "$T_OUT"
t_status 1 "nor its screening" "$SWS" --as bat screen "$R" --lang mn
t_ok "screen" "$SWS" screen "$R" --json
t_check "the child money programme for the son" sh -c "jq -e '.programmes[] | select(.code == \"child-money\") | .results[] | select(.member == 3) | .outcome == \"eligible\"' '$T_OUT' >/dev/null"
t_check "voluntary social insurance for the herder" sh -c "jq -e '.programmes[] | select(.code == \"voluntary-insurance\") | .results[] | select(.member == 1) | .outcome == \"eligible\"' '$T_OUT' >/dev/null"
t_check "food stamps for the hungry household" sh -c "jq -e '.programmes[] | select(.code == \"food-stamps\") | .results[0].outcome == \"eligible\"' '$T_OUT' >/dev/null"
t_ok "screen in Mongolian" "$SWS" screen "$R" --lang mn
t_grep "the rules explained in Mongolian" "18 хүртэлх насны хүүхэд" "$T_OUT"
t_no_grep "not in English" "a child under 18" "$T_OUT"

# a grievance on Wednesday 23 December: five business days skip the
# weekend and Independence Day (Tuesday 29)
export SWS_USER=sup
t_ok "a grievance" "$SWS" grievance add --household "$R" --category payment --channel walk-in --text "хүүхдийн мөнгө ирээгүй"
G=$(tail -n 1 "$T_OUT")
t_ok "its status" "$SWS" grievance status "$G"
t_grep "due on the 31st, not the 30th" "due 2026-12-31" "$T_OUT"
t_grep "its history in Ulaanbaatar time (08:30 UTC is 16:30)" "^  2026-12-23 16:30  received" "$T_OUT"
t_ok "the time zone" "$SWS" office show
t_grep "is Mongolia's" "^time zone:  Asia/Ulaanbaatar" "$T_OUT"
t_ok "the west of Mongolia is an hour behind" "$SWS" --as admin office timezone Asia/Hovd
t_ok "its status again" "$SWS" grievance status "$G"
t_grep "in Hovd time" "^  2026-12-23 15:30  received" "$T_OUT"
t_status 1 "a zone that does not exist" "$SWS" --as admin office timezone Asia/Nowhere
t_grep "is refused" "is not a time zone of this computer" "$T_ERR"
t_ok "back to the country's" "$SWS" --as admin office timezone --country
t_ok "the JSON keeps UTC" "$SWS" grievance status "$G" --json
t_grep "as stored" "2026-12-23T08:30:00Z" "$T_OUT"

# the receipt in Mongolian, and its QR code
t_ok "the registration receipt in Mongolian" "$SWS" receipt print registration "$R" --lang mn
t_grep "in Mongolian" "^Өрхийн бүртгэлийн баримт" "$T_OUT"
if command -v zbarimg >/dev/null 2>&1; then
  t_ok "as a PNG" "$SWS" receipt print registration "$R" --lang mn --format png --out "$T_DIR/r.png"
  P=$(zbarimg --raw -q "$T_DIR/r.png" 2>/dev/null | tr -d '\n')
  t_ok "its QR code scans and checks out" "$SWS" receipt verify "$P"
  t_grep "for this household" "^registration $R" "$T_OUT"
else
  echo "not ok - zbarimg is missing: install zbar-tools (scripts/deps.sh)" >>"$E2E_RESULTS"
fi

# the registry takes what a Mongolian office stores
t_make_ca
t_central_db
t_ok "central init" "$SWS" central init $CDB "$C" --name "Töv aimag registry"
t_ok "with Mongolia's areas" "$SWS" central area load $CDB "$C" "$T_TOP/data/areas-mn.csv"
t_ok "enrol the office" "$SWS" central office add MN01 --name "Zuunmod" --pubkey "$("$SWS" office key)" $CDB "$C"
t_central_start "$T_DIR/serve.log"
t_ok "the office's sync settings" "$SWS" --as admin sync config --central "$URL" --ca-file "$T_DIR/ca/ca.pem"
t_ok "sync" "$SWS" sync
t_ok "sync status" "$SWS" sync status --json
t_check "nothing was rejected" sh -c "jq -e '(.rejected | length) == 0 and (.problems | length) == 0' '$T_OUT' >/dev/null"
t_check "the registry holds the three register numbers" test "$(t_cq "SELECT count(*) FROM person WHERE national_id IN ('УБ79040212', 'УБ82061528', 'УБ12230515')")" = 3
t_stop "$SERVER_PID"
SERVER_PID=

# a Cambodian office keeps its rule
export SWS_DB="$T_DIR/kh.db"
t_init_office KH12
t_staff "$SWS_DB"
t_ok "a Cambodian office" "$SWS" office show
t_grep "is Cambodian by default" "^country: *kh  Cambodia (+855, KHR)" "$T_OUT"
t_status 1 "refuses a register number" "$SWS" household add --area 17010102 --head "Sok Dara" --sex M --born 1979-04-02 --national-id "УБ79040212"
t_grep "saying why" "has Cyrillic letters" "$T_ERR"
