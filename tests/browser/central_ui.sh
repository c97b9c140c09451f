#!/bin/sh
# central_ui.sh - browser tests of the registry's web UI: a real `sws
# central ui` on 127.0.0.1 over a registry four offices of two provinces
# synced to (t_central_ui_registry, tests/e2e/lib.sh), driven by headless
# Chromium through playwright-core as ui.sh does. A journey per role:
# a province officer (their pair decided and undone, their grievance; never
# another province's duplicates or grievances, by link or by address), a
# district officer, a national officer. Screenshots go to tests/artifacts/.
# e2e-stores: sqlite pg (tests/run.sh runs it on each store of the registry)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/e2e/lib.sh"

if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null 2>&1; then
  echo "not ok - browser tests need chromium and nodejs (scripts/deps.sh installs them)" >>"$E2E_RESULTS"
  exit 1
fi
if [ ! -f "$top/node_modules/playwright-core/package.json" ]; then
  (cd "$top" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund \
      --loglevel=error >/dev/null 2>"$T_DIR/npm.log") ||
    { echo "not ok - npm ci (playwright-core)" >>"$E2E_RESULTS"; cat "$T_DIR/npm.log" >&2; exit 1; }
fi

t_make_ca
t_central_db
SERVER_PID=
UI_PID=
t_cleanup() { t_stop "$UI_PID"; t_stop "$SERVER_PID"; rm -rf "$T_DIR"; }
t_central_ui_registry
t_central_ui_start "$T_DIR/ui.log"
echo "ok - sws central ui started on $UI_URL" >>"$E2E_RESULTS"

mkdir -p "$top/tests/artifacts"
SWS_URL=$UI_URL PW=$CUI_PW RA=$RA RB=$RB RC=$RC RD=$RD TA=$TA TC=$TC \
  ARTIFACTS="$top/tests/artifacts" PROFILE="$T_DIR/chromium-profile" \
  timeout 150 node "$top/tests/browser/central_ui.mjs"
status=$?
[ $status -eq 0 ] || echo "not ok - the browser test script exited with $status" >>"$E2E_RESULTS"
t_stop "$UI_PID"
UI_PID=
exit 0
