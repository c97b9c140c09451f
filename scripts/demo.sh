#!/bin/sh
# demo.sh - the demo office for `make run`: a fresh database in demo/ with a
# few thousand made-up households (Khmer, Latin and Mongolian names), staff
# accounts, and the main job shown step by step: register a family, see
# the duplicate check, find them again. Then the web UI (`sws ui`) runs in
# the foreground on SWS_UI_LISTEN (default 127.0.0.1:8080) until Ctrl+C.
# COUNTRY=mn (make run COUNTRY=mn) makes it a Mongolian office instead.
set -eu
cd "$(dirname "$0")/.."
SWS=./sws
export SWS_DB=demo/office.db
rm -rf demo
mkdir -p demo

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ sws'; for a in "$@"; do printf " '%s'" "$a"; done; printf '\n'; "$SWS" "$@"; }

# what the walk-through types, in the office's country
case "${COUNTRY:-kh}" in
mn)
  OFFICE=MN01 NAME="Зуунмод сумын нэг цэгийн үйлчилгээ (demo)" AIMAG=MN-TO
  VILLAGE=MN-TO-ZM-1-A HEAD="Батын Сараа" HEAD_TYPED="батын сараа"
  BORN=1984-06-12 NID="УБ84061224" PHONE="9911 5301" FIND="Сараа"
  SPOUSE="Доржийн Бат;M;1980;spouse" CHILD="Батын Номин;F;2012;child" ;;
kh)
  OFFICE=KH12 NAME="Angkor Chum One Stop Shop (demo)" AIMAG=17
  VILLAGE=17010101 HEAD="ហួត សុភាព" HEAD_TYPED="ហួតសុភាព"
  BORN=1984-06-12 NID="" PHONE="012 555 301" FIND="សុភាព"
  SPOUSE="ហួត វិសាល;M;1980;spouse" CHILD="ហួត ស្រីនិច;F;2012;child" ;;
*)
  echo "COUNTRY is kh (Cambodia) or mn (Mongolia), not '$COUNTRY'" >&2
  exit 2 ;;
esac

say "Creating the demo office in $SWS_DB"
echo "admin demo password" | "$SWS" init --office "$OFFICE" --name "$NAME" --country "${COUNTRY:-kh}"
# staff accounts are the administrator's to make: log in as admin (the
# password on standard input; sws login prints a token for SWS_TOKEN)
login() { echo "$1 demo password" | "$SWS" login "$1" --print 2>/dev/null; }
export SWS_TOKEN="$(login admin)"
for u in "desk:front-desk:Sophea" "cm:case-manager:Dara" "sup:supervisor:Bopha"; do
  login=${u%%:*}; rest=${u#*:}; role=${rest%%:*}; name=${rest#*:}
  echo "$login demo password" | "$SWS" user add "$login" --role "$role" --name "$name" >/dev/null
done
# the case manager covers the province (sws init installed the default
# questionnaire and the example programme catalogue)
"$SWS" user area add cm "$AIMAG" >/dev/null
"$SWS" logout
# made-up families: a job of the system user (no staff account)
unset SWS_TOKEN
"$SWS" demo seed --households 3000
export SWS_TOKEN="$(login desk)"

say "1. The front desk registers a family"
run household add --area "$VILLAGE" --head "$HEAD" --sex F --born "$BORN" \
  ${NID:+--national-id "$NID"} --phone "$PHONE" --member "$SPOUSE" --member "$CHILD" | tee demo/registered.txt
REGNO=$(tail -n 1 demo/registered.txt)

say "2. She comes back next week; the desk types her name another way"
run household add --area "$VILLAGE" --head "$HEAD_TYPED" --sex F --born 1984 || true

say "3. Found again: by name, by number without its check character, by phone"
run search "$FIND" --limit 5
run search "${REGNO%-?}"
run search "$PHONE"

say "4. The household"
run household show "$REGNO"

say "5. The audit log is intact, and names who did what"
"$SWS" logout
unset SWS_TOKEN
run audit verify
run audit log --limit 3

LISTEN=${SWS_UI_LISTEN:-127.0.0.1:8080}
cat <<EOF

The demo office is ready: $SWS_DB (export SWS_DB=$SWS_DB to use it).
The web UI starts now: open http://$LISTEN/ in a browser and log in as
  desk  / desk demo password      (front desk)
  cm    / cm demo password        (case manager)
  sup   / sup demo password       (supervisor)
  admin / admin demo password     (administrator)
The same logins work for the command line: ./sws login desk once, then
./sws --as desk household add ... (./sws search Dara needs no login).
Stop the web UI with Ctrl+C.
EOF
exec "$SWS" ui --listen "$LISTEN"
