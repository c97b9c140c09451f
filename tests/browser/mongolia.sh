#!/bin/sh
# mongolia.sh - a Mongolian One Stop Shop's day in a real browser with the
# UI in Mongolian: a real `sws ui --lang mn` on 127.0.0.1 for an office made
# with `sws init --country mn`, driven by headless Chromium (Debian's
# /usr/bin/chromium) through playwright-core, as ui.sh does. The office's
# clock (SWS_NOW) is 2026-03-01 18:30 UTC: 2026-03-02 02:30 in Ulaanbaatar,
# so every time the pages show must have crossed the date line. Results
# are "ok - ..." / "not ok - ..." lines in $E2E_RESULTS; screenshots go to
# tests/artifacts/mn-*.png.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/e2e/lib.sh"

if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null 2>&1; then
  echo "not ok - browser tests need chromium and nodejs (scripts/deps.sh installs them)" >>"$E2E_RESULTS"
  exit 1
fi
if ! command -v zbarimg >/dev/null 2>&1; then
  echo "not ok - zbarimg is missing: install zbar-tools (scripts/deps.sh)" >>"$E2E_RESULTS"
  exit 1
fi
if [ ! -f "$top/node_modules/playwright-core/package.json" ]; then
  (cd "$top" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund \
      --loglevel=error >/dev/null 2>"$T_DIR/npm.log") ||
    { echo "not ok - npm ci (playwright-core)" >>"$E2E_RESULTS"; cat "$T_DIR/npm.log" >&2; exit 1; }
fi

export SWS_NOW=2026-03-01T18:30:00Z
echo "correct horse battery" | "$SWS" init --office MN01 \
  --name "Зуунмод сумын нэг цэгийн үйлчилгээ" --country mn >/dev/null 2>"$T_ERR" ||
  { echo "not ok - sws init --country mn" >>"$E2E_RESULTS"; cat "$T_ERR" >&2; exit 1; }
t_as admin
# the front desk, a case manager covering Zuunmod soum, one covering
# another soum (need-to-know), a supervisor
for u in "desk:front-desk:Сарантуяа" "cm:case-manager:Туяа" "cm2:case-manager:Ганбат" "sup:supervisor:Оюун"; do
  login=${u%%:*}; rest=${u#*:}; role=${rest%%:*}; name=${rest#*:}
  echo "$login browser password" | "$SWS" user add "$login" --role "$role" --name "$name" >/dev/null 2>&1 ||
    { echo "not ok - add user $login" >>"$E2E_RESULTS"; exit 1; }
done
"$SWS" user area add cm MN-TO-ZM >/dev/null 2>&1 &&
  "$SWS" user area add cm2 MN-TO-BT >/dev/null 2>&1 ||
  { echo "not ok - the case managers' areas" >>"$E2E_RESULTS"; exit 1; }
t_system

"$SWS" ui --listen 127.0.0.1:0 --lang mn --idle-minutes 30 >"$T_DIR/ui.out" 2>"$T_DIR/ui.err" &
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
  echo "not ok - sws ui --lang mn started" >>"$E2E_RESULTS"
  cat "$T_DIR/ui.err" >&2
  exit 1
fi
echo "ok - sws ui --lang mn started on $URL" >>"$E2E_RESULTS"

mkdir -p "$top/tests/artifacts"
SWS_URL=$URL ARTIFACTS="$top/tests/artifacts" PROFILE="$T_DIR/chromium-profile" \
  timeout 150 node "$top/tests/browser/mongolia.mjs"
status=$?
[ $status -eq 0 ] || echo "not ok - the browser test script exited with $status" >>"$E2E_RESULTS"
stop_ui
exit 0
