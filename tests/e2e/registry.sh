#!/bin/sh
# registry.sh - the office registry as a user runs it: init, accounts,
# registration with the duplicate check, search, edit, members, import with
# rejects and re-import, audit verify and tampering, bad input.
. "$(dirname "$0")/lib.sh"

export SWS_NOW=2026-03-02T09:00:00Z

t_init_office KH12 "Angkor Chum One Stop Shop"
t_ok "office show names the office" "$SWS" office show
t_grep "office show has the code" "KH12" "$T_OUT"
t_ok "office key prints a key" "$SWS" office key
t_check "the key is 43 base64url characters" test "$(wc -c <"$T_OUT")" -eq 44

# init refuses to overwrite
t_status 1 "init refuses an existing database" sh -c "echo 'correct horse battery' | '$SWS' init --office KH13 --name X"
t_grep "and says why" "already exists" "$T_ERR"
t_status 2 "init without --name is a usage error" "$SWS" --db "$T_DIR/x.db" init --office KH13

# areas
t_ok "area list" "$SWS" area list --level village
t_grep "the sample villages are there" "^17010101 " "$T_OUT"
t_ok "area list --json" "$SWS" area list --level province --json
t_grep "json has the province" '"code": "17"' "$T_OUT"
cat >"$T_DIR/areas.csv" <<EOF
code,level,name,name_latin,parent_code
1799,district,ស្រុកថ្មី,New District,17
179901,commune,ឃុំថ្មី,New Commune,1799
17990101,village,ភូមិថ្មី,New Village,179901
EOF
t_status 1 "areas are the administrator's" "$SWS" area load "$T_DIR/areas.csv"
t_grep "saying so" "needs the role admin" "$T_ERR"
t_as admin
t_ok "area load" "$SWS" area load "$T_DIR/areas.csv"
t_grep "area load says what it did" "3 areas added" "$T_OUT"
printf 'code,level,name,name_latin,parent_code\nX1,village,x,x,NOWHERE\n' >"$T_DIR/bad_areas.csv"
t_status 1 "a bad area file is refused" "$SWS" area load "$T_DIR/bad_areas.csv"
t_grep "naming the line" "line 2: parent 'NOWHERE'" "$T_ERR"

# accounts
t_ok "user add reads the password from stdin" sh -c "echo 'desk password 123' | '$SWS' user add desk --role front-desk --name 'Front Desk'"
t_status 1 "a short password is refused" sh -c "echo short | '$SWS' user add desk2 --role front-desk"
t_grep "with the rule" "at least 12" "$T_ERR"
t_status 2 "an unknown role is a usage error" sh -c "echo 'desk password 123' | '$SWS' user add desk3 --role boss"
t_ok "user list --json" "$SWS" user list --json
t_grep "lists desk" '"login": "desk"' "$T_OUT"
t_status 2 "user list takes no argument" "$SWS" user list admin
t_grep "and says which one it did not expect" "unexpected argument 'admin'" "$T_ERR"
t_as desk "desk password 123"

# registration
t_ok "register a household" "$SWS" household add --area 17010101 --head "សុខ ដារ៉ា" --sex M --born 1979 \
  --national-id N0101 --phone "012 345 678" --member "ចាន់ ស្រីមុំ;F;1982-05;spouse" --member "សុខ វិចិត្រ;M;2008;child"
REGNO=$(tail -n 1 "$T_OUT")
t_check "the last line is the registration number" sh -c "echo '$REGNO' | grep -Eq '^KH12-000001-[0-9A-Z]$'"

t_status 3 "the same family again is a possible duplicate (exit 3)" "$SWS" household add --area 17010101 \
  --head "សុខ​ដារ៉ា" --sex M --born 1980
t_grep "the duplicate is listed" "$REGNO" "$T_OUT"
t_grep "with reasons" "born 1980 vs 1979\|born 1979 vs 1980" "$T_OUT"
t_ok "nothing was saved" sh -c "test \$('$SWS' household list | wc -l) -eq 1"
t_status 3 "the same national ID is a duplicate" "$SWS" household add --area 17010102 --head "Other Person" --sex F --born 1990 --national-id n-0101
t_grep "reason: same national ID" "same national ID" "$T_OUT"
t_ok "register anyway with a reason" "$SWS" household add --area 17010101 --head "សុខ​ដារ៉ា" --sex M --born 1980 \
  --force-new "a different Sok Dara, son of the village chief"
REGNO2=$(tail -n 1 "$T_OUT")
t_ok "the reason is in the audit log" env -u SWS_TOKEN "$SWS" audit log --entity "$REGNO2"
t_grep "audit shows the reason" "son of the village chief" "$T_OUT"

# search
t_ok "search by name (Khmer)" "$SWS" search "ដារ៉ា"
t_grep "finds the household, number first" "^$REGNO " "$T_OUT"
t_ok "search by a member's name" "$SWS" search "ស្រីមុំ"
t_grep "finds the household of the member" "^$REGNO .*member 2" "$T_OUT"
t_ok "search by number" "$SWS" search "$REGNO"
t_grep "by number" "^$REGNO " "$T_OUT"
NOCHECK=$(echo "$REGNO" | sed 's/-.$//')
t_ok "search by number without the check character" "$SWS" search "$NOCHECK"
t_grep "says it is missing" "no check character" "$T_ERR"
t_ok "search by number copied with spaces" "$SWS" search "$(echo "$REGNO" | tr 'A-Z-' 'a-z ')"
t_grep "finds it" "^$REGNO " "$T_OUT"
t_ok "search by number run together" "$SWS" search "$(echo "$REGNO" | tr -d -)"
t_grep "finds it" "^$REGNO " "$T_OUT"
t_ok "search by phone" "$SWS" search "012345678"
t_grep "by phone" "^$REGNO .*by phone" "$T_OUT"
t_ok "search by national ID" "$SWS" search n0101
t_grep "by national ID" "^$REGNO .*by national ID" "$T_OUT"
t_ok "search --json" "$SWS" search "ដារ៉ា" --json
t_grep "json array of objects" '"regno": "' "$T_OUT"
t_ok "search by name and birth year" "$SWS" search "ដារ៉ា 1980"
t_grep "finds the namesake born then" "^$REGNO2 " "$T_OUT"
t_no_grep "not the one born in 1979" "^$REGNO " "$T_OUT"
t_status 1 "a birth date that cannot be is refused" "$SWS" search "ដារ៉ា 1980-13"
t_grep "saying why" "is not a birth date: there is no month 13" "$T_ERR"

# show, edit, members
t_ok "household show" "$SWS" household show "$REGNO"
t_grep "show lists members" "ចាន់ ស្រីមុំ" "$T_OUT"
t_ok "household show --json" "$SWS" household show "$REGNO" --json
t_grep "json has members" '"members": \[' "$T_OUT"
t_grep "what was not recorded is null, as for members" '"address": null' "$T_OUT"
t_status 1 "edit needs the check character" "$SWS" household edit "$NOCHECK" --phone 099111222
t_ok "household edit" "$SWS" household edit "$REGNO" --phone 099111222 --address "near the pagoda"
t_status 2 "household edit with nothing to change is a usage error" "$SWS" household edit "$REGNO"
t_status 2 "member edit with nothing to change is a usage error" "$SWS" member edit "$REGNO" 1
t_ok "member add" "$SWS" member add "$REGNO" --name "សុខ ស្រីពៅ" --sex F --born 2015 --relationship daughter
t_check "member add prints the number last" test "$(tail -n 1 "$T_OUT")" = 4
t_status 1 "changing the head needs --previous-head-as" "$SWS" member edit "$REGNO" 2 --relationship head
t_ok "change of head" "$SWS" member edit "$REGNO" 2 --relationship head --previous-head-as spouse
t_ok "member move" "$SWS" member move "$REGNO" 3 --to "$REGNO2" --relationship sibling
t_ok "show after the changes" "$SWS" household show "$REGNO"
t_grep "member 2 is head" "ចាន់ ស្រីមុំ  F  born 1982-05  head" "$T_OUT"
t_no_grep "member 3 left" "សុខ វិចិត្រ" "$T_OUT"
t_ok "show --json after the changes" "$SWS" household show "$REGNO" --json
t_grep "the address written" '"address": "near the pagoda"' "$T_OUT"
t_ok "deactivate" "$SWS" household deactivate "$REGNO2" --reason "registered twice by mistake"
t_status 1 "a deactivated household cannot be edited" "$SWS" household edit "$REGNO2" --phone 012999888
t_grep "and the message says how to go on" "reactivate it first" "$T_ERR"

# bad input: clear one-line errors, nothing saved
BEFORE=$("$SWS" household list | wc -l)
t_status 1 "invalid UTF-8 in a name" "$SWS" household add --area 17010101 --head "$(printf 'Sok \377\376')" --sex M --born 1979
t_grep "says UTF-8" "UTF-8" "$T_ERR"
LONG=$(head -c 3000 /dev/zero | tr '\0' a)
t_status 1 "an oversized name" "$SWS" household add --area 17010101 --head "$LONG" --sex M --born 1979
t_grep "says too long" "too long" "$T_ERR"
t_status 1 "a birth date in the future" "$SWS" household add --area 17010101 --head "Sok Nary" --sex F --born 2031
t_status 1 "an unknown village" "$SWS" household add --area 99999999 --head "Sok Nary" --sex F --born 1990
t_grep "says which" "no area with code '99999999'" "$T_ERR"
t_status 1 "a commune is not a village" "$SWS" household add --area 170101 --head "Sok Nary" --sex F --born 1990
t_status 2 "a missing option is a usage error" "$SWS" household add --area 17010101 --sex F --born 1990
t_check "nothing was saved" test "$("$SWS" household list | wc -l)" -eq "$BEFORE"
t_status 2 "an unknown command" "$SWS" frobnicate
t_status 1 "a missing database" "$SWS" --db "$T_DIR/none.db" household list
t_grep "says how to make one" "sws init" "$T_ERR"
printf 'not a database at all, just text that is long enough to be a header of sorts..........................................' >"$T_DIR/junk.db"
t_status 1 "a foreign file" "$SWS" --db "$T_DIR/junk.db" household list
t_check "with one line" test "$(wc -l <"$T_ERR")" -eq 1

# import
cat >"$T_DIR/legacy.csv" <<'EOF'
household_key,name,sex,born,relationship,area,national_id,phone
L-001,Chan Thy,F,1958,head,17010102,,012777888
L-001,Chan Sokha,M,1985,son,17010102,,
L-002,Энх Оюунчимэг,F,1962,,17120101,N5551,
L-003,Bad Date,M,1975-13-01,head,17010102,,+85512777999
L-003,Held Back,F,2001,daughter,17010102,,
L-004,Nobody Anywhere,M,1970,head,00000000,,
L-005,Kim Ly,F,1990,head,17010103,N0101,
EOF
t_status 1 "import with bad rows exits 1" "$SWS" import "$T_DIR/legacy.csv"
t_grep "reports what was imported" "3 households (4 members) imported" "$T_OUT"
t_grep "and the rejects" "3 rows rejected" "$T_OUT"
t_grep "each reason on the terminal with its line" "^  line 5: the birth date of this person '1975-13-01' is not a birth date" "$T_OUT"
t_check "one per rejected row, in the file's order" test "$(sed -n 's/^  line \([0-9]*\): .*/\1/p' "$T_OUT" | paste -sd, -)" = "5,6,7"
t_check "rejects file written" test -f "$T_DIR/legacy.rejects.csv"
t_grep "rejects name the line" "^5," "$T_DIR/legacy.rejects.csv"
t_grep "and the reason" "1975-13-01" "$T_DIR/legacy.rejects.csv"
t_grep "held-back rows say why" "^6,\"another row" "$T_DIR/legacy.rejects.csv"
t_grep "a cell a spreadsheet would run is text" ",\"'+85512777999\"$" "$T_DIR/legacy.rejects.csv"
t_grep "duplicates are flagged" "flagged as possible duplicates" "$T_OUT"
COUNT1=$("$SWS" household list | wc -l)
t_status 1 "re-run of the same file" "$SWS" import "$T_DIR/legacy.csv"
t_grep "imports nothing twice" "0 households (0 members) imported, 3 already imported" "$T_OUT"
t_check "same number of households" test "$("$SWS" household list | wc -l)" -eq "$COUNT1"
# fix the rejects and import them
sed -e 's/1975-13-01/1975-12-01/g' -e 's/00000000/17010401/g' "$T_DIR/legacy.rejects.csv" >"$T_DIR/fixed.csv"
t_ok "the fixed rejects import" "$SWS" import "$T_DIR/fixed.csv"
t_grep "the held-back households now" "2 households (3 members) imported" "$T_OUT"
t_ok "with the phone as the list had it" "$SWS" search 85512777999
t_grep "found by it" "Bad Date" "$T_OUT"
cp "$T_DIR/legacy.csv" "$T_DIR/legacy2.csv"
sed -i 's/^L-00/M-00/' "$T_DIR/legacy2.csv"
t_status 1 "import --dry-run" "$SWS" import --dry-run "$T_DIR/legacy2.csv" --rejects "$T_DIR/dry.csv"
t_grep "dry run says so" "dry run: 7 rows read: 3 households (4 members) can be imported" "$T_OUT"
t_check "dry run saved nothing" test "$("$SWS" household list | wc -l)" -eq $((COUNT1 + 2))
printf 'household_key,name,sex,born,relationship,area,national_id,phone\nS-1,Pen Sothea,F,1999,head,17010102,,\n' >"$T_DIR/one.csv"
t_ok "a one-row list" "$SWS" import "$T_DIR/one.csv"
t_grep "is counted in the singular" "^1 row read: 1 household (1 member) imported" "$T_OUT"
# lists saved from spreadsheets under other settings: Excel's "Unicode
# Text" (UTF-16 with tabs, the way Khmer survives) and ';' (Mongolian)
printf 'household_key\tname\tsex\tborn\trelationship\tarea\tnational_id\tphone\r\nU-1\tហេង សុភា\tF\t1987\thead\t17010102\t\t\r\n' |
  iconv -f UTF-8 -t UTF-16 >"$T_DIR/unicode.txt"
t_ok "a UTF-16 tab-separated list" "$SWS" import "$T_DIR/unicode.txt"
t_grep "is imported" "^1 row read: 1 household (1 member) imported" "$T_OUT"
t_ok "and its Khmer name is found" "$SWS" search "ហេង សុភា"
t_grep "as written" "ហេង សុភា" "$T_OUT"
printf 'sep=;\nhousehold_key;name;sex;born;relationship;area;national_id;phone\nC-1;Должин, Бат;M;1971;head;17120101;;\n' >"$T_DIR/semi.csv"
t_ok "a ';' list with a sep= line" "$SWS" import "$T_DIR/semi.csv"
t_grep "is imported too" "^1 row read: 1 household (1 member) imported" "$T_OUT"
# dates as spreadsheets write them: year first with dots (Mongolian
# settings) always; day first only once the list's order is said
printf 'household_key,name,sex,born,relationship,area,national_id,phone\nT-1,Тулга Ганбат,M,1971.5.3,head,17120101,,\nT-2,Keo Sokha,F,25/12/1984 0:00,head,17010102,,\n' >"$T_DIR/dates.csv"
t_status 1 "a list with the day first" "$SWS" import "$T_DIR/dates.csv"
t_grep "takes the year-first row" "^2 rows read: 1 household (1 member) imported" "$T_OUT"
t_grep "and says how to read the other" "line 3: the birth date of this person '25/12/1984 0:00' has the year last.*--date-order dmy" "$T_OUT"
t_status 2 "--date-order takes dmy or mdy" "$SWS" import "$T_DIR/dates.csv" --date-order ymd
t_ok "the same list, day first" "$SWS" import "$T_DIR/dates.csv" --date-order dmy
t_grep "imports the row held back" "^2 rows read: 1 household (1 member) imported, 1 already" "$T_OUT"
t_ok "the dates are stored year first" "$SWS" search "Keo Sokha"
t_grep "as YYYY-MM-DD" "born 1984-12-25" "$T_OUT"
t_ok "household add with a year-first date in dots" "$SWS" household add --area 17010102 --head "Сүх Бат" --sex M --born 1969.7.1
t_ok "is stored year first" "$SWS" household show "$(tail -n 1 "$T_OUT")"
t_grep "with dashes" "born 1969-07-01" "$T_OUT"
printf 'household_key,name,sex,born,relationship,area,national_id,phone\nK-1,ឈឹម សុខា,ស្រី,1980,មេគ្រួសារ,17010102,,\nK-1,ឈឹម វណ្ណា,ប្រុស,2009,កូនប្រុស,17010102,,\n' >"$T_DIR/khmer-words.csv"
t_ok "a list with sex and relationship in Khmer" "$SWS" import "$T_DIR/khmer-words.csv"
t_grep "is read" "^2 rows read: 1 household (2 members) imported" "$T_OUT"
t_ok "and stored as F/M and head, child" "$SWS" search "ឈឹម វណ្ណា"
t_grep "as M" "ឈឹម សុខា .*(member 2: ឈឹម វណ្ណា, M, born 2009)" "$T_OUT"
t_status 1 "a day-first date at the counter" "$SWS" household add --area 17010102 --head "Сүх Дорж" --sex M --born 01/07/1969
t_grep "is refused with what to write" "has the year last.*write it year first" "$T_ERR"

# audit
t_ok "audit verify on an honest log" env -u SWS_TOKEN "$SWS" audit verify
t_grep "says intact" "audit log intact" "$T_OUT"
if command -v sqlite3 >/dev/null; then
  sqlite3 "$SWS_DB" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail = 'nothing happened' WHERE id = 7;"
  t_status 1 "audit verify catches an edited row" env -u SWS_TOKEN "$SWS" audit verify
  t_grep "names the first broken row" "broken at row 7" "$T_ERR"
else
  echo "not ok - sqlite3 shell missing (make test installs it)" >>"$E2E_RESULTS"
fi

# help for every command
"$SWS" --help >"$T_OUT" 2>&1
for c in $(sed -n 's/^  \([a-z][a-z]*\( [a-z][a-z-]*\)\?\)  .*/\1/p' "$T_OUT" | sed 's/ *$//' | tr ' ' '_'); do
  name=$(echo "$c" | tr '_' ' ')
  # shellcheck disable=SC2086
  t_ok "help for '$name'" "$SWS" $name --help
done

# the command reference is generated from the help texts
top=$(cd "$(dirname "$0")/../.." && pwd)
"$SWS" help --markdown >"$T_DIR/commands.md"
t_ok "docs/commands.md is up to date (run make docs)" diff -u "$top/docs/commands.md" "$T_DIR/commands.md"
