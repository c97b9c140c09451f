#!/bin/sh
# ui.sh - browser tests of the web UI: a real `sws ui` on 127.0.0.1 (a
# fresh office), driven by headless Chromium (Debian's /usr/bin/chromium)
# through playwright-core (npm, pinned in package-lock.json; no browser is
# ever downloaded). Screenshots go to tests/artifacts/. Results are
# "ok - ..." / "not ok - ..." lines in $E2E_RESULTS (tests/run.sh counts
# them).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/e2e/lib.sh"

if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null 2>&1; then
  echo "not ok - browser tests need chromium and nodejs (scripts/deps.sh installs them)" >>"$E2E_RESULTS"
  exit 1
fi
# playwright-core into the repository's node_modules (gitignored), as the
# lock file says, when it is not there yet
if [ ! -f "$top/node_modules/playwright-core/package.json" ]; then
  (cd "$top" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund \
      --loglevel=error >/dev/null 2>"$T_DIR/npm.log") ||
    { echo "not ok - npm ci (playwright-core)" >>"$E2E_RESULTS"; cat "$T_DIR/npm.log" >&2; exit 1; }
fi

# the office: staff, a case manager covering the villages (and one
# covering none: need-to-know), one family
# already registered (the duplicate prompt will find her)
t_init_office KH12 "Angkor Chum One Stop Shop"
t_as admin  # accounts, areas and catalogues are the administrator's
for u in "desk:front-desk:Sophea" "cm:case-manager:Dara" "cm2:case-manager:Sokha" "sup:supervisor:Bopha"; do
  login=${u%%:*}; rest=${u#*:}; role=${rest%%:*}; name=${rest#*:}
  echo "$login browser password" | "$SWS" user add "$login" --role "$role" --name "$name" >/dev/null 2>&1 ||
    { echo "not ok - add user $login" >>"$E2E_RESULTS"; exit 1; }
done
"$SWS" user area add cm 17 >/dev/null 2>&1
# a village whose name is markup: the reports must show it as text
printf 'code,level,name,name_latin,parent_code\n17010199,village,"<img src=x onerror=alert(1)>",Markup,170101\n' >"$T_DIR/areas.csv"
"$SWS" area load "$T_DIR/areas.csv" >/dev/null 2>&1 ||
  { echo "not ok - load an area named with markup" >>"$E2E_RESULTS"; exit 1; }
# the questionnaire and programme catalogue, where this build has them
[ -f "$top/data/instrument-needs.json" ] && "$SWS" assessment load "$top/data/instrument-needs.json" >/dev/null 2>&1
[ -f "$top/data/programmes.json" ] && "$SWS" programme load "$top/data/programmes.json" >/dev/null 2>&1
t_as desk "desk browser password"
"$SWS" household add --area 17010101 --head "ហួត សុភាព" --sex F \
  --born 1984-06-12 --phone "012 555 301" --member "ហួត វិសាល;M;1980;spouse" \
  >"$T_DIR/existing.txt" 2>&1 || { echo "not ok - seed a household" >>"$E2E_RESULTS"; cat "$T_DIR/existing.txt" >&2; exit 1; }
EXISTING=$(tail -n 1 "$T_DIR/existing.txt")

t_system
"$SWS" ui --listen 127.0.0.1:0 --idle-minutes 30 >"$T_DIR/ui.out" 2>"$T_DIR/ui.err" &
UI_PID=$!
stop_ui() { kill "$UI_PID" 2>/dev/null; wait "$UI_PID" 2>/dev/null; }
trap 'stop_ui; t_cleanup' EXIT
URL=""
i=0
while [ $i -lt 50 ] && [ -z "$URL" ]; do
  URL=$(sed -n 's|^sws ui: serving on \(http://[^ ]*\)/ .*|\1|p' "$T_DIR/ui.out" 2>/dev/null)
  [ -n "$URL" ] || sleep 0.1
  i=$((i + 1))
done
if [ -z "$URL" ]; then
  echo "not ok - sws ui started" >>"$E2E_RESULTS"
  cat "$T_DIR/ui.err" >&2
  exit 1
fi
echo "ok - sws ui started on $URL" >>"$E2E_RESULTS"

mkdir -p "$top/tests/artifacts"
SWS_URL=$URL EXISTING=$EXISTING ARTIFACTS="$top/tests/artifacts" \
  PROFILE="$T_DIR/chromium-profile" \
  timeout 150 node "$top/tests/browser/ui.mjs"
status=$?
[ $status -eq 0 ] || echo "not ok - the browser test script exited with $status" >>"$E2E_RESULTS"
stop_ui
exit 0
