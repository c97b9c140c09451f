#!/bin/sh
# web.sh - the web UI over real HTTP: `sws ui` on 127.0.0.1 and curl.
# Security headers, the Host check, login, CSRF and Origin refusals, an
# oversized body refused by the server, escaping of a member named
# <script>, role refusals, and the idle timeout across a restart with the
# clock moved (SWS_NOW).
set -u
. "$(dirname "$0")/lib.sh"

t_init_office KH12 "Web Office"
echo "desk web password" | SWS_TOKEN=$(t_token admin) "$SWS" user add desk --role front-desk --name "Desk" >/dev/null 2>&1
SWS_TOKEN=$(t_token desk "desk web password") "$SWS" household add --area 17010101 --head "Sok Dara" --sex M --born 1980 \
  --member "<script>alert(1)</script>;F;2010;child" >"$T_OUT" 2>"$T_ERR"
REGNO=$(tail -n 1 "$T_OUT")
JAR=$T_DIR/cookies
H=$T_DIR/headers
B=$T_DIR/body

t_status 2 "an address other computers reach needs HTTPS" "$SWS" ui --listen 0.0.0.0:0
t_grep "saying why and what to do" "serve HTTPS with --cert and --key" "$T_ERR"

UI_PID=
start_ui() { # SWS_NOW value
  SWS_NOW=$1 "$SWS" ui --listen 127.0.0.1:0 >"$T_DIR/ui.out" 2>"$T_DIR/ui.err" &
  UI_PID=$!
  URL=""
  i=0
  while [ $i -lt 50 ] && [ -z "$URL" ]; do
    URL=$(sed -n 's|^sws ui: serving on \(http://[^ ]*\)/ .*|\1|p' "$T_DIR/ui.out" 2>/dev/null)
    [ -n "$URL" ] || sleep 0.1
    i=$((i + 1))
  done
}
stop_ui() { [ -n "$UI_PID" ] && kill "$UI_PID" 2>/dev/null && wait "$UI_PID" 2>/dev/null; UI_PID=; }
trap 'stop_ui; t_cleanup' EXIT

req() { # curl args...: status into $CODE, headers into $H, body into $B
  CODE=$(curl -s -o "$B" -D "$H" -w '%{http_code}' -b "$JAR" -c "$JAR" "$@")
}

start_ui 2030-05-01T08:00:00Z
t_check "sws ui prints its URL" [ -n "$URL" ]
req "$URL/login"
t_check "the login page answers 200" [ "$CODE" = 200 ]
t_grep "Content-Security-Policy with default-src 'self'" "^Content-Security-Policy: default-src 'self'" "$H"
t_grep "CSP frame-ancestors 'none'" "frame-ancestors 'none'" "$H"
t_grep "X-Content-Type-Options: nosniff" "^X-Content-Type-Options: nosniff" "$H"
t_grep "Referrer-Policy" "^Referrer-Policy: same-origin" "$H"
t_grep "the login cookie is HttpOnly and SameSite=Strict" "^Set-Cookie: sws_login=.*HttpOnly; SameSite=Strict" "$H"
# sixteen stalled connections from this computer (an officer's browser
# comes from the same address) do not keep the login page from answering
PORT=${URL##*:}
"$T_TOOLS/holdconns" --port "$PORT" --count 16 --seconds 20 >"$T_DIR/hold.out" 2>&1 &
HOLD_PID=$!
i=0
while [ $i -lt 50 ] && ! grep -q "^holding" "$T_DIR/hold.out" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
t_grep "sixteen connections held" "^holding 16" "$T_DIR/hold.out"
req --max-time 5 "$URL/login"
t_check "the login page still answers, at once" [ "$CODE" = 200 ]
kill "$HOLD_PID" 2>/dev/null; wait "$HOLD_PID" 2>/dev/null
TOKEN=$(sed -n 's/.*name="token" value="\([^"]*\)".*/\1/p' "$B" | head -n 1)

req -H "Host: evil.example" "$URL/login"
t_check "a wrong Host is refused (DNS rebinding)" [ "$CODE" = 421 ]

req --data-urlencode "token=$TOKEN" --data-urlencode "login=desk" \
  --data-urlencode "password=desk web password" "$URL/login"
t_check "login answers 303" [ "$CODE" = 303 ]
t_grep "the session cookie is HttpOnly and SameSite=Strict" "^Set-Cookie: sws_sid=.*HttpOnly; SameSite=Strict" "$H"
t_no_grep "no Secure flag without TLS" "^Set-Cookie: sws_sid=.*Secure" "$H"

req "$URL/register"
CSRF=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$B" | head -n 1)
t_check "the register page carries a CSRF token" [ -n "$CSRF" ]

req --data "area=17010101&h_name=Chan+Sophal&h_sex=F&h_born=1990" "$URL/register"
t_check "a POST without the CSRF token is refused" [ "$CODE" = 403 ]
req -H "Origin: http://evil.example" --data "csrf=$CSRF&area=17010101&h_name=Chan+Sophal&h_sex=F&h_born=1990" "$URL/register"
t_check "a POST from another origin is refused" [ "$CODE" = 403 ]
req -H "Origin: $URL" --data "csrf=$CSRF&rows=4&area=17010101&h_name=Chan+Sophal&h_sex=F&h_born=1990" "$URL/register"
t_check "a POST with the token from this origin registers (303)" [ "$CODE" = 303 ]
t_grep "and redirects to the household" "^Location: /household/KH12-" "$H"

head -c 400000 /dev/zero | tr '\0' 'a' >"$T_DIR/big"
req --data-binary "@$T_DIR/big" "$URL/register"
t_check "an oversized body is refused with 413" [ "$CODE" = 413 ]

req "$URL/household/$REGNO"
t_check "the household page answers 200" [ "$CODE" = 200 ]
t_grep "a member named <script> is escaped" "&lt;script&gt;alert(1)&lt;/script&gt;" "$B"
t_no_grep "and never written raw" "<script>alert" "$B"

req "$URL/household/$REGNO/case"
t_check "the front desk may not open case pages (403)" [ "$CODE" = 403 ]
req "$URL/review"
t_check "nor the review queue (403)" [ "$CODE" = 403 ]

stop_ui
# over HTTPS: the cookies get Secure and the __Host- prefix, and HSTS
if sh "$(dirname "$0")/../make-test-ca.sh" "$T_DIR/ca" >/dev/null 2>&1; then
  SWS_NOW=2030-05-01T08:10:00Z "$SWS" ui --listen 127.0.0.1:0 --cert "$T_DIR/ca/server.pem" \
    --key "$T_DIR/ca/server.key" >"$T_DIR/ui.out" 2>"$T_DIR/ui.err" &
  UI_PID=$!
  URL=""
  i=0
  while [ $i -lt 50 ] && [ -z "$URL" ]; do
    URL=$(sed -n 's|^sws ui: serving on \(https://[^ ]*\)/ .*|\1|p' "$T_DIR/ui.out" 2>/dev/null)
    [ -n "$URL" ] || sleep 0.1
    i=$((i + 1))
  done
  t_check "sws ui serves HTTPS with --cert and --key" [ -n "$URL" ]
  CODE=$(curl -s --cacert "$T_DIR/ca/ca.pem" -o "$B" -D "$H" -w '%{http_code}' "$URL/login")
  t_check "the login page over HTTPS" [ "$CODE" = 200 ]
  t_grep "over HTTPS the cookie is __Host- and Secure" "^Set-Cookie: __Host-sws_login=.*; Secure" "$H"
  t_grep "and HSTS is sent" "^Strict-Transport-Security: max-age=" "$H"
  stop_ui
else
  echo "not ok - make a test certificate (openssl)" >>"$E2E_RESULTS"
fi
# 31 minutes later: the session has expired
start_ui 2030-05-01T08:31:00Z
req "$URL/"
t_check "after 31 minutes idle the session is over" [ "$CODE" = 303 ]
t_grep "and the login page says why" "^Location: /login?ended=idle" "$H"
stop_ui
exit 0
