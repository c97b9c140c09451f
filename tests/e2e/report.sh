#!/bin/sh
# report.sh - sws report as an officer and a supervisor would run it: the
# formats (table, tidy CSV, JSON) with Khmer and Mongolian area names, a
# count below 5 never shown in a file, exact figures only on the screen of
# a supervisor, a cell a spreadsheet would run kept as text, and bad input
# refused with a message.
set -u
. "$(dirname "$0")/lib.sh"

t_init_office KH12 "Report Office"
t_as admin
for u in "desk:front-desk" "sup:supervisor"; do
  echo "${u%%:*} report password" | "$SWS" user add "${u%%:*}" --role "${u#*:}" >/dev/null 2>&1
done
# a village whose name a spreadsheet would take for a formula, and one
# named in Mongolian Cyrillic
cat >"$T_DIR/areas.csv" <<'CSV'
code,level,name,name_latin,parent_code
17010199,village,"=HYPERLINK(""x"")",Formula,170101
17010198,village,Баянзүрх,Bayanzurkh,170101
CSV
t_ok "areas with awkward names load" "$SWS" area load "$T_DIR/areas.csv"
t_as desk "desk report password"
SWS_NOW=2026-03-05T09:00:00Z "$SWS" household add --area 17010101 --head "ហួត សុភាព" --sex F --born 1984 \
  --member "ហួត វិសាល;M;1980;spouse" >/dev/null 2>&1
for who in "Sok Dara:1970" "Chan Thy:1962" "Keo Sina:1985" "Lim Bora:1991" "Mao Rith:1955" "Ouk Vanna:1978"; do
  SWS_NOW=2026-03-06T09:00:00Z "$SWS" household add --area 17010199 --head "${who%%:*}" --sex M --born "${who#*:}" >/dev/null 2>&1
done
SWS_NOW=2026-03-07T09:00:00Z "$SWS" household add --area 17010198 --head "Батбаяр" --sex M --born 1990 >/dev/null 2>&1
export SWS_NOW=2026-04-10T09:00:00Z
# reports are read without a staff account (a monthly timer does so); the
# system user sees no more than the front desk would
t_system
t_status 1 "the front desk does not run reports (as in the web UI)" env SWS_TOKEN="$(t_token desk "desk report password")" "$SWS" report --period 2026-03
t_grep "saying who does" "needs the role case-manager or supervisor" "$T_ERR"
SUP=$(t_token sup "sup report password")

t_ok "a table on the terminal" "$SWS" report --period 2026-03 --layer village
t_grep "it names the indicator" "Households registered" "$T_OUT"
t_grep "Khmer area names as they are" "ចារឈូក" "$T_OUT"
t_grep "Mongolian area names as they are" "Баянзүрх" "$T_OUT"
t_grep "says counts below 5 are hidden" "counts below 5 hidden" "$T_OUT"

t_ok "tidy CSV" "$SWS" report --period 2026-03 --layer village --format csv --out "$T_DIR/r.csv"
t_grep "the CSV's columns" "^indicator,period,area_code,area_name,area_level,sex,age_group,disability,category_type,category,value" "$T_DIR/r.csv"
t_grep "six households in the formula village" '^households_registered,2026-03,17010199,.*,village,,,,,,6' "$T_DIR/r.csv"
t_grep "a formula name kept as text" "\"'=HYPERLINK(\"\"x\"\")\"" "$T_DIR/r.csv"
t_grep "one household is shown as <5" '^households_registered,2026-03,17010198,Баянзүрх,village,,,,,,<5' "$T_DIR/r.csv"
# no count from 1 to 4 is written anywhere
awk -F, 'NR > 1 && $NF ~ /^[1-4]$/ { bad = 1 } END { exit bad }' "$T_DIR/r.csv"
t_result $? "no count from 1 to 4 in the CSV"
t_ok "JSON by village" "$SWS" report --period 2026-03 --layer village --format json
t_grep "Mongolian area names in JSON" '"area_name": "Баянзүрх"' "$T_OUT"
t_grep "Khmer area names in JSON" '"area_name": "ចារឈូក"' "$T_OUT"
t_ok "JSON" "$SWS" report --period 2026-03 --layer commune --format json
t_grep "JSON says the set's version" '"indicators_version": 1' "$T_OUT"
t_grep "a hidden count is null and marked" '"suppressed": true' "$T_OUT"
t_ok "in Khmer" "$SWS" report --period 2026-03 --lang km --indicator households_registered
t_grep "the indicator's name in Khmer" "គ្រួសារដែលបានចុះឈ្មោះ" "$T_OUT"
t_ok "in Mongolian" "$SWS" report --period 2026-03 --lang mn --indicator households_registered
t_grep "the indicator's name in Mongolian" "Бүртгэгдсэн өрх" "$T_OUT"

t_status 1 "exact figures refused without a supervisor's account" "$SWS" report --period 2026-03 --suppress 0
t_grep "and why" "for the office's supervisors" "$T_ERR"
t_ok "a supervisor sees exact figures on the screen" env SWS_TOKEN="$SUP" "$SWS" report --period 2026-03 --suppress 0 --layer village --indicator households_registered
t_grep "the one household, exact" "17010198 Баянзүрх *1 " "$T_OUT"
t_status 1 "but not in a file" env SWS_TOKEN="$SUP" "$SWS" report --period 2026-03 --suppress 0 --format csv
t_grep "and why" "can leave the office" "$T_ERR"

t_status 1 "a period that is not one" "$SWS" report --period 2026-13
t_grep "says what a period is" "give a month (2026-11)" "$T_ERR"
t_status 2 "a layer that is not one" "$SWS" report --layer street
t_status 1 "an area that does not exist" "$SWS" report --area NOPE
t_grep "says where the codes are" "sws area list" "$T_ERR"
t_status 1 "age groups that do not start at 0" "$SWS" report --ages 5-17,18+
t_status 1 "an indicator that does not exist" "$SWS" report --indicator stars
t_ok "a quarter with nothing in it" "$SWS" report --period 2025-Q1 --format csv
t_grep "zeros, not an error" '^people_registered,2025-Q1,KH12,Report Office,office,,,,,,0' "$T_OUT"

# DHIS2: the mapping's identifiers, hidden cells left out, a bad mapping
# refused before anything is written
cat >"$T_DIR/map.json" <<'JSON'
{"dataElements": {"households_registered": "SwsHhRegd01"},
 "orgUnits": {"KH12": "OuOffice001", "17010199": "OuFormula01", "17010198": "OuBayanzur1"},
 "categoryOptionCombos": {"total": "HllvX50cXC0", "sex:M": "CocMale0001"}}
JSON
t_ok "DHIS2 dataValueSets" "$SWS" report --period 2026-03 --layer village --format dhis2 --mapping "$T_DIR/map.json" --out "$T_DIR/dvs.json"
t_grep "a data value of the mapped village" '"orgUnit": "OuFormula01"' "$T_DIR/dvs.json"
t_grep "the period as DHIS2 writes a month" '"period": "202603"' "$T_DIR/dvs.json"
t_grep "the count as a string" '"value": "6"' "$T_DIR/dvs.json"
t_no_grep "the hidden count of Bayanzurkh is left out" 'OuBayanzur1' "$T_DIR/dvs.json"
t_grep "what was left out is said" "hidden (small counts)" "$T_ERR"
jq -e '.dataValues | length > 0 and all(.[]; has("dataElement") and has("period") and has("orgUnit") and has("categoryOptionCombo") and has("value"))' "$T_DIR/dvs.json" >/dev/null
t_result $? "every data value has the five fields DHIS2 needs"
echo '{"dataElements": {"households_registered": "not-a-uid"}, "orgUnits": {}, "categoryOptionCombos": {}}' >"$T_DIR/bad.json"
t_status 1 "a mapping with a bad UID is refused" "$SWS" report --period 2026-03 --format dhis2 --mapping "$T_DIR/bad.json" --out "$T_DIR/none.json"
t_grep "and says which" "households_registered" "$T_ERR"
t_check "nothing written" [ ! -e "$T_DIR/none.json" ]
t_status 2 "dhis2 without a mapping" "$SWS" report --format dhis2
t_status 1 "DHIS2 has no period for two given days" "$SWS" report --period 2026-03-01..2026-03-10 --format dhis2 --mapping "$T_DIR/map.json"
t_ok "the documented example mapping is accepted" "$SWS" report --period 2026-03 --format dhis2 --mapping "$T_TOP/docs/dhis2-mapping.example.json"

# the registry: its own areas, the same report over every office
REG=$T_DIR/central.db
t_ok "a registry with the sample areas" "$SWS" central init --db "$REG" --name "National registry"
t_ok "its report by province, as CSV" "$SWS" central report --db "$REG" --period 2026-03 --layer province --format csv
t_grep "the nation's total" '^households_registered,2026-03,national,National registry,national,,,,,,0' "$T_OUT"
t_grep "a province of the sample" '^households_registered,2026-03,17,' "$T_OUT"
t_no_grep "no coverage gap at the registry (no eligibility rules there)" '^eligible_not_enrolled' "$T_OUT"
t_status 2 "no exact figures at the registry" "$SWS" central report --db "$REG" --suppress 0
t_status 2 "a registry report needs the registry" "$SWS" central report --period 2026-03
t_status 2 "an office report takes no --db" "$SWS" report --db "$REG"
printf 'code,level,name,name_latin,parent_code\n99,village,X,X,\n' >"$T_DIR/bad-areas.csv"
t_status 1 "a wrong area file is refused whole" "$SWS" central area load --db "$REG" "$T_DIR/bad-areas.csv"
t_grep "and the line named" "line 2" "$T_ERR"
printf 'code,level,name,name_latin,parent_code\n9901,district,Баянзүрх,Bayanzurkh,17\n' >"$T_DIR/more-areas.csv"
t_ok "areas added to the registry" "$SWS" central area load --db "$REG" "$T_DIR/more-areas.csv"
t_grep "one added" "1 area added" "$T_OUT"
t_ok "a report by district names it" "$SWS" central report --db "$REG" --layer district --indicator households_registered
t_grep "the new district, in Cyrillic" "Баянзүрх" "$T_OUT"
t_ok "no summaries yet: nothing differs" "$SWS" central report --db "$REG" --check
t_grep "says what it checked" "0 summaries checked, 0 differences" "$T_OUT"
t_status 2 "--check is the registry's" "$SWS" report --check

# the nightly job keeps the reports of a closed month; asked again, they
# are read, said to be so, and the same as counted afresh
t_status 1 "an open month is not kept" "$SWS" central report --db "$REG" --keep --period 2026-04
t_grep "saying why" "2026-04 has not ended yet" "$T_ERR"
t_ok "last month's reports kept (the nightly job)" "$SWS" central report --db "$REG" --keep
t_grep "at every layer" "4 reports of 2026-03 kept" "$T_OUT"
t_ok "March by district, read from what was kept" "$SWS" central report --db "$REG" --period 2026-03 --layer district --format csv
t_grep "said to be kept, and when" "kept report, counted at 2026-04-10T09:00:00Z; 0 devices have pushed since" "$T_ERR"
cp "$T_OUT" "$T_DIR/kept.csv"
t_ok "counted afresh on asking" "$SWS" central report --db "$REG" --period 2026-03 --layer district --format csv --fresh
t_no_grep "not said to be kept" "kept report" "$T_ERR"
t_check "the same figures either way" cmp -s "$T_OUT" "$T_DIR/kept.csv"
t_ok "by village: not kept, counted" "$SWS" central report --db "$REG" --period 2026-03 --layer village --format csv
t_no_grep "counted, not read" "kept report" "$T_ERR"
t_status 2 "--keep takes no layer" "$SWS" central report --db "$REG" --keep --layer province
t_status 2 "--keep is the registry's" "$SWS" report --keep
sqlite3 "$REG" "UPDATE report_kept SET body = '{\"codec\": 1}' WHERE layer = 'district'"
t_ok "a kept report edited behind the registry's back" "$SWS" central report --db "$REG" --period 2026-03 --layer district --format csv
t_grep "is not used, and that is said" "the kept report cannot be read" "$T_ERR"
t_check "the report is counted afresh" cmp -s "$T_OUT" "$T_DIR/kept.csv"

# a ministry's own version of the indicator set
cat >"$T_DIR/set.json" <<'JSON'
{"version": 7, "indicators": [
 {"code": "new_families", "name": {"en": "New families", "km": "គ្រួសារថ្មី", "mn": "Шинэ өрх"},
  "definition": "Households registered in the period.", "fact": "household_registered",
  "measure": "count", "breakdowns": ["area", "sex"]}]}
JSON
t_ok "another version of the indicator set" "$SWS" report --period 2026-03 --indicators "$T_DIR/set.json" --format json
t_grep "its version in the report" '"indicators_version": 7' "$T_OUT"
t_grep "its own indicator" '"indicator": "new_families"' "$T_OUT"
t_no_grep "and only it" '"indicator": "people_registered"' "$T_OUT"
echo '{"version": 1, "indicators": [{"code": "x", "fact": "stars", "measure": "count", "breakdowns": []}]}' >"$T_DIR/badset.json"
t_status 1 "a set naming a fact sws cannot count is refused" "$SWS" report --indicators "$T_DIR/badset.json"
t_grep "saying which file and why" "badset.json: indicator x: 'stars' is not a fact" "$T_ERR"
t_ok "the registry takes one too" "$SWS" central report --db "$REG" --indicators "$T_DIR/set.json" --format csv
t_grep "with its indicator" '^new_families,' "$T_OUT"
